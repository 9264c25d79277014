"""Supporter questions as structured queries: what is asked (is X a supporter / since when / how many /
which ones / where most / the latest) and about which supporters (a name, a country, a category, a nature,
years of listing), with follow-ups completed from the conversation.

`parse` returns None for a question that is not about the registry's content: one that names no
supporter, country or category, or asks what a source says, why, or how things stood at the launch.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.registry import words as W
from assistant.registry.data import Registry, Row
from assistant.registry.lexicon import Clause, Lexicon, lexicon, read
from assistant.registry.regions import by_key
from index.glossary import fold

NOT_REGISTRY = re.compile(W.NOT_REGISTRY)
JOINING = re.compile(W.JOINING)
TIME_ONLY = re.compile(r"\b(" + W.AT_LAUNCH + r")\b")
CLAUSES = re.compile(
    r"\s*;\s*|(?<=\?)\s*|,?\s+(?:and|et)\s+(?=(?:how|which|what|when|where|under|in which|is|are|was|since|combien|"
    r"quel|quelle|quels|quelles|quand|depuis|dans quel|dans quelle|sous quel|est-(?:il|elle)|y figure|lesquel(?:le)?s|"
    r"who|list them|name them)\b)"
    r"|,\s+(?=(?:how|which|what|when|where|under|combien|quel|quelle|quand|depuis|dans quel|sous quel)\b)",
    re.IGNORECASE)
QUESTION_WORD = re.compile(r"(how|why|what|when|where|who|which|comment|pourquoi|quoi|quand|ou|qui|quel\w*)")
# Ending the question: "is Huawei in the Paris Call?", "is the US in it now?", "is the UK in?"
IN_THE_CALL = re.compile(r"\b(in|dans)( (it|the (paris )?call|l'?\s?appel( de paris)?))?"
                         r"( (now|yet|already|today|anymore|maintenant|aujourd'?hui|deja))?\W*$")
SIGNERS = re.compile(r"\b(" + "|".join(W.SIGNER_WORDS.split()) + r")\b")
DESCRIPTIVE = re.compile(r"\b(that|which|who|whose|whom|where|qui|dont|lequel|laquelle|leading|led|chaired|"
                         r"runs|run|made|wrote|organi[sz]ed|behind|created|founded)\b", re.I)


@dataclass(frozen=True)
class Selection:
    """Which supporters: `None` means any; "" means blank (no category / no country given)."""

    category: str | None = None
    country: str | None = None
    nature: str | None = None
    years: tuple[str, ...] = ()
    month: str | None = None  # YYYY-MM
    region: str | None = None  # a world region or country group (`regions.REGIONS` key)

    def __bool__(self) -> bool:
        return any(v is not None for v in (self.category, self.country, self.nature, self.month, self.region)) \
            or bool(self.years)

    def merged(self, newer: Selection) -> Selection:
        """This selection with what `newer` sets replaced; a country and a region replace each other."""
        place = newer.country is not None or newer.region is not None
        older = Selection(self.category, None if place else self.country, self.nature, self.years, self.month,
                          None if place else self.region)
        return Selection(*(n if n not in (None, ()) else o for o, n in (
            (older.category, newer.category), (older.country, newer.country), (older.nature, newer.nature),
            (older.years, newer.years), (older.month, newer.month), (older.region, newer.region))))


@dataclass
class Subject:
    """What an "is X a supporter?" question is about."""

    text: str  # as written by the asker
    row: Row | None = None
    country: str | None = None  # a country named as the subject (it may have no state row)
    approximate: bool = False  # matched within a typo: the answer says what was understood


@dataclass
class RegistryQuery:
    """What one clause asks: about one supporter (`entity`), or about a selection of supporters: how many
    (`count`), which (`list`), whether any (`exists`), where most (`top`), the latest, their listing years."""

    kind: str  # entity | count | list | exists | top | latest | dates
    selection: Selection = field(default_factory=Selection)
    subject: Subject | None = None
    asks_date: bool = False
    yes_no: bool = False
    qualifiers: list[str] = field(default_factory=list)  # words the registry does not record ("tech")
    understood: list[tuple[str, str]] = field(default_factory=list)  # (as typed, as understood) for typos
    dimension: str = "country"  # what a "where most" question ranks: country, category or nature
    full: bool = False  # several things asked about one supporter: its whole entry, and what its date means


def _years(c: Clause, registry: Registry) -> tuple[tuple[str, ...], bool]:
    """Listing years asked for (a year, "since 2021", "between 2020 and 2021"), and whether a year lies
    outside the registry's history (then the registry cannot answer)."""
    if not c.years:
        return (), False
    folded, known = fold(c.text), registry.years
    low, high = min(c.years), max(c.years)
    if len(c.years) == 1 and re.search(rf"\b(since|after|from|depuis|apres|a partir de|starting)\s+(?:\w+\s+)?{low}\b",
                                       folded):
        high = known[-1] if known else low
        low = str(int(low) + 1) if re.search(r"\b(after|apres)\b", folded) else low
    elif len(c.years) == 1 and re.search(rf"\b(before|until|avant|jusqu)\w*\s+(?:\w+\s+)?{high}\b", folded):
        low = known[0] if known else high
        high = str(int(high) - 1) if re.search(r"\b(before|avant)\b", folded) else high
    outside = any(not known or y < known[0] or y > known[-1] for y in c.years)
    return tuple(y for y in known if low <= y <= high), outside


def _selection(c: Clause, years: tuple[str, ...], counting: bool) -> Selection | None:
    categories = list(c.categories)
    if c.country_words and (counting or c.regions) and "top" not in c.kinds and not categories:
        categories = ["state"]  # "how many countries", "les pays d'Afrique": states
    if "top" in c.kinds:
        categories = [x for x in categories if x != "state"]  # "which country has the most": a dimension
    if len(categories) > 1 and "state" in categories and not c.countries:
        categories = [x for x in categories if x != "state"]  # "countries ... companies"
    if len(set(categories)) > 1 or len(c.natures) > 1 or len(c.countries) + len(c.regions) > 1:
        return None  # several groups at once ("companies and NGOs", "Asia and Africa"): not one count
    if c.regions and not by_key()[c.regions[0]].codes:
        return None  # a region without a standard membership ("the Gulf"): the documents' turf
    nature = c.natures[0] if c.natures else None
    category = categories[0] if categories else ("state" if nature == "ue" else None)
    if c.eu:  # "in the EU": the states the registry marks as EU members
        if category not in (None, "state") or nature not in (None, "ue"):
            return None
        category, nature = "state", "ue"
    return Selection(category, c.countries[0] if c.countries else None, nature, years, c.month,
                     c.regions[0] if c.regions else None)


def _kind(c: Clause) -> str | None:
    for kind, name in (("count", "count"), ("top", "top"), ("latest", "latest"), ("since", "dates"), ("list", "list")):
        if kind in c.kinds:
            return name
    return "exists" if c.yes_no else None


def decide(c: Clause, lex: Lexicon, context: RegistryQuery | None
           ) -> RegistryQuery | list[RegistryQuery] | None:
    """The query one clause asks (one per supporter it names), given the query before it (an earlier
    clause or question), or None."""
    years, outside = _years(c, lex.registry)
    if outside or (c.numbers and "count" in c.kinds):
        return None  # another time than the registry's history, or figures to compare: the documents' turf
    counting = bool(c.kinds & {"count", "top", "latest"})
    folded = fold(c.text)
    if counting and len(years) == 1 and not JOINING.search(folded):
        return None  # a total as of a year ("how many supporters in 2021"): the registry keeps no past totals
    signers = bool(SIGNERS.search(folded))  # "supporters", "signataires": who signs, not the signing
    rows = [r for r in c.rows if not (r.get("category") == "state" and r.get("country") in c.countries)
            and not (c.eu and fold(r.name) == "european union")]
    subject = c.subject
    named = bool(rows or subject)
    follow = context is not None and (c.follow or "back" in c.kinds or c.short)
    grouped = bool(c.categories and c.categories != ["state"] or c.natures or c.kinds & {"generic", "qual"})
    intents = c.kinds & {"count", "top", "latest", "since", "list", "attr"}
    sel = _selection(c, years, counting or "list" in c.kinds)
    base = dict(qualifiers=c.qualifiers, understood=c.understood, yes_no=c.yes_no)
    if follow and context.kind == "entity" and not named and not c.countries and not c.eu and not counting \
            and not (c.categories or c.natures or years):  # "when did they join?", "under which country?"
        asks_date = "since" in c.kinds or (not intents and context.asks_date)
        return RegistryQuery("entity", subject=context.subject, asks_date=asks_date, yes_no=c.yes_no)
    if follow and context.kind != "entity" and not named:  # "and in Germany?", "et combien en France ?"
        if sel is None:
            return None
        kind = _kind(c) if intents - {"attr"} else context.kind
        return RegistryQuery(kind, context.selection.merged(sel), **base)
    attribute = "attr" in c.kinds and not grouped and (c.countries or c.eu)
    if counting or ("list" in c.kinds and not named and not attribute):
        if named or sel is None:
            return None  # "how many members does Cigref have", "companies in the Tech Accord"
        if not (c.registry_words or sel.category is not None or sel.nature is not None or sel.country is not None
                or sel.region is not None):
            return None
        dimension = (c.top_by[0] if c.top_by else "category" if "categor" in folded
                     else "nature" if re.search(r"\b(nature|type|kind)s?\b", folded) else "country")
        return RegistryQuery(_kind(c), sel, dimension=dimension, **base)
    member = bool((rows or len(c.places) == 1) and c.yes_no and IN_THE_CALL.search(folded))  # "is the US in it?"
    if not (c.registry_words or follow or member or ("attr" in c.kinds and (rows or c.countries or c.eu))):
        return None  # "when was the Call launched?": a date, but not one of the registry's
    asks_date = "since" in c.kinds
    yes_no = not (intents - {"attr"}) and (c.yes_no or not intents)  # also "cloudflare a supporter?"
    asks_date = asks_date or bool(follow and context.kind == "entity" and context.asks_date and not intents)
    if len(rows) > 1:  # "are Microsoft and Google supporters?"
        return [RegistryQuery("entity", subject=Subject(r.name, r), asks_date=asks_date, yes_no=True)
                for r in rows] if yes_no else None
    if rows:
        return RegistryQuery("entity", subject=Subject(rows[0].name, rows[0]), asks_date=asks_date, yes_no=yes_no)
    if subject:
        if (len(subject.split()) > 6 or DESCRIPTIVE.search(subject) or re.search(r"[\[\]<>{}`]", subject)
                or QUESTION_WORD.fullmatch(fold(subject))  # "how" of "how do I join": no one's name
                or c.countries or not ((yes_no and c.subject_placed()) or asks_date or "attr" in c.kinds)):
            return None
        found, approximate = lex.find_rows(subject)
        if not found and not yes_no:
            return None  # the date or category of a name the registry lacks: the documents may know it
        understood = [(subject, found[0].name)] if approximate and found else []
        return RegistryQuery("entity", subject=Subject(subject, found[0] if found else None, approximate=approximate),
                             asks_date=asks_date, yes_no=yes_no, understood=understood)
    if c.eu and not grouped:
        eu = [r for r in lex.registry.rows if fold(r.name) == "european union"]
        return RegistryQuery("entity", subject=Subject("European Union", eu[0] if eu else None), asks_date=asks_date,
                             yes_no=yes_no)
    located = c.located and signers  # "any supporters from Brazil?": a filter, not Brazil
    if len(c.countries) == 1 and c.places and not grouped and not years and not located:
        country = c.countries[0]
        return RegistryQuery("entity", subject=Subject(country, lex.registry.states.get(country), country=country),
                             asks_date=asks_date, yes_no=yes_no, understood=c.understood)
    if sel is None or not c.registry_words:
        return None
    kind = _kind(c) or ("list" if sel else None)  # "canadian supporters?"
    if kind is None or (kind == "exists" and not sel):
        return None
    if kind == "dates" and not sel and not grouped and not signers:
        return None  # "when was the Paris Call signed": the Call's own date, not its supporters'
    return RegistryQuery(kind, sel, **base)


def parse(question: str, language: str, registry: Registry, history: list[str] | tuple[str, ...] = ()
          ) -> list[RegistryQuery] | None:
    """The registry queries a question asks (one per clause), or None when it is not a registry question."""
    if not registry:
        return None
    lex = lexicon(registry)
    status, context = _context(list(history), lex)
    return _parse(question, language, lex, status, context)


def _parse(question: str, language: str, lex: Lexicon, status: str, context: RegistryQuery | None
           ) -> list[RegistryQuery] | None:
    if NOT_REGISTRY.search(fold(question)):
        return None
    clauses = [read(t, language, lex) for t in CLAUSES.split(question) if t and re.search(r"\w", t)]
    if not clauses:
        return None
    first = clauses[0]
    if status == "blocked" and (first.follow or "back" in first.kinds or first.short):
        return None  # a follow-up on what a source said stays with the sources
    if status == "other" and "back" in first.kinds:
        return None  # "how many companies are in it?" about something else than the Call
    queries: list[RegistryQuery] = []
    for clause in clauses:
        if not clause.kinds - {"stop", "follow", "back", "call"} and not clause.residual:
            continue  # "ok", "thanks", "in the Paris Call"
        decided = decide(clause, lex, queries[-1] if queries else context)
        if decided is None:
            return None
        for query in decided if isinstance(decided, list) else [decided]:
            if not queries or query != queries[-1]:
                queries.append(query)
    return queries or None


NOW = re.compile(r"\b(now|today|currently|at present|these days|nowadays|aujourd'?hui|maintenant|actuellement|"
                 r"a present|desormais|de nos jours)\b")


def present_part(question: str) -> str | None:
    """The question without its other-time phrases, when it asks both about another time and about now
    ("how many at launch, and how many now?" -> "how many, and how many now?"); else None."""
    folded = fold(question)
    blockers = [m.group(0) for m in NOT_REGISTRY.finditer(folded)]
    if not blockers or not NOW.search(folded) or not all(TIME_ONLY.fullmatch(b) for b in blockers):
        return None
    return TIME_ONLY.sub(" ", folded)


def _context(history: list[str], lex: Lexicon, depth: int = 0) -> tuple[str, RegistryQuery | None]:
    """What the last question of the conversation leaves for a follow-up: its query ("ok"), its subject
    when it asked about the launch ("time"), nothing ("none"), or a bar on registry follow-ups ("blocked":
    it asked what a source says; "other": it was about something else)."""
    from assistant.language import detect_language

    if not history or depth > 2:
        return "none", None
    last = history[-1]
    language = detect_language(last)
    blockers = [m.group(0) for m in NOT_REGISTRY.finditer(fold(last))]
    if blockers:
        if not all(TIME_ONLY.fullmatch(b) for b in blockers):
            return "blocked", None
        clause = read(last, language, lex)
        rows = [r for r in clause.rows if r.get("category") != "state"]
        if rows:
            return "time", RegistryQuery("entity", subject=Subject(rows[0].name, rows[0]))
        if len(clause.countries) == 1:
            country = clause.countries[0]
            return "time", RegistryQuery("entity", subject=Subject(country, lex.registry.states.get(country),
                                                                    country=country))
        return "time", None
    status, context = _context(history[:-1], lex, depth + 1)
    queries = _parse(last, language, lex, status, context)
    if queries:
        return "ok", queries[-1]
    clause = read(last, language, lex)
    return ("other" if clause.residual or clause.rows else "none"), None
