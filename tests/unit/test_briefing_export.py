"""Markdown and Word exports of a briefing: same content, real headings, numbered references; the .docx
is read back with python-docx."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from docx import Document

from assistant.answer import Citation
from assistant.briefing.build import run_brief
from assistant.briefing.document import Briefing, BriefingSection, BriefingSentence
from assistant.briefing.export import to_docx, to_markdown


def citation(marker: int, title: str, quote: str, **meta) -> Citation:
    passage = f"Before. {quote} After."
    return Citation(marker=marker, doc_id=f"news/{marker}.md", chunk_id=f"news/{marker}.md#0@x", title=title,
                    quote=quote, start=8, end=8 + len(quote), passage=passage, **meta)


@pytest.fixture
def briefing() -> Briefing:
    s = BriefingSentence
    return Briefing(
        topic="The United States and the Test Call", language="en", generated_at="2024-05-01T10:00:00+00:00",
        title="Briefing: The United States and the Test Call",
        sections=[
            BriefingSection(key="summary", heading="Summary", sentences=[
                s(text="The United States did not sign in 2018, citing *sovereignty* concerns.", markers=[1]),
                s(text="It announced its support in November 2021.", markers=[2, 1])]),
            BriefingSection(key="positions", heading="Positions of named actors", sentences=[
                s(text="The United States did not sign in 2018, citing *sovereignty* concerns.", markers=[1],
                  actor="United States"),
                s(text="United States is not listed in the supporters registry.", frame=True, actor="United States"),
                s(text="Microsoft said it supports the Call.", markers=[3], actor="Microsoft")]),
            BriefingSection(key="timeline", heading="Timeline", sentences=[
                s(text="The United States did not sign.", markers=[1], date="2018-11-13", date_source="document"),
                s(text="In November 2021 it announced its support.", markers=[2], date="2021-11",
                  date_source="text")]),
            BriefingSection(key="disagreements", heading="Where the sources differ", sentences=[
                s(text="The sources give different figures for the number of states:", frame=True),
                s(text="51 states signed.", markers=[1], item=True, date="2018-11-13", date_source="document"),
                s(text="80 states signed.", markers=[3], item=True)]),
            BriefingSection(key="gaps", heading="What the sources do not cover", sentences=[
                s(text="The sources found say little or nothing about figures.", frame=True)]),
        ],
        references=[citation(1, "US stays out", "The United States did not sign in 2018, citing sovereignty concerns.",
                             publisher="Wire", date="2018-11-13", url="https://example.org/a", form="digest"),
                    citation(2, "US joins", "It announced its support in November 2021.", date="2021-11", page=4,
                             heading="Paris Call Principle #5 Non-proliferation"),
                    citation(3, "Microsoft [statement]", "Microsoft said it supports the Call.")])


def test_markdown_has_headings_markers_and_numbered_references(briefing):
    text = to_markdown(briefing)
    assert text.startswith("# Briefing: The United States and the Test Call\n")
    assert "*Generated on 2024-05-01 10:00 UTC from the Paris Call corpus.*" in text
    assert "\n\n\n" not in text
    for heading in ("## Summary", "## Positions of named actors", "## Timeline", "## Where the sources differ",
                    "## What the sources do not cover", "## References"):
        assert f"\n{heading}\n" in text
    assert "citing \\*sovereignty\\* concerns.[1]" in text  # the source's characters are shown, not interpreted
    assert "support in November 2021.[2][1]" in text
    assert "**United States**" in text and "**Microsoft**" in text
    assert "- **2018-11-13 (date of the source)** — The United States did not sign.[1]" in text
    assert "- **2021-11** — In November 2021 it announced its support.[2]" in text
    assert "  - **2018-11-13 (date of the source)** — 51 states signed.[1]" in text and "  - 80 states signed.[3]" in text
    references = text.split("## References\n", 1)[1]
    assert re.findall(r"^(\d+)\. ", references, re.M) == ["1", "2", "3"]
    assert "1. *US stays out* — Wire, 2018-11-13, digest of the source, https://example.org/a." in references
    assert "2. *US joins* — 2021-11, p. 4, § Paris Call Principle \\#5 Non-proliferation." in references and "*Microsoft \\[statement\\]*" in references
    markers = {int(m) for m in re.findall(r"\[(\d+)\]", text.split("## References")[0])}
    assert markers == {1, 2, 3}


def test_docx_reads_back_with_heading_styles_and_numbered_references(briefing, tmp_path: Path):
    path = to_docx(briefing, tmp_path / "out" / "brief.docx")
    doc = Document(str(path))
    styled = [(p.style.name, p.text) for p in doc.paragraphs if p.text.strip()]
    assert styled[0] == ("Title", "Briefing: The United States and the Test Call")
    headings = [text for style, text in styled if style == "Heading 1"]
    assert headings == ["Summary", "Positions of named actors", "Timeline", "Where the sources differ",
                        "What the sources do not cover", "References"]
    assert [text for style, text in styled if style == "Heading 2"] == ["United States", "Microsoft"]
    refs = [text for _, text in styled[[t for _, t in styled].index("References") + 1:]]
    assert [re.match(r"\[(\d+)\]\t", r).group(1) for r in refs] == ["1", "2", "3"]
    assert refs[0].startswith("[1]\tUS stays out — Wire, 2018-11-13, digest of the source, https://example.org/a.")
    summary = next(p for p in doc.paragraphs if p.text.startswith("It announced"))
    assert summary.style.name == "List Bullet" and summary.text.endswith("[2][1]")
    assert [r.text for r in summary.runs if r.font.superscript] == ["[2]", "[1]"]
    assert any(p.style.name == "List Bullet 2" and p.text.startswith("2018-11-13 (date of the source) — 51 states")
               for p in doc.paragraphs)
    assert doc.core_properties.title == briefing.title


def test_french_labels_in_exports(briefing, tmp_path: Path):
    french = briefing.model_copy(update={"language": "fr"})
    text = to_markdown(french)
    assert "*Générée le 2024-05-01 10:00 UTC" in text and "(date de la source)" in text
    assert "résumé de la source" in text and "## Références" in text
    doc = Document(str(to_docx(french, tmp_path / "fr.docx")))
    assert ("Heading 1", "Références") in [(p.style.name, p.text) for p in doc.paragraphs]


@pytest.fixture
def indexed_assistant(hash_settings):
    from assistant.chain import Assistant
    from assistant.service import Services, index_corpus

    index_corpus(hash_settings, progress=False)
    return Assistant(Services(hash_settings))


def test_run_brief_writes_the_file_its_name_asks_for(indexed_assistant, tmp_path: Path):
    markdown = run_brief(indexed_assistant, "The United States and the Test Call", tmp_path / "b.md")
    assert (tmp_path / "b.md").read_text(encoding="utf-8") == markdown and markdown.startswith("# Briefing:")
    run_brief(indexed_assistant, "The United States and the Test Call", tmp_path / "b.docx")
    doc = Document(str(tmp_path / "b.docx"))
    assert doc.paragraphs[0].style.name == "Title"
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "did not sign the Test Call in 2018" in body and "[1]\t" in body
    assert run_brief(indexed_assistant, "The United States and the Test Call").startswith("# Briefing:")
