"""Counted things: what a "how many X" question counts, the counts a sentence gives ("nine principles",
"81 states"), and whether two nouns name the same thing. Used by the composer (the direct answer to a count,
different figures for the same thing) and by briefings (the figures section)."""

from __future__ import annotations

import re

NUMBER_WORDS = {"one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
                "eight": "8", "nine": "9", "ten": "10", "un": "1", "deux": "2", "trois": "3", "quatre": "4",
                "cinq": "5", "sept": "7", "huit": "8", "neuf": "9", "dix": "10"}
COUNT = re.compile(r"\b(\d[\d,. ]*\d|\d|" + "|".join(NUMBER_WORDS) + r")\s+(?:[\w'’-]+\s+){0,2}?([\wÀ-ÿ'’-]+)",
                   re.IGNORECASE)
HOW_MANY = re.compile(r"\b(how many|how much|combien|number of|nombre d[e']?)\b\s*(?:of\s+|de\s+|d['’]\s*)?"
                      r"([\wÀ-ÿ-]+)?", re.IGNORECASE)
SYNONYMS = [{"principle", "principles", "point", "points", "principe", "principes", "commitment", "commitments"},
            {"signatory", "signatories", "supporter", "supporters", "signataire", "signataires", "soutien",
             "soutiens", "endorser", "endorsers", "backer", "backers", "entity", "entities", "entite", "entites",
             "entités", "entité", "signer", "signers", "members", "membres"},
            {"state", "states", "country", "countries", "etat", "etats", "état", "états", "pays",
             "government", "governments", "gouvernement", "gouvernements", "nations"},
            {"company", "companies", "entreprise", "entreprises", "firm", "firms", "business", "businesses"}]


def same_thing(noun: str, asked: str) -> bool:
    """Whether a noun names the thing asked about (the same word, singular or plural, or a listed synonym)."""
    noun, asked = noun.lower(), asked.lower()
    if not asked:
        return False
    if noun.rstrip("s") == asked.rstrip("s"):
        return True
    return any(noun in group and asked in group for group in SYNONYMS)


def asked_count(question: str, text: str) -> str | None:
    """The count a sentence gives of what a "how many X" question counts ("81 states"), or None."""
    asked = HOW_MANY.search(question)
    if not asked or not asked.group(2):
        return None
    for number, noun in COUNT.findall(text):
        if same_thing(noun, asked.group(2)):
            return f"{number.strip()} {noun}"
    return None
