"""Metadata filters (kind, language, publisher, date range), for Chroma and for in-memory matching."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


def _date_key(date: str | None, end: bool = False) -> int | None:
    """`YYYY[-MM[-DD]]` as YYYYMMDD; a partial end date covers its whole year or month."""
    if not date:
        return None
    parts = [int(p) for p in date.split("-")]
    if end:
        parts += [99, 99]
    else:
        parts += [0, 0]
    return parts[0] * 10000 + parts[1] * 100 + parts[2]


@dataclass(frozen=True)
class Filters:
    """Which chunks a search may return. Empty fields do not filter."""

    kinds: tuple[str, ...] = field(default_factory=tuple)
    languages: tuple[str, ...] = field(default_factory=tuple)
    publishers: tuple[str, ...] = field(default_factory=tuple)
    date_from: str | None = None
    date_to: str | None = None

    def is_empty(self) -> bool:
        return not (self.kinds or self.languages or self.publishers or self.date_from or self.date_to)

    def matches(self, meta: dict[str, Any]) -> bool:
        if self.kinds and meta.get("kind") not in self.kinds:
            return False
        if self.languages and meta.get("language") not in self.languages:
            return False
        if self.publishers and meta.get("publisher") not in self.publishers:
            return False
        key = meta.get("date_key")
        low, high = _date_key(self.date_from), _date_key(self.date_to, end=True)
        if (low is not None or high is not None) and key is None:
            return False
        if low is not None and key < low:
            return False
        return not (high is not None and key > high)

    def to_chroma_where(self) -> dict[str, Any] | None:
        clauses: list[dict[str, Any]] = []
        for name, values in (("kind", self.kinds), ("language", self.languages), ("publisher", self.publishers)):
            if values:
                clauses.append({name: {"$in": list(values)}})
        if self.date_from:
            clauses.append({"date_key": {"$gte": _date_key(self.date_from)}})
        if self.date_to:
            clauses.append({"date_key": {"$lte": _date_key(self.date_to, end=True)}})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}
