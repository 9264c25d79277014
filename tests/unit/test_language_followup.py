import pytest

from assistant.followup import needs_context, standalone_question
from assistant.language import detect_language


@pytest.mark.parametrize("text, language", [
    ("When was the Paris Call launched?", "en"), ("Quand l'Appel de Paris a-t-il été lancé ?", "fr"),
    ("Combien d'États soutiennent l'Appel ?", "fr"), ("Is Microsoft a supporter?", "en"),
    ("Microsoft soutient-il l'Appel ?", "fr"), ("Et la Chine ?", "fr"), ("", "en"),
])
def test_detect_language(text, language):
    assert detect_language(text) == language


def test_follow_up_carries_the_subject():
    q = standalone_question("Where did he announce it?", ["What did Brad Smith say about the Paris Call?"])
    assert "Brad Smith" in q and q.startswith("Where did he announce it?")
    q = standalone_question("Et quand a-t-elle rejoint ?", ["La Chine soutient-elle l'Appel de Paris ?"])
    assert "Chine" in q


def test_self_contained_questions_are_left_alone():
    assert standalone_question("When was the Paris Call launched?", ["Who is Brad Smith?"]) == \
        "When was the Paris Call launched?"
    assert not needs_context("What does principle 5 of the Paris Call say?")
    assert standalone_question("Where did he announce it?", []) == "Where did he announce it?"
