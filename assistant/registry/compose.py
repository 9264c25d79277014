"""Registry answers composed as claims for citation verification: one supporter's entry, a count with its
breakdown, a list (whole when short, else its first names), where most, the latest and the listing years.

Every figure is quoted from a count table (`Registry.figure`, `Registry.breakdown`), every name from its row;
sentences that state no fact of their own (notes, list heads over cited parts) are frames.
"""

from __future__ import annotations

from dataclasses import replace

from assistant.prompts import REGISTRY
from assistant.registry.data import DATE_COLUMN, REGION, YEAR, Figure, Registry, Row
from assistant.registry.lexicon import Lexicon
from assistant.registry.query import RegistryQuery, Selection
from assistant.registry.regions import by_key
from assistant.registry.text import (
    category_label,
    category_name,
    country_in,
    country_name,
    date_text,
    de,
    describe,
    meaning_label,
    nature_label,
    number,
    row_details,
    row_name,
    subject_name,
    tally_text,
)
from assistant.verify import Claim
from index.chunking import Chunk
from index.glossary import fold

LIST_ALL = 12  # a list this long or shorter is given whole
LIST_FIRST = 10  # else its first names, and the full list in the table
TOP = 5


class Draft:
    """Claims being composed, the chunks they cite, and the rows behind them."""

    def __init__(self, registry: Registry, lex: Lexicon, language: str) -> None:
        self.registry, self.lex, self.language = registry, lex, language
        self.words = REGISTRY[language]
        self.claims: list[Claim] = []
        self.chunks: list[Chunk] = []
        self.rows: list[Row] = []
        self.documents_query: str | None = None
        self.answered: list[Selection] = []  # counts already given (not repeated by a later clause)

    # -- citing ---------------------------------------------------------------------------------------
    def _index(self, chunk: Chunk) -> int:
        for i, known in enumerate(self.chunks):
            if known.chunk_id == chunk.chunk_id:
                return i
        self.chunks.append(chunk)
        return len(self.chunks) - 1

    def frame(self, text: str) -> None:
        self.claims.append(Claim(text, frame=True))

    def cite_figure(self, text: str, figure: Figure) -> None:
        i = self._index(figure.chunk)
        self.claims.append(Claim(text, [i], {i: (0, figure.end)}, value=figure.item))

    def cite_segment(self, text: str, chunk: Chunk, start: int, item: str) -> None:
        """Cite `item`, the text at `start` of the chunk (a prefix of a count table's tally)."""
        i = self._index(chunk)
        assert chunk.text[start:start + len(item)] == item
        self.claims.append(Claim(text, [i], {i: (0, start + len(item))}, value=item))

    def cite_row(self, text: str, row: Row) -> None:
        i = self._index(row.chunk)
        self.claims.append(Claim(text, [i], {i: (0, len(row.chunk.text))}, value=row.name))

    # -- composing ------------------------------------------------------------------------------------
    def add(self, q: RegistryQuery) -> None:
        for typed, meant in q.understood:
            self.frame(self.words["understood"].format(typed=typed, meant=meaning_label(meant, self.language)))
        if q.kind == "entity":
            self._entity(q)
        elif q.kind == "top":
            self._top(q)
        elif q.kind in ("latest", "dates"):
            self._dated(q)
        elif q.selection not in self.answered:
            self.answered.append(q.selection)
            self._count(q)
        elif q.kind == "list":  # "how many companies joined in 2021, and which ones?": the names, once
            rows = self.registry.matching(self.columns(q.selection))
            if len(rows) > LIST_ALL:
                self.frame(self.words["first"].format(shown=LIST_FIRST))
            self._list(rows, with_date=bool(q.selection.years or q.selection.month))

    def columns(self, s: Selection) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        if s.category is not None:
            out["category"] = [s.category]
        if s.country is not None:
            out["country"] = [s.country]
        if s.region is not None:
            out[REGION] = [s.region]
        if s.nature is not None:
            out["nature"] = self.lex.natures(s.nature) or [s.nature]
        if s.month:
            out[DATE_COLUMN] = [s.month]
        elif s.years:
            out[YEAR] = list(s.years)
        return out

    def _entity(self, q: RegistryQuery) -> None:
        subject, w, lang = q.subject, self.words, self.language
        assert subject is not None
        row = subject.row
        if row is None and subject.country:
            name = subject_name(subject.text, subject.country, lang, start=True)
            self.frame(w["not_state"].format(name=name, **_verbs(name)))
            self.answered.append(Selection(country=subject.country))
            if not self._count(RegistryQuery("count", Selection(country=subject.country)), either=True):
                self.frame(w["none_either"].format(country=country_in(subject.country, lang)))
            return
        if row is None:
            self.frame(w["not_found"].format(name=subject.text))
            near = [n for n in self.lex.near_names(subject.text) if fold(n) != fold(subject.text)]
            if near:
                self.frame(w["near"].format(names=", ".join(near)))
            return
        self.rows.append(row)
        since = row.get(DATE_COLUMN)
        earliest = bool(since) and since == self.registry.earliest
        if q.asks_date:
            self.documents_query = (f"When did {row.name} join the Paris Call?" if lang == "en"
                                    else f"Quand {row.name} a-t-il rejoint l'Appel de Paris ?")
        if not q.asks_date or q.yes_no or q.full:
            category, country = row.get("category"), row.get("country")
            as_what = (w["as_state"] if category == "state" else w["no_category"] if not category
                       else w["as_category"].format(category=_category_singular(category, lang)))
            nature = row.get("nature")
            where = "" if category == "state" else (w["no_country"] if not country else
                                                     w["based_in"].format(country=_country(country, lang)))
            text = w["listed"].format(
                name=row_name(row, lang, start=True), **_verbs(row_name(row, lang)), as_what=as_what,
                nature=w["nature"].format(nature=_nature(nature, lang)) if nature and category != "state" else "",
                where=where, since=w["listed_since"].format(
                    date=date_text(since, lang), first_day=w["first_day"] if earliest and not q.asks_date else "")
                if since else "")
            self.cite_row((w["yes"] if q.yes_no else "") + text, row)
        if q.asks_date and since:
            if not (q.yes_no or q.full):
                self.cite_row(w["since"].format(name=row_name(row, lang, start=True), date=date_text(since, lang),
                                                **_verbs(row_name(row, lang))), row)
            self.frame(w["since_earliest"] if earliest
                       else w["since_later"].format(start=date_text(self.registry.earliest, lang)))

    def _count(self, q: RegistryQuery, either: bool = False) -> bool:
        """Count (and for lists, name) the selected supporters; False when there are none."""
        w, lang, s = self.words, self.language, q.selection
        columns = self.columns(s)
        rows = self.registry.matching(columns)
        self.rows += rows
        what = describe(s, lang, len(rows))
        yes_no = q.kind == "exists"
        if not rows:
            if not either:
                self.frame(w["count_none_yes_no" if yes_no else "count_none"].format(
                    what=describe(s, lang), de_what=de(describe(s, lang), lang) if lang == "fr" else describe(s, lang)))
            return False
        listing = q.kind in ("list", "exists") or s.region is not None  # a region's count has no table: its rows
        for column, values in columns.items():  # only the values that have rows: a table states no zero
            if len(values) > 1:
                columns[column] = [v for v in values if any(
                    (r.get(DATE_COLUMN)[:4] if column == YEAR else r.get(column)) == v for r in rows)]
        figures = self.registry.figure(columns)
        if figures and (sum(f.count for f in figures) != len(rows) or sum(len(v) > 1 for v in columns.values()) > 1):
            figures = None  # the tables and the rows disagree, or parts too many to say: quote nothing
        whole = listing and len(rows) <= LIST_ALL  # the list follows the count at once
        head = w["count"].format(count=number(len(rows), lang), what=what) + (
            (" :" if lang == "fr" else ":") if whole else ".")
        if yes_no:
            head = w["yes"] + head
        if figures and len(figures) == 1:
            self.cite_figure(head, figures[0])
        elif figures:
            self.frame(w["count_in_all"].format(count=number(len(rows), lang), what=what))
            for column, values in columns.items():
                if len(values) > 1:
                    for value, figure in zip(values, figures, strict=True):
                        key = "part_year" if column == YEAR else "part_value"
                        self.cite_figure(w[key].format(count=number(figure.count, lang), year=value, value=value,
                                                       column=column), figure)
        else:
            self.frame(head)
        for word in q.qualifiers[:1]:
            self.frame(w["qualifier"].format(word=word, what=describe(replace(s, years=(), month=None), lang)))
        if s.category is None and len({r.get("category") for r in rows}) > 1 and not whole:
            self._tally(columns, "category", None, w["by_category"])
        if not listing and s.country is None and len({r.get("country") for r in rows}) < len(rows) > 20:
            self._tally(columns, "country", TOP, w["by_country"])
        if listing:
            first = TOP if yes_no else LIST_FIRST
            if not whole:
                self.frame(("- " if figures and len(figures) > 1 else "") + w["first"].format(shown=first))
            self._list(rows, with_date=bool(s.years or s.month), first=first)
        if s.region is not None and by_key()[s.region].geographic:
            self.frame(w["region_note"])
        return True

    def _tally(self, columns: dict[str, list[str]], column: str, limit: int | None, template: str) -> bool:
        found = self.registry.breakdown(columns, column)
        if found is None:
            return False
        table, segment = found
        items = segment.split(", ")[:limit]
        while items and limit and items[-1].startswith("(blank)"):
            items.pop()
        item = ", ".join(items)
        self.cite_segment(template.format(parts=tally_text(item, column, self.language)), table.chunk,
                          table.segments[column][0], item)
        return True

    def _list(self, rows: list[Row], with_date: bool, first: int = LIST_FIRST) -> None:
        shown = rows if len(rows) <= LIST_ALL else rows[:first]
        for row in shown:
            self.cite_row(self.words["row"].format(name=row_name(row, self.language, bare=True),
                                                   details=row_details(row, self.language, with_date)), row)
        if len(rows) > len(shown):
            self.frame(self.words["more"].format(more=number(len(rows) - len(shown), self.language)))

    def _top(self, q: RegistryQuery) -> None:
        columns = self.columns(q.selection)
        found = self.registry.breakdown(columns, q.dimension)
        if found is None:
            self._count(replace(q, kind="count"))
            return
        table, segment = found
        items = segment.split(", ")[:TOP + 1]
        items = items[:TOP] if not any(i.startswith("(blank)") for i in items[:TOP]) else items
        item = ", ".join(items)
        text = self.words["top"].format(dimension=self.words["dimensions"][q.dimension],
                                        what=describe(replace(q.selection, country=None), self.language),
                                        parts=tally_text(item, q.dimension, self.language))
        self.cite_segment(text, table.chunk, table.segments[q.dimension][0], item)

    def _dated(self, q: RegistryQuery) -> None:
        w, lang, s = self.words, self.language, q.selection
        columns = self.columns(s)
        rows = sorted(self.registry.matching(columns), key=lambda r: r.get(DATE_COLUMN), reverse=q.kind == "latest")
        if not rows:
            self.frame(w["count_none"].format(what=describe(s, lang), de_what=de(describe(s, lang), lang)))
            return
        if q.kind == "latest":  # the five latest, and those listed the same day as the fifth
            cut = rows[min(len(rows), TOP) - 1].get(DATE_COLUMN)
            rows = [r for r in rows if r.get(DATE_COLUMN) >= cut][:LIST_ALL]
            self.rows += rows
            self.frame(w["latest"].format(what=describe(s, lang)))
            self._list(rows, with_date=True)
            return
        self.rows += rows
        years = sorted({r.get(DATE_COLUMN)[:4] for r in rows if r.get(DATE_COLUMN)})
        figures = [self.registry.figure({**columns, YEAR: [y]}) for y in years] if len(rows) > LIST_ALL else []
        self.frame(w["dates_note"].format(start=date_text(self.registry.earliest, lang)))
        if figures and all(f and len(f) == 1 for f in figures):
            self.frame(w["dates"].format(what=describe(s, lang)))
            for year, found in zip(years, figures, strict=True):
                self.cite_figure(w["part_year"].format(year=year, count=number(found[0].count, lang)), found[0])
        else:
            self.frame(w["dates_rows"].format(what=describe(s, lang)))
            self._list(rows, with_date=True)


def _category_singular(category: str, language: str) -> str:
    return category_label(category, language, False) if language == "en" else category_name(category, language)


def _country(country: str, language: str) -> str:
    return country_name(country, language, article=language == "en")


def _nature(nature: str, language: str) -> str:
    return nature_label(nature, language)


def _verbs(name: str) -> dict[str, str]:
    """French verbs agreeing with a plural name ("Les États-Unis figurent")."""
    plural = name.lower().startswith("les ")
    return {"figure": "figurent" if plural else "figure", "apparait": "apparaissent" if plural else "apparaît"}
