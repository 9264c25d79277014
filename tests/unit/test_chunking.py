from pathlib import Path

from corpus.document import DocMeta, Document, PageSpan
from corpus.loader import load_corpus
from index.chunking import chunk_document, split_sentences


def _docs(corpus: Path):
    return {d.doc_id: d for d in load_corpus(corpus).documents}


def test_prose_chunks_are_exact_spans_with_headings(mini_corpus: Path):
    doc = _docs(mini_corpus)["declaration/call-en.md"]
    chunks = chunk_document(doc)
    for chunk in chunks:
        assert doc.text[chunk.start:chunk.end] == chunk.text
        assert chunk.metadata["title"] == "Test Call for Trust" and chunk.metadata["date_key"] == 20181112
    headings = [c.metadata.get("heading") for c in chunks]
    assert "Principle 3: Defend electoral processes" in headings
    assert chunk_document(doc)[0].chunk_id == chunks[0].chunk_id  # stable ids
    assert chunks[0].chunk_id.startswith("declaration/call-en.md#0@")


def test_chunks_fit_the_window(mini_corpus: Path):
    doc = _docs(mini_corpus)["declaration/call-en.md"]
    doc.text = doc.text + "\n\n" + " ".join(["A sentence about cyber norms and trust."] * 200)
    chunks = chunk_document(doc, max_chars=300)
    assert all(len(c.text) <= 300 for c in chunks)
    assert all(doc.text[c.start:c.end] == c.text for c in chunks)


def test_pdf_chunks_carry_pages(mini_corpus: Path):
    chunks = chunk_document(_docs(mini_corpus)["reports/wg5.pdf"])
    assert {c.page for c in chunks} == {1, 2}
    assert all("#p" in c.chunk_id for c in chunks)


def test_registry_rows_are_one_chunk_each(mini_corpus: Path):
    doc = _docs(mini_corpus)["supporters.csv"]
    chunks = [c for c in chunk_document(doc) if "row" in c.metadata]
    assert len(chunks) == 5
    hitachi = chunks[3]
    assert hitachi.doc_id == "supporters.csv" and hitachi.chunk_id.startswith("supporters.csv#row-4@")
    assert "name: Hitachi" in hitachi.text and "country: Japan" in hitachi.text
    assert hitachi.metadata["row"] == 4 and doc.text[hitachi.start:hitachi.end].startswith("Hitachi,")


def test_content_change_changes_ids(mini_corpus: Path):
    path = mini_corpus / "declaration" / "call-en.md"
    before = chunk_document(_docs(mini_corpus)["declaration/call-en.md"])[0].chunk_id
    path.write_text(path.read_text() + "\nOne more line.\n")
    after = chunk_document(_docs(mini_corpus)["declaration/call-en.md"])[0].chunk_id
    assert before != after and before.split("@")[0] == after.split("@")[0]


def test_tables_get_computed_count_chunks(mini_corpus: Path):
    doc = _docs(mini_corpus)["supporters.csv"]
    counts = {c.metadata["heading"]: c.text for c in chunk_document(doc) if c.metadata.get("computed")}
    assert "Rows by category: private-sector 2, state 2, civil-society 1." in counts["counts (all-0)"]
    # nature groups rows exactly as category does here, and country_code as country: one of each is kept
    assert counts["counts (country=Japan)"].endswith("rows with country Japan: 2; by category: private-sector 1, "
                                                      "state 1.")
    assert not any("country_code" in heading or "name=" in heading for heading in counts)
    assert "Rows by year of listed_since: 2019 5." in " ".join(counts.values())


def test_chunk_size_is_part_of_the_id(mini_corpus: Path):
    doc = _docs(mini_corpus)["declaration/call-en.md"]
    assert chunk_document(doc, 900)[0].chunk_id != chunk_document(doc, 400)[0].chunk_id



def test_a_title_or_an_initial_before_a_name_ends_no_sentence():
    text = 'The article spells it "Mr. Le Diran". M. Macron spoke. Ehud E. Levite wrote. It joined the U.S. It grew.'
    assert [text[s:e] for s, e in split_sentences(text)] == [
        'The article spells it "Mr. Le Diran".', "M. Macron spoke.", "Ehud E. Levite wrote.", "It joined the U.S.",
        "It grew."]


def test_list_items_run_into_one_line_are_sentences_of_their_own():
    # a PDF's bullet list flattened by its text layer: a roster of names is not one 600-character "sentence"
    text = ("• Imad AAD, Center for Digital Trust, EPFL • Nele ACHTEN, ETH Zurich • Laurent BERNAT, OECD\n\n"
            "Zero trust • Multistakeholder engagement. It worked. A bullet•inside a word stays.")
    assert [text[s:e] for s, e in split_sentences(text)] == [
        "Imad AAD, Center for Digital Trust, EPFL", "Nele ACHTEN, ETH Zurich", "Laurent BERNAT, OECD", "Zero trust",
        "Multistakeholder engagement.", "It worked.", "A bullet•inside a word stays."]


def _pdf(pages: list[str]) -> Document:
    text, spans = "", []
    for number, page in enumerate(pages, 1):
        start = len(text)
        text += page
        spans.append(PageSpan(number, start, len(text)))
        text += "\n"
    meta = DocMeta(title="Working Group report", kind="report", language="en")
    return Document("reports/wg.pdf", meta, text, "pdf", "hash", pages=spans)


BODY = "Participants agreed that coordinated disclosure of vulnerabilities is key to non-proliferation work."


def test_pdf_sections_get_the_heading_lines_before_them_until_the_next():
    doc = _pdf([
        "Contents\nPrinciple #1\nProtect individuals\nPrinciple #5\nNon-proliferation\nPrinciple #6\n"
        "Lifecycle security & supply chain security Principle #7 Cyber hygiene Principle #8 No hack back",  # none
        f"Paris Call Principle #5\nNon-proliferation\n{BODY}",
        f"{BODY}\nNeal Kushwaha\nAdviser, IMPENDO Inc.",  # a signature titles nothing
        f"Paris Call Principle #1\nProtect individuals and\ninfrastructure\n{BODY}",
    ])
    chunks = chunk_document(doc, max_chars=200)
    assert all(doc.text[c.start:c.end] == c.text for c in chunks)
    by_page = {c.page: c.metadata.get("heading") for c in chunks}
    assert by_page == {1: None, 2: "Paris Call Principle #5 Non-proliferation",
                       3: "Paris Call Principle #5 Non-proliferation",
                       4: "Paris Call Principle #1 Protect individuals and infrastructure"}
    assert chunks[1].context_text().startswith("Working Group report — Paris Call Principle #5 Non-proliferation\n")


def test_a_pdf_running_title_in_capitals_names_its_page_section():
    doc = _pdf([f"{BODY}\nFootnote 1. A source.\nMULTISTAKEHOLDER PARTICIPATION AT THE UN: A LONG TRADITION",
                f"{BODY}\nAnalysis of Case Studies\n{BODY}"])
    headings = [(c.page, c.metadata.get("heading")) for c in chunk_document(doc, max_chars=200)]
    assert headings == [(1, "MULTISTAKEHOLDER PARTICIPATION AT THE UN: A LONG TRADITION"),
                        (2, "MULTISTAKEHOLDER PARTICIPATION AT THE UN: A LONG TRADITION"),
                        (2, "Analysis of Case Studies")]
