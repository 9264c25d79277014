"""Briefings over the small test corpus (hash embedder): sections, dated timeline, registry, disagreements,
citations that pass verification, the LLM summary path and its fallback."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.briefing.actors import ActorFinder
from assistant.briefing.build import SECTIONS, build_briefing, run_brief
from assistant.briefing.document import Briefing
from assistant.briefing.timeline import date_in
from assistant.registry.answer import Registry
from corpus.errors import BackendError, ConfigError, QuestionError

COUNTS_2018 = """---
title: Launch coverage
kind: news
publisher: Daily
date: '2018-11-13'
language: en
---

The Test Call was signed by 51 states at its launch in Paris on 12 November 2018.

Microsoft said it strongly supports the Test Call and its principles for cyberspace.
"""
COUNTS_2021 = """---
title: Anniversary coverage
kind: news
publisher: Weekly
date: '2021-11-12'
language: en
form: digest
---

By November 2021 the Test Call counted 80 states among its supporters worldwide.
"""


@pytest.fixture
def assistant(hash_settings, mini_corpus: Path):
    from assistant.chain import Assistant
    from assistant.service import Services, index_corpus

    (mini_corpus / "news" / "counts-2018.md").write_text(COUNTS_2018, encoding="utf-8")
    (mini_corpus / "news" / "counts-2021.md").write_text(COUNTS_2021, encoding="utf-8")
    index_corpus(hash_settings, progress=False)
    return Assistant(Services(hash_settings))


def check_citations(briefing: Briefing, assistant) -> None:
    """Every marker resolves, references are numbered by first use, every quote is its chunk's exact span."""
    assert briefing.problems() == []
    chunks = assistant.services.snapshot.by_id
    for ref in briefing.references:
        assert chunks[ref.chunk_id].text == ref.passage
        assert chunks[ref.chunk_id].text[ref.start:ref.end] == ref.quote


def sentences(briefing: Briefing, key: str) -> list:
    section = briefing.section(key)
    return section.sentences if section else []


def test_actor_topic_has_positions_a_dated_timeline_and_verified_citations(assistant):
    briefing = build_briefing(assistant, "The United States and the Test Call")
    check_citations(briefing, assistant)
    assert briefing.covered and briefing.title == "Briefing: The United States and the Test Call"
    keys = [s.key for s in briefing.sections]
    assert keys[0] == "summary" and keys == [k for k in SECTIONS if k in keys] and "timeline" in keys
    positions = sentences(briefing, "positions")
    us = [s for s in positions if s.actor == "United States"]
    assert any("did not sign" in s.text and "sovereignty" in s.text for s in us)  # with its stated reason
    assert any("announced its support" in s.text for s in us)
    assert any(s.frame and "not listed in the supporters registry" in s.text for s in us)
    timeline = [s for s in sentences(briefing, "timeline") if s.date]
    dates = [s.date for s in timeline]
    assert dates == sorted(dates) and len(timeline) >= 2
    first_2018 = next(i for i, s in enumerate(timeline) if s.date.startswith("2018") and "not sign" in s.text)
    first_2021 = next(i for i, s in enumerate(timeline) if s.date.startswith("2021") and "support" in s.text)
    assert first_2018 < first_2021
    assert all(s.markers for s in timeline)
    assert 1 <= len(sentences(briefing, "summary")) <= 5


def test_a_supporter_is_confirmed_by_its_registry_row(assistant):
    briefing = build_briefing(assistant, "Microsoft")
    check_citations(briefing, assistant)
    rows = [s for s in sentences(briefing, "positions") if "supporters registry" in s.text]
    assert rows and rows[0].actor == "Microsoft" and "listed since 2019-11-10" in rows[0].text
    reference = briefing.reference(rows[0].markers[0])
    assert reference.doc_id == "supporters.csv" and "Microsoft" in reference.quote
    said = [s for s in sentences(briefing, "positions") + sentences(briefing, "summary") if "strongly supports" in s.text]
    assert said, "the company's own statement is quoted"


def test_different_figures_across_documents_are_shown_each_side_cited(assistant):
    briefing = build_briefing(assistant, "states supporting the Test Call")
    check_citations(briefing, assistant)
    points = sentences(briefing, "disagreements")
    assert points and points[0].frame and "number of states" in points[0].text
    items = [s for s in points if s.item]
    assert {"51 states", "80 states"} <= {m for s in items for m in re.findall(r"\d+ states", s.text)}
    assert len({briefing.reference(s.markers[0]).doc_id for s in items}) >= 2
    assert all(s.date for s in items)  # each side shows the date of its source


def test_an_uncovered_topic_is_said_so_without_citations(assistant):
    briefing = build_briefing(assistant, "chocolate cake recipes")
    assert not briefing.covered and briefing.references == []
    assert [s.key for s in briefing.sections] == ["gaps"]
    assert "do not cover this topic" in briefing.sections[0].sentences[0].text


def test_gaps_list_the_aspects_the_sources_do_not_cover(assistant):
    briefing = build_briefing(assistant, "The United States and the Test Call")
    gaps = sentences(briefing, "gaps")
    assert gaps and all(s.frame and not s.markers for s in gaps)
    assert any("who leads or organises it" in s.text for s in gaps)


def test_french_briefing_has_french_headings(assistant):
    briefing = build_briefing(assistant, "L'Appel de test", language="fr")
    check_citations(briefing, assistant)
    assert briefing.title == "Note d'information : L'Appel de test"
    assert briefing.section("summary").heading == "Résumé"
    assert any("12 novembre 2018" in s.text for s in sentences(briefing, "summary") + sentences(briefing, "facts")
               + sentences(briefing, "timeline"))


def test_briefing_round_trips_through_json(assistant):
    briefing = build_briefing(assistant, "The United States and the Test Call")
    again = Briefing.model_validate_json(briefing.model_dump_json())
    assert again == briefing and again.references[0].marker == 1
    assert briefing.timings["total_ms"] > 0


def test_bad_input_is_refused_cleanly(assistant, tmp_path):
    with pytest.raises(QuestionError):
        build_briefing(assistant, "   ")
    with pytest.raises(ConfigError):
        build_briefing(assistant, "Test Call", language="de")
    with pytest.raises(ConfigError):
        run_brief(assistant, "Test Call", tmp_path / "brief.pdf")


def test_filters_limit_the_sources(assistant):
    from index.filters import Filters

    briefing = build_briefing(assistant, "The United States and the Test Call", filters=Filters(kinds=("news",)))
    assert briefing.references and all(r.kind == "news" for r in briefing.references)


class FakeLLM:
    def __init__(self, text: str | None) -> None:
        self.text = text

    def draft(self, question, language, passages):
        if self.text is None:
            raise BackendError("the openai language model failed (ConnectError: refused)")
        assert "The United States and the Test Call" in question and passages
        return self.text


def test_llm_summary_is_verified_like_everything_else(assistant, monkeypatch):
    monkeypatch.setattr(assistant, "backend", "openai")
    monkeypatch.setattr(assistant, "llm", lambda backend: FakeLLM(
        "The United States did not sign the Test Call in 2018, citing sovereignty concerns [1]. "
        "In November 2021 the United States announced its support for the Call [1][2]. "
        "The Test Call was written on the Moon by penguins [1]."))
    briefing = build_briefing(assistant, "The United States and the Test Call")
    check_citations(briefing, assistant)
    summary = " ".join(s.text for s in sentences(briefing, "summary"))
    assert "penguins" not in summary and "sovereignty concerns" in summary
    assert briefing.backend == "openai" and not briefing.notice


def test_llm_failure_falls_back_to_the_extractive_summary(assistant, monkeypatch):
    monkeypatch.setattr(assistant, "backend", "openai")
    monkeypatch.setattr(assistant, "llm", lambda backend: FakeLLM(None))
    briefing = build_briefing(assistant, "The United States and the Test Call")
    check_citations(briefing, assistant)
    assert briefing.backend == "extractive" and "ConnectError" in briefing.notice
    assert sentences(briefing, "summary")


@pytest.mark.parametrize("text, year_of, expected", [
    ("launched on 12 November 2018 in Paris", None, "2018-11-12"),
    ("on November 12, 2018, at UNESCO", None, "2018-11-12"),
    ("lancé le 1er décembre 2019", None, "2019-12-01"),
    ("in November 2020, six groups", None, "2020-11"),
    ("since its inception in 2018", None, "2018"),
    ("the meeting of 2021-11-10", None, "2021-11-10"),
    ("announced on 10 November", "2021-11-12", "2021-11-10"),
    ("announced on 10 November", None, None),
    ("no date here", None, None),
])
def test_dates_are_read_from_sentences(text, year_of, expected):
    assert date_in(text, year_of) == expected


@pytest.mark.parametrize("text, actor, stance", [
    ("The United States did not sign the Call in 2018.", "United States", "declined"),
    ("Washington was not the only capital to abstain: Russia and China also stayed out.", "United States",
     "declined"),
    ("The Register reports that the United States has signed up to the Call.", "United States", "joined"),
    ("Working Group 6 is co-chaired by the Cybersecurity Tech Accord and others.", "Cybersecurity Tech Accord",
     "leads"),
    ("La Chine et les États-Unis ne l'ont pas signé.", "China", "declined"),
    ("The Call was launched at the Paris Peace Forum.", None, "leads"),
    # The Call's name says nothing: "call for" is a statement in lower case only.
    ("Working Group 6 was created within the Paris Call for Trust and Security in Cyberspace.", None, None),
    ("The European Union calls for binding rules.", "European Union", "said"),
])
def test_actors_and_what_they_do(text, actor, stance):
    acting, names, found = ActorFinder(Registry([])).find(text)
    assert (acting, found) == (actor, stance)
    assert actor is None or actor in names
