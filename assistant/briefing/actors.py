"""Named actors for briefings: who a sentence names (registry supporters, the main states, the EU,
organisations) and what it says they do (decline, join, lead, state).
"""

from __future__ import annotations

import re
from functools import lru_cache

from assistant.registry.answer import Registry

STATES = {"United States": r"united states|the us|u\.s\.?|usa|washington(?! state)|[ée]tats-unis|white house|"
                           r"state department|(?:trump|biden) administration",
          "China": r"china|beijing|chine|p[ée]kin", "Russia": r"russia|moscow|russie|moscou", "Iran": r"iran",
          "Israel": r"isra[eë]l", "United Kingdom": r"united kingdom|britain|royaume-uni",
          "European Union": r"european union|the eu|union europ[ée]enne|european commission|commission europ[ée]enne"}
STANCES = {  # what a named actor does in a sentence; the first that matches wins
    "declined": r"n[o']t (?:yet )?(?:sign|join|back|endorse|among|on the list|one of)|refus|declin|stay\w* out|"
                r"kept away|absen|missing|abstain|ignored|lacks|n'ont pas|n'a pas|pas sign|[àa] l'[ée]cart|boud|manqu",
    "leads": r"co-?chair|\bchair(?:s|ed|ing)\b|co-?le[da]|led by|launch|lanc[ée]|copr[ée]sid|pilot",
    "joined": r"\bjoin|\bsign|become part|membership|support(?!ers)|endors|\bback(?:s|ed|ing)?\b|rejoi|adh[ée]r|"
              r"soutien(?!s)|soutenir",
    # "calls for" in lower case only: "the Paris Call for Trust and Security" names the Call, nobody says anything
    "said": r"\b(?:said|says|stated|argue|warn|welcom|(?-i:call(?:s|ed)? for)|announc|declar|salu|estime|affirm|"
            r"soulign)"}
EVENTS = ("declined", "joined", "leads")
ORGANISATION = re.compile(r"\b(?:[A-Z][\w&'’-]+ (?:(?:of|for|on) (?:the )?)?){1,4}(?:Accord|Institute|"
                          r"Foundation|Council|Commission|Association|Centre|Center|Society|Organi[sz]ation|Agency|"
                          r"Ministry|University|Alliance|Coalition|Federation|Consortium)\b")  # not in the registry
COMMON_NAMES = {"Total", "Visa", "Swift", "Sky", "ICON", "LOAD", "FIT", "ITA", "Haan", "Crète", "Congo"}


class ActorFinder:
    """Named actors in a text (registry names, the main states, the EU) and what the text says they do."""

    def __init__(self, registry: Registry) -> None:
        self.rows = {r.name: r for r in registry.rows} if registry else {}
        self.earliest = registry.earliest if registry else ""  # listed_since on this date is no joining date
        self.variants: dict[str, str] = {}
        for name in self.rows:
            for variant in (name, name.split(" (")[0], *re.findall(r"\(([A-Z][A-Z0-9]{2,})\)", name),
                            re.sub(r" (?:Lab|Inc\.?|Ltd|Corp\.?|Corporation|Group)$", "", name)):
                if len(variant) >= 3 and variant not in COMMON_NAMES:
                    self.variants.setdefault(variant, name)
        names = "|".join(map(re.escape, sorted(self.variants, key=len, reverse=True)))
        self.names = re.compile(rf"(?<![\w-])(?:{names})(?![\w-])") if names else None
        self.states = [(n, re.compile(rf"(?<![\w-])(?:{p})(?![\w-])", re.I)) for n, p in STATES.items()]
        self.stances = [(key, re.compile(pattern, re.I)) for key, pattern in STANCES.items()]

    def find(self, text: str) -> tuple[str | None, list[str], str | None]:
        """The acting actor (the first named before the stance, or named by "by" after it), all the actors
        named, and the stance, if any."""
        spans = [(m.start(), m.end(), self.variants[m.group(0)]) for m in self.names.finditer(text)] if self.names else []
        spans += [(m.start(), m.end(), name) for name, pattern in self.states for m in pattern.finditer(text)]
        spans += [(m.start(), m.end(), m.group(0).removeprefix("The ")) for m in ORGANISATION.finditer(text)]
        mentions: list[tuple[int, int, str]] = []
        for start, end, name in sorted(spans, key=lambda s: (s[0], s[0] - s[1])):
            if not mentions or start >= mentions[-1][1]:  # a state inside a longer name is that name
                mentions.append((start, end, name))
        names = list(dict.fromkeys(name for _, _, name in mentions))
        found = next(((key, m) for key, p in self.stances if (m := p.search(text))), None)
        if not found:
            return None, names, None
        stance, at = found
        before = [m for m in mentions if m[1] <= at.start()]
        while len(before) > 1 and re.fullmatch(r"\W*(?:and|et)?\s*(?:the |la |le |les )?", text[before[-2][1]:before[-1][0]]):
            before.pop()  # "A, B and C signed": A acts (with the others)
        after = [name for start, _, name in mentions if re.fullmatch(r"\S*\s+by\s+(?:the\s+)?", text[at.start():start])]
        return (before[-1][2] if before else after[0] if after else None), names, stance

    def is_state(self, actor: str) -> bool:
        row = self.rows.get(actor)
        return row.fields.get("category") == "state" if row else actor in STATES and actor != "European Union"


@lru_cache(maxsize=4)
def actor_finder(registry: Registry) -> ActorFinder:
    return ActorFinder(registry)
