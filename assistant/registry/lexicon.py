"""Reading a supporter question word by word: every phrase is given its meanings (a category, a country, a
registry name, a question word, filler...) by a longest-match scan over accent-folded tokens, and the
words left over are kept with their original spelling, to be matched approximately or echoed back.
`read` gives a `Clause`: what one clause of a question says, before any decision about what it asks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from weakref import WeakKeyDictionary

from rapidfuzz.distance import DamerauLevenshtein

from assistant.registry import words as W
from assistant.registry.data import TOKEN, Registry, Row, norm, words
from assistant.registry.regions import regions
from index.countries import COUNTRY_LIST, US_BEFORE
from index.glossary import MONTHS, fold

YES_NO = re.compile(r"^\W*(?:(?:and|so|ok|okay|et|alors|mais)\W+)?(?:is|are|was|were|has|have|did|does|do)\b|"
                    r"est[- ]ce|-t-(?:il|elle)|-(?:il|elle|ils|elles)\b|\bou pas\b|\bor not\b|\bright\W*$|"
                    r"\b(?:soutient|soutiennent|figure|figurent|fait|font|a|ont|est|sont)\b[^?]*\?\s*$", re.I)
INCLUDES = re.compile(r"\b(include|includes|contain|contains|feature|features|mention|contient|comprend|inclut)\b")
FRENCH_ONLY = {("pays",), ("figure",)}  # French words that are other words in English
DETERMINERS = {"the", "les", "des", "aux", "to", "for", "with", "many", "from", "in", "combien"}
_CACHE: WeakKeyDictionary[Registry, Lexicon] = WeakKeyDictionary()


@dataclass
class Token:
    text: str  # as typed
    folded: str
    start: int
    end: int


@dataclass
class Match:
    """A phrase of the question (tokens [i, j)) and its possible meanings: (kind, value) pairs."""

    i: int
    j: int
    meanings: list[tuple[str, object]] = field(default_factory=list)

    def kinds(self) -> set[str]:
        return {k for k, _ in self.meanings}

    def values(self, kind: str) -> list:
        return [v for k, v in self.meanings if k == kind]


def tokenize(text: str) -> list[Token]:
    out = []
    for m in TOKEN.finditer(text):
        for w in words(m.group()) or [m.group().lower()]:
            out.append(Token(m.group(), w, m.start(), m.end()))
    return out


def _phrases(spec: str) -> list[tuple[str, ...]]:
    """'a b c|d e' -> single words a, b, c and the phrase d e."""
    first, *rest = spec.split("|")
    return [(w,) for w in words(first)] + [tuple(words(p)) for p in rest if words(p)]


class Lexicon:
    """The phrase table for one registry: words of supporter questions and the registry's own names."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.table: dict[tuple[str, ...], list[tuple[str, object]]] = {}
        for kind, spec in (("stop", W.STOP_WORDS), ("reg", W.REGISTRY_WORDS), ("call", W.CALL_WORDS),
                           ("generic", W.GENERIC_WORDS), ("count", W.COUNT_WORDS), ("list", W.LIST_WORDS),
                           ("since", W.SINCE_WORDS), ("top", W.TOP_WORDS), ("latest", W.LATEST_WORDS),
                           ("attr", W.ATTRIBUTE_WORDS), ("back", W.BACK_REFERENCES), ("follow", W.FOLLOW_WORDS)):
            for phrase in _phrases(spec):
                self._add(phrase, kind, None)
        for dimension, spec in W.TOP_BY.items():
            for phrase in _phrases("|" + spec):
                self._add(phrase, "top", dimension)
        for phrase in _phrases(W.QUALIFIERS):
            self._add(phrase, "qual", " ".join(phrase))
        for category, spec in W.CATEGORY_WORDS.items():
            for phrase in _phrases(spec):
                self._add(phrase, "category", category)
        for phrase in _phrases(W.BLANK_CATEGORY):
            self._add(phrase, "category", "")
        for phrase in _phrases(W.BLANK_COUNTRY):
            self._add(phrase, "country", "")
        for key, (spec, _, _) in W.NATURES.items():
            for phrase in _phrases(spec):
                self._add(phrase, "nature", key)
        for country in COUNTRY_LIST:
            for form in country.words:
                self._add(tuple(words(form)), "country", country.name)
            for form in country.names:
                self._add(tuple(words(form)), "place", country.name)  # the country itself, not a demonym
        for phrase in (("eu",), ("ue",), ("e", "u"), ("european", "union"), ("union", "europeenne")):
            self._add(phrase, "eu", None)
        for region in regions():
            for form in region.words:
                self._add(tuple(words(form)), "region", region.key)
        self.vocabulary = {p for p in self.table}
        for variant, rows in registry.variants.items():
            for row in rows:
                self._add(tuple(variant.split()), "entity", row)
        self.longest = max(map(len, self.table), default=1)
        self.fuzzy_words = {p[0]: m for p, m in self.table.items() if len(p) == 1 and len(p[0]) >= 5
                            and any(k in ("country", "category", "nature") for k, _ in m)}

    def _add(self, phrase: tuple[str, ...], kind: str, value: object) -> None:
        if phrase and (kind, value) not in self.table.setdefault(phrase, []):
            self.table[phrase].append((kind, value))

    def natures(self, key: str) -> list[str]:
        """The registry's nature values (stripped, as spelled) for a canonical nature key."""
        keys = {key} | {alias for alias, target in W.NATURE_ALIASES.items() if target == key}
        return [v for v in self.registry.values("nature") if norm(v) in {norm(k) for k in keys}]

    def scan(self, tokens: list[Token], language: str) -> tuple[list[Match], list[int]]:
        """Longest-match phrases, and the indices of the tokens no phrase explains."""
        matches: list[Match] = []
        residual: list[int] = []
        i = 0
        while i < len(tokens):
            for length in range(min(self.longest, len(tokens) - i), 0, -1):
                special = self._special(tokens, i) if length == 1 else None
                if special:
                    matches.append(special)
                    i = special.j
                    break
                phrase = tuple(t.folded for t in tokens[i:i + length])
                meanings = self._allowed(self.table.get(phrase, []), tokens[i:i + length], phrase, language)
                if meanings:
                    matches.append(Match(i, i + length, meanings))
                    i += length
                    break
            else:
                if re.fullmatch(r"(?:19|20)\d\d", tokens[i].folded):
                    matches.append(Match(i, i + 1, [("year", tokens[i].folded)]))
                elif tokens[i].folded in MONTHS:
                    matches.append(Match(i, i + 1, [("month", MONTHS[tokens[i].folded])]))
                elif tokens[i].folded.isdigit():
                    matches.append(Match(i, i + 1, [("number", tokens[i].folded)]))
                else:
                    residual.append(i)
                i += 1
        return matches, residual

    def _special(self, tokens: list[Token], i: int) -> Match | None:
        """"US", "U.S.", "the us", and "us" opening a question or after an auxiliary ("us joined?", "did us sign")
        for the United States (but not "us" the pronoun: "tell us", "let us know")."""
        raw = tokens[i].text
        if raw in ("U", "US") and i + 1 < len(tokens) and raw == "U" and tokens[i + 1].text == "S":
            end = i + 3 if i + 2 < len(tokens) and tokens[i + 2].text == "A" else i + 2
            return Match(i, end, [("country", "United States"), ("place", "United States")])
        if raw == "US" or (tokens[i].folded == "us" and (
                i == 0 or tokens[i - 1].folded in DETERMINERS | US_BEFORE)):
            return Match(i, i + 1, [("country", "United States"), ("place", "United States")])
        return None

    def _allowed(self, meanings: list[tuple[str, object]], span: list[Token], phrase: tuple[str, ...],
                 language: str) -> list[tuple[str, object]]:
        text = " ".join(t.text for t in span)
        if language == "en" and phrase in FRENCH_ONLY:  # "who pays for it", "what figure"
            return [m for m in meanings if m[0] == "entity"] or [("stop", None)] * (phrase == ("figure",))
        if phrase in (("eu",), ("e", "u")) and language == "fr" and text.replace(" ", "") not in ("EU", "E.U."):
            return [m for m in meanings if m[0] not in ("eu", "entity")] or [("stop", None)]  # French "eu" (had)
        kinds = {k for k, _ in meanings}
        if kinds == {"entity"} and len(phrase) == 1 and text.islower() and phrase[0] in self.registry.common_words:
            return []  # "create" typed as a word, not "CREATE" the supporter (still found as an asked-about name)
        if "entity" in kinds and kinds - {"entity", "country", "eu"}:
            # a registry name that is also a common word counts as a name only when written as one
            rows = [v for k, v in meanings if k == "entity"]
            if not any(text == r.name or (text[:1].isupper() and not text.isupper() and len(phrase) > 1)
                       or (text.isupper() and len(text) > 1) for r in rows):
                meanings = [m for m in meanings if m[0] != "entity"]
        return meanings

    def fuzzy_word(self, word: str) -> list[tuple[str, object]] | None:
        """The meanings of the one country, category or nature word within a typo of `word`."""
        if len(word) < 5 or word in self.table:
            return None
        limit = 1 if len(word) < 8 else 2
        distances = {w: DamerauLevenshtein.distance(w, word, score_cutoff=limit) for w in self.fuzzy_words
                     if abs(len(w) - len(word)) <= limit}
        best = min(distances.values(), default=limit + 1)
        close = [w for w, d in distances.items() if d == best <= limit]
        meanings = {(k, v) for w in close for k, v in self.fuzzy_words[w] if k in ("country", "category", "nature")}
        return sorted(meanings, key=str) if len(meanings) == 1 else None

    def find_rows(self, subject: str) -> tuple[list[Row], bool]:
        """Registry rows named by `subject`: exactly (a name variant), by its first words, or within a
        typo; and whether the match is approximate (to be said)."""
        key = norm(subject)
        if not key:
            return [], False
        exact = self.registry.variants.get(key)
        if exact:
            return exact, False
        prefix = {id(r): r for v, rows in self.registry.variants.items() if v.startswith(key + " ") for r in rows}
        if len(prefix) == 1 and len(key) >= 4:
            return list(prefix.values()), False
        limit = 1 if len(key) < 8 else 2 if len(key) < 16 else 3
        if len(key) < 5:
            return [], False
        by_distance: dict[int, dict[int, Row]] = {}
        for variant, rows in self.registry.variants.items():
            if abs(len(variant) - len(key)) <= limit:
                distance = DamerauLevenshtein.distance(variant, key, score_cutoff=limit)
                if distance <= limit:
                    by_distance.setdefault(distance, {}).update((id(r), r) for r in rows)
        closest = by_distance[min(by_distance)] if by_distance else {}
        return (list(closest.values()), True) if len(closest) == 1 else ([], False)

    def near_names(self, subject: str, limit: int = 3) -> list[str]:
        from rapidfuzz import fuzz, process

        choices = {v: rows[0].name for v, rows in self.registry.variants.items()}
        found = process.extract(norm(subject), list(choices), scorer=fuzz.WRatio, limit=limit * 3, score_cutoff=86)
        return list(dict.fromkeys(choices[m[0]] for m in found))[:limit]


def lexicon(registry: Registry) -> Lexicon:
    if registry not in _CACHE:
        _CACHE[registry] = Lexicon(registry)
    return _CACHE[registry]


@dataclass
class Clause:
    """One clause as read: its phrases' meanings and the words left over, before any decision."""

    text: str
    tokens: list[Token]
    kinds: set[str]
    categories: list[str]  # from words that only name a category ("companies", "states")
    country_words: bool  # "country", "pays": a category, an attribute or a dimension, by context
    countries: list[str]
    places: list[str]  # countries named by their name ("Canada"), not by a demonym ("canadian")
    natures: list[str]
    rows: list[Row]
    eu: bool
    regions: list[str]  # world regions and country groups ("africa", "g7"), by key
    years: list[str]
    month: str | None
    numbers: list[str]
    qualifiers: list[str]
    top_by: list[str]
    residual: list[int]
    understood: list[tuple[str, str]]
    yes_no: bool
    follow: bool  # starts like a follow-up ("and ...", "et ...", "what about ...")
    loose: dict[int, bool] = field(default_factory=dict)  # tokens that may belong to a name ("cyber", "group")
    located: bool = False  # a country named after "from", "in", "au"...: where supporters are, not who

    @property
    def subject(self) -> str:
        """The words no phrase explains, as typed (from the first to the last, with what lies between, and
        the qualifiers right next to them: "cyber peace institute")."""
        if not self.residual:
            return ""
        first, last = self.residual[0], self.residual[-1]
        while first > 0 and self.loose.get(first - 1):
            first -= 1
        while last + 1 < len(self.tokens) and self.loose.get(last + 1):
            last += 1
        return self.text[self.tokens[first].start:self.tokens[last].end].strip(" '\"«»“”‘’-")

    @property
    def registry_words(self) -> bool:
        return "reg" in self.kinds

    @property
    def short(self) -> bool:
        return len(self.tokens) <= 5 and not self.kinds & {"reg", "call"}

    def subject_placed(self) -> bool:
        """An "is X a supporter?" subject comes before the registry word, or after "include"/"contain"."""
        first = next((i for i, t in enumerate(self.tokens) if t.folded in _REG_WORDS), len(self.tokens))
        return self.residual[0] < first or bool(INCLUDES.search(fold(self.text)))


_REG_WORDS = set(fold(W.REGISTRY_WORDS.split("|")[0]).split())
_PLACE_PREPOSITIONS = frozenset(W.PLACE_PREPOSITIONS.split())
_ARTICLES = frozenset(W.ARTICLES.split())


def read(text: str, language: str, lex: Lexicon) -> Clause:
    text = re.sub(r"\b[Uu]\.\s?[Ss]\.(?:\s?[Aa]\.)?", "USA", text)  # "u.s." as typed
    tokens = tokenize(text)
    matches, residual = lex.scan(tokens, language)
    understood = []
    for i in list(residual):  # a typo in a country, category or nature word
        meanings = lex.fuzzy_word(tokens[i].folded)
        if meanings:
            residual.remove(i)
            matches.append(Match(i, i + 1, meanings))
            understood.append((tokens[i].text, str(meanings[0][1])))
    got = lambda kind, ms=matches: [v for m in ms for v in m.values(kind)]  # noqa: E731
    plain = [m for m in matches if "attr" not in m.kinds()]
    months = got("month")
    days = {m.j for m in matches if "month" in m.kinds()} | {m.i - 1 for m in matches if "month" in m.kinds()}
    numbers = [m.values("number")[0] for m in matches if "number" in m.kinds() and not (m.i in days
                                                                                          and int(m.values("number")[0]) <= 31)]
    years = got("year")
    first = min(matches, key=lambda m: m.i) if matches else None
    loose = {m.i: True for m in matches if m.j == m.i + 1 and (m.kinds() <= {"qual", "generic"} or (
        m.i > 0 and m.kinds() <= {"stop", "qual", "generic"} and tokens[m.i].text[:1].isupper()))}
    kinds = {k for m in matches for k in m.kinds()}
    located = any(_after_preposition(tokens, m.i) for m in matches if "place" in m.kinds())
    # "list the French think tanks"; "qui soutient l'appel ?" (French "who" asks when it opens the question;
    # later it is relative, "les entreprises qui soutiennent", and stays a stop word)
    if tokens and tokens[0].folded in ("list", "liste", "enumerate", "enumere", "qui"):
        kinds.add("list")
    return Clause(text, tokens, kinds, list(dict.fromkeys(got("category", plain))),
                  any("attr" in m.kinds() and "category" in m.kinds() for m in matches),
                  list(dict.fromkeys(got("country"))), list(dict.fromkeys(got("place"))),
                  list(dict.fromkeys(got("nature"))),
                  list({id(r): r for r in got("entity")}.values()), "eu" in {k for m in matches for k in m.kinds()},
                  list(dict.fromkeys(got("region"))), years,
                  f"{years[0]}-{months[0]:02d}" if len(years) == 1 and months else None, numbers, got("qual"),
                  [v for v in got("top") if v], residual, understood, bool(YES_NO.search(text)),
                  bool(first and first.i == 0 and "follow" in first.kinds()), loose, located)


def _after_preposition(tokens: list[Token], i: int) -> bool:
    """Whether token `i` follows a preposition of place ("from Brazil", "au Brésil", "in the UK")."""
    before = [t.folded for t in tokens[max(0, i - 2):i]]
    if before and before[-1] in _ARTICLES:
        before = before[:-1]
    return bool(before) and before[-1] in _PLACE_PREPOSITIONS
