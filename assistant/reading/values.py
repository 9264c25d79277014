"""Values in text: dates, and counted things: the numbers of a sentence that can be counts (not a date's, not
a name's: "Working Group 4"), what they count ("nine principles", "81 states"), what a "how many X" question
counts, and whether two nouns name the same thing; and the new values of the asked type a sentence gives
(`new_values`, `is_new_name`). Used by the reader's features (a sentence holding a date or a number, a new
value), the composer (the direct answer to a count, different figures for the same thing, a new name) and
briefings (the timeline, the figures section)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from assistant.answer import Passage
from assistant.reading.annotations import Annotations
from assistant.reading.questions import Question
from index.countries import is_demonym
from index.glossary import fold
from index.lexical import tokenize

MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|december|"
          "janvier|fevrier|février|mars|avril|mai|juin|juillet|aout|août|septembre|octobre|novembre|decembre|"
          "décembre")
DATE = re.compile(rf"\b(?:\d{{1,2}}(?:er)?\s+(?:{MONTHS})\s+\d{{4}}|(?:{MONTHS})\s+\d{{1,2}},?\s+\d{{4}}|"
                  rf"\d{{4}}-\d{{2}}-\d{{2}}|(?:{MONTHS})\s+\d{{4}}|\d{{1,2}}(?:er)?\s+(?:{MONTHS})|(?:19|20)\d{{2}})\b",
                  re.IGNORECASE)
NUMBER = re.compile(r"\b\d[\d,. ]*\d\b|\b\d\b|\b(two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
                    r"dozens?|hundreds?|thousands?|deux|trois|quatre|cinq|sept|huit|neuf|dix|douze|"
                    r"centaines?|milliers?)\b", re.IGNORECASE)  # "one", "un", "une" are mostly articles
# The word before a number that names a thing ("Working Group 4", "principe 3", "WG 6"), not a count of it.
LABEL = re.compile(r"\b(?:groups?|groupes?|principles?|principes?|wg|gt|g|articles?|points?|pages?|chapters?|"
                   r"chapitres?|sections?)\s*[#n°.]*\s*$", re.IGNORECASE)

NUMBER_WORDS = {"two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
                "eight": "8", "nine": "9", "ten": "10", "deux": "2", "trois": "3", "quatre": "4",
                "cinq": "5", "sept": "7", "huit": "8", "neuf": "9", "dix": "10"}
HOW_MANY = re.compile(r"\b(how many|how much|combien|number of|nombre d[e']?)\b\s*(?:of\s+|de\s+|d['’]\s*)?"
                      r"(?:(?:the|these|those|les|des|ces)\s+)?([\wÀ-ÿ-]+)?", re.IGNORECASE)
# Words after "how many" that are no counted thing: "how many are there", "combien a coûté", "il y en a combien".
_NOT_COUNTED = frozenset({"are", "is", "were", "was", "do", "does", "did", "have", "has", "had", "there", "will",
                          "would", "can", "y", "il", "ils", "elles", "en", "sont", "a", "ont", "est", "ca", "ça",
                          "ce", "cela", "le", "la", "l"})
# What "il y en a combien" or "how many are there" counts: named earlier, after its determiner, the first word
# of a French noun phrase ("c'est quoi les groupes de travail, il y en a combien"), the last of an English one
# ("the paris call working groups of 2020, how many are there").
_REFERENT = re.compile(r"\b(?:(les|des|ces)\s+([\wÀ-ÿ-]+)|(?:the|these|those)\s+((?:[\w-]+\s+){0,3}?[\w-]+)"
                       r"(?=\s*(?:[,?]|$|\b(?:of|in|for|at|from|that|which|did|does|do|are|is|were|was|have|has|how)\b)))",
                       re.IGNORECASE)
_BACK_REFERENCE = re.compile(r"\ben\b[^,.?]*\bcombien\b|\bcombien\b[^,.?]*\ben\b|\bhow many (are there|of them)\b",
                             re.IGNORECASE)
SYNONYMS = [{"principle", "principles", "point", "points", "principe", "principes", "commitment", "commitments"},
            {"signatory", "signatories", "supporter", "supporters", "signataire", "signataires", "soutien",
             "soutiens", "endorser", "endorsers", "backer", "backers", "entity", "entities", "entite", "entites",
             "entités", "entité", "signer", "signers", "members", "membres"},
            {"state", "states", "country", "countries", "etat", "etats", "état", "états", "pays",
             "government", "governments", "gouvernement", "gouvernements", "nations"},
            {"company", "companies", "entreprise", "entreprises", "firm", "firms", "business", "businesses"},
            {"group", "groups", "groupe", "groupes"}]


def same_thing(noun: str, asked: str) -> bool:
    """Whether a noun names the thing asked about (the same word, singular or plural, or a listed synonym)."""
    noun, asked = noun.lower(), asked.lower()
    if not asked:
        return False
    if noun.rstrip("s") == asked.rstrip("s"):
        return True
    return any(noun in group and asked in group for group in SYNONYMS)


def counts(text: str) -> Iterator[re.Match[str]]:
    """The numbers of a sentence that can be counts: NUMBER matches with a digit or number word outside its dates
    and not the number of a name ("Working Group 4", "Principle 3", "WG 6")."""
    dated = {i for m in DATE.finditer(text) for i in range(*m.span())}
    for m in NUMBER.finditer(text):
        if LABEL.search(text[max(0, m.start() - 12):m.start()]):
            continue
        if m.group(1) or any(ch.isdigit() and i not in dated for i, ch in enumerate(m.group(0), start=m.start())):
            yield m


# The thing a count counts is among the words after it, up to the next punctuation, number or joining word
# ("six Paris Call Working Groups", "81 states").
COUNTED_WORDS = 4
_FOLLOWING = re.compile(rf"(?:\s+[^\W\d_][\w'’-]*){{1,{COUNTED_WORDS}}}")
_JOINS = frozenset({"and", "or", "et", "ou", "but", "mais", "while"})
# An auxiliary or modal verb ends the words a count may be of: "the two will co-chair Working Group 6" counts no
# groups ("the six working groups were tasked" still counts six, the noun before the verb).
_VERBS = frozenset({"will", "would", "shall", "should", "can", "could", "may", "might", "must", "is", "are", "was",
                    "were", "has", "have", "had", "do", "does", "did", "est", "sont", "etait", "était", "etaient",
                    "étaient", "sera", "seront", "a", "ont", "avait", "avaient", "va", "vont", "peut", "peuvent",
                    "doit", "doivent"})
_ENDS = _JOINS | _VERBS  # what ends the words a count may be of


def counted(text: str) -> list[tuple[str, list[str]]]:
    """Each count of `text` (see `counts`) with the words that follow it, up to punctuation, a number, a
    joining word or an auxiliary verb."""
    out = []
    for match in counts(text):
        following = _FOLLOWING.match(text, match.end())
        words = following.group(0).split() if following else []
        cut = next((i for i, w in enumerate(words) if w.lower() in _ENDS), len(words))
        if cut:
            out.append((match.group(0).strip(), words[:cut]))
    return out


def counts_of(text: str, noun: str) -> list[str]:
    """The numbers of `text` that count `noun` (or a listed synonym of it): "81" of "81 states" for "countries"."""
    return [number for number, words in counted(text) if any(same_thing(word, noun) for word in words)]


def counted_noun(question: str) -> tuple[str, str] | None:
    """What a "how many X" question counts, X, and the question's words after it (which may go on naming it:
    "working *groups*"); None when it names nothing counted ("how much does it cost")."""
    asked = HOW_MANY.search(question)
    if asked is None:
        return None
    noun = asked.group(2)
    if noun and noun.lower() not in _NOT_COUNTED:
        return noun, question[asked.end():]
    if _BACK_REFERENCE.search(question):
        referent = _REFERENT.search(question, 0, asked.start())
        if referent and referent.group(2):  # French: the noun first, what names it further after it
            return referent.group(2), question[referent.end():asked.start()]
        if referent:
            return referent.group(3).split()[-1], question[referent.end():asked.start()]
    return None


def asked_count(question: str, text: str) -> str | None:
    """The count a sentence gives of what a "how many X" question counts ("81 states", "six Paris Call Working
    Groups" for "how many working groups"), or None."""
    asked = counted_noun(question)
    if asked is None:
        return None
    noun, after = asked
    following = re.findall(r"[\w'’-]+", after)
    for number, words in counted(text):
        for i, word in enumerate(words):
            if same_thing(word, noun):
                end = i + 1  # and as far on as the sentence goes on with the question's words ("groups")
                for said, named in zip(words[i + 1:], following, strict=False):
                    if not same_thing(said, named):
                        break
                    end += 1
                return f"{number} {' '.join(words[:end])}"
    return None


# Common nouns prose capitalises ("cooperation between States", "security in Cyberspace", "le chef de l'État"),
# which the tagger takes for places, or persons: they name no one and no place.
CAPITALISED_NOUNS = frozenset({"states", "member states", "nations", "parties", "etats", "etats membres", "state",
                               "etat", "cyberspace", "cyberespace", "internet"})


def new_values(question: Question, text: str, passage: Passage, start: int, end: int,
               annotations: Annotations) -> set[str]:
    """The values of the asked type a sentence holds that the question does not already contain, each as the
    words that identify it: a date's year ("2018"), a count's digits, a name's last word ("macron" of
    "President Emmanuel Macron", of "Macron's"), of the names that are new (`is_new_name`)."""
    kind, asked = question.kind, question.text.lower()
    if kind in ("date", "number"):
        found = (m.group(0) for m in (DATE.finditer(text) if kind == "date" else counts(text)))
        found = [v for v in found if v.lower() not in asked]
        if kind == "date":
            return {year for v in found for year in re.findall(r"\d{4}", v)} or {v.lower() for v in found}
        return {re.sub(r"\D", "", v) or v.lower() for v in found}
    if kind in ("person", "organisation", "place"):
        names = (passage.text[s:e] for s, e in annotations.spans_between(passage.chunk_id, passage.text, start, end,
                                                                          kind))
        return {words[-1] for name in names if is_new_name(name, question)
                for words in [re.findall(r"\w{2,}", re.sub(r"['’]s?$", "", name).lower())] if words}
    return set()


def is_new_name(name: str, question: Question) -> bool:
    """Whether a name of the asked kind answers the question with something it does not already say. Not when
    it is the question's own subject: it holds a word of the question or of its glossary translation ("who did
    harris meet": not "Kamala Harris"; "the Paris Call for Trust and Security", tagged a place, under "l'appel a
    été lancé où"; "Centres de Transparence" under "où se trouve le centre de transparence"), except for the place
    a name of the collection holds ("Paris" answers "where was the paris call launched"). Not, asked for a
    person, a name with a digit (the tagger's "WG6"); nor, asked for a place, a nationality ("French": the
    tagger's nationalities count as places, but "French" answers no "where"). Nor, asked for anyone or anything,
    a common noun prose capitalises ("in collaboration with States"; "Cyberspace is run and managed by…", tagged
    a person, under "who runs the working groups": `CAPITALISED_NOUNS`)."""
    if fold(name) in question.unplaced or question.subject & set(tokenize(name)) or fold(name) in CAPITALISED_NOUNS:
        return False
    if question.kind == "person":
        return not any(ch.isdigit() for ch in name)
    return question.kind != "place" or not is_demonym(name)
