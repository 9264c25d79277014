"""Counted things: what a "how many X" question counts, the counts a sentence gives ("nine principles",
"81 states"), and whether two nouns name the same thing. Used by the composer (the direct answer to a count,
different figures for the same thing) and by briefings (the figures section)."""

from __future__ import annotations

import re

NUMBER_WORDS = {"one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
                "eight": "8", "nine": "9", "ten": "10", "un": "1", "deux": "2", "trois": "3", "quatre": "4",
                "cinq": "5", "sept": "7", "huit": "8", "neuf": "9", "dix": "10"}
HOW_MANY = re.compile(r"\b(how many|how much|combien|number of|nombre d[e']?)\b\s*(?:of\s+|de\s+|d['’]\s*)?"
                      r"([\wÀ-ÿ-]+)?", re.IGNORECASE)
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


# A count and the words after it, up to the next punctuation, number or "and" ("six Paris Call Working
# Groups", "81 states"): the thing counted is among them.
COUNTED_WORDS = 4
_AHEAD = re.compile(r"\b(\d[\d,. ]*\d|\d|" + "|".join(NUMBER_WORDS)
                    + rf")(?=((?:\s+[^\W\d_][\w'’-]*){{1,{COUNTED_WORDS}}}))", re.IGNORECASE)
_JOINS = frozenset({"and", "or", "et", "ou", "but", "mais", "while"})


def counted(text: str) -> list[tuple[str, list[str]]]:
    """Each count of `text` with the words that follow it, up to punctuation, a number or a joining word."""
    out = []
    for match in _AHEAD.finditer(text):
        words = match.group(2).split()
        cut = next((i for i, w in enumerate(words) if w.lower() in _JOINS), len(words))
        if cut:
            out.append((match.group(1).strip(), words[:cut]))
    return out


def counts_of(text: str, noun: str) -> list[str]:
    """The numbers of `text` that count `noun` (or a listed synonym of it): "81" of "81 states" for "countries"."""
    return [number for number, words in counted(text) if any(same_thing(word, noun) for word in words)]


def asked_count(question: str, text: str) -> str | None:
    """The count a sentence gives of what a "how many X" question counts ("81 states", "six Paris Call Working
    Groups" for "how many working groups"), or None."""
    asked = HOW_MANY.search(question)
    if not asked or not asked.group(2):
        return None
    following = re.findall(r"[\w'’-]+", question[asked.end():])
    for number, words in counted(text):
        for i, word in enumerate(words):
            if same_thing(word, asked.group(2)):
                end = i + 1  # and as far on as the sentence goes on with the question's words ("groups")
                for said, named in zip(words[i + 1:], following, strict=False):
                    if not same_thing(said, named):
                        break
                    end += 1
                return f"{number} {' '.join(words[:end])}"
    return None
