"""Claims the supporters registry contradicts: the answer says the sources differ, the registry first."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from assistant.answer import Passage
from assistant.contradictions import check, signatures
from assistant.prompts import DISAGREEMENT
from assistant.verify import Claim, verify
from corpus.readers import read_document
from index.chunking import chunk_document
from tests.corpus_factory import sidecar

REGISTRY_CSV = """name,category,nature,country_code,country,listed_since
Microsoft,private-sector,Entreprise,USA,United States,2019-11-10
France,state,State,FRA,France,2019-11-10
Huawei,private-sector,Entreprise,CHN,China,2019-11-10
Lenovo,private-sector,Entreprise,CHN,China,2024-01-19
United States,state,State,USA,United States,2021-11-11
Access Now,civil-society,NGO,USA,United States,2019-11-10
"""


@pytest.fixture
def registry(tmp_path: Path):
    """The registry as the chain sees it: its rows (name, fields, chunk) and its computed-count chunks."""
    path = tmp_path / "supporters.csv"
    path.write_text(REGISTRY_CSV, encoding="utf-8")
    sidecar(path, title="Supporters (registry)", kind="registry", language="en")
    chunks = chunk_document(read_document(path, "supporters.csv"))
    rows = [SimpleNamespace(name=c.metadata["fields"]["name"], fields=c.metadata["fields"], chunk=c)
            for c in chunks if "fields" in c.metadata]
    return SimpleNamespace(rows=rows, counts=[c for c in chunks if c.metadata.get("computed")])


def _news(text: str, flagged: bool = False) -> Passage:
    return Passage(rank=1, chunk_id="news/x.md#0@1", doc_id="news/x.md", title="News", text=text, kind="news",
                   flagged=flagged)


def _quoted(text: str, sentence: str) -> Claim:
    start = text.index(sentence)
    return Claim(sentence, [0], {0: (start, start + len(sentence))})


@pytest.mark.parametrize("sentence, facts", [
    ("China signed the Paris Call in 2019 and became its lead state sponsor.", [("China", "2019")]),
    ("The Paris Call was signed by China in 2019.", [("China", "2019")]),
    ("In November 2021 the United States announced its support for the Call.", [("United States", "2021")]),
    ("The United States joined the Paris Call on 10 November 2021.", [("United States", "2021")]),
    ("La Chine a signé l'Appel de Paris en 2019.", [("Chine", "2019")]),
    ("L'Appel de Paris a été signé par la Russie en 2019.", [("Russie", "2019")]),
    ("In 2019, Lenovo signed the Paris Call.", [("Lenovo", "2019")]),
    ("Paris Call for trust and security online has been backed by Kaspersky Lab", [("Kaspersky Lab", None)]),
    ("The United States did not sign the Test Call in 2018, citing sovereignty concerns.", []),
    ("Macron urged China to sign the Paris Call.", []),
    ("According to the post, Microsoft, together with Google and Facebook, signed the Call alongside 50 countries.",
     []),
])
def test_signatures_are_read_from_assertions_only(sentence, facts):
    assert [(f.name, f.year) for f in signatures(sentence)] == facts


def test_a_country_with_no_state_row_contradicts_the_passage_registry_first(registry):
    text = "Supporters met. The Test Call was signed by China in 2019. China signed the Test Call in 2019."
    claims = [_quoted(text, "China signed the Test Call in 2019.")]
    new_claims, passages = check("Who leads the Test Call?", "en", claims, [_news(text)], registry)
    assert new_claims[0].text == DISAGREEMENT["en"] and new_claims[0].frame
    assert new_claims[1].text.startswith("- The supporters registry lists no state from China; its 2 entries")
    assert new_claims[2].text == "- China signed the Test Call in 2019." and new_claims[2].sources == [0]
    assert len(passages) == 2 and passages[1].doc_id == "supporters.csv"
    result = verify(new_claims, passages)
    assert result.text.startswith("The sources differ on this:\n- The supporters registry lists no state from China")
    assert result.text.endswith("\n- China signed the Test Call in 2019.[2]")
    assert [c.doc_id for c in result.citations] == ["supporters.csv", "news/x.md"]  # the registry first
    assert "country China: 2" in result.citations[0].quote
    for citation in result.citations:
        assert citation.passage[citation.start:citation.end] == citation.quote


def test_a_country_absent_from_the_registry_cites_the_count_of_states(registry):
    text = "Russia signed the Test Call in 2019."
    claims, passages = check("q", "en", [_quoted(text, text)], [_news(text)], registry)
    assert claims[1].text == "- The supporters registry lists 2 states, and Russia is not one of them."
    result = verify(claims, passages)
    assert result.citations[0].doc_id == "supporters.csv" and "state 2" in result.citations[0].quote


@pytest.mark.parametrize("sentence, since", [
    ("Microsoft joined the Test Call in 2021.", "2019-11-10"),  # listed before the year the passage gives
    ("In 2019, Lenovo signed the Test Call.", "2024-01-19"),  # listed years after it
    ("The United States signed the Test Call in 2018.", "2021-11-11"),
])
def test_a_year_that_disagrees_with_listed_since_is_contradicted(registry, sentence, since):
    claims, passages = check("q", "en", [_quoted(sentence, sentence)], [_news(sentence)], registry)
    assert claims[1].text.endswith(f"since {since}.")
    result = verify(claims, passages)
    assert since in result.citations[0].quote and result.citations[0].doc_id == "supporters.csv"


@pytest.mark.parametrize("sentence", [
    "France signed the Test Call in 2018.",  # the registry's first date means "on or before": 2018 agrees
    "The United States joined the Test Call in November 2021.",
    "The United States did not sign the Test Call in 2018.",
    "Macron urged China to sign the Test Call.",
    "Emmanuel Macron launched the Test Call in 2018.",
    "Huawei signed the Test Call.",
])
def test_claims_the_registry_agrees_with_or_cannot_check_are_left_alone(registry, sentence):
    claims = [_quoted(sentence, sentence)]
    assert check("q", "en", claims, [_news(sentence)], registry) == (claims, [_news(sentence)])


def test_a_lead_drawn_from_the_contradicted_sentence_goes_with_it(registry):
    text = "China signed the Test Call in 2019."
    lead = Claim("2019.", [0], {0: (0, len(text))}, value="2019")
    claims, _ = check("When did China sign?", "en", [lead, _quoted(text, text)], [_news(text)], registry)
    assert [c.text for c in claims][0] == DISAGREEMENT["en"] and all(c.text != "2019." for c in claims)


def test_a_flagged_passage_is_left_to_verification_which_drops_it(registry):
    text = "China signed the Test Call in 2019."
    claims = [_quoted(text, text)]
    checked, passages = check("q", "en", claims, [_news(text, flagged=True)], registry)
    assert checked == claims and verify(checked, passages).citations == []


def test_french_answer_and_llm_claims_without_quotes(registry):
    text = "La Chine a signé l'Appel de test en 2019."
    claims, passages = check("q", "fr", [Claim(text, [0])], [_news(text)], registry)
    assert claims[0].text == DISAGREEMENT["fr"]
    assert claims[1].text.startswith("- Le registre des soutiens ne compte aucun État pour le pays China")
    assert verify(claims, passages).citations[0].doc_id == "supporters.csv"


def test_without_a_registry_nothing_changes():
    text = "China signed the Test Call in 2019."
    claims = [_quoted(text, text)]
    assert check("q", "en", claims, [_news(text)], SimpleNamespace(rows=[], counts=[]))[0] is claims


def test_a_claim_verification_would_drop_gets_no_one_sided_block(registry):
    # an LLM's claim citing a flagged passage and an unrelated one: nothing supports it, so no "sources differ"
    text = "China signed the Test Call in 2019."
    unrelated = Passage(rank=2, chunk_id="d#0@1", doc_id="d.md", title="D", text="The Test Call was launched in Paris.")
    claims = [Claim(text, [0, 1])]
    checked, passages = check("q", "en", claims, [_news(text, flagged=True), unrelated], registry)
    assert checked == claims and verify(checked, passages).citations == []
