"""Long documents in the Sources tab (issue 14): sent to the browser one part at a time, never whole."""

from __future__ import annotations

from pathlib import Path

import gradio as gr
import pytest

from ui import documents
from ui.tabs import DocPager

PARAGRAPH = "Paragraph {n} about cyber norms and the principles of the Call, with enough words to fill a line."


def long_text(paragraphs: int) -> str:
    return "\n\n".join(PARAGRAPH.format(n=n) for n in range(paragraphs))


@pytest.mark.parametrize("text", [long_text(3000), "x" * 50_001, "word " * 12_000, "", "short"])
def test_parts_cover_the_text_exactly_and_respect_the_size(text: str):
    parts = documents.split_pages(text, 20_000)
    assert "".join(parts) == text and all(len(p) <= 20_000 for p in parts)
    assert all(len(p) > 10_000 for p in parts[:-1])  # cut in the second half of each part: few parts


def test_parts_end_at_a_paragraph_break_when_there_is_one():
    parts = documents.split_pages(long_text(3000), 20_000)
    assert len(parts) > 10 and all(p.endswith(".") for p in parts[:-1])  # a paragraph is never cut


@pytest.fixture
def catalog(tmp_path: Path) -> documents.Catalog:
    docs = {"long.md": {"title": "A long report", "kind": "report", "language": "en"},
            "short.md": {"title": "A note", "kind": "news", "language": "en"}}
    return documents.Catalog(docs, {"long.md": [long_text(3000)], "short.md": ["A short note."]})


def test_the_viewer_shows_one_part_with_its_place(catalog: documents.Catalog):
    text = catalog.full_text("long.md")
    parts = documents.split_pages(text)
    first = documents.document_html(catalog, "long.md", "en")
    assert "Part 1 of" in first and f"of {len(parts)}" in first
    assert len(first) < 2 * documents.DOC_PAGE_CHARS < len(text)  # the whole document is not sent
    assert "Paragraph 0 about" in first and f"Paragraph {2999} about" not in first
    last = documents.document_html(catalog, "long.md", "fr", page=10_000)  # clamped to the last part
    assert f"Partie {len(parts)} sur {len(parts)}" in last and "Paragraph 2999 about" in last
    assert "Part 1" not in documents.document_html(catalog, "short.md", "en")  # a short document has no parts


def test_the_pager_steps_through_the_parts_and_hides_itself_for_short_documents(catalog: documents.Catalog):
    with gr.Blocks():
        viewer = gr.HTML()
        pager = DocPager(catalog, viewer)
    html, shown, row = pager.show("long.md", 1, "en")
    assert shown == {"doc": "long.md", "page": 1} and row["visible"] is True and "Part 1 of" in html
    html, shown, _ = pager.show("long.md", shown["page"] + 1, "en")
    assert shown["page"] == 2 and "Part 2 of" in html
    html, shown, _ = pager.show("long.md", 0, "en")
    assert shown["page"] == 1
    html, shown, row = pager.show("short.md", 1, "en")
    assert row["visible"] is False and "A short note." in html
    assert pager.show(None, 1, "en")[2]["visible"] is False
