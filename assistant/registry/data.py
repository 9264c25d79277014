"""The supporters registry as found in the index: its rows, the count tables computed from them at indexing
time (`index.chunking._count_chunks`), and the figures those tables state.

Every figure an answer gives comes from `Registry.figure`, which returns the count table chunk and the
exact span that states it, so the answer can cite it; nothing is counted here that the tables do not say. The
one exception is a world region's count (`REGION`), which no table gives: the answer lists the rows it counts,
each cited.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass
from functools import cached_property

from assistant.registry.regions import by_key, holds
from index.chunking import Chunk
from index.glossary import fold

TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
DATE_COLUMN = "listed_since"
YEAR = f"year of {DATE_COLUMN}"  # the pseudo-column of the per-year tables
REGION = "region"  # the pseudo-column of world regions (`assistant.registry.regions`), by country code
LEGAL = re.compile(r"\s+(?:inc\.?|ltd\.?|llc|corp\.?|corporation|group|gmbh|ag|s\.?a\.?|plc|lab|labs|limited|co\.?)$",
                   re.IGNORECASE)
ALIASES = {"Facebook": ["Meta", "Meta Platforms"], "HP Inc": ["Hewlett-Packard", "HP"],
           "HPE": ["Hewlett Packard Enterprise", "HP Enterprise"], "European Union": ["EU", "UE", "Union européenne"]}


def words(text: str) -> list[str]:
    """Accent- and case-folded word tokens ("l'Union européenne" -> ["l", "union", "europeenne"])."""
    return TOKEN.findall(fold(text.replace("œ", "oe").replace("Œ", "Oe").replace("æ", "ae")))


def norm(text: str) -> str:
    return " ".join(words(text))


@dataclass
class Row:
    chunk: Chunk
    fields: dict[str, str]

    @property
    def name(self) -> str:
        return self.fields.get("name", "")

    def get(self, column: str) -> str:
        return (self.fields.get(column) or "").strip()


@dataclass
class Figure:
    """A count stated by a count table: the chunk, the quoted span (from the table's start to the figure),
    the figure, and `item`, the exact text that states it ("private-sector 106")."""

    chunk: Chunk
    end: int
    count: int
    item: str


@dataclass
class Table:
    chunk: Chunk
    total: tuple[int, int, str] | None  # (count, end offset, item)
    tallies: dict[str, dict[str, tuple[int, int, str]]]  # column -> value -> (count, end offset, item)
    segments: dict[str, tuple[int, int]]  # column -> span of its whole tally


def _parse_table(chunk: Chunk) -> tuple[tuple[str, str] | None, Table]:
    text, key = chunk.text, None
    total = None
    label = chunk.metadata.get("count_of")
    head = re.search(r"counts computed from its (\d+) rows", text)
    if head:
        total = (int(head.group(1)), head.end(), f"its {head.group(1)} rows")
    elif label and "=" in label:
        column, value = label.split("=", 1)
        match = re.search(rf"rows with {re.escape(column)} (in )?{re.escape(value)}: (\d+)", text)
        if match:
            key = (YEAR if match.group(1) else column, value.strip())
            total = (int(match.group(2)), match.end(), match.group(0))
    tallies: dict[str, dict[str, tuple[int, int, str]]] = {}
    segments: dict[str, tuple[int, int]] = {}
    for seg in re.finditer(r"\b(?:Rows by|by) ((?:year of )?[\w ]+?): (.+?)(?=; by |\.$|\. Rows by |$)", text):
        column, body, base = seg.group(1), seg.group(2), seg.start(2)
        segments[column] = (base, seg.end(2))
        for item in re.finditer(r"(?:^|(?<=, ))(.+?) (\d+)(?=, |$)", body):
            value = "" if item.group(1) == "(blank)" else item.group(1)
            tallies.setdefault(column, {})[value] = (int(item.group(2)), base + item.end(), item.group(0))
    return key, Table(chunk, total, tallies, segments)


def _common_words(prose: list[Chunk]) -> frozenset[str]:
    """Words the documents mostly write in lower case ("create", "dialogue", "arm"): typed in lower case, such
    a word is the word, not the supporter of that name ("does signing create obligations" is not about CREATE).
    """
    lower: Counter[str] = Counter()
    named: Counter[str] = Counter()
    for chunk in prose:
        for word in re.findall(r"\b\w{3,}\b", chunk.text):
            (lower if word.islower() else named)[word.lower()] += 1
    return frozenset(w for w, n in lower.items() if n >= 3 and n > named[w])


class Registry:
    """The supporters registry rows found in the index (documents of kind `registry` with a name column)."""

    def __init__(self, chunks: list[Chunk]) -> None:
        registry = [c for c in chunks if c.metadata.get("kind") == "registry"]
        self.rows = [Row(c, c.metadata["fields"]) for c in registry if "name" in c.metadata.get("fields", {})]
        self.counts = [c for c in registry if c.metadata.get("computed")]
        self.tables: dict[tuple[str, str] | None, Table] = {}
        self.overall: list[Table] = []
        self._clashes: set[tuple[str, str]] = set()
        for chunk in self.counts:
            key, table = _parse_table(chunk)
            if chunk.metadata.get("count_of") is None:
                self.overall.append(table)
            elif key is not None:
                clash = key in self.tables or key in self._clashes
                if clash:
                    self._clashes.add(key)
                self.tables[key] = table
        for key in self._clashes:  # "Association professionnelle" and "Association professionnelle ": two tables
            self.tables.pop(key, None)  # for one stripped value, neither complete; the tallies are used instead
        dates = sorted(d for r in self.rows if re.match(r"^\d{4}-\d{2}-\d{2}$", d := r.get(DATE_COLUMN)))
        self.earliest = dates[0] if dates else ""  # the registry's history starts here: derived from the rows
        self.latest = dates[-1] if dates else ""
        self.years = sorted({d[:4] for d in dates})
        self.common_words = _common_words([c for c in chunks if c.metadata.get("kind") != "registry"])

    def __bool__(self) -> bool:
        return bool(self.rows)

    def values(self, column: str) -> list[str]:
        """The distinct (stripped) values of a column, blanks excluded."""
        return sorted({r.get(column) for r in self.rows} - {""})

    @cached_property
    def states(self) -> dict[str, Row]:
        """State rows by country name."""
        return {r.get("country") or r.name: r for r in self.rows if r.get("category") == "state"}

    @cached_property
    def variants(self) -> dict[str, list[Row]]:
        """Folded name variants -> rows: the name, without a leading article, without a bracketed
        part, the bracketed acronym, without a legal suffix, and a few known other names."""
        out: dict[str, list[Row]] = {}
        for row in self.rows:
            name = row.name.strip()
            if not name:
                continue
            base = re.sub(r"\s*\([^)]*\)\s*", " ", name).strip()
            forms = {name, base, LEGAL.sub("", base), *re.findall(r"\(\s*([A-Z][\w&.-]{1,})\s*\)", name),
                     *ALIASES.get(name, [])}
            forms |= {re.sub(r"^(?:the|la|le|les|l')\s*", "", f, flags=re.IGNORECASE) for f in forms}
            for form in forms:
                key = norm(form)
                if key and row not in out.setdefault(key, []):
                    out[key].append(row)
        return out

    def matching(self, selection: dict[str, list[str]]) -> list[Row]:
        """The rows whose columns take one of the selected values ("" = blank; YEAR = year of listing;
        a YYYY-MM value of the date column selects a month; REGION = a region holding the row's country)."""
        def ok(row: Row, column: str, values: list[str]) -> bool:
            if column == REGION:
                return any(holds(by_key()[v], row.get("country_code"), row.get("country")) for v in values)
            if column == YEAR:
                return row.get(DATE_COLUMN)[:4] in values
            if column == DATE_COLUMN:
                return any(row.get(DATE_COLUMN).startswith(v) for v in values)
            return row.get(column) in values

        return [r for r in self.rows if all(ok(r, c, v) for c, v in selection.items())]

    def figure(self, selection: dict[str, list[str]]) -> list[Figure] | None:
        """The figures (one per combination of selected values) that the count tables state for this
        selection, or None when some combination is not in any table."""
        columns = list(selection)
        figures = []
        for combination in itertools.product(*(selection[c] for c in columns)):
            found = self._one(dict(zip(columns, combination, strict=True)))
            if found is None:
                return None
            figures.append(found)
        return figures

    def _one(self, wanted: dict[str, str]) -> Figure | None:
        if not wanted:
            table = next((t for t in self.overall if t.total), None)
            return Figure(table.chunk, table.total[1], table.total[0], table.total[2]) if table and table.total else None
        items = list(wanted.items())
        for (column, value), rest in ((items[i], items[:i] + items[i + 1:]) for i in range(len(items))):
            if len(rest) > 1:
                continue
            table = self.tables.get((column, value))
            if table is not None and not rest and table.total:
                return Figure(table.chunk, table.total[1], table.total[0], table.total[2])
            if table is not None and rest:
                other, other_value = rest[0]
                hit = table.tallies.get(other, {}).get(other_value)
                if hit is not None:
                    return Figure(table.chunk, hit[1], hit[0], hit[2])
        if len(items) == 1:
            column, value = items[0]
            for table in self.overall:
                hit = table.tallies.get(column, {}).get(value)
                if hit is not None:
                    return Figure(table.chunk, hit[1], hit[0], hit[2])
        return None

    def breakdown(self, selection: dict[str, list[str]], column: str) -> tuple[Table, str] | None:
        """The table and tally segment giving the selection's rows per value of `column`."""
        if not selection:
            table = next((t for t in self.overall if column in t.segments), None)
        elif len(selection) == 1 and len(next(iter(selection.values()))) == 1:
            (key, [value]), = selection.items()
            table = self.tables.get((key, value))
        else:
            return None
        if table is None or column not in table.segments:
            return None
        start, end = table.segments[column]
        return table, table.chunk.text[start:end]
