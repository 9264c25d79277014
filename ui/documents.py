"""The sources browser's documents: the indexed documents and their metadata (`Catalog`), and the viewer's
HTML for one part of a document at a time (`document_html`), so a long report reaches the browser in parts."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ui.assets import LANGUAGES, TEXT, kind_label
from ui.render import esc, rich, safe_url

DOC_PAGE_CHARS = 20_000  # characters of a document sent to the browser at a time
PART_LABEL = {"en": "Part {page} of {pages}", "fr": "Partie {page} sur {pages}"}


@dataclass(frozen=True)
class DocInfo:
    doc_id: str
    title: str
    kind: str
    language: str
    date: str
    publisher: str
    url: str
    form: str
    flagged: str = ""  # why the indexer flagged it (instructions aimed at an assistant), or ""


class Catalog:
    """The indexed documents (from the index snapshot) and their full text."""

    def __init__(self, documents: dict[str, dict[str, Any]], chunk_texts: dict[str, list[str]],
                 corpus_dir: Path | None = None) -> None:
        self.docs = sorted((DocInfo(doc_id, str(m.get("title") or doc_id), str(m.get("kind") or ""),
                                    str(m.get("language") or ""), str(m.get("date") or ""),
                                    str(m.get("publisher") or ""), str(m.get("url") or ""), str(m.get("form") or ""),
                                    str(m.get("flagged") or ""))
                            for doc_id, m in documents.items()), key=lambda d: (d.kind, d.date or "0", d.title))
        self.by_id = {d.doc_id: d for d in self.docs}
        self._chunk_texts = chunk_texts
        self.corpus_dir = corpus_dir
        self._recent: dict[str, str] = {}

    @classmethod
    def from_snapshot(cls, snapshot: Any, corpus_dir: Path | None = None) -> Catalog:
        texts: dict[str, list[str]] = {}
        for chunk in snapshot.chunks:
            texts.setdefault(chunk.doc_id, []).append(chunk.text)
        return cls(snapshot.documents, texts, corpus_dir)

    def kinds(self) -> list[str]:
        return sorted({d.kind for d in self.docs if d.kind})

    def select(self, kind: str | None = None, language: str | None = None, date_from: str = "",
               date_to: str = "", title: str = "") -> list[DocInfo]:
        title = title.strip().lower()
        return [d for d in self.docs
                if (not kind or d.kind == kind) and (not language or d.language == language)
                and (not date_from or (d.date and d.date >= date_from))
                and (not date_to or (d.date and d.date[:len(date_to)] <= date_to))
                and (not title or title in d.title.lower())]

    def full_text(self, doc_id: str) -> str:
        """The document as read from the corpus folder, or its indexed passages joined in order (the last few
        read are kept, so paging through a long PDF does not read it again)."""
        if doc_id in self._recent:
            return self._recent[doc_id]
        text = ""
        if self.corpus_dir is not None and doc_id in self.by_id:
            from corpus.readers import read_document

            try:
                text = read_document(self.corpus_dir / doc_id, doc_id).text
            except Exception:  # noqa: BLE001 - the index still has its passages
                text = ""
        text = text or "\n\n".join(self._chunk_texts.get(doc_id, []))
        self._recent = {**dict(list(self._recent.items())[-3:]), doc_id: text}
        return text


def split_pages(text: str, size: int = DOC_PAGE_CHARS) -> list[str]:
    """`text` in parts of at most `size` characters, cut at a paragraph break (else a line break, else a space)
    in the second half of each part, so a long document reaches the browser one part at a time."""
    pages, start = [], 0
    while len(text) - start > size:
        end = start + size
        for mark in ("\n\n", "\n", " "):
            cut = text.rfind(mark, start + size // 2, end)
            if cut > start:
                end = cut
                break
        pages.append(text[start:end])
        start = end
    return pages + [text[start:]] if start < len(text) or not pages else pages


def document_html(catalog: Catalog, doc_id: str | None, lang: str, page: int = 1) -> str:
    """The document viewer: metadata, then part `page` of the text (`split_pages`) with its place among them."""
    t = TEXT[lang]
    doc = catalog.by_id.get(doc_id or "")
    if doc is None:
        return f'<div class="pca-empty">{esc(t["doc_empty"])}</div>'
    url = safe_url(doc.url)
    rows = [(t["col_kind"], kind_label(doc.kind, lang)), (t["col_language"], LANGUAGES[lang].get(doc.language, doc.language)),
            (t["col_date"], doc.date or t["undated"]), (t["col_publisher"], doc.publisher), (t["form"], doc.form),
            (t["file"], doc.doc_id)]
    meta = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in rows if v)
    if doc.flagged:
        meta += f'<dt>{esc(t["flagged"])}</dt><dd class="pca-flagged">{esc(doc.flagged)}</dd>'
    if url:
        meta += (f'<dt>{esc(t["address"])}</dt><dd><a href="{esc(url)}" target="_blank" '
                 f'rel="noopener noreferrer nofollow">{esc(url)}</a></dd>')
    parts = split_pages(catalog.full_text(doc.doc_id))
    page = min(max(page, 1), len(parts))
    text = parts[page - 1]
    body = rich(text) if text.strip() else f'<span class="pca-empty">{esc(t["doc_unreadable"])}</span>'
    if len(parts) > 1:
        body = f'<p class="pca-doc-part">{esc(PART_LABEL[lang].format(page=page, pages=len(parts)))}</p>' + body
    return f'<article class="pca-doc"><h2>{esc(doc.title)}</h2><dl>{meta}</dl><div class="pca-doc-text">{body}</div></article>'
