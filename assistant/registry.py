"""Questions about the supporters registry, answered from its rows with exact counts and cited rows.

"Is X a supporter?", "How many states / companies from Japan…?", "Which Chinese companies…?", "When was X
listed?", in English and French. "Not found" is a real answer, with the nearest names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.prompts import REGISTRY
from assistant.verify import Claim
from index.chunking import Chunk
from index.glossary import fold

CATEGORIES = {
    "civil-society": r"civil[- ]society|ngos?|non-?profits?|associations?|societe civile|ong|"
                     r"organisations? de la societe civile|universit(?:y|ies|es?)|think[- ]tanks?",
    "state": r"states?|countr(?:y|ies)|governments?|nations?|etats?|pays|gouvernements?",
    "private-sector": r"compan(?:y|ies)|private[- ]sector|firms?|businesses|corporations?|entreprises?|"
                      r"secteur prive",
    "public-authority": r"public authorit(?:y|ies)|local authorit(?:y|ies)|autorites? publiques?|collectivites?",
}
COUNTRY_ALIASES = {
    "United States": "united states|usa|u\\.s\\.|american|americaines?|americains?|etats-unis|etats unis",
    "United Kingdom": "united kingdom|uk|britain|british|royaume-uni|britanniques?",
    "China": "china|chinese|chine|chinois(?:es?)?", "Russia": "russia|russian|russie|russes?",
    "France": "france|french|francais(?:es?)?", "Germany": "germany|german|allemagne|allemand(?:es?|s)?",
    "Japan": "japan|japanese|japon|japonais(?:es?)?", "India": "india|indian|inde|indien(?:nes?|s)?",
    "Canada": "canada|canadian|canadien(?:nes?|s)?", "Spain": "spain|spanish|espagne|espagnol(?:es?|s)?",
    "Italy": "italy|italian|italie|italien(?:nes?|s)?", "Switzerland": "switzerland|swiss|suisses?",
    "Poland": "poland|polish|pologne|polonais(?:es?)?", "Mexico": "mexico|mexican|mexique|mexicain(?:es?|s)?",
    "Netherlands": "netherlands|dutch|pays-bas|neerlandais(?:es?)?", "Belgium": "belgium|belgian|belgique|belges?",
    "South Korea": "south korea|korean|coree du sud|coreen(?:nes?|s)?", "Brazil": "brazil|brazilian|bresil|bresilien(?:nes?|s)?",
    "Ireland": "ireland|irish|irlande|irlandais(?:es?)?", "Australia": "australia|australian|australie|australien(?:nes?|s)?",
    "Nigeria": "nigeria|nigerian|nigerian(?:es?|s)?", "Romania": "romania|romanian|roumanie|roumain(?:es?|s)?",
    "Israel": "israel|israeli|israelien(?:nes?|s)?", "Ukraine": "ukraine|ukrainian|ukrainien(?:nes?|s)?",
}
REGISTRY_WORDS = re.compile(r"support|signator|signed|endors|listed|registry|backed|soutien|soutient|signataire|"
                            r"signe|registre|liste", re.IGNORECASE)
# A question about the past, about what a source says, or about something else than the registry's content.
NOT_REGISTRY = re.compile(r"\b(at (its )?launch|in 20\d\d|en 20\d\d|lors du lancement|au lancement|according|selon|"
                          r"d'apres|cite[sd]?|quoted|says?|said|dit|report|rapport|article|case stud|principle|"
                          r"principe|working group|groupe de travail|co-?chair|copresid|why|pourquoi|how did|comment|"
                          r"au depart|at first|initially|originally|at the start)\b",
                          re.IGNORECASE)
# A count about another time or counted by someone else is not the registry's own count.
NOT_REGISTRY_COUNT = re.compile(r"\b(when|quand|counted|count|compt\w*)\b", re.IGNORECASE)
COUNT_WORDS = re.compile(r"\b(how many|number of|combien|nombre de?)\b", re.IGNORECASE)
WHICH_WORDS = re.compile(r"\b(which|what|list|name|quels?|quelles?|lesquel(?:le)?s|liste[rz]?|nomme[rz]?)\b",
                         re.IGNORECASE)
LISTED_WORDS = re.compile(r"\b(when|since when|what date|quand|depuis quand|quelle date)\b.*\b(listed|list|"
                          r"registry|liste|registre|inscrit)", re.IGNORECASE)
IS_WORDS = re.compile(r"^\s*(is|are|was|has|have|did|does|do)\b|\b(est-ce que|-t-il|-t-elle|-il|-elle|-ils|-elles)\b"
                      r"|\b(soutient|soutiennent|figure|a-t-il|a-t-elle)\b.*\?", re.IGNORECASE)
LIST_LIMIT = 25



@dataclass
class Row:
    chunk: Chunk
    fields: dict[str, str]

    @property
    def name(self) -> str:
        return self.fields.get("name", "")


class Registry:
    """The supporters registry rows found in the index (documents of kind `registry` with a name column)."""

    def __init__(self, chunks: list[Chunk]) -> None:
        self.rows = [Row(c, c.metadata["fields"]) for c in chunks
                     if c.metadata.get("kind") == "registry" and "name" in c.metadata.get("fields", {})]
        self._names = {fold(r.name): r for r in self.rows if r.name}
        self.counts = [c for c in chunks if c.metadata.get("kind") == "registry" and c.metadata.get("computed")]
        self.countries = {r.fields.get("country", "") for r in self.rows} - {""}

    def __bool__(self) -> bool:
        return bool(self.rows)

    def find_name(self, question: str) -> Row | None:
        """The registry name the question mentions (longest match on word boundaries)."""
        folded = fold(question)
        best: Row | None = None
        for name, row in self._names.items():
            if (len(name) >= 3 and re.search(rf"(?<!\w){re.escape(name)}(?!\w)", folded)
                    and (best is None or len(name) > len(fold(best.name)))):
                best = row
        return best

    def starting_with(self, subject: str) -> Row | None:
        """The one registry name that begins with the subject's words ("Kaspersky" -> "Kaspersky Lab")."""
        folded = fold(subject)
        rows = [r for n, r in self._names.items() if len(folded) >= 3 and re.match(rf"{re.escape(folded)}\b", n)]
        return rows[0] if len(rows) == 1 else None

    def count_chunk(self, country: str | None, category: str | None, count: int) -> Chunk | None:
        """The computed-counts chunk that states this figure (see `index.chunking._count_chunks`)."""
        if country:
            wanted, needle = f"country={country}", (f" {category} {count}" if category else f": {count}")
        else:
            wanted, needle = None, f" {category} {count}"
        for chunk in self.counts:
            if (chunk.metadata.get("count_of") == wanted if wanted else "Rows by category" in chunk.text) \
                    and needle in chunk.text:
                return chunk
        return None

    def near_names(self, text: str, limit: int = 3) -> list[str]:
        from rapidfuzz import fuzz, process

        matches = process.extract(fold(text), list(self._names), scorer=fuzz.WRatio, limit=limit, score_cutoff=80)
        return [self._names[m[0]].name for m in matches]

    def country_in(self, question: str) -> str | None:
        folded = fold(question)
        for country, aliases in COUNTRY_ALIASES.items():
            if country in self.countries and re.search(rf"(?<!\w)(?:{aliases})(?!\w)", folded):
                return country
        for country in sorted(self.countries, key=len, reverse=True):
            if re.search(rf"(?<!\w){re.escape(fold(country))}(?!\w)", folded):
                return country
        return None


def category_in(question: str) -> str | None:
    folded = fold(question)
    for category, pattern in CATEGORIES.items():
        if re.search(rf"(?<!\w)(?:{pattern})(?!\w)", folded):
            return category
    return None


def _subject(question: str) -> str | None:
    """The name a yes/no question asks about: "Is Huawei a supporter?" -> "Huawei"."""
    match = re.search(r"^\s*(?:is|has|did|does|was)\s+(?:the\s+)?(.+?)\s+(?:a\s+|an\s+)?(?:supporter|signatory|"
                      r"sign|support|endorse|join|listed|member|backed)", question, re.IGNORECASE)
    if not match:
        match = re.search(r"^\s*(?:est-ce que\s+)?(?:l[ae']\s*|les\s+)?(.+?)(?:\s+a-t-(?:il|elle)|-t-(?:il|elle)|-(?:il|elle)|"
                          r"\s+(?:est|soutient|figure|a\s+sign))", question, re.IGNORECASE)
    return match.group(1).strip(" \"'«»") if match else None


GENERIC_NAMES = re.compile(r"^(paris call|appel de paris|call|appel|paris|registry|registre|supporters?|soutiens?|"
                           r"l'appel de paris|the paris call)$", re.IGNORECASE)


def _other_names(question: str, registry: Registry) -> bool:
    """Whether the question names something besides the Call, a country or a registry entry."""
    from assistant.followup import names_in

    for name in names_in(question):
        name = re.sub(r"['’]s$", "", name.strip(" ?.,;:!"))
        if (GENERIC_NAMES.match(fold(name)) or registry.country_in(name) or registry.find_name(name)
                or category_in(name)):
            continue
        if registry.starting_with(name):
            continue
        return True
    return False


def _row_claim(text: str, row: Row, index: int) -> Claim:
    return Claim(text, [index], {index: (0, len(row.chunk.text))}, value=row.name)


def answer_registry(question: str, language: str, registry: Registry) -> tuple[list[Claim], list[Chunk]] | None:
    """Claims citing registry rows (indices into the returned chunks), or None when not a registry question."""
    if not registry or not REGISTRY_WORDS.search(fold(question)) or NOT_REGISTRY.search(fold(question)):
        return None
    words = REGISTRY[language]
    category, country = category_in(question), registry.country_in(question)
    if COUNT_WORDS.search(question) or (WHICH_WORDS.search(question) and (category or country)
                                        and not registry.find_name(question)):
        if not (category or country) or NOT_REGISTRY_COUNT.search(fold(question)) or _other_names(question, registry):
            return None  # e.g. what a source counted, or at another time: not the registry's own figure
        rows = [r for r in registry.rows if (not category or r.fields.get("category") == category)
                and (not country or r.fields.get("country") == country)]
        what = _describe(category, country, language)
        head = words["count"].format(count=len(rows), what=what)
        source = registry.count_chunk(country, category, len(rows))
        if source is None:  # no figure to quote (e.g. zero rows): say it without a citation
            return [Claim(head + ".", frame=True)], []
        chunks = [source]
        claims = [Claim(head + ("." if COUNT_WORDS.search(question) else ":"), [0], {0: (0, len(source.text))},
                        value=str(len(rows)))]
        if not COUNT_WORDS.search(question):
            for row in rows[:LIST_LIMIT]:
                chunks.append(row.chunk)
                claims.append(_row_claim(f"- {row.name} ({row.fields.get('category') or '?'}, "
                                         f"{row.fields.get('country') or '?'})", row, len(chunks) - 1))
            if len(rows) > LIST_LIMIT:
                claims.append(Claim("- " + words["more"].format(more=len(rows) - LIST_LIMIT), frame=True))
        return claims, chunks
    row = registry.find_name(question)
    if row is not None and LISTED_WORDS.search(fold(question)):
        since = row.fields.get("listed_since", "")
        claims = [_row_claim(words["listed"].format(name=row.name, since=since) + ".", row, 0)]
        if since <= "2019-11-10":
            claims.append(Claim(words["listed_note"] + ".", frame=True))
        return claims, [row.chunk]
    if IS_WORDS.search(question):
        subject = _subject(question)
        if subject and re.search(r"[\[\]<>{}`]", subject):
            subject = None  # markup is not a name: never repeat it back
        if row is None and subject:
            country = registry.country_in(subject)
            row = registry.starting_with(subject) or (registry.find_name(country) if country else None)
        if row is not None:
            text = words["is_supporter"].format(name=row.name, category=row.fields.get("category") or "?",
                                                country=row.fields.get("country") or "?",
                                                since=row.fields.get("listed_since") or "?")
            return [_row_claim(text + ".", row, 0)], [row.chunk]
        if subject and len(subject) <= 80 and not re.search(r"\b(paris call|appel)\b", fold(subject)):
            claims = [Claim(words["not_found"].format(name=subject), frame=True)]
            near = [] if registry.country_in(subject) else registry.near_names(subject)
            if near:
                claims.append(Claim(words["near"].format(names=", ".join(near)) + ".", frame=True))
            return claims, []
    return None


def _describe(category: str | None, country: str | None, language: str) -> str:
    labels = {"en": {"state": "states", "private-sector": "private-sector supporters",
                     "civil-society": "civil-society supporters", "public-authority": "public authorities",
                     None: "supporters"},
              "fr": {"state": "États", "private-sector": "soutiens du secteur privé",
                     "civil-society": "soutiens de la société civile", "public-authority": "autorités publiques",
                     None: "soutiens"}}[language]
    text = labels[category]
    if country:
        text += f" from {country}" if language == "en" else f" (pays : {country})"
    return text
