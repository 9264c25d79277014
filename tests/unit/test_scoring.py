"""Scores of answer records: the direct answer's precision beside accuracy."""

from __future__ import annotations

from evals.metrics import states_a_fact
from evals.questions import Question
from evals.scoring import score_record, summarise

WHEN = Question(id="q1", question="When was the Paris Call launched in Paris?", key_facts=["2018", "paris"])


def _record(answer: str, lead: str = "", refused: bool = False) -> dict:
    return {"id": "q1", "question": WHEN.question, "answer": answer, "lead": lead, "refused": refused,
            "citations": [], "retrieved": [], "latency_ms": 1.0, "ceiling": True}


def test_a_fact_the_question_already_gives_does_not_make_the_answer() -> None:
    assert states_a_fact("Launched in 2018.", WHEN.question, WHEN.key_facts)
    assert not states_a_fact("It was in Paris.", WHEN.question, WHEN.key_facts)  # "paris" is asked, not answered
    assert states_a_fact("Paris.", "Where?", ["paris"])
    assert states_a_fact("Paris.", "Is it in Paris?", ["paris"])  # every fact in the question: any counts


def test_a_lead_is_scored_only_when_the_answer_opens_with_one() -> None:
    right = score_record(WHEN, _record("12 November 2018.[1] It was launched.[2]", lead="12 November 2018"))
    wrong = score_record(WHEN, _record("2019.[1] It was launched in Paris in 2018.[2]", lead="2019"))
    none = score_record(WHEN, _record("It was launched in 2018.[1]"))
    refused = score_record(WHEN, _record("The sources I have don't answer this.", lead="2018", refused=True))
    assert right["lead_correct"] is True and wrong["lead_correct"] is False
    assert "lead_correct" not in none and "lead_correct" not in refused
    summary = summarise([right, wrong, none, refused])
    assert summary["leads"] == 2 and summary["lead_precision"] == 0.5
    assert wrong["correct"] is True  # the quotes state the fact: right, whatever the lead says
    assert summarise([none])["lead_precision"] is None  # no answer led: no precision, not 0
