"""Briefings on real topics of the real corpus (real model, real Chroma): the content the issue asks for,
in date order, with citations that pass verification; the Word export read back; the time it takes."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from docx import Document

from assistant.briefing.build import build_briefing
from assistant.briefing.document import Briefing
from assistant.briefing.export import to_docx, to_markdown

pytestmark = pytest.mark.integration

DECLINED = re.compile(r"not sign|not on the list|abstain|stay\w* out|absen|missing|refus|declin|ne l'ont pas", re.I)
SUPPORT = re.compile(r"join|signed up|support|backs|membership|rejoin|soutien|soutenir", re.I)
REASON = re.compile(r"drafting process|ambiguit|do not want to be constrained|fluff", re.I)


@pytest.fixture(scope="module")
def assistant(real_data_dir):
    from assistant.chain import Assistant
    from assistant.service import Services
    from assistant.settings import Settings
    from tests.conftest import REAL_CORPUS

    assistant = Assistant(Services(Settings(data_dir=real_data_dir, corpus_dir=REAL_CORPUS)))
    assistant.warm_up()
    deadline = time.monotonic() + 90  # the embedding model finishes loading in the background (~5 s)
    while time.monotonic() < deadline:
        started = time.perf_counter()
        assistant.services.searcher.search("Paris Call working groups", 3)
        if time.perf_counter() - started < 0.2:
            break
    return assistant


def text_of(briefing: Briefing, *keys: str) -> str:
    return "\n".join(s.text for s in briefing.sections if not keys or s.key in keys for s in s.sentences)


def check_citations(briefing: Briefing, assistant) -> None:
    assert briefing.problems() == []
    chunks = assistant.services.snapshot.by_id
    for ref in briefing.references:
        assert chunks[ref.chunk_id].text[ref.start:ref.end] == ref.quote, ref.marker
        assert ref.title and (ref.url or ref.kind == "news"), ref.marker


def test_united_states_briefing_covers_2018_non_signature_and_2021_support_in_order(assistant):
    briefing = build_briefing(assistant, "The United States and the Paris Call")
    check_citations(briefing, assistant)
    timeline = [s for s in briefing.section("timeline").sentences if s.date]
    dates = [s.date for s in timeline]
    assert dates == sorted(dates)
    declined = [i for i, s in enumerate(timeline) if s.date.startswith("2018") and DECLINED.search(s.text)]
    joined = [i for i, s in enumerate(timeline) if s.date.startswith("2021") and SUPPORT.search(s.text)]
    assert declined and joined and declined[0] < joined[0]
    assert REASON.search(text_of(briefing)), "the stated reason for not signing in 2018"
    us = [s for s in briefing.section("positions").sentences if s.actor == "United States"]
    assert any(SUPPORT.search(s.text) for s in us)  # the US joining; its 2018 abstention is in the timeline
    positions = briefing.section("positions").sentences
    assert any(DECLINED.search(s.text) or "not listed" in s.text for s in positions)  # who did not sign
    registry = next(s for s in us if "supporters registry" in s.text)
    assert "2021-11-11" in registry.text
    assert briefing.reference(registry.markers[0]).doc_id == "supporters.csv"
    assert 3 <= len(briefing.section("summary").sentences) <= 5


def test_working_groups_briefing_names_topics_and_co_chairs(assistant, tmp_path: Path):
    briefing = build_briefing(assistant, "Working groups")
    check_citations(briefing, assistant)
    body = text_of(briefing)
    for co_chair in ("Cigref", "Kaspersky", "CyberPeace Institute", "GEODE", "Hague Centre", "Microsoft",
                     "F-Secure", "University of Florence", "Cybersecurity Tech Accord"):
        assert co_chair in body, co_chair
    for topic in (r"UN negotia ?tions", r"international (cyber )?norms", r"stability index", r"supply chain|concrete tools"):
        assert re.search(topic, body, re.I), topic
    cited = {briefing.reference(m).doc_id for s in briefing.sections for x in s.sentences for m in x.markers}
    assert {f"reports/{name}.pdf" for name in ("wg3-multistakeholder-participation-un",
                                               "wg4-advancing-international-cyber-norms",
                                               "wg5-cyberstability-index", "wg6-securing-ict-supply-chain")} <= cited
    doc = Document(str(to_docx(briefing, tmp_path / "working-groups.docx")))
    styles = {(p.style.name, p.text) for p in doc.paragraphs}
    assert ("Title", briefing.title) in styles and ("Heading 1", "References") in styles
    references = [p.text for p in doc.paragraphs if re.match(r"\[\d+\]\t", p.text)]
    assert [int(re.match(r"\[(\d+)\]", r).group(1)) for r in references] == list(range(1, len(briefing.references) + 1))
    assert to_markdown(briefing).count("\n## ") >= 5


def test_french_briefing_on_the_same_topic(assistant):
    briefing = build_briefing(assistant, "Les États-Unis et l'Appel de Paris", language="fr")
    check_citations(briefing, assistant)
    assert briefing.section("timeline").heading == "Chronologie"
    assert re.search(r"ne l'ont pas sign|refus|absence|à l'écart", text_of(briefing))
