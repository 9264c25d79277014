"""Structure-aware chunks: split at headings, paragraphs and pages; one chunk per registry row.

A Markdown section's heading is its `#` line; a PDF's is found from its layout (`_pdf_headings`: short lines
before a paragraph, or a running title in capitals). Each chunk carries the heading of its section.

A prose chunk's text is exactly `document.text[start:end]`, so an answer can quote and highlight the
span in its source. Ids are stable: the document id, the chunk's place, and the document's content hash.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from corpus.document import Document

HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
LINE = re.compile(r"[^\n]+")
WORD = re.compile(r"[^\W\d_]{3}")
PDF_HEADING_CHARS = 80  # longest line of a PDF that may be (part of) a heading
PDF_HEADING_RUN = 3  # most lines of one PDF heading
PDF_BODY_CHARS = 60  # shortest paragraph a PDF heading must be followed by
MIN_WORDS = 4
CHUNKER_VERSION = 3  # bump when chunking changes: every chunk gets a new id and is embedded again
DATE_VALUE = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")
BLOCK = re.compile(r"[^\n](?:.|\n(?![^\S\n]*\n))*")
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

    @property
    def embedded(self) -> bool:
        """Whether the passage gets a vector. A count table computed from a table's rows does not: its long
        lists of names look like everything to a vector model, so it is found by its words only (BM25)."""
        return not self.metadata.get("computed")

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
    # A blank line is a newline followed by a line of whitespace only; `[^\S\n]*` (not `\s*`) keeps the
    # look-ahead within one line, so a long run of whitespace lines costs linear, not quadratic, time.
    for match in BLOCK.finditer(text):
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


def chunk_version(doc: Document, max_chars: int) -> str:
    """The id suffix: changes with the document's content, the chunking code or the chunk size."""
    return hashlib.sha256(f"{doc.content_hash}:{CHUNKER_VERSION}:{max_chars}".encode()).hexdigest()[:8]


def _make_chunk(doc: Document, base: dict[str, Any], spans: list[tuple[int, int]], heading: str | None,
                page: int | None, number: int, version: str) -> Chunk | None:
    start, end = spans[0][0], spans[-1][1]
    if len(re.findall(r"\w{2,}", doc.text[start:end])) < MIN_WORDS:
        return None  # a stray page number or lone heading is not worth a chunk
    meta = dict(base)
    if heading:
        meta["heading"] = heading
    if page is not None:
        meta["page"] = page
    local = f"p{page}-{number}" if page is not None else str(number)
    return Chunk(f"{doc.doc_id}#{local}@{version}", doc.doc_id, doc.text[start:end], start, end, meta)


def _lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of the non-empty lines of a PDF page: each is a paragraph (`corpus.pdftext` joins a
    paragraph's lines)."""
    return [(start + m.start(), start + m.end()) for m in LINE.finditer(text[start:end]) if m.group().strip()]


def _heading_like(line: str, first: bool = True) -> bool:
    """A short line that could title a section (or, not `first`, carry on a title: "Protect individuals and"
    / "infrastructure"): the first opens with a capital; none ends a sentence or a list item, nor is a web
    address or a page number."""
    return (len(line) <= PDF_HEADING_CHARS and (line[:1].isupper() or not first)
            and line[-1] not in ".,;:!?\"”»)" and "://" not in line and "www." not in line
            and bool(WORD.search(line)))


def _running_title(line: str) -> bool:
    """A line in capitals at a page's top or foot: the title of the section the page belongs to."""
    letters = [c for c in line if c.isalpha()]
    return len(line) <= 2 * PDF_HEADING_CHARS and len(letters) >= 10 and sum(map(str.isupper, letters)) >= 0.8 * len(letters)


def _pdf_headings(text: str, lines: list[tuple[int, int]]) -> tuple[str | None, list[str | None]]:
    """The title of the section a PDF page belongs to (a running title in capitals, or None), and for each
    line of the page the heading it opens (a run of at most `PDF_HEADING_RUN` heading-like lines followed by
    a paragraph: "Paris Call Principle #5" / "Non-proliferation" / "Digital…"), "" for the run's other lines,
    or None for the page's other lines. A signature or a caption at a page's foot is followed by no
    paragraph, so it titles nothing; a page of short lines (contents, a cover: two thirds of its lines) has no headings."""
    texts = [text[start:end].strip() for start, end in lines]
    heads: list[str | None] = [None] * len(texts)
    if 3 * sum(map(_heading_like, texts)) > 2 * len(texts):
        return None, heads
    i = 0
    while i < len(texts):
        j = i
        while j < len(texts) and j - i < PDF_HEADING_RUN and _heading_like(texts[j], first=j == i):
            j += 1
        if i < j < len(texts) and len(texts[j]) >= PDF_BODY_CHARS:
            heads[i:j] = [" ".join(texts[i:j])] + [""] * (j - i - 1)
            i = j
        else:
            i += 1
    titles = [line for line in texts[:1] + texts[-1:] if _running_title(line)]
    return (titles[0] if titles else None), heads


def _markdown_headings(text: str, blocks: list[tuple[int, int]]) -> list[str | None]:
    """For each paragraph, the Markdown heading on its first line, or None."""
    matches = [HEADING.match(text[start:end].split("\n", 1)[0]) for start, end in blocks]
    return [match.group(2).strip() if match else None for match in matches]


def chunk_document(doc: Document, max_chars: int = 900) -> list[Chunk]:
    """Cut a document into chunks; see the module docstring."""
    base = document_metadata(doc)
    version = chunk_version(doc, max_chars)
    if doc.records:
        return [_record_chunk(doc, record, base, version) for record in doc.records] + _count_chunks(doc, base, version)
    regions = [(p.start, p.end, p.page) for p in doc.pages] or [(0, len(doc.text), None)]
    chunks: list[Chunk] = []
    heading: str | None = None
    for region_start, region_end, page in regions:
        current: list[tuple[int, int]] = []
        current_heading = heading
        has_text = False  # whether `current` holds more than headings

        def flush(spans: list[tuple[int, int]], section: str | None, page: int | None = page) -> None:
            if spans:
                chunk = _make_chunk(doc, base, spans, section, page, len(chunks), version)
                if chunk is not None:
                    chunks.append(chunk)
                spans.clear()

        if page is None:
            blocks = _blocks(doc.text[region_start:region_end], region_start)
            heads = _markdown_headings(doc.text, blocks)
        else:
            blocks = _lines(doc.text, region_start, region_end)
            title, heads = _pdf_headings(doc.text, blocks)
            if title:
                heading = current_heading = title
        for (start, end), head in zip(blocks, heads, strict=True):
            if head:
                if has_text:
                    flush(current, current_heading)
                    has_text = False
                heading = head
                if not current:
                    current_heading = heading
            for piece in _split_long(doc.text, start, end, max_chars):
                if current and piece[1] - current[0][0] > max_chars:
                    flush(current, current_heading)
                    has_text = False
                    current_heading = heading
                current.append(piece)
            has_text |= head is None
        flush(current, current_heading)
    return chunks


def _record_chunk(doc: Document, record: Any, base: dict[str, Any], version: str) -> Chunk:
    fields = "; ".join(f"{name}: {value}" for name, value in record.fields.items() if value)
    text = f"{doc.meta.title}: {fields}"
    meta = dict(base)
    meta["row"] = record.index
    meta["fields"] = dict(record.fields)  # kept in the snapshot for structured registry answers
    label = record.fields.get("name") or f"row {record.index}"
    meta["heading"] = label
    chunk_id = f"{doc.doc_id}#row-{record.index}@{version}"
    return Chunk(chunk_id, doc.doc_id, text, record.start, record.end, meta)


def _categorical(doc: Document) -> list[str]:
    """Columns with few, repeated values; of two columns that group rows alike (country_code and
    country) the one with the longer, more readable values is kept."""
    kept: dict[tuple[int, ...], tuple[str, int]] = {}
    for name in doc.records[0].fields:
        values = [r.fields.get(name, "") for r in doc.records]
        distinct = set(values)
        if not 1 < len(distinct) <= min(150, len(values) - 1) or DATE_VALUE.match(max(distinct)):
            continue
        first: dict[str, int] = {}
        partition = tuple(first.setdefault(v, len(first)) for v in values)
        readable = sum(map(len, distinct))
        if partition not in kept or readable > kept[partition][1]:
            kept[partition] = (name, readable)
    order = list(doc.records[0].fields)
    return sorted((name for name, _ in kept.values()), key=order.index)


def _tally(records: list[Any], column: str) -> str:
    counts: dict[str, int] = {}
    for record in records:
        value = record.fields.get(column, "").strip() or "(blank)"
        counts[value] = counts.get(value, 0) + 1
    return ", ".join(f"{value} {count}" for value, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def _count_chunks(doc: Document, base: dict[str, Any], version: str) -> list[Chunk]:
    """Counts computed from a table's rows, so that "how many" answers can quote an exact figure.

    One chunk for the whole table (rows per value of each categorical column, and per year of each date
    column) and one per value of each categorical column (its rows per value of the other columns).
    """
    columns = _categorical(doc)
    dates = [n for n in doc.records[0].fields if any(DATE_VALUE.match(r.fields.get(n, "")) for r in doc.records)]
    head = f"{doc.meta.title} — counts computed from its {len(doc.records)} rows"
    lines = [f"Rows by {column}: {_tally(doc.records, column)}." for column in columns]
    for column in dates:
        years = [r for r in doc.records if DATE_VALUE.match(r.fields.get(column, ""))]
        by_year: dict[str, int] = {}
        for r in years:
            by_year[r.fields[column][:4]] = by_year.get(r.fields[column][:4], 0) + 1
        lines.append(f"Rows by year of {column}: " + ", ".join(f"{y} {n}" for y, n in sorted(by_year.items())) + ".")
    texts = [(f"all-{i}", None, f"{head}. {line}") for i, line in enumerate(lines)]
    for column in columns:
        others = [c for c in columns if c != column]
        for value in sorted({r.fields.get(column, "") for r in doc.records} - {""}):
            rows = [r for r in doc.records if r.fields.get(column) == value]
            detail = "; ".join(f"by {other}: {_tally(rows, other)}" for other in others)
            texts.append((f"{column}={value}", value,
                          f"{doc.meta.title} — rows with {column} {value}: {len(rows)}" + (f"; {detail}." if detail else ".")))
    for column in dates:  # one per year of each date column, with its rows per value of the categorical columns
        for year in sorted({r.fields.get(column, "")[:4] for r in doc.records if DATE_VALUE.match(r.fields.get(column, ""))}):
            rows = [r for r in doc.records if DATE_VALUE.match(r.fields.get(column, "")) and r.fields[column][:4] == year]
            detail = "; ".join(f"by {other}: {_tally(rows, other)}" for other in columns)
            texts.append((f"{column}={year}", year, f"{doc.meta.title} — rows with {column} in {year}: {len(rows)}"
                          + (f"; {detail}." if detail else ".")))
    chunks = []
    slugs: set[str] = set()
    for label, value, text in texts:
        meta = dict(base, heading=f"counts ({label})", computed=True)
        if value is not None:
            meta["count_of"] = label
        slug = re.sub(r"[^\w=-]+", "-", label).strip("-")
        if slug in slugs:  # "United States" and "United-States" would share an id: keep ids unique
            slug += "-" + hashlib.sha256(label.encode()).hexdigest()[:8]
        slugs.add(slug)
        chunks.append(Chunk(f"{doc.doc_id}#count-{slug}@{version}", doc.doc_id, text, 0, 0, meta))
    return chunks


_LINE_PREFIX = re.compile(r"^(?:#{1,6}\s+|[-*•]\s+|\d+[.)]\s+)")
# A list item run into the line of the one before it ("Imad AAD, EPFL • Nele ACHTEN, ETH Zurich • ..."): a PDF's
# bullet list flattened by its text layer. Each item is a sentence of its own, not the whole list one sentence.
_INLINE_ITEM = re.compile(r"(?:[^•]|(?<!\s)•|•(?!\s))+")
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?…])[\"”»)]?\s+(?=[\"“«(]?[A-ZÀ-Ý0-9])")
# A title or an initial before a name ends no sentence ("Mr. Le Diran", "M. Macron", "Ehud E. Levite").
_BEFORE_NAME = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Messrs|Dr|Prof|St|Mme|Mmes|Mlle|Jr|Sr|Gen|Sen|Gov|Lt|Col|Capt)|"
                          r"(?<![\w.])[A-Z])\.$")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans in `text`: lines (headings, list items), list items run into one line (`_INLINE_ITEM`) and
    sentence ends split; markup trimmed."""
    spans: list[tuple[int, int]] = []
    offset = 0
    for line in text.split("\n"):
        start = offset
        offset += len(line) + 1
        prefix = _LINE_PREFIX.match(line)
        body_start = prefix.end() if prefix else 0
        for item in _INLINE_ITEM.finditer(line, body_start):
            cursor = item.start()
            for match in _SENTENCE_SPLIT.finditer(line, item.start(), item.end()):
                if _BEFORE_NAME.search(line, max(item.start(), match.start() - 8), match.start()):
                    continue
                spans.append((start + cursor, start + match.start() + len(match.group().rstrip())))
                cursor = match.end()
            spans.append((start + cursor, start + item.end()))
    cleaned = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e - s >= 3 and re.search(r"\w", text[s:e]):
            cleaned.append((s, e))
    return cleaned
