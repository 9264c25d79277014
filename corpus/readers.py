"""One reader per file format. Each returns a `Document` or raises `DocumentError` naming the problem."""

from __future__ import annotations

import csv
import hashlib
import io
import logging
import re
import threading
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from corpus.document import DocMeta, Document, PageSpan, Record
from corpus.errors import DocumentError
from corpus.pdftext import clean_pages

log = logging.getLogger(__name__)
SIDECAR_SUFFIX = ".meta.yaml"
FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
MAX_FILE_BYTES = 4_500_000  # the default limit: the corpus's largest PDF is 3.0 MB (PCA_MAX_FILE_MB)
READER_VERSION = b"5"  # part of every content hash: bump it when reading changes, to re-index everything


def _decode(doc_id: str, raw: bytes) -> str:
    if not raw.strip():
        raise DocumentError(doc_id, "empty file")
    if b"\x00" in raw[:4096]:
        raise DocumentError(doc_id, "binary content in a text file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError(doc_id, f"not valid UTF-8 text (byte {exc.start})") from None
    if not text.strip():  # only whitespace that bytes do not count as such ("\x1c", a no-break space)
        raise DocumentError(doc_id, "empty file")
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


class _TextDatesLoader(yaml.SafeLoader):
    """YAML without timestamp parsing: dates stay text and are validated by `DocMeta`."""


_TextDatesLoader.yaml_implicit_resolvers = {
    key: [r for r in resolvers if r[0] != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _parse_yaml(doc_id: str, text: str, where: str, first_line: int = 1) -> dict[str, Any]:
    """Parse YAML that starts on line `first_line` of its file; an error names the file's line and column."""
    try:
        data = yaml.load(text, Loader=_TextDatesLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        raise DocumentError(doc_id, f"invalid YAML in {where}: {_yaml_problem(exc, first_line)}") from None
    if not isinstance(data, dict):
        raise DocumentError(doc_id, f"{where} is not a mapping of fields")
    return data


def _yaml_problem(exc: yaml.YAMLError, first_line: int) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    if mark is None:
        return problem
    text = f"line {mark.line + first_line}, column {mark.column + 1}: {problem}"
    context, context_mark = getattr(exc, "context", None), getattr(exc, "context_mark", None)
    if context and context_mark is not None and context_mark.line != mark.line:
        text += f" ({context} started on line {context_mark.line + first_line})"
    elif context:
        text += f" ({context})"
    return text


def parse_meta(doc_id: str, data: dict[str, Any], where: str) -> DocMeta:
    """Validate metadata, naming the first field that is wrong."""
    try:
        return DocMeta.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            name = ".".join(str(p) for p in err["loc"]) or "metadata"
            message = "missing" if err["type"] == "missing" else err["msg"].removeprefix("Value error, ")
            problems.append(f"{name}: {message}")
        raise DocumentError(doc_id, f"bad {where}: " + "; ".join(problems)) from None


def read_sidecar(path: Path, doc_id: str) -> tuple[DocMeta, bytes]:
    sidecar = path.with_name(path.name + SIDECAR_SUFFIX)
    if not sidecar.is_file():
        raise DocumentError(doc_id, f"missing metadata sidecar {sidecar.name}")
    raw = sidecar.read_bytes()
    try:
        text = _decode(doc_id, raw)
    except DocumentError as err:  # named by the document it describes, so its previous version is kept
        raise DocumentError(doc_id, f"sidecar {sidecar.name}: {err.problem}") from None
    return parse_meta(doc_id, _parse_yaml(doc_id, text, f"sidecar {sidecar.name}"), "sidecar metadata"), raw


def _hash(*parts: bytes) -> str:
    digest = hashlib.sha256(READER_VERSION)
    for part in parts:
        digest.update(len(part).to_bytes(8, "little"))
        digest.update(part)
    return digest.hexdigest()


def read_markdown(path: Path, doc_id: str) -> Document:
    raw = path.read_bytes()
    text = _decode(doc_id, raw)
    match = FRONT_MATTER.match(text)
    if not match:
        raise DocumentError(doc_id, "missing YAML front matter (a block between --- lines at the top)")
    meta = parse_meta(doc_id, _parse_yaml(doc_id, match.group(1), "front matter", first_line=2), "front matter")
    body = text[match.end():].strip("\n")
    if not body.strip():
        raise DocumentError(doc_id, "no text after the front matter")
    return Document(doc_id, meta, body, "markdown", _hash(raw))


def read_text(path: Path, doc_id: str) -> Document:
    meta, meta_raw = read_sidecar(path, doc_id)
    raw = path.read_bytes()
    return Document(doc_id, meta, _decode(doc_id, raw).strip("\n"), "text", _hash(raw, meta_raw))


class _PdfMessages(logging.Handler):
    """pypdf's warnings name no file: they are relayed through this module's logger with the document being
    read by the same thread ("news/x.pdf: Ignoring wrong pointing object 6 0 (pypdf)")."""

    reading = threading.local()

    def emit(self, record: logging.LogRecord) -> None:
        doc_id = getattr(self.reading, "doc_id", None) or "a PDF"
        log.log(record.levelno, "%s: %s (pypdf)", doc_id, record.getMessage())

    @classmethod
    def install(cls) -> None:
        pypdf_log = logging.getLogger("pypdf")
        if not any(isinstance(h, cls) for h in pypdf_log.handlers):
            pypdf_log.addHandler(cls())
            pypdf_log.propagate = False


def read_pdf(path: Path, doc_id: str) -> Document:
    import pypdf  # lazily: only PDFs need it

    meta, meta_raw = read_sidecar(path, doc_id)
    raw = path.read_bytes()
    if not raw.strip():
        raise DocumentError(doc_id, "empty file")
    _PdfMessages.install()
    _PdfMessages.reading.doc_id = doc_id
    try:
        reader = pypdf.PdfReader(io.BytesIO(raw))
        page_texts = [(page.extract_text() or "") for page in reader.pages]
    except Exception as exc:  # pypdf raises many types on broken files
        raise DocumentError(doc_id, f"unreadable PDF ({type(exc).__name__}: {str(exc)[:120]})") from None
    finally:
        _PdfMessages.reading.doc_id = None
    parts: list[str] = []
    pages: list[PageSpan] = []
    offset = 0
    cleaned_pages = clean_pages([unicodedata.normalize("NFC", t) for t in page_texts])
    for number, cleaned in enumerate(cleaned_pages, start=1):
        if not cleaned:
            continue
        if parts:
            offset += 2  # the "\n\n" joining pages
        pages.append(PageSpan(number, offset, offset + len(cleaned)))
        parts.append(cleaned)
        offset += len(cleaned)
    if not pages:
        raise DocumentError(doc_id, "no extractable text in the PDF (a scanned image?)")
    return Document(doc_id, meta, "\n\n".join(parts), "pdf", _hash(raw, meta_raw), pages=pages)


def read_csv(path: Path, doc_id: str) -> Document:
    meta, meta_raw = read_sidecar(path, doc_id)
    raw = path.read_bytes()
    text = _decode(doc_id, raw)
    lines = text.split("\n")
    try:
        rows = list(csv.reader(lines))
    except csv.Error as exc:
        raise DocumentError(doc_id, f"malformed CSV: {exc}") from None
    if len(rows) != len(lines):  # csv.reader joined lines: a quoted cell holds a line break or is unclosed
        raise DocumentError(doc_id, "malformed CSV: a quoted cell spans lines or its quote is never closed "
                                    "(one row per line is expected)")
    if not rows or not any(rows[0]):
        raise DocumentError(doc_id, "CSV without a header row")
    header = [h.strip() for h in rows[0]]
    records: list[Record] = []
    offset = len(lines[0]) + 1
    for line, row in zip(lines[1:], rows[1:], strict=True):
        start, offset = offset, offset + len(line) + 1
        if not any(cell.strip() for cell in row):
            continue
        fields = {name: (row[i].strip() if i < len(row) else "") for i, name in enumerate(header)}
        records.append(Record(len(records) + 1, fields, start, start + len(line)))
    if not records:
        raise DocumentError(doc_id, "CSV has a header but no rows")
    return Document(doc_id, meta, text, "csv", _hash(raw, meta_raw), records=records)


def read_html(path: Path, doc_id: str) -> Document:
    from bs4 import BeautifulSoup  # lazily: only HTML needs it

    raw = path.read_bytes()
    html = _decode(doc_id, raw)
    soup = BeautifulSoup(html, "html.parser")
    sidecar = path.with_name(path.name + SIDECAR_SUFFIX)
    if sidecar.is_file():
        meta, meta_raw = read_sidecar(path, doc_id)
    else:  # fall back on the page's own <title> and lang
        lang = (soup.html.get("lang") if soup.html else None) or ""
        data = {"title": soup.title.get_text(strip=True) if soup.title else "", "kind": "web page",
                "language": str(lang)[:2].lower()}
        meta, meta_raw = parse_meta(doc_id, data, "page metadata (add a .meta.yaml sidecar)"), b""
    for tag in soup(["script", "style", "nav", "header", "footer", "aside", "form", "noscript", "iframe",
                     "svg", "button", "template"]):
        tag.decompose()
    root = soup.find("main") or soup.find("article") or soup.body or soup
    blocks: list[str] = []
    for element in root.find_all(["h1", "h2", "h3", "h4", "p", "li", "blockquote", "pre", "td"]):
        if element.find_parent(["p", "li", "blockquote", "td"]) is not None:
            continue
        words = " ".join(element.get_text(" ", strip=True).split())
        if not words:
            continue
        level = int(element.name[1]) if element.name in ("h1", "h2", "h3", "h4") else 0
        blocks.append(("#" * level + " " + words) if level else ("- " + words if element.name == "li" else words))
    if not blocks:
        raise DocumentError(doc_id, "no readable text in the HTML page")
    return Document(doc_id, meta, "\n\n".join(blocks), "html", _hash(raw, meta_raw))


READERS: dict[str, Callable[[Path, str], Document]] = {
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".txt": read_text,
    ".pdf": read_pdf,
    ".csv": read_csv,
    ".html": read_html,
    ".htm": read_html,
}


def read_document(path: Path, doc_id: str, max_bytes: int = MAX_FILE_BYTES) -> Document:
    """Read one file with the reader for its extension, unless it is larger than `max_bytes`."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise DocumentError(doc_id, f"unknown extension {path.suffix or '(none)'!r}; "
                                    f"supported: {', '.join(sorted(READERS))}")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise DocumentError(doc_id, f"file larger than {max_bytes / 1e6:g} MB ({size / 1e6:.2g} MB; the "
                                        "limit is PCA_MAX_FILE_MB)")
        return reader(path, doc_id)
    except DocumentError:
        raise
    except (OSError, RecursionError, MemoryError, ValueError) as exc:
        raise DocumentError(doc_id, f"cannot be read ({type(exc).__name__}: {str(exc)[:120]})") from None
