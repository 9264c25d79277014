"""Checkable claims that the supporters registry contradicts: the answer says the sources differ.

A drafted claim (or the passage sentence it quotes) that says who signed or joined the Call, and when —
"China signed the Paris Call in 2019", "The Call was signed by Russia", "Microsoft joined the Call in 2021",
"la Chine a signé l'Appel en 2019" — is checked against the registry rows:
- a country named as a signatory must have a state row (the registry lists companies from China, no state);
- a year of joining must agree with the row's `listed_since`. The registry's first date (most rows)
  means "listed on or before that day", so an earlier year agrees with it; so does the same year.
A contradicted claim is replaced by "The sources differ on this:", the registry's figure first, then the
passage's claim, each cited. Negated, hedged or reported-as-wish sentences ("did not sign", "urged China to
sign") and names that are neither a country nor a registry entry (a person, an unknown group) are left alone.

Call after composition, before verification:
    turn.claims, turn.passages = check(turn.standalone, turn.language, turn.claims, turn.passages, registry,
                                       weights)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from assistant.answer import Passage, passage_index
from assistant.prompts import CONTRADICTED, DISAGREEMENT
from assistant.support import TermWeights
from assistant.verify import Claim, verify
from corpus.guard import fold
from index.countries import COUNTRY_LIST

YEAR = r"((?:19|20)\d\d)"
NAME = r"((?:[A-ZÀ-Ý][\w'’.&-]*|[a-z]{1,3}[A-Z][\w'’.-]*)(?:\s+(?:of|and|for|de|du|des|la|le)?\s*[A-ZÀ-Ý][\w'’.&-]*)*)"
CALL = r"(?:the\s+|l['’]\s*)?(?:[A-Z]\w+\s+)?(?:Call|Appel)\b(?:\s+(?:de|of)\s+Paris)?"
WHEN = rf"(?:[^.;]{{0,40}}?\b(?:in|on|since|en|le|depuis)\s+(?:[\w.]+\s+){{0,2}}?{YEAR}\b)?"
ARTICLE = r"(?:(?:the|la|le|les|l['’])\s*)?"
EN_VERB = (r"(?:(?:has|had|have|also|formally|officially|finally|then|later|eventually)\s+)*(?:signed(?:\s+up\s+"
           r"(?:to|for))?|joined|endorsed|backed|adhered\s+to|became\s+(?:a\s+|an\s+|the\s+)?(?:\w+\s+)?"
           r"(?:signatory|supporter|member|sponsor)\s+(?:of|to)|announced\s+(?:its|their)\s+support\s+(?:for|to))")
FR_VERB = (r"(?:a|ont|avait|avaient)\s+(?:(?:officiellement|également|aussi|finalement|formellement)\s+)*"
           r"(?:signé|rejoint|soutenu|endossé|adhéré\s+à)")
CLAIMS = [re.compile(p) for p in (
    rf"{ARTICLE}{NAME}\s+(?:{EN_VERB}|{FR_VERB})\s+{CALL}{WHEN}",
    rf"{CALL}(?:\s+for(?:\s+[\w-]+){{1,5}}?)?\s+(?:was|has\s+been|had\s+been|a\s+été|avait\s+été)\s+(?:signed|endorsed|backed|joined|signé|"
    rf"soutenu|rejoint)\s+(?:by|par)\s+{ARTICLE}{NAME}{WHEN}",
    rf"\b(?:In|En)\s+(?:[\w.]+\s+){{0,2}}?{YEAR},?\s+{ARTICLE}{NAME}\s+(?:{EN_VERB}|{FR_VERB})\s+{CALL}",
)]
# Sentences that do not assert a signature: negated, hedged, wished for, asked.
NOT_ASSERTED = re.compile(
    r"\b(?:not|n't|never|no longer|yet to|refus\w*|declin\w*|reject\w*|without|would|could|should|may|might|urg\w+|"
    r"called on|calls on|invit\w+|ask\w*|want\w*|hope\w*|if|whether|ne|n['’]|pas|jamais|aucun\w*|sans|pourrai\w*|"
    r"devrai\w*|refus\w*|souhait\w*|invit\w*|demand\w*|si)\b|\?", re.IGNORECASE)
# Every name of a country (English, French, abbreviations) -> the registry's English name.
COUNTRY_WORDS = {fold(word): country.name for country in COUNTRY_LIST for word in country.words}
COUNTRY_WORDS.update({"us": "United States", "u.k.": "United Kingdom"})  # "u.s." is among the country words


@dataclass
class Fact:
    """A signature stated by a sentence: who (as written), the year if given, where in the sentence."""

    name: str
    year: str | None
    start: int
    end: int


def signatures(sentence: str) -> list[Fact]:
    """The signatures a sentence asserts ("China signed the Paris Call in 2019" -> China, 2019)."""
    if NOT_ASSERTED.search(sentence):
        return []
    facts: list[Fact] = []
    for index, pattern in enumerate(CLAIMS):
        for match in pattern.finditer(sentence):
            name, year = (match.group(2), match.group(1)) if index == 2 else (match.group(1), match.group(2))
            name = re.sub(r"^(?:(?:the|la|le|les)\s+|l['’]\s*)", "", name.strip(" .,'’"), flags=re.IGNORECASE)
            facts.append(Fact(name, year, match.start(), match.end()))
    # one fact per name: the one that gives a year
    return list({f.name: f for f in sorted(facts, key=lambda f: f.year is not None)}.values())


class Checker:
    """The registry's rows, indexed for the checks (states by country, entries by folded name)."""

    def __init__(self, registry: Any) -> None:
        rows = list(getattr(registry, "rows", []) or [])
        self.by_name = {fold(r.name): r for r in rows if r.name}
        self.states = {r.fields.get("country", "") for r in rows if r.fields.get("category") == "state"}
        self.states |= {r.name for r in rows if r.fields.get("category") == "state"}
        self.countries = {fold(c): c for c in {r.fields.get("country", "") for r in rows}} | COUNTRY_WORDS
        self.counts = list(getattr(registry, "counts", []) or [])
        self.earliest = min((r.fields.get("listed_since", "") for r in rows if r.fields.get("listed_since")),
                            default="")

    def country(self, name: str) -> str | None:
        """The country a name is, as a whole ("China", "la Chine", "the United States"), or None."""
        return self.countries.get(fold(name).strip())

    def conflict(self, fact: Fact) -> tuple[str, dict[str, Any], Any] | None:
        """What the registry says against the fact: (phrase key, its values, the chunk to cite), or None."""
        row = self.by_name.get(fold(fact.name))
        country = self.country(fact.name)
        if row is None and country is not None and country not in self.states:
            by_country = next((c for c in self.counts if c.metadata.get("count_of") == f"country={country}"), None)
            if by_country is not None:
                count = re.search(rf"country {re.escape(country)}: (\d+)", by_country.text)
                if count:
                    return "no_state", {"country": country, "count": count.group(1),
                                        "value": f"country {country}: {count.group(1)}"}, by_country
            for table in self.counts:
                states = re.search(r"Rows by category:.*\bstate (\d+)", table.text)
                if states:
                    return "no_country", {"country": country, "count": states.group(1),
                                          "value": f"state {states.group(1)}"}, table
            return None
        if row is None and country is not None:
            row = self.by_name.get(fold(country))
        since = row.fields.get("listed_since", "") if row is not None else ""
        if row is None or getattr(row, "chunk", None) is None or not fact.year or not re.match(r"\d{4}", since):
            return None
        listed, claimed = int(since[:4]), int(fact.year)
        if claimed > listed or (claimed < listed and since != self.earliest):
            return "since", {"name": row.name, "since": since, "value": since}, row.chunk
        return None


def check(question: str, language: str, claims: list[Claim], passages: list[Passage], registry: Any,
          weights: TermWeights | None = None) -> tuple[list[Claim], list[Passage]]:
    """The claims, with each one the registry contradicts replaced by a "sources differ" block that cites
    the registry first; the passages, with the registry chunks cited added at the end (indices unchanged).
    Only a claim that verification will keep (with the same `weights`) is set against the registry: one it will
    drop (unsupported, or from a flagged document) is left for it to drop. Unchanged when nothing is
    contradicted (or there is no registry)."""
    checker = Checker(registry)
    if not checker.by_name:
        return claims, passages
    passages = list(passages)
    out: list[Claim] = []
    replaced: set[tuple[int, int, int]] = set()
    framed = False
    for claim in claims:
        found = _contradicted(claim, passages, checker, weights)
        if found is None:
            out.append(claim)
            continue
        (key, values, chunk), quoted = found
        index = passage_index(passages, chunk)
        if not framed:
            out.append(Claim(DISAGREEMENT[language], frame=True))
            framed = True
        text = "- " + CONTRADICTED[language][key].format(**values) + "."
        if all(c.text != text for c in out):  # the registry's side once, however many claims it answers
            out.append(Claim(text, [index], {index: (0, len(passages[index].text))}, value=values["value"]))
        out.append(Claim("- " + claim.text.lstrip("- "), claim.sources, claim.quotes))
        replaced |= quoted
    if not framed:
        return claims, passages
    # a short lead ("2019.") drawn from a contradicted sentence states the contradicted fact: drop it
    kept = [c for c in out if not (c.value and not c.text.startswith("- ")
                                   and any((s, *span) in replaced for s, span in c.quotes.items()))]
    return kept, passages


def _contradicted(claim: Claim, passages: list[Passage], checker: Checker, weights: TermWeights | None):
    """The registry's conflict with a claim (its text, or the passage sentences it quotes), and the quotes."""
    if claim.frame or not signatures(claim.text) and not claim.quotes:
        return None
    texts = [claim.text]
    quoted = {(s, a, b) for s, (a, b) in claim.quotes.items() if 0 <= s < len(passages)}
    texts += [passages[s].text[a:b] for s, a, b in quoted]
    for text in texts:
        for fact in signatures(text):
            conflict = checker.conflict(fact)
            if conflict is not None and verify([claim], passages, weights).citations:
                return conflict, quoted
    return None

