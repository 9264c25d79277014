"""The typed, JSON-serialisable answer that the chat page, the briefing and the evaluation all share."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class Passage(BaseModel):
    """A retrieved passage, in rank order."""

    rank: int
    chunk_id: str
    doc_id: str
    title: str
    text: str
    score: float = 0.0
    kind: str | None = None
    publisher: str | None = None
    date: str | None = None
    url: str | None = None
    language: str | None = None
    page: int | None = None
    form: str | None = None
    heading: str | None = None
    flagged: bool = Field(False, description="its document carries instructions aimed at an assistant: never quoted")

    @classmethod
    def from_metadata(cls, rank: int, chunk_id: str, text: str, score: float, meta: dict[str, Any]) -> Passage:
        return cls(rank=rank, chunk_id=chunk_id, doc_id=meta.get("doc_id", chunk_id.split("#")[0]),
                   title=meta.get("title", ""), text=text, score=score, kind=meta.get("kind"),
                   publisher=meta.get("publisher"), date=meta.get("date"), url=meta.get("url"),
                   language=meta.get("language"), page=meta.get("page"), form=meta.get("form"),
                   heading=meta.get("heading"), flagged=bool(meta.get("flagged")))


def passage_index(passages: list[Passage], chunk: Any) -> int:
    """The index of an indexed chunk (or a passage of one) among the passages, appended to them as a new passage
    when absent (the indices of the others unchanged)."""
    for i, passage in enumerate(passages):
        if passage.chunk_id == chunk.chunk_id:
            return i
    rank = len(passages) + 1
    passages.append(chunk.model_copy(update={"rank": rank}) if isinstance(chunk, Passage)
                    else Passage.from_metadata(rank, chunk.chunk_id, chunk.text, 1.0, chunk.metadata))
    return len(passages) - 1


def section_mark(heading: str | None, shown: str) -> str:
    """The section a passage stands in, as named beside its document's title ("§ Non-proliferation"); empty when
    the text shown of the passage gives it already (a passage opening with its heading, a registry row named by it)."""
    heading = " ".join((heading or "").split())
    return "" if heading in " ".join(shown.split()) else f"§ {heading}"


class Citation(BaseModel):
    """One numbered source: the exact quoted span (a substring of the chunk) and where it comes from."""

    marker: int
    doc_id: str
    chunk_id: str
    title: str
    quote: str
    start: int = Field(description="offset of the quote in the chunk text")
    end: int
    passage: str = Field(description="the whole chunk text, to show the quote in context")
    heading: str | None = Field(None, description="the heading of the section the quote stands in")
    publisher: str | None = None
    date: str | None = None
    url: str | None = None
    page: int | None = None
    kind: str | None = None
    language: str | None = None
    form: str | None = None


class Answer(BaseModel):
    """An answer with inline markers [n] in `text`, each resolved in `citations`."""

    question: str
    standalone_question: str = ""
    language: str = "en"
    text: str = ""
    lead: str = Field("", description="the value the direct answer `text` opens with states (a date, a count, a "
                      "name), as its quote gives it; empty when the answer has none")
    citations: list[Citation] = Field(default_factory=list)
    refused: bool = False
    passages: list[Passage] = Field(default_factory=list)
    related: list[Passage] = Field(default_factory=list, description="closest passages offered on refusal")
    backend: str = "extractive"
    notice: str = Field("", description="a message about how the answer was made (e.g. a fallback)")
    timings: dict[str, float] = Field(default_factory=dict, description="milliseconds per stage")
    registry_rows: list[dict[str, str]] = Field(
        default_factory=list, description="every supporters-registry row a registry answer is about (the full "
        "list behind a summary), with the registry's columns: for the sources panel's table and its CSV")

    def citation(self, marker: int) -> Citation | None:
        return next((c for c in self.citations if c.marker == marker), None)
