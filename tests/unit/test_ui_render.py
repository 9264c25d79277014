"""Safe HTML rendering: text from documents and people is escaped; markers link to their cards."""

import re

from ui import documents, render

EVIL = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def citation(**changes):
    base = {"marker": 1, "doc_id": "news/x.md", "chunk_id": "news/x.md#0@a", "title": "A <b>title</b>",
            "quote": "the quote", "start": 7, "end": 16, "passage": "Before the quote after.",
            "publisher": "Wire & Co", "date": "2021-11-10", "url": "https://example.org/x?a=1&b=2", "page": 3,
            "kind": "news", "language": "en"}
    return {**base, **changes}


def answer(**changes):
    base = {"question": "q", "language": "en", "text": "It says so.[1] And more [2]. Also [7].",
            "citations": [citation(), citation(marker=2)], "refused": False, "related": [], "notice": ""}
    return {**base, **changes}


def no_live_html(markup: str) -> bool:
    return "<script" not in markup and "<img" not in markup and "onerror=" not in markup.replace("onerror=alert", "")


def test_answer_text_is_escaped_and_only_known_markers_become_links():
    html = render.answer_html(answer(text=f"{EVIL} **bold** [1] [2] [7]"), "t42", "en")
    assert "&lt;script&gt;" in html and "<script" not in html and "<img" not in html
    assert '<a class="pca-marker" href="#cite-t42-1">[1]</a>' in html
    assert 'href="#cite-t42-2"' in html and 'href="#cite-t42-7"' not in html and "[7]" in html
    assert "<strong>bold</strong>" in html


def test_markdown_links_and_images_from_documents_stay_text():
    html = render.rich("see [this](javascript:alert(1)) and ![x](https://tracker.example/p.png)\n## Heading")
    assert "<a" not in html and "<img" not in html and "<strong>Heading</strong>" in html


def test_citation_card_highlights_the_quote_in_its_passage_and_links_the_original():
    card = render.citation_card(citation(passage=f"{EVIL} the quote tail", start=len(EVIL) + 1,
                                         end=len(EVIL) + 10), "t1", "en")
    assert 'id="cite-t1-1"' in card
    assert "<mark>the quote</mark>" in card and no_live_html(card)
    assert "A &lt;b&gt;title&lt;/b&gt;" in card
    assert 'href="https://example.org/x?a=1&amp;b=2"' in card and 'rel="noopener noreferrer nofollow"' in card
    for chip in ("News", "Wire &amp; Co", "2021-11-10", "Page 3", "English"):
        assert chip in card


def test_a_card_names_the_section_its_quote_stands_in_unless_it_shows_it():
    far = "word " * 100 + "the quote"
    card = render.citation_card(citation(heading=f"Principle #5 {EVIL}", passage=far, start=500, end=509), "t1", "en")
    assert '<div class="pca-card-section">§ Principle #5 &lt;script&gt;' in card and no_live_html(card)
    opening = "Principle #5\nNon-proliferation\nThe quote."  # a section's first passage shows its heading
    card = render.citation_card(citation(heading="Principle #5 Non-proliferation", passage=opening, start=30,
                                         end=40), "t1", "en")
    assert "pca-card-section" not in card and "pca-card-section" not in render.citation_card(citation(), "t1", "en")
    related = {"title": "Report", "text": far, "heading": "Principle #5"}
    assert "§ Principle #5" in render.related_card(related, "t1", 1, "en")


def test_only_http_addresses_become_links():
    for url in ("javascript:alert(1)", "data:text/html,x", 'https://x.org/"onmouseover="alert(1)', "", None):
        card = render.citation_card(citation(url=url), "t1", "en")
        assert "pca-link" not in card, url


def test_a_long_passage_is_cut_around_the_quote():
    passage = "word " * 200 + "THE QUOTE" + " tail" * 200
    start = passage.index("THE QUOTE")
    html = render.highlighted_passage(passage, start, start + 9)
    assert "<mark>THE QUOTE</mark>" in html and html.startswith("… ") and html.endswith(" …")
    assert len(html) < 900
    assert render.highlighted_passage("short text", 0, 5) == "<mark>short</mark> text"


def test_refusal_is_shown_as_such_with_the_closest_passages():
    refused = answer(refused=True, text="The sources I have don't answer this.", citations=[],
                     related=[{"title": EVIL, "doc_id": "d.md", "text": "close passage", "url": "https://e.org"}])
    html = render.answer_html(refused, "t9", "en")
    assert "pca-refusal" in html and "Not answered from the sources" in html
    assert 'href="#rel-t9-1"' in html and no_live_html(html)
    panel = render.sources_html([{"key": "t9", "question": "Recipe?", "answer": refused}], "en")
    assert 'id="rel-t9-1"' in panel and "Closest passages" in panel and "close passage" in panel


def test_sources_panel_lists_every_answer_latest_first_in_the_interface_language():
    turns = [{"key": "a", "question": "First <q>", "answer": answer()},
             {"key": "b", "question": "Second", "error": "boom"},
             {"key": "c", "question": "Third", "answer": answer()}]
    panel = render.sources_html(turns, "fr")
    assert panel.index('id="cite-c-1"') < panel.index('id="cite-a-1"')
    assert "First &lt;q&gt;" in panel and "Cité en réponse à" in panel and "Actualité" in panel
    assert "Les passages cités" in render.sources_html([], "fr")


def test_chat_messages_show_questions_as_text_and_errors_readably():
    turns = [{"key": "a", "question": EVIL, "answer": answer()},
             {"key": "b", "question": "Q2", "error": "Too long <b>"},
             {"key": "c", "question": "Q3", "partial": "It says [1"}]
    messages = render.chat_messages(turns, "en")
    assert [m["role"] for m in messages] == ["user", "assistant"] * 3
    assert no_live_html(messages[0]["content"]) and "&lt;script&gt;" in messages[0]["content"]
    assert messages[3]["content"] == '<div class="pca-error">Too long &lt;b&gt;</div>'
    assert messages[5]["content"].endswith("▍")
    long = render.chat_messages([{"key": "d", "question": "x" * 5000, "error": "Too long"}], "en")
    assert len(long[0]["content"]) < 320


def test_conversation_markdown_has_questions_answers_and_numbered_references():
    turns = [{"key": "a", "question": "When was it\nlaunched?", "answer": answer()},
             {"key": "b", "question": "Failed", "error": "x"}]
    md = render.conversation_markdown(turns, "en")
    assert md.startswith("# Conversation with the Paris Call assistant")
    assert "## 1. When was it launched?" in md and "It says so.[1]" in md and "**References**" in md
    assert "1. A <b>title</b> — Wire & Co, 2021-11-10, page 3 — <https://example.org/x?a=1&b=2>" in md
    assert "> the quote" in md and "Failed" not in md
    sectioned = answer(citations=[citation(heading="Principle #5 Non-proliferation")])
    md = render.conversation_markdown([{"key": "a", "question": "q", "answer": sectioned}], "en")
    assert "Wire & Co, 2021-11-10, page 3, § Principle #5 Non-proliferation — <https://" in md


def test_briefing_preview_links_markers_to_reference_cards():
    briefing = {"title": f"Briefing {EVIL}", "notice": "", "references": [citation()],
                "sections": [{"key": "summary", "heading": "Summary", "sentences": [
                    {"text": "A fact", "markers": [1]}, {"text": "Frame:", "frame": True},
                    {"text": "point", "markers": [1], "item": True, "date": "2021"}]}]}
    html = render.briefing_html(briefing, "b1", "en")
    assert no_live_html(html) and 'href="#cite-b1-1"' in html and 'id="cite-b1-1"' in html
    assert "<ul><li><strong>2021</strong> — point" in html


def test_catalog_selects_documents_and_renders_one_safely(tmp_path):
    docs = {
        "a.md": {"title": "Alpha", "kind": "news", "language": "en", "date": "2021-11-10", "url": "javascript:x"},
        "b.md": {"title": f"Beta {EVIL}", "kind": "report", "language": "fr", "date": "2019", "publisher": "P"},
        "c.md": {"title": "Gamma", "kind": "news", "language": "en"},
    }
    catalog = documents.Catalog(docs, {"b.md": [f"First {EVIL}", "Second **part**"]}, corpus_dir=tmp_path)
    assert catalog.kinds() == ["news", "report"]
    assert [d.doc_id for d in catalog.select(kind="news")] == ["c.md", "a.md"]  # undated first
    assert [d.doc_id for d in catalog.select(language="fr")] == ["b.md"]
    assert [d.doc_id for d in catalog.select(date_from="2020")] == ["a.md"]
    assert [d.doc_id for d in catalog.select(date_to="2019")] == ["b.md"]
    assert [d.doc_id for d in catalog.select(title="alp")] == ["a.md"]
    page = documents.document_html(catalog, "b.md", "en")  # the file is missing: the indexed passages are shown
    assert no_live_html(page) and "First &lt;script&gt;" in page and "<strong>part</strong>" in page
    assert "Report" in page and "French" in page
    assert "pca-empty" in documents.document_html(catalog, "nope", "en")
    assert "javascript" not in documents.document_html(catalog, "a.md", "en")


def test_catalog_reads_full_text_from_the_indexed_corpus(hash_settings):
    from assistant.service import Services, index_corpus

    index_corpus(hash_settings, progress=False)
    catalog = documents.Catalog.from_snapshot(Services(hash_settings).snapshot, hash_settings.corpus_dir)
    assert {"declaration", "news", "registry", "report"} <= set(catalog.kinds())
    text = catalog.full_text("declaration/call-en.md")
    assert "Principle 3: Defend electoral processes" in text
    page = documents.document_html(catalog, "news/groups.html", "fr")
    assert "Six working groups" in page and "<script" not in page and re.search(r"Actualité", page)
