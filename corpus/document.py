"""What a read document is: its metadata, its text, and where its pages and rows sit in that text."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

DATE_PATTERN = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


class DocMeta(BaseModel):
    """Metadata of one document (front matter or `.meta.yaml` sidecar). Unknown keys are ignored."""

    model_config = ConfigDict(extra="ignore")

    title: str = Field(min_length=1, description="Title of the document")
    kind: str = Field(min_length=1, description="declaration, statement, news, report, registry, ...")
    language: Literal["en", "fr"] = Field(description="Language of the document")
    publisher: str | None = None
    author: str | None = None
    date: str | None = Field(default=None, description="YYYY-MM-DD, YYYY-MM or YYYY")
    url: str | None = None
    form: str | None = Field(default=None, description="`digest` for a summary written for the corpus")
    note: str | None = None

    @field_validator("title", "kind", "publisher", "author", "url", "form", "note", mode="before")
    @classmethod
    def _text(cls, value: Any) -> Any:
        if value is None or isinstance(value, str):
            return value.strip() if isinstance(value, str) else value
        if isinstance(value, (int, float)):
            return str(value)
        raise ValueError(f"expected text, got {type(value).__name__}")

    @field_validator("date", mode="before")
    @classmethod
    def _date(cls, value: Any) -> str | None:
        if value is None or value == "":
            return None
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            return value.isoformat()
        text = str(value).strip()
        if not DATE_PATTERN.match(text):
            raise ValueError(f"bad date {text!r}: expected YYYY-MM-DD, YYYY-MM or YYYY")
        parts = [int(p) for p in text.split("-")]
        try:
            dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
        except ValueError as exc:
            raise ValueError(f"bad date {text!r}: {exc}") from None
        return text

    def date_key(self) -> int | None:
        """The date as a sortable integer YYYYMMDD (missing month or day count as 00)."""
        if not self.date:
            return None
        parts = [int(p) for p in self.date.split("-")] + [0, 0]
        return parts[0] * 10000 + parts[1] * 100 + parts[2]


@dataclass(frozen=True)
class PageSpan:
    """A PDF page: its number (1-based) and its character span in the document text."""

    page: int
    start: int
    end: int


@dataclass(frozen=True)
class Record:
    """One row of a CSV document: its fields and the character span of its line in the file."""

    index: int
    fields: dict[str, str]
    start: int
    end: int


@dataclass
class Document:
    """A document read from the corpus folder. `doc_id` is its path relative to that folder."""

    doc_id: str
    meta: DocMeta
    text: str
    format: Literal["markdown", "text", "pdf", "csv", "html"]
    content_hash: str
    pages: list[PageSpan] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)

    def page_at(self, offset: int) -> int | None:
        """The PDF page that holds a character offset, or None for documents without pages."""
        for span in self.pages:
            if span.start <= offset < span.end:
                return span.page
        return self.pages[-1].page if self.pages and offset >= self.pages[-1].end else None
