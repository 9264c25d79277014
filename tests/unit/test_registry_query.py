"""The registry question parser (what is asked, about which supporters, follow-ups) and the routing rule:
questions that name no supporter, country or category, or ask what a source says, go to the passages."""

from __future__ import annotations

from functools import cache

import pytest

from assistant.language import detect_language
from assistant.registry.answer import Registry, answer_registry
from assistant.registry.query import RegistryQuery, Selection, parse
from corpus.readers import read_document
from index.chunking import chunk_document
from tests.conftest import REAL_CORPUS


@cache
def registry() -> Registry:
    return Registry(chunk_document(read_document(REAL_CORPUS / "supporters.csv", "supporters.csv")))


def one(question: str, history: list[str] | None = None) -> RegistryQuery:
    queries = parse(question, detect_language(question), registry(), history or [])
    assert queries is not None and len(queries) == 1, queries
    return queries[0]


@pytest.mark.parametrize(("question", "selection"), [
    ("how many canadian organisations back the paris call", Selection(country="Canada")),
    ("combien d'entreprises allemandes ont signé", Selection("private-sector", "Germany")),
    ("combien de soutiens japonaises", Selection(country="Japan")),
    ("how many firms from the USA", Selection("private-sector", "United States")),
    ("how many U.S. companies signed", Selection("private-sector", "United States")),
    ("combien de soutiens aux états-unis", Selection(country="United States")),
    ("how many British supporters", Selection(country="United Kingdom")),
    ("combien de soutiens au royaume-uni", Selection(country="United Kingdom")),
    ("how many dutch think tanks", Selection(country="Netherlands", nature="think tank")),
    ("how many governments signed", Selection("state")),
    ("combien d'États ont signé", Selection("state")),
    ("how many civil society groups support the call", Selection("civil-society")),
    ("combien d'ONG soutiennent l'appel", Selection("civil-society")),
    ("how many public authorities are listed", Selection("public-authority")),
    ("how many supporters with no category", Selection("")),
    ("how many EU member states signed", Selection("state", nature="ue")),
    ("how many local authorities signed", Selection(nature="collectivite locale")),
    ("how many supporters were listed in 2021", Selection(years=("2021",))),
    ("how many supporters were listed between 2020 and 2021", Selection(years=("2020", "2021"))),
    ("how many supporters were listed before 2021", Selection(years=("2019", "2020"))),
    ("how many supporters were listed in march 2021", Selection(years=("2021",), month="2021-03")),
    ("how many germny companies", Selection("private-sector", "Germany")),  # a typo, said back
])
def test_counts_read_their_filters(question: str, selection: Selection):
    query = one(question)
    assert query.kind == "count" and query.selection == selection


@pytest.mark.parametrize(("question", "name", "kind_of_question"), [
    ("Is Microsoft a supporter of the Paris Call?", "Microsoft", "yes_no"),
    ("is the EU a supporter?", "European Union", "yes_no"),
    ("l'UE a-t-elle signé ?", "European Union", "yes_no"),
    ("is the union européenne on the list", "European Union", "yes_no"),
    ("did the US join?", "United States", "yes_no"),
    ("les USA ont signé ?", "United States", "yes_no"),
    ("is the uk a signatory", "United Kingdom", "yes_no"),
    ("is kaspersky on the list", "Kaspersky Lab", "yes_no"),
    ("is Meta a supporter?", "Facebook", "yes_no"),
    ("is APNIC a supporter?", "Asia Pacific Network Information Centre (APNIC)", "yes_no"),
    ("when did Huawei join the Paris Call?", "Huawei", "asks_date"),
    ("depuis quand la France soutient-elle l'appel ?", "France", "asks_date"),
    ("what category is cigref in", "Cigref", "attribute"),
])
def test_one_supporter_is_found_by_its_names(question: str, name: str, kind_of_question: str):
    query = one(question)
    assert query.kind == "entity" and query.subject is not None and query.subject.row is not None
    assert query.subject.row.name == name
    assert query.yes_no == (kind_of_question == "yes_no") and query.asks_date == (kind_of_question == "asks_date")


def test_a_typo_is_matched_and_said_back_an_unknown_name_is_not():
    query = one("is huawai a supporter?")
    assert query.subject.row.name == "Huawei" and query.understood == [("huawai", "Huawei")]
    assert one("is Apple a supporter?").subject.row is None
    assert one("is Tencent a supporter?").subject.row is None


def test_a_country_is_a_subject_or_a_filter_by_context():
    assert one("is india a supporter?").subject.country == "India"
    assert one("is india a supporter?").subject.row is None  # no state row: "not listed as a state"
    assert one("are any indian companies supporters?").kind == "exists"
    assert one("are any indian companies supporters?").selection == Selection("private-sector", "India")


@pytest.mark.parametrize(("history", "question", "kind", "selection", "name"), [
    (["Is Microsoft a supporter?"], "And Google?", "entity", None, "Google"),
    (["Is Microsoft a supporter?"], "et Apple ?", "entity", None, None),
    (["how many companies are in germany?"], "et combien en France ?", "count",
     Selection("private-sector", "France"), None),
    (["how many companies are in germany?"], "and in japan?", "count", Selection("private-sector", "Japan"), None),
    (["how many companies are in germany?"], "which ones?", "list", Selection("private-sector", "Germany"), None),
    (["how many supporters does the paris call have?"], "and how many of those are countries", "count",
     Selection("state"), None),
    (["combien d'etats soutiennent l'appel selon le registre ?"], "et combien dans l'ue ?", "count",
     Selection("state", nature="ue"), None),
    (["Is Huawei a supporter?"], "when did they join?", "entity", None, "Huawei"),
    (["did the us sign at the start?"], "ok so when did they finally join", "entity", None, "United States"),
    (["Is Huawei a supporter?", "and when did it join?"], "what about ZTE?", "entity", None, None),
])
def test_follow_ups_take_what_the_conversation_set(history, question, kind, selection, name):
    query = one(question, history)
    assert query.kind == kind
    if selection is not None:
        assert query.selection == selection
    if kind == "entity":
        assert (query.subject.row.name if query.subject.row else None) == name


def test_clauses_are_answered_each():
    queries = parse("Is Russia listed as a state supporter, and how many Russian entities are in the registry?",
                    "en", registry())
    assert [q.kind for q in queries] == ["entity", "count"] and queries[1].selection == Selection(country="Russia")


NOT_REGISTRY = [
    "why did the US not sign in 2018?",
    "what does principle 3 say?",
    "What is the Paris Call?",
    "How many signatories did the Paris Call have at its launch in November 2018?",
    "How many states had signed the Paris Call at its launch in 2018?",
    "how many countries signed at the start? ictjournal and the fic dont give the same number",
    "how many supporters does the paris call have in 2026",
    "who joined the paris call in 2025",
    "Combien de pays auront signé l'Appel de Paris en 2030 ?",
    "How many employees does the CyberPeace Institute have?",
    "how many signatories does the christchurch call have",
    "how many companies are in the tech accord, 60 or 150?",
    "cigref c'est combien de membres",
    "What did Microsoft say about the Paris Call?",
    "Why did Microsoft refuse to sign the Paris Call?",
    "What commitments did Amazon make when it signed the Paris Call?",
    "Which company co-chaired Paris Call Working Group 6 with Cigref, and under which country is it listed?",
    "is the org leading the public core community of interest on the supporters list",
    "l'asso qui a fait seguros en la red, elle est dans le registre des soutiens ?",
    "How many principles does the Paris Call have?",
    "Quels sont les neuf principes de l'Appel de Paris ?",
    "According to ISD Indonesia's 2020 statement, how many states backed the Paris Call?",
    "Selon l'étude du groupe de travail 3, combien d'États soutenaient l'Appel de Paris en novembre 2021 ?",
    "pourquoi les usa ont rejoint en 2021",
    "what did kamala harris tweet about joining",
    "Is the Paris Call legally binding?",
    "who launched the paris call?",
    "qui a lancé l'appel de paris",
    "ça fait combien de soutiens en tout fin 2021, 1100 ou 1200 ?",
    "when was the paris call signed",  # the Call's own date, not its supporters' listing dates
    "quand l'appel a-t-il été signé ?",
    "how do i join the paris call",  # once "No. how is not found in the supporters registry."
    "how can my company sign up",
    "comment rejoindre l'appel de paris ?",
    "what does the paris call want companies to do",  # once the list of private-sector supporters
    "que demande l'appel aux entreprises ?",
    "how is it joined",
    "is hack back in the paris call",  # once "No. hack is not found in the supporters registry."
    "la paris call interdit le hack back ?",
    "who signed the paris call first",  # once the registry's first ten names, alphabetically
    "who were the first signatories",
    "which countries were the first to sign",
    "qui sont les premiers signataires",
    "quels pays ont signé en premier ?",
    "list the founding supporters",
    "how many supporters in 2021",  # once "53 supporters with a listing date in 2021": a total is asked
    "combien d'etats soutiennent l'appel en 2021",
    "les mairies et collectivites peuvent soutenir l'appel aussi ?",  # once "Non. mairies ... ne figure pas"
    "can a small company join the paris call",
]


@pytest.mark.parametrize("question", NOT_REGISTRY)
def test_questions_about_other_things_go_to_the_passages(question: str):
    assert answer_registry(question, detect_language(question), registry()) is None


@pytest.mark.parametrize(("french", "english"), [
    ("qui soutient l'appel de paris", "who supports the paris call"),
    ("qui a signé l'appel de paris ?", "who signed the paris call?"),
    ("qui soutient l'appel au canada ?", "who supports the call in canada?"),
])
def test_french_who_opening_a_question_asks_for_supporters_as_english_who_does(french: str, english: str):
    assert one(french).kind == one(english).kind == "list"
    assert one(french).selection == one(english).selection


@pytest.mark.parametrize(("history", "question"), [
    (["What did the FIC say about the launch of the Paris Call?", "How many countries had signed according to it?"],
     "And how many private-sector partners?"),
    (["what is the charter of trust?"], "how many companies r in it"),
    (["Which organisation co-chaired Working Group 6 alongside Kaspersky?"],
     "What kind of organisation is it according to the supporters registry, and in which country is it based?"),
    (["who chaired wg3?"], "how many tech companies are in that group"),
])
def test_follow_ups_on_what_sources_say_stay_with_the_sources(history: list[str], question: str):
    assert answer_registry(question, detect_language(question), registry(), history) is None


def test_the_registry_start_is_derived_from_the_rows():
    import csv

    with (REAL_CORPUS / "supporters.csv").open(encoding="utf-8") as handle:
        dates = [row["listed_since"] for row in csv.DictReader(handle) if row["listed_since"]]
    assert registry().earliest == min(dates) and registry().latest == max(dates)


@pytest.mark.parametrize("question", ["when did supporters sign", "quand les signataires ont-ils rejoint l'appel ?",
                                      "when did companies join the call"])
def test_when_supporters_signed_is_the_registrys(question: str):
    queries = parse(question, detect_language(question), registry())
    assert queries and queries[0].kind == "dates"


@pytest.mark.parametrize(("question", "name"), [("is huawei in the paris call", "Huawei"), ("is google in it", "Google"),
                                                ("huawei est dans l'appel ?", "Huawei"),
                                                ("is the us in it now", "United States"),
                                                ("us joined paris call", "United States"),
                                                ("did us sign", "United States"),
                                                ("is the uk in?", "United Kingdom"),
                                                ("is japan in yet", "Japan"),
                                                ("la france est dans l'appel ?", "France")])
def test_a_supporter_in_the_call_is_a_registry_question(question: str, name: str):
    """A supporter or a country named as being "in" the Call, also informally ("is the us in it now": once
    answered from news passages, not the registry)."""
    queries = parse(question, detect_language(question), registry())
    assert queries and queries[0].kind == "entity" and queries[0].subject.row.name == name


def test_us_the_pronoun_is_not_the_united_states():
    for question in ("can you tell us who signed", "let us see the supporters from france"):
        assert not any(getattr(q.subject, "country", None) == "United States" for q in parse(question, "en", registry()) or []
                       if q.subject is not None), question


@pytest.mark.parametrize(("question", "kind"), [("are there any supporters from brazil", "exists"),
                                                ("y a-t-il des soutiens au brésil ?", "exists"),
                                                ("des soutiens au bresil ?", "list")])
def test_supporters_from_a_country_are_a_filter_not_the_country(question: str, kind: str):
    """"are there any supporters from brazil" once answered "No. Brazil is not listed as a state..."."""
    queries = parse(question, detect_language(question), registry())
    assert queries and queries[0].kind == kind and queries[0].selection.country == "Brazil"
    country = parse("did brazil sign", "en", registry())
    assert country and country[0].kind == "entity" and country[0].subject.country == "Brazil"


@pytest.mark.parametrize("question", ["what does france want from the call", "what did germany do for the call",
                                      "qu'est-ce que la france attend de l'appel"])
def test_what_a_supporter_wants_from_the_call_is_for_the_documents(question: str):
    """Once answered with the list of French supporters."""
    assert parse(question, detect_language(question), registry()) is None
