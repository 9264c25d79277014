"""Dates for briefings: the date a sentence states, and what makes a dated sentence a timeline event."""

from __future__ import annotations

import re

from assistant.reading.values import DATE
from index.glossary import MONTHS, fold

PAST = re.compile(r"\b(had\s+(?:not\s+|already\s+|earlier\s+|yet\s+)?(?:been\s+)?\w+(?:ed|en|wn|ne)\b|earlier|"
                  r"previously|avai(?:t|ent)\s+\w+)", re.I)
EVENT = re.compile(r"\b(creat|set up|establish|launch|announc|publish|present|held|adopt|unveil|cré|lanc|annonc|publi|"
                   r"présent|adopt|tenu)", re.I)  # what makes a dated sentence a timeline event


def date_in(text: str, year_of: str | None = None) -> str | None:
    """The most precise date written in the text, as YYYY[-MM[-DD]]; a day and month without a year take
    the year of `year_of` (the date of the source)."""
    found = []
    for match in DATE.finditer(text):
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", match.group(0)):
            found.append(match.group(0))
            continue
        words = fold(match.group(0)).replace(",", " ").replace("1er", "1").split()
        year = next((w for w in words if re.fullmatch(r"\d{4}", w)), (year_of or "")[:4])
        if not year:
            continue
        month = next((MONTHS[w] for w in words if w in MONTHS), None)
        day = next((int(w) for w in words if re.fullmatch(r"\d{1,2}", w)), None)
        found.append(year + (f"-{month:02d}" if month else "") + (f"-{day:02d}" if month and day else ""))
    return max(found, key=len, default=None)

