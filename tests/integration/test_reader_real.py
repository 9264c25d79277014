"""The reader with its fitted model, on the real index (real e5 vectors, real spaCy entities)."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def assistant(real_data_dir):
    from assistant.chain import Assistant
    from assistant.service import Services
    from assistant.settings import Settings
    from tests.conftest import REAL_CORPUS

    return Assistant(Services(Settings(data_dir=real_data_dir, corpus_dir=REAL_CORPUS)))


def _quotes_are_verbatim(answer) -> None:
    markers = {int(m) for m in re.findall(r"\[(\d+)\]", answer.text)}
    assert markers and markers == {c.marker for c in answer.citations}
    for citation in answer.citations:
        assert citation.passage[citation.start:citation.end] == citation.quote


def test_index_prepared_the_reader(real_data_dir):
    from assistant.reading.annotations import Annotations

    annotations = Annotations.load(real_data_dir / "reading" / "entities.json")
    assert len(annotations.entities) > 500
    assert (real_data_dir / "reading" / "sentences.npz").stat().st_size > 1_000_000


@pytest.mark.parametrize("question", ["When was the Paris Call launched?", "when was the paris call launched",
                                      "quand a ete lance l'appel de paris"])
def test_launch_date_is_stated_first(assistant, question):
    answer = assistant.ask(question)
    assert not answer.refused and "2018" in answer.text.split("[")[0]
    _quotes_are_verbatim(answer)


@pytest.mark.xfail(strict=True, reason="the passages giving the reason (the State Department on the drafting process, "
                   "news/utexas-ngs-blog-2019-12.md) rank 12th-15th when the question names its year; the answer "
                   "quotes Techdirt's 'the US decision not to sign' and The Register's 'sovereign states', no reason")
def test_a_why_question_gets_a_reason(assistant):
    answer = assistant.ask("why didn't the us sign the paris call in 2018")
    assert not answer.refused
    _quotes_are_verbatim(answer)
    # the reasons the sources give (the benchmark's key facts for this question): the drafting process did not let
    # the US shape the text or clear up its ambiguities; a commitment to multilateralism it found constraining
    assert re.search(r"shape|ambigu|drafting|multilateralism|multilatéralisme|constrain|contraint|rédaction",
                     answer.text, re.I)


# "The six Paris Call Working Groups": the counted thing three words after the number, in another sentence
# than the one the reader ranks first; what "il y en a combien" / "how many are there" count is named before
# them (none of these questions is in the benchmark).
@pytest.mark.parametrize("question", ["how many working groups are there",
                                      "combien de groupes de travail a l'appel de paris",
                                      "les groupes de travail de l'appel de paris, il y en a combien ?",
                                      "the working groups of the paris call, how many are there",
                                      "how many of the working groups did the paris call set up"])
def test_a_count_of_what_is_asked_leads(assistant, question):
    answer = assistant.ask(question)
    assert not answer.refused and re.match(r"(six|6) ", answer.text, re.I)
    _quotes_are_verbatim(answer)


def test_french_question_over_english_quotes_speaks_french(assistant):
    answer = assistant.ask("pourquoi les etats-unis n'ont pas signe l'appel de paris en 2018")
    assert answer.language == "fr" and not answer.refused
    english = [c for c in answer.citations if c.language == "en"]
    if english and all(c.language == "en" for c in answer.citations):
        assert "Les sources disent (en anglais)" in answer.text


# Off-topic questions beside the benchmark's (not fitted on) and a year after the newest document.
@pytest.mark.parametrize("question", ["what will the paris call do in 2030", "Quelle est la recette de la tarte Tatin ?",
                                      "Who won the 2018 FIFA World Cup final?", "how tall is mount everest",
                                      "combien de calories dans un croissant"])
def test_unanswerable_questions_are_refused(assistant, question):
    assert assistant.ask(question).refused


# Questions about the Call itself, as people ask them (none of them in the benchmark): a refusal model that
# learns the benchmark's wording instead of what the sources cover refuses these first (a prior on the
# question's vector alone, measured and dropped, refused "when was the paris call launched").
@pytest.mark.parametrize("question", ["whats the paris call", "What is the Paris Call for Trust and Security in Cyberspace?",
                                      "C'est quoi l'Appel de Paris pour la confiance et la sécurité dans le cyberespace ?",
                                      "who launched the paris call", "quels sont les principes de l'appel de paris",
                                      "qui soutient l'appel de paris", "why does the paris call matter",
                                      "what are the paris call working groups"])
def test_questions_about_the_call_itself_are_answered(assistant, question):
    answer = assistant.ask(question)
    assert not answer.refused
    _quotes_are_verbatim(answer)


@pytest.mark.parametrize(("question", "first"), [
    ("what are the 9 principles", "- Principle 1: Protect individuals and infrastructure — Prevent and recover"),
    ("c'est quoi les principes de l'appel de paris", "- Principe 1: Protéger les individus"),
    ("wat r the principels", "- Principle 1: Protect individuals"),  # shorthand and a typo
])
def test_every_principle_is_listed_in_order(assistant, question, first):
    answer = assistant.ask(question)
    assert not answer.refused and first in answer.text
    _quotes_are_verbatim(answer)
    assert len(answer.citations) == 9
    assert [int(re.search(r"\d", c.passage).group()) for c in answer.citations] == list(range(1, 10))


@pytest.mark.parametrize(("question", "typo"), [("wen was the paris call lanched", "lanched"),
                                               ("when was the paris call launhced", "launhced"),
                                               ("quand a ete lancé l'apppel de paris", "apppel")])
def test_a_question_with_a_typo_is_answered_and_says_what_it_read(assistant, question, typo):
    """Once refused: the reader found "lanched" in no passage."""
    answer = assistant.ask(question)
    assert not answer.refused and re.match(r"12 (November|novembre) 2018", answer.text)
    assert typo in answer.notice and answer.question == question
    _quotes_are_verbatim(answer)


def test_a_count_typed_informally_is_the_registrys(assistant):
    """"hw many contries signed" once answered "No. hw is not found in the supporters registry"."""
    answer = assistant.ask("hw many contries signed")
    assert answer.backend == "registry" and re.match(r"The supporters registry lists \d+ states", answer.text)


def test_the_corpus_keeps_the_clarity_signals_the_model_was_fitted_with(assistant):
    from assistant.chain import Turn

    model = assistant.reader.model
    assert "clarity_ignored_for" not in model.info and "similarities_ignored_for" not in model.info
    signals = assistant.read(assistant._retrieve(assistant._prepare(Turn("who launched the paris call", [], None,
                                                                         "extractive")))).signals
    assert signals["dense_z"] > 1.0 and signals["lexical_peak"] > 0.0


def test_the_reader_answers_fast_once_warm(assistant):
    assistant.warm_up()
    answer = assistant.ask("What does the Paris Call say about protecting elections?")
    assert not answer.refused and answer.timings["read_ms"] < 5000  # generous: the benchmark prints real figures
