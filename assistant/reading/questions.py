"""What a question asks for: its answer type, detected in English and French, typed as people type.

The patterns run on the accent-folded, lower-cased question, so "quand a ete lance", "c est quoi" and
"why didnt" are recognised as well as their careful spellings. The first type whose pattern matches wins,
in the order of `ANSWER_TYPES` (a "how many ... when" question asks for a number, not a date).
"""

from __future__ import annotations

import re
from functools import lru_cache

from index.glossary import fold

ANSWER_TYPES = ("number", "date", "reason", "manner", "person", "place", "organisation", "comparison",
                "definition", "yesno", "list", "other")

_PATTERNS: dict[str, str] = {
    "number": r"\bhow (many|much)\b|\bcombien\b|\bnumber of\b|\bnombre (de|d)\b|\bwhat percentage\b|"
              r"\bquel pourcentage\b|\bhow big\b|\bhow large\b|\bcount\b",
    "date": r"^\s*(when|wen)\b|\b(when|wen) (was|were|did|does|is|will|has|had|do)\b|"
            r"\b(what|which|wat) (year|date|day|month)\b|\bsince when\b|\bquand\b|\bdepuis quand\b|"
            r"\b(en|a) quelle (annee|date)\b|\bquelle (annee|date)\b|\bquel jour\b|\bdate (of|de|du)\b|"
            r"\bin what year\b",
    "reason": r"\bwhy\b|\bwhy'?d\b|\bpourquoi\b|\bpk\b|\bpq\b|\bhow come\b|\bfor what reason\b|\breasons?\b|"
              r"\braisons?\b|\bwhat (led|motivated|caused)\b|\bqu'?est-ce qui a (pousse|motive)\b",
    "manner": r"^\s*how\b|\bhow (does|do|did|is|are|was|were|can|could|will|should|would)\b|\bcomment\b|"
              r"\bin what way\b|\bde quelle (maniere|facon)\b|\bby what means\b",
    "person": r"^\s*(who|whom|whose|qui)\b|\b(who|whom) (is|was|are|were|did|does|launched|signed|said|"
              r"wrote|leads?|chairs?)\b|\bpar qui\b|\bc'?est qui\b|\bqui (a|est|etait|sont|ont|dirige|preside)\b",
    "place": r"^\s*(where|ou)\b|\bwhere\b|\bou (a|est|etait|se|sont|ont)\b|\bdans quel(le)? (ville|pays|lieu)\b|"
             r"\bin (which|what) (city|country|place)\b",
    "organisation": r"\b(which|what) (organi[sz]ations?|compan(y|ies)|ngos?|groups?|bod(y|ies)|institutions?|"
                    r"forum|firms?)\b|\bquel(le)?s? (organisations?|entreprises?|institutions?|ong|organismes?)\b",
    "comparison": r"\bcompar\w*|\bdifferen\w*|\bdiffer\b|\bversus\b|\bvs\.?\b|\bsimilar\w*|\bbetween\b.*\band\b|"
                  r"\bentre\b.*\bet\b|\bplus (que|de)\b|\bmore than\b|\bless than\b",
    "definition": r"^\s*(what|wat) ?(is|'s|s|are)\b|\bc'?est quoi\b|\bqu'?est[- ]ce que?\b|\bque (signifie|veut dire)\b|"
                  r"\bwhat does .* mean\b|\bdefin\w*|\bmeaning of\b|\bexplain\b|\bexplique\w*",
    "list": r"\blist\b|\bliste[rz]?\b|\b(name|names|nomme[rz]?|cite[rz]?)\b|\bwhat are the\b|\bwhich are\b|"
            r"\bquel(le)?s sont\b|\blesquel(le)?s\b|\benumer\w*",
    "yesno": r"^\s*(is|are|was|were|did|does|do|has|have|had|can|could|will|would|should|est-ce|y a-t-il)\b|"
             r"\best[- ]ce que?\b|-t-(il|elle|on)\b|\b(a|est|sont|ont)-(il|elle|ils|elles)\b",
}
_COMPILED = {name: re.compile(pattern) for name, pattern in _PATTERNS.items()}


@lru_cache(maxsize=2048)
def answer_type(question: str) -> str:
    """One of `ANSWER_TYPES` ("other" when nothing matches)."""
    text = fold(question).strip()
    for name in ANSWER_TYPES[:-1]:
        pattern = _COMPILED[name]
        if name == "yesno":
            if pattern.search(text) and not text.startswith(("what", "which", "who", "wat")):
                return name
            continue
        if pattern.search(text):
            return name
    return "other"
