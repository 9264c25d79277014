"""The full list behind a registry answer: every row in the answer's JSON, and on the chat page a table in
the sources panel (interface language, escaped) with a CSV download that a spreadsheet cannot run."""

from __future__ import annotations

import csv
import io
import re
from functools import cache
from urllib.parse import unquote

from assistant.registry.answer import Registry, answer_registry
from corpus.readers import read_document
from index.chunking import chunk_document
from tests.conftest import REAL_CORPUS
from ui import render


@cache
def registry() -> Registry:
    return Registry(chunk_document(read_document(REAL_CORPUS / "supporters.csv", "supporters.csv")))


def answer_dict(question: str, language: str = "en") -> dict:
    result = answer_registry(question, language, registry())
    assert result is not None
    return result.answer(question, question, language, []).model_dump(mode="json")


def test_a_long_list_is_summarised_but_every_row_comes_with_the_answer():
    with (REAL_CORPUS / "supporters.csv").open(encoding="utf-8") as handle:
        companies = [r for r in csv.DictReader(handle) if r["category"] == "private-sector"]
    answer = answer_dict("which companies support the paris call?")
    assert len(answer["registry_rows"]) == len(companies)  # `assistant ask --json` prints them all
    assert {r["name"] for r in answer["registry_rows"]} == {r["name"] for r in companies}
    assert len(answer["citations"]) <= 12  # the text names the first ones only
    assert f"{len(companies) - 10} more" in answer["text"]


def _csv_of(html: str) -> list[list[str]]:
    href = re.search(r'href="data:text/csv;charset=utf-8,([^"]+)"', html).group(1)
    return list(csv.reader(io.StringIO(unquote(href.replace("&amp;", "&")).lstrip("\ufeff"))))


def test_the_sources_panel_shows_the_table_with_a_csv_download():
    answer = answer_dict("combien d'entreprises chinoises soutiennent l'appel ?", "fr")
    html = render.sources_html([{"key": "t1", "question": "q", "answer": answer}], "fr")
    assert "La liste complète : 4 soutiens" in html and "Télécharger en CSV" in html
    assert html.count("<tr>") == 5 and "secteur privé" in html and "Chine" in html
    rows = _csv_of(html)
    assert rows[0][:2] == ["name", "category"] and len(rows) == 5
    assert {r[0] for r in rows[1:]} == {r["name"] for r in answer["registry_rows"]}


def test_one_supporter_needs_no_table():
    answer = answer_dict("is google a supporter?")
    assert len(answer["registry_rows"]) == 1
    assert "pca-registry" not in render.sources_html([{"key": "t1", "question": "q", "answer": answer}], "en")


def test_cells_are_escaped_and_formulas_kept_as_text():
    rows = [{"name": "<img src=x onerror=alert(1)>", "category": "state", "country": "", "listed_since": "2020-01-01"},
            {"name": "=HYPERLINK(\"http://evil.example\")", "category": "", "country": "France",
             "listed_since": "2021-01-01"}]
    html = render.registry_table_html(rows, "k", "en")
    assert "<img" not in html and "&lt;img" in html
    cells = [r[0] for r in _csv_of(html)[1:]]
    assert cells[1].startswith("'=") and cells[0] == rows[0]["name"]
