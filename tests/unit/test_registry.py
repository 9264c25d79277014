"""Registry answers on the real supporters registry (chunked by the project's chunker, no embedding model):
a table of questions as people ask them, in English and French, whose expected figures, names and dates
are computed here from the CSV itself; the answer contract (cited figures, the asker's language); and the
benchmark's registry questions."""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import pytest

from assistant.answer import Answer
from assistant.language import detect_language
from assistant.registry.answer import Registry, answer_registry
from corpus.readers import read_document
from evals.metrics import facts_match
from evals.questions import load_questions
from index.chunking import chunk_document
from index.glossary import fold
from tests.conftest import REAL_CORPUS

CSV = REAL_CORPUS / "supporters.csv"


@cache
def registry() -> Registry:
    return Registry(chunk_document(read_document(CSV, "supporters.csv")))


@cache
def rows() -> list[dict[str, str]]:
    with CSV.open(encoding="utf-8") as handle:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]


def ask(question: str, history: list[str] | None = None) -> Answer | None:
    language = detect_language(question)
    result = answer_registry(question, language, registry(), history or [])
    return None if result is None else result.answer(question, question, language, [])


def number(n: int, language: str) -> str:
    return f"{n:,}".replace(",", "\u202f" if language == "fr" else ",")


def where(**wanted: str | Callable[[str], bool]) -> Callable[[dict[str, str]], bool]:
    """A row filter: column=value, or column=predicate."""
    def test(row: dict[str, str]) -> bool:
        return all(v(row[k]) if callable(v) else row[k].lower() == v.lower() for k, v in wanted.items())
    return test


def cited_figures(answer: Answer) -> list[int]:
    """The figures the citations quote (a count table quote ends with its figure)."""
    return [int(m.group(1)) for c in answer.citations
            if "name: " not in c.passage and (m := re.search(r"(\d+)(?: rows)?$", c.quote))]


# -- expectations ------------------------------------------------------------------------------------------
@dataclass
class Count:
    match: Callable[[dict[str, str]], bool]
    words: tuple[str, ...] = ()  # words the answer must contain (names in the asker's language)

    def check(self, answer: Answer) -> None:
        n = sum(map(self.match, rows()))
        text = answer.text
        if n == 0:
            assert not answer.citations and re.search(r"\bno\b|\bpas\b", text), text
            return
        assert number(n, answer.language) in text, (n, text)
        figures = cited_figures(answer)
        assert n in figures or sum(f for f in figures if f < n) == n, (n, figures, text)


@dataclass
class Listed(Count):
    def check(self, answer: Answer) -> None:
        super().check(answer)
        names = [r["name"] for r in rows() if self.match(r)]
        shown = [c.passage for c in answer.citations if "name: " in c.passage]
        assert len(shown) == min(len(names), 10 if len(names) > 12 else len(names)), answer.text
        assert {r["name"] for r in answer.registry_rows} == set(names)  # the full list comes with the answer


@dataclass
class Entity:
    name: str | None  # the registry name expected, None when not listed
    words: tuple[str, ...] = ()
    date: bool = False  # the answer gives the listing date (written out)

    def check(self, answer: Answer) -> None:
        text = answer.text
        if self.name is None:
            assert re.match(r"(No|Non)\b", text) and "[1]" not in text.split(".")[0], text
            return
        row = next(r for r in rows() if r["name"] == self.name)
        assert any(f"name: {self.name};" in c.quote for c in answer.citations), text
        if not self.date:
            assert re.match(r"(Yes|Oui)\b", text) or "listed in" in text or "figure" in text, text
        year, month, day = row["listed_since"].split("-")
        assert re.search(rf"\b{int(day)}(er)? \w+ {year}\b", text), (row["listed_since"], text)
        if self.date:
            earliest = min(r["listed_since"] for r in rows())
            assert ("registry's history starts" in text or "historique du registre" in text), text
            assert (row["listed_since"] == earliest) == ("on or before" in text or "ou d'avant" in text), text
        for word in self.words:
            assert word.lower() in text.lower(), (word, text)


@dataclass
class Top:
    column: str
    match: Callable[[dict[str, str]], bool]
    words: tuple[str, ...]  # the first names in the asker's language

    def check(self, answer: Answer) -> None:
        counts = Counter(r[self.column] for r in rows() if self.match(r) and r[self.column])
        for (value, n), word in zip(counts.most_common(3), self.words, strict=False):
            assert f"{word} {number(n, answer.language)}" in answer.text, (value, n, answer.text)


@dataclass
class Regional(Listed):
    """Supporters of a world region: no count table states the figure, so the answer gives it with the
    rows themselves (all when few, the first ten and the full list otherwise) and says what a region is."""

    def check(self, answer: Answer) -> None:
        n = sum(map(self.match, rows()))
        assert number(n, answer.language) in answer.text, (n, answer.text)
        names = [r["name"] for r in rows() if self.match(r)]
        shown = [c.passage for c in answer.citations if "name: " in c.passage]
        assert len(shown) == min(len(names), 10 if len(names) > 12 else len(names)), answer.text
        assert {r["name"] for r in answer.registry_rows} == set(names)


def in_un_region(*path: str) -> Callable[[str], bool]:
    """A country-code test for a UN geographic region, read from `countrygroups` here, with the registry's
    older codes for Romania, Serbia and Montenegro written out (the answers place them by name)."""
    import countrygroups

    group = countrygroups.UNSTATS_GEOGRAPHICAL_REGIONS
    for part in path:
        group = getattr(group, part)
    old = {"ROM": "ROU", "SCG": "SRB", "MTG": "MNE"}
    return lambda code: old.get(code, code) in group


US, DE = "United States", "Germany"
CASES: list[tuple[str, list[str], object]] = [
    # counts, English
    ("How many states support the Paris Call?", [], Count(where(category="state"))),
    ("how many countries are on the list? just states", [], Count(where(category="state"))),
    ("how many countries r on the supporters list lol", [], Count(where(category="state"))),
    ("How many private-sector entities are listed as supporters of the Paris Call?", [],
     Count(where(category="private-sector"))),
    ("how many companies signed the paris call", [], Count(where(category="private-sector"))),
    ("how many NGOs back the call", [], Count(where(category="civil-society"))),
    ("How many civil-society organisations are listed in the Paris Call supporters registry?", [],
     Count(where(category="civil-society"))),
    ("how many public authorities are listed", [], Count(where(category="public-authority"))),
    ("How many entries does the Paris Call supporters registry contain in total?", [], Count(lambda r: True)),
    ("how many supporters are there", [], Count(lambda r: True)),
    ("how many canadian organisations back the paris call", [], Count(where(country="Canada"))),
    ("how many japanese companies support the paris call", [],
     Count(where(country="Japan", category="private-sector"))),
    ("how many german companies signed", [], Count(where(country=DE, category="private-sector"))),
    ("How many supporters in the registry are based in the United States?", [], Count(where(country=US))),
    ("how many us supporters", [], Count(where(country=US))),
    ("how many uk supporters", [], Count(where(country="United Kingdom"))),
    ("How many entries in the supporters registry have no category?", [], Count(where(category=""))),
    ("how many supporters have no country", [], Count(where(country=""))),
    ("How many of the state supporters are marked as EU member states (nature 'UE') in the registry?", [],
     Count(where(category="state", nature="UE"))),
    ("how many supporters got added in 2020", [], Count(where(listed_since=lambda d: d.startswith("2020")))),
    ("how many supporters were added after 2020", [], Count(where(listed_since=lambda d: d[:4] > "2020"))),
    ("how many swiss ngos", [], Count(where(country="Switzerland", category="civil-society"))),
    ("how many universities support the call", [], Count(where(nature="université"))),
    ("how many think tanks are supporters", [], Count(where(nature="think tank"))),
    ("how many iranian supporters", [], Count(where(country="Iran"))),
    ("how many states joined in 2022", [],
     Count(where(category="state", listed_since=lambda d: d.startswith("2022")))),
    ("how many private sector supporters from germany", [], Count(where(country=DE, category="private-sector"))),
    # counts, French
    ("Combien d'autorités publiques figurent dans le registre des soutiens de l'Appel de Paris ?", [],
     Count(where(category="public-authority"), ("autorités publiques",))),
    ("Combien d'entités japonaises du secteur privé soutiennent l'Appel de Paris ?", [],
     Count(where(country="Japan", category="private-sector"), ("Japon", "secteur privé"))),
    ("Combien d'entreprises et organisations françaises du secteur privé figurent parmi les soutiens de l'Appel ?",
     [], Count(where(country="France", category="private-sector"))),
    ("Combien d'entités chinoises figurent dans le registre des soutiens de l'Appel de Paris ?", [],
     Count(where(country="China"), ("Chine",))),
    ("Combien d'organisations de la société civile nigérianes soutiennent l'Appel de Paris ?", [],
     Count(where(country="Nigeria", category="civil-society"))),
    ("Combien de collectivités locales (nature « Collectivité locale ») figurent dans le registre ?", [],
     Count(where(nature="Collectivité locale"))),
    ("Combien d'entrées du registre ont une date « listed_since » en 2021 ?", [],
     Count(where(listed_since=lambda d: d.startswith("2021")))),
    ("combien de soutiens indiens", [], Count(where(country="India"), ("Inde",))),
    ("y a combien de soutiens canadiens", [], Count(where(country="Canada"), ("Canada",))),
    ("combien d'etats ajoutés au registre depuis 2020", [],
     Count(where(category="state", listed_since=lambda d: d[:4] >= "2020"))),
    ("combien d'orgas de la societe civile francaises", [], Count(where(country="France", category="civil-society"))),
    ("combien de pays soutiennent l'appel de paris", [], Count(where(category="state"), ("États",))),
    ("combien d'entreprises allemandes ont signé", [],
     Count(where(country=DE, category="private-sector"), ("Allemagne",))),
    ("combien de soutiens n'ont pas de pays ?", [], Count(where(country=""), ("sans pays",))),
    ("combien de think tanks soutiennent l'appel", [], Count(where(nature="think tank"))),
    ("combien de membres compte l'appel de paris ?", [], Count(lambda r: True)),
    # one supporter, English
    ("Is Microsoft a supporter of the Paris Call?", [], Entity("Microsoft", ("Yes", "private-sector"))),
    ("is google on the list", [], Entity("Google", ("Yes",))),
    ("Is Apple listed among the supporters of the Paris Call?", [], Entity(None)),
    ("does amazon support the paris call?", [], Entity(None)),
    ("is the eu a supporter", [], Entity("European Union", ("Yes", "public authority", "no country"))),
    ("Is Huawei a supporter of the Paris Call, and under which country is it listed?", [],
     Entity("Huawei", ("Yes", "China"))),
    ("Is Kaspersky a supporter of the Paris Call, and in which category is it listed?", [],
     Entity("Kaspersky Lab", ("Yes", "private-sector"))),
    ("is microsft a supporter", [], Entity("Microsoft", ("as Microsoft",))),
    ("cyber peace institute on the list?", [], Entity("CyberPeace Institute", ("Switzerland",))),
    ("has the us signed the paris call", [], Entity(US, ("Yes", "as a state"))),
    ("is India listed as a state supporter?", [], Count(where(country="India"), ("No", "not listed as a state"))),
    ("is iran a supporter", [], Entity(None, ("Iran",))),
    ("When was INTERPOL first listed as a supporter of the Paris Call?", [], Entity("INTERPOL", date=True)),
    ("When was the United States first listed in the Paris Call supporters registry?", [], Entity(US, date=True)),
    ("when did the eu sign on", [], Entity("European Union", date=True)),
    ("what category is huawei in", [], Entity("Huawei", ("private-sector",))),
    ("lenovo on the list? since when", [], Entity("Lenovo", ("Yes",), date=True)),
    # one supporter, French
    ("L'Union européenne figure-t-elle dans le registre des soutiens, et dans quelle catégorie ?", [],
     Entity("European Union", ("Oui", "autorité publique", "sans pays"))),
    ("La Chine fait-elle partie des États soutiens de l'Appel de Paris ?", [],
     Count(where(country="China"), ("Non", "Chine"))),
    ("Quand le Bénin a-t-il été listé pour la première fois dans le registre des soutiens ?", [],
     Entity("Benin", ("Bénin",), date=True)),
    ("Dans quelle catégorie le CyberPeace Institute est-il classé dans le registre, et depuis quand y figure-t-il ?",
     [], Entity("CyberPeace Institute", ("société civile", "Suisse"), date=True)),
    ("les etats unis ont fini par signer ou pas ?", [], Entity(US, ("Oui", "Les États-Unis figurent"))),
    ("israel est dans la liste ?", [], Entity(None, ("Israël",))),
    ("est-ce que google soutient l'appel de paris ?", [], Entity("Google", ("Oui", "secteur privé", "États-Unis"))),
    # lists
    ("Which states were added to the Paris Call supporters registry in 2022?", [],
     Listed(where(category="state", listed_since=lambda d: d.startswith("2022")))),
    ("Quels États fédérés américains figurent dans le registre des soutiens de l'Appel de Paris ?", [],
     Listed(where(country=US, nature="Etat fédéré"))),
    ("which chinese companies support the call", [], Listed(where(country="China", category="private-sector"))),
    ("quelles entreprises chinoises soutiennent l'appel ?", [],
     Listed(where(country="China", category="private-sector"), ("Chine",))),
    ("Which Japanese supporters are in the registry?", [], Listed(where(country="Japan"))),
    ("who are the supporters from luxembourg", [], Listed(where(country="Luxembourg"))),
    ("list the french think tanks", [], Listed(where(country="France", nature="think tank"))),
    ("how many companies joined in 2021, and which ones?", [],
     Listed(where(category="private-sector", listed_since=lambda d: d.startswith("2021")))),
    ("combien d'États ont rejoint depuis 2020 et lesquels ?", [],
     Listed(where(category="state", listed_since=lambda d: d[:4] >= "2020"), ("Bénin",))),
    # world regions and groups of states
    ("any african countries signed?", [], Regional(where(category="state", country_code=in_un_region("AFRICA")))),
    ("combien de pays africains soutiennent l'appel", [],
     Regional(where(category="state", country_code=in_un_region("AFRICA")), ("Afrique",))),
    ("how many european countries support the paris call", [],
     Regional(where(category="state", country_code=in_un_region("EUROPE")))),  # Romania, written ROM
    ("les pays d'amerique latine qui soutiennent l'appel", [],
     Regional(where(category="state", country_code=in_un_region("AMERICAS", "LATIN_AMERICA_AND_THE_CARIBBEAN")),
              ("Mexique",))),
    ("how many asian companies support the call", [],
     Regional(where(category="private-sector", country_code=in_un_region("ASIA")), ("UN Statistics",))),
    ("which g7 countries signed", [],
     Regional(where(category="state", country=lambda c: c in {"Canada", "France", DE, "Italy", "Japan",
                                                              "United Kingdom", US}))),
    ("and in africa?", ["how many companies are there in germany?"],
     Regional(where(category="private-sector", country_code=in_un_region("AFRICA")))),
    # where most
    ("which country has the most supporters", [], Top("country", lambda r: True, ("United States", "France", "India"))),
    ("quel pays compte le plus de soutiens ?", [], Top("country", lambda r: True, ("États-Unis", "France", "Inde"))),
    ("which country has the most companies", [],
     Top("country", where(category="private-sector"), ("United States", "France", "Germany"))),
    # follow-ups
    ("And Google?", ["Is Microsoft a supporter?"], Entity("Google", ("Yes",))),
    ("et combien en France ?", ["how many companies are there in germany?"],
     Count(where(country="France", category="private-sector"), ("France",))),
    ("and how many of those are countries", ["how many supporters does the paris call have?"],
     Count(where(category="state"))),
    ("et combien dans l'ue ?", ["combien d'etats soutiennent l'appel selon le registre ?"],
     Count(where(category="state", nature="UE"))),
    ("when did they join?", ["Is Huawei a supporter?"], Entity("Huawei", date=True)),
    ("ok so when did they finally join", ["did the us sign at the start?"], Entity(US, date=True)),
    ("which ones?", ["how many chinese companies support the call?"],
     Listed(where(country="China", category="private-sector"))),
    ("and in which country is it based?", ["Is Microsoft a supporter?"], Entity("Microsoft", ("United States",))),
    ("what about japan?", ["how many companies are there in germany?"],
     Count(where(country="Japan", category="private-sector"))),
]


def test_the_table_has_at_least_sixty_questions_in_both_languages():
    languages = Counter(detect_language(q) for q, _, _ in CASES)
    assert len(CASES) >= 60 and languages["fr"] >= 20 and languages["en"] >= 30


@pytest.mark.parametrize(("question", "history", "expected"), CASES, ids=[q[:60] for q, _, _ in CASES])
def test_registry_questions(question: str, history: list[str], expected):
    answer = ask(question, history)
    assert answer is not None, "routed to passage retrieval"
    expected.check(answer)
    for word in getattr(expected, "words", ()):
        assert word.lower() in answer.text.lower(), (word, answer.text)
    for citation in answer.citations:
        assert citation.passage[citation.start:citation.end] == citation.quote
        assert citation.doc_id == "supporters.csv"
    assert not re.search(r"(from|de|in|en) \?|\(\?|, \?", answer.text)  # an empty value is said plainly
    _check_language(answer)


ENGLISH_ONLY = re.compile(r"private[- ]sector|civil[- ]society|public authorit|based in|listed since|"
                          r"supporters registry|no country|\bstate\b|registry's|\(company\)")
FRENCH_ONLY = re.compile(r"secteur privé|société civile|autorités? publiques?|registre|\(entreprise\)|États-Unis")


def _check_language(answer: Answer) -> None:
    """No untranslated category, nature or country: names of supporters aside (bullets' names are removed)."""
    text = re.sub(r"(?m)^- .*? \(", "- (", answer.text)
    text = re.sub(r"“[^”]*”|«[^»]*»", "", text)  # what the asker typed, echoed back
    if answer.language == "fr":
        assert not ENGLISH_ONLY.search(text), text
    else:
        assert not FRENCH_ONLY.search(text), text


@pytest.mark.parametrize("question", ["is any country from the middle east a supporter",
                                      "quels pays du golfe soutiennent l'appel ?", "any nordic companies?"])
def test_a_region_without_a_standard_membership_is_left_to_the_documents(question: str):
    """Not "No, the Gulf is not in the registry", nor a guessed list of its states."""
    assert ask(question) is None


def test_every_registry_question_of_the_benchmark():
    """The benchmark's registry questions (both splits) through the registry answers; the chain adds
    nothing to them but the closest passages offered when no row is cited."""
    questions = [q for q in load_questions() if q.type == "registry"]
    answers = {q.id: ask(q.question, q.history) for q in questions}
    routed = [q.id for q in questions if answers[q.id] is None]
    correct = [q.id for q in questions if answers[q.id] is not None
               and facts_match(answers[q.id].text, q.key_facts, q.must_not)]
    assert not routed  # none falls through to passage retrieval
    assert len(correct) / len(questions) >= 0.95, (set(answers) - set(correct), routed)


@pytest.mark.parametrize("question", [
    "did access now think civil society should just sign and then step back?",  # a view, not a row
    "what does kaspersky believe the call will change",
    "que pense microsoft de l'appel",
    "comment la gcsc compte soutenir l'appel maintenant qu'elle l'a signé",  # how it acts
    "how does microsoft support the call",
    "tous les pays de l'ue avaient signé dès le lancement ?",  # before the registry's history
    "did china sign right away",
])
def test_views_ways_and_the_launch_are_left_to_the_documents(question: str):
    assert ask(question) is None


@pytest.mark.parametrize(("question", "name"), [("did hp enterprise back the call?", "HPE"),
                                                ("how many french think tanks", None),
                                                ("how long has microsoft been a supporter", "Microsoft")])
def test_what_the_blockers_leave_to_the_registry(question: str, name: str | None):
    answer = ask(question)
    assert answer is not None and (name is None or name in answer.text)


def test_other_benchmark_questions_taken_by_the_registry_are_answered_right():
    """A question of another type that the registry answers must be answered right (no false routing:
    "who pays for the paris call" is not a list of countries)."""
    taken = {q.id: (q, answer) for q in load_questions() if q.type != "registry"
             and (answer := ask(q.question, q.history)) is not None}
    wrong = [i for i, (q, answer) in taken.items()
             if not (q.answerable and facts_match(answer.text, q.key_facts, q.must_not))]
    assert not wrong, [(i, taken[i][1].text[:120]) for i in wrong]


def test_a_joining_date_question_asks_the_documents_too():
    result = answer_registry("when did huawei join the paris call?", "en", registry())
    assert result is not None and result.documents_query == "When did Huawei join the Paris Call?"
    assert answer_registry("is huawei a supporter?", "en", registry()).documents_query is None


def test_a_question_mixing_the_launch_and_now_gets_the_registry_part_only_on_request():
    from assistant.registry.answer import answer_registry_part

    question = "how many states signed at launch, and how many now?"
    assert answer_registry(question, "en", registry()) is None  # the launch figure is the documents' to give
    part = answer_registry_part(question, "en", registry())
    assert part is not None and part.documents_query == question
    answer = part.answer(question, question, "en", [])
    states = sum(r["category"] == "state" for r in rows())
    assert answer.text.startswith("Today, according to the supporters registry:") and str(states) in answer.text
    assert answer_registry_part("how many states signed at launch?", "en", registry()) is None


def test_a_supporter_named_like_a_common_word_is_that_word_when_typed_in_lower_case():
    """CREATE and ARM are supporters; "create" and "arm", as the documents mostly write them, are words."""
    from index.chunking import Chunk

    prose = Chunk("note.md#0", "note.md", "To create norms, states must create trust and arm no one. "
                  "Efforts create value; we create, they create.", 0, 90, {"kind": "prose"})
    with_prose = Registry([*(r.chunk for r in registry().rows), *registry().counts, prose])
    assert with_prose.common_words >= {"create"} and "microsoft" not in with_prose.common_words
    question = "does signing the paris call create legal obligations"
    assert answer_registry(question, "en", with_prose) is None  # a question for the documents
    created = answer_registry(question, "en", registry())  # without the documents, the word is the name
    assert created is not None and "CREATE" in created.answer(question, question, "en", []).text
    answer = answer_registry("is CREATE a supporter", "en", with_prose).answer("q", "q", "en", [])
    assert answer.text.startswith("Yes") and "CREATE" in answer.text


def quoted(text: str) -> tuple[list, list]:
    """One document claim quoting the whole of a one-sentence passage, as the reader drafts it."""
    from assistant.answer import Passage
    from assistant.verify import Claim

    passage = Passage(rank=1, chunk_id="news/wg4#0", doc_id="news/wg4", title="WG4", text=text)
    return [Claim(text, [0], {0: (0, len(text))})], [passage]


@pytest.mark.parametrize("question, language, start", [
    ("Which co-chair of Working Group 4 is listed in the supporters registry as a Finnish company?", "en",
     "Today, according to the supporters registry:"),
    ("parmi les copresidents du gt4, lequel est dans le registre comme entreprise finlandaise ?", "fr",
     "Aujourd'hui, d'après le registre des soutiens :"),
])
def test_a_question_naming_the_registry_gets_the_entries_of_the_supporters_its_answer_names(question, language,
                                                                                           start):
    from assistant.registry.answer import with_listings
    from assistant.verify import verify

    claims, passages = quoted("Microsoft, F-Secure and the University of Florence co-chaired Working Group 4.")
    out, cited = with_listings(question, language, registry(), claims, passages)
    assert out[0] is claims[0] and cited[0] is passages[0]  # the documents' answer first, its indices unchanged
    verified = verify(out, cited)
    entries = {r["name"]: r for r in rows()}
    finland = "Finland" if language == "en" else "Finlande"
    assert start in verified.text and "F-Secure" in verified.text and finland in verified.text
    quotes = [c.quote for c in verified.citations[1:]]
    assert len(quotes) == 2 and all("name: " in q for q in quotes)  # each entry quoted from its row, two at most
    assert entries["F-Secure"]["country"] == "Finland"


def test_listings_are_added_only_when_the_registry_is_named_and_a_supporter_found():
    from assistant.registry.answer import with_listings

    claims, passages = quoted("Microsoft, F-Secure and the University of Florence co-chaired Working Group 4.")
    assert with_listings("who co-chaired wg4?", "en", registry(), claims, passages) == (claims, passages)
    nobody, where = quoted("The working group met six times in 2021.")
    assert with_listings("who in wg4 is in the registry?", "en", registry(), nobody, where) == (nobody, where)
    # a supporter the question names counts too, and comes first
    out, _ = with_listings("is the Linux Foundation in the registry, and who chaired wg4?", "en", registry(),
                           claims, passages)
    assert "The Linux Foundation" in out[2].text and "Microsoft" in out[3].text and len(out) == 4


@pytest.mark.parametrize("question, names", [
    ("is it in the supporters registry?", True), ("dans quelle catégorie figure-t-elle dans le registre ?", True),
    ("is the org on the supporters list", True), ("est-il bien listé ?", True), ("les entreprises listées", True),
    ("donne moi la liste des principes", False), ("quelle est la liste des 9 principes", False),
    ("who supports the call?", False), ("which companies signed it", False),
])
def test_only_the_registry_named_asks_for_its_part(question: str, names: bool):
    from assistant.registry.answer import NAMES_REGISTRY

    assert bool(NAMES_REGISTRY.search(fold(question))) is names
