"""Structure-aware chunks: split at headings, paragraphs and pages; one chunk per registry row.

A prose chunk's text is exactly `document.text[start:end]`, so an answer can quote and highlight the
span in its source. Ids are stable: the document id, the chunk's place, and the document's content hash.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from corpus.document import Document

HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
MIN_WORDS = 4
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"“«(]?[A-Z0-9À-Ý])")


@dataclass
class Chunk:
    """A retrievable passage with everything needed to cite it."""

    chunk_id: str
    doc_id: str
    text: str
    start: int
    end: int
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return str(self.metadata.get("title", self.doc_id))

    @property
    def page(self) -> int | None:
        page = self.metadata.get("page")
        return int(page) if page else None

    def context_text(self) -> str:
        """What is embedded and indexed: the passage with its title and section heading before it."""
        heading = self.metadata.get("heading")
        head = f"{self.title} — {heading}" if heading else self.title
        return f"{head}\n{self.text}"

    def to_dict(self) -> dict[str, Any]:
        return {"chunk_id": self.chunk_id, "doc_id": self.doc_id, "text": self.text,
                "start": self.start, "end": self.end, "metadata": self.metadata}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Chunk:
        return cls(data["chunk_id"], data["doc_id"], data["text"], data["start"], data["end"],
                   dict(data.get("metadata", {})))


def document_metadata(doc: Document) -> dict[str, Any]:
    """The document's metadata as flat scalar fields (what Chroma can store and filter on)."""
    meta = doc.meta.model_dump(exclude_none=True, exclude={"note"})
    meta["doc_id"] = doc.doc_id
    meta["doc_hash"] = doc.content_hash
    date_key = doc.meta.date_key()
    if date_key is not None:
        meta["date_key"] = date_key
    return meta


def _blocks(text: str, base: int) -> list[tuple[int, int]]:
    """Spans of non-empty paragraphs (separated by blank lines), as absolute offsets."""
    spans = []
    for match in re.finditer(r"[^\n](?:.|\n(?!\s*\n))*", text):
        if match.group().strip():
            spans.append((base + match.start(), base + match.end()))
    return spans


def _split_long(text: str, start: int, end: int, max_chars: int) -> list[tuple[int, int]]:
    """Cut an over-long paragraph at sentence ends (or spaces) into pieces of at most max_chars."""
    pieces = []
    while end - start > max_chars:
        window = text[start:start + max_chars]
        cuts = [m.end() for m in SENTENCE_END.finditer(window) if m.end() > max_chars // 3]
        cut = cuts[-1] if cuts else (window.rfind(" ", max_chars // 2) + 1 or max_chars)
        piece_end = start + len(window[:cut].rstrip())
        pieces.append((start, piece_end))
        start += cut
        while start < end and text[start].isspace():
            start += 1
    if start < end:
        pieces.append((start, end))
    return pieces


def chunk_document(doc: Document, max_chars: int = 900) -> list[Chunk]:
    """Cut a document into chunks; see the module docstring."""
    base = document_metadata(doc)
    if doc.records:
        return [_record_chunk(doc, record, base) for record in doc.records]
    regions = [(p.start, p.end, p.page) for p in doc.pages] or [(0, len(doc.text), None)]
    chunks: list[Chunk] = []
    heading: str | None = None
    for region_start, region_end, page in regions:
        current: list[tuple[int, int]] = []
        current_heading = heading

        def flush() -> None:
            if current and len(re.findall(r"\w{2,}", doc.text[current[0][0]:current[-1][1]])) < MIN_WORDS:
                current.clear()  # a stray page number or lone heading is not worth a chunk
            if current:
                meta = dict(base)
                if current_heading:
                    meta["heading"] = current_heading
                if page is not None:
                    meta["page"] = page
                start, end = current[0][0], current[-1][1]
                local = f"p{page}-{len(chunks)}" if page is not None else str(len(chunks))
                chunk_id = f"{doc.doc_id}#{local}@{doc.content_hash[:8]}"
                chunks.append(Chunk(chunk_id, doc.doc_id, doc.text[start:end], start, end, meta))
                current.clear()

        for start, end in _blocks(doc.text[region_start:region_end], region_start):
            first_line = doc.text[start:end].split("\n", 1)[0]
            match = HEADING.match(first_line)
            if match:
                if any(not HEADING.match(doc.text[s:e].split("\n", 1)[0]) for s, e in current):
                    flush()
                heading = match.group(2).strip()
                if not current:
                    current_heading = heading
            for piece in _split_long(doc.text, start, end, max_chars):
                if current and piece[1] - current[0][0] > max_chars:
                    flush()
                    current_heading = heading
                current.append(piece)
        flush()
    return chunks


def _record_chunk(doc: Document, record: Any, base: dict[str, Any]) -> Chunk:
    fields = "; ".join(f"{name}: {value}" for name, value in record.fields.items() if value)
    text = f"{doc.meta.title}: {fields}"
    meta = dict(base)
    meta["row"] = record.index
    label = record.fields.get("name") or f"row {record.index}"
    meta["heading"] = label
    chunk_id = f"{doc.doc_id}#row-{record.index}@{doc.content_hash[:8]}"
    return Chunk(chunk_id, doc.doc_id, text, record.start, record.end, meta)
