"""Answer types of questions as people type them, in English and French."""

from __future__ import annotations

import pytest

from assistant.reading.questions import answer_type, as_searched

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
    # The question word a question opens with decides; informal French puts it last.
    ("why does dig watch think the growing number of signatories matters", "reason"),
    ("who pays for the paris call, how is it funded", "person"),
    ("how old is brad smith", "number"),
    ("eugene kaspersky il avait quel age quand il a salué l'appel", "number"),
    ("le drian il est né où", "place"),
    ("the paris call was launched by who", "person"),  # the question word last, as people chat
    ("the us joined when?", "date"),
    ("c qui qui a lancé l'appel", "person"),
    ("au lancement c'etait quel pays du g7 qui etait le seul a pas avoir signé ?", "place"),
    ("le quai d'orsay a negocié le texte avec qui ?", "person"),
    ("qu'est ce qui a été décidé au forum en 2019", "other"),  # "qui" of "qu'est-ce qui" asks for no person
    # A French inversion with a question word is not a yes/no question; no question word at all is one.
    ("Que s'est-il passé pour l'Appel de Paris en 2022 ?", "other"),
    ("Sous quel nom figure-t-il dans le registre ?", "other"),
    ("israel est dans la liste ?", "yesno"),
    ("les etats unis ont fini par signer ou pas", "yesno"),
    ("Did the United States sign the Paris Call when it was launched in 2018?", "yesno"),
    ("Selon Dig Watch, sur quel texte l'Appel s'appuie-t-il pour définir les rôles des États ?", "other"),
    # Texting spellings.
    ("c koi le principe 8", "definition"),
    ("c quoi la paris digital week", "definition"),
    ("ki a lancé l'appel", "person"),
    ("kan est ce que la france a signé", "date"),
    ("pkoi les usa ont pas signé", "reason"),
    ("cmt ca marche", "manner"),
    ("y did russia not sign", "reason"),
    ("hw many countries signed", "number"),
    # A what-question about a noun naming a value asks for the value.
    ("whats the paris call's budget", "number"),
    ("c'est quoi le salaire du secretaire general", "number"),
    ("quel est le chiffre d'affaires de nameshield", "number"),
    ("what is the cost of joining", "number"),
    ("what is the address of the paris peace forum", "place"),
    ("c koi l'adresse du forum", "place"),
    ("what are the opening hours of the forum", "date"),
    ("quels sont les horaires du forum", "date"),
    ("what does the budget section say", "other"),
    # A statement with a tag asks yes or no; "c ou" asks where.
    ("the paris call was launched by angela merkel in berlin, correct", "yesno"),
    ("l'appel a ete lance par macron, non", "yesno"),
    ("who launched it, macron or merkel", "person"),
    ("c ou le siege de yeswehack", "place"),
    ("c'est ou pas", "yesno"),
    # French inversion typed without its hyphens asks yes or no; "what age" asks for a number.
    ("l'appel est il contraignant", "yesno"),
    ("la chine a t il signe", "yesno"),
    ("qui est il", "person"),
    ("what age is verdier", "number"),
    # "When" opening a clause after another question word dates what is asked about.
    ("harris disait pourquoi la france et les usa y arrivent quand ils bossent ensemble ?", "reason"),
    ("La France a réagi comment quand les USA ont rejoint ?", "manner"),
    ("who was president when the call was launched", "person"),
    ("c'etait quand le lancement", "date"),
    ("quand l'appel a-t-il été lancé", "date"),
    # Several dates or years asked for at once.
    ("le 3e forum il etait prevu a quelles dates", "date"),
    ("on what dates was the forum held", "date"),
    ("en quelles annees le forum a eu lieu", "date"),
    ("quels jours se tient le forum", "date"),
]


@pytest.mark.parametrize(("question", "expected"), CASES)
def test_answer_type(question: str, expected: str) -> None:
    assert answer_type(question) == expected


def test_how_the_answer_should_be_put_is_not_what_is_asked():
    from assistant.reading.questions import without_style

    assert without_style("explain the paris call in simple words") == "the paris call"
    assert without_style("what is the paris call, briefly please?") == "what is the paris call?"
    assert without_style("explique-moi l'appel de Paris simplement stp") == "l'appel de Paris"
    assert without_style("can you explain why the us didnt sign") == "why the us didnt sign"
    assert without_style("c'est quoi l'appel de paris en bref ?") == "c'est quoi l'appel de paris ?"
    assert without_style("is it legally binding or nah") == "is it legally binding"
    assert without_style("la suisse a signé ou pas ?") == "la suisse a signé ?"
    unchanged = "le gt6 a bossé comment, c'etait quoi les etapes ?"  # nothing to take out: as typed
    assert without_style(unchanged) == unchanged
    assert without_style("please") == "please"  # nothing else asked: the question stays


@pytest.mark.parametrize("question", [
    "why did spain pull out of the paris call in 2020", "when did japan leave the paris call",
    "why was kaspersky kicked out of working group 6", "did the uk withdraw its support",
    "why did the internet society pull its signature", "why did the tech accord step down as wg3 chair",
    "pourquoi google a quitté l'appel de paris", "l'estonie s'est retirée du groupe de travail 3 ?",
    "pk le canada a lâché le principe 3", "why did facebook quit the call"])
def test_a_question_taking_a_departure_for_granted(question: str) -> None:
    from assistant.reading.questions import Question

    assert Question.of(question, "en").departure, question


@pytest.mark.parametrize("question", [
    "why does wg4 say cyber hygiene cant just be left to users", "what did wg5 leave for later",
    "why is it bad to leave a vuln unfixed", "when did the us join the paris call", "who chairs wg3",
    "pourquoi les etats-unis n'ont pas signé", "which principle is about hack back"])
def test_a_question_taking_no_departure_for_granted(question: str) -> None:
    from assistant.reading.questions import Question

    assert not Question.of(question, "en").departure, question


@pytest.mark.parametrize(("question", "searched"), [
    ("what year was the paris call", "when was the paris call"),
    ("On what date did Digital Peace Now endorse it", "when did Digital Peace Now endorse it"),
    ("en quelle année a ete lancé l'appel", "quand a ete lancé l'appel"),
    ("c'etait quel jour le lancement", "c'etait quand le lancement"),
    ("what is the paris call", "what is the paris call"),
])
def test_a_noun_naming_the_date_asked_for_is_searched_as_when(question: str, searched: str) -> None:
    assert as_searched(question) == searched
