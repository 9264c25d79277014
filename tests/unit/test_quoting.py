"""The quoting sweep (`evals.quoting`): accuracy and length of composed answers under a quoting rule."""

from __future__ import annotations

from assistant.answer import Passage
from assistant.reading.annotations import Annotations
from assistant.reading.composer import OPEN_QUOTING, VALUE_QUOTING, Quoting
from assistant.reading.features import candidates
from assistant.reading.questions import Question as ReaderQuestion
from assistant.reading.reader import Reading
from assistant.support import TermWeights
from evals.fit_reader import Example
from evals.questions import Question
from evals.quoting import score

TEXT = ("The working group met in Geneva for its first workshop. Members drafted a shared glossary. "
        "Delegates compared national strategies on incident response. A survey reached many experts in Europe. "
        "Regional partners hosted follow-up webinars.")


def example(tmp_path, key_fact: str, answerable: bool = True, asked: str = "what did the working group do") -> Example:
    passages = [Passage(rank=1, chunk_id="wg#0@x", doc_id="wg.md", title="WG", text=TEXT, language="en")]
    found = candidates(ReaderQuestion.of(asked, "en"), passages, TermWeights([TEXT]),
                       Annotations(tmp_path / "entities.json", {}))
    for number, c in enumerate(found):
        c.score = 0.9 - 0.1 * number
    reading = Reading(ReaderQuestion.of(asked, "en"), found, answerable=answerable)
    return Example(Question(id="q1", question=asked, key_facts=[key_fact]), reading, [], passages)


def test_a_fact_in_the_fourth_sentence_is_answered_by_open_quoting_only(tmp_path) -> None:
    annotations = Annotations(tmp_path / "entities.json", {})
    fourth = [example(tmp_path, "many experts")]
    assert score(fourth, VALUE_QUOTING, annotations)[0] == 0.0
    accuracy, words = score(fourth, OPEN_QUOTING, annotations)
    assert accuracy == 1.0 and words == len(" ".join(TEXT.split(". ")[:4]).split())


def test_a_refused_question_counts_as_wrong_and_gives_no_length(tmp_path) -> None:
    annotations = Annotations(tmp_path / "entities.json", {})
    assert score([example(tmp_path, "Geneva", answerable=False)], OPEN_QUOTING, annotations) == (0.0, 0.0)


def test_a_value_question_is_composed_under_the_value_rule_given(tmp_path) -> None:
    annotations = Annotations(tmp_path / "entities.json", {})
    when = [example(tmp_path, "many experts", asked="when did the working group meet")]
    assert score(when, OPEN_QUOTING, annotations)[0] == 0.0  # a value question: three quotes, not four
    assert score(when, OPEN_QUOTING, annotations, Quoting(4, 0.15))[0] == 1.0
