"""Answer types of questions as people type them, in English and French."""

from __future__ import annotations

import pytest

from assistant.reading.questions import answer_type

CASES = [
    ("When was the Paris Call launched?", "date"),
    ("when did the us join", "date"),
    ("what year did microsoft sign", "date"),
    ("quand a ete lance l'appel de paris", "date"),
    ("Depuis quand le Japon soutient-il l'Appel ?", "date"),
    ("how many countries signed lol", "number"),
    ("combien d'entreprises japonaises soutiennent l'appel", "number"),
    ("How many states were listed when the US joined?", "number"),
    ("why didnt russia join", "reason"),
    ("pourquoi les etats-unis n'ont pas signe", "reason"),
    ("how does the call protect elections", "manner"),
    ("comment l'appel protege les elections", "manner"),
    ("who launched the paris call", "person"),
    ("qui a lance l'appel de paris", "person"),
    ("where was it announced", "place"),
    ("which companies co-chaired the working group", "organisation"),
    ("c'est quoi l'appel de paris", "definition"),
    ("What is the Paris Call?", "definition"),
    ("Qu'est-ce que le principe 8 ?", "definition"),
    ("list the nine principles", "list"),
    ("quels sont les principes", "list"),
    ("did the us ever sign it", "yesno"),
    ("is google on the list", "yesno"),
    ("est-ce que la chine a signe", "yesno"),
    ("difference between principle 5 and principle 8", "comparison"),
    ("paris call elections", "other"),
]


@pytest.mark.parametrize(("question", "expected"), CASES)
def test_answer_type(question: str, expected: str) -> None:
    assert answer_type(question) == expected
