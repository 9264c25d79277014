"""Incremental indexing: embed only new or changed documents, drop deleted ones, commit atomically.

Chunk ids carry the document's content hash, so a chunk already in the vector store is never embedded
again (this is also how an interrupted run resumes). The new snapshot becomes current only once every
vector is stored; stale vectors are deleted after that. A document that fails to read keeps its previous
chunks: nothing already indexed is lost because of a bad edit. Count tables computed from a table's rows are
indexed for BM25 only (`Chunk.embedded`): they are never searched by vector, so they are not embedded (a
tenth of the corpus's tokens), and an index that still holds their vectors has them deleted as stale.

The snapshot keeps a copy of every vector: a vector missing from the store (a store moved aside by
`--repair`, a lost segment) is restored from it rather than embedded again. Once the store is final, what it
holds is recorded in the committed generation (`index.integrity`), for the check every command makes.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from corpus.document import Document
from corpus.errors import DocumentError, IndexNotReadyError
from corpus.guard import flag_reason
from corpus.loader import LoadReport
from index.chunking import Chunk, chunk_document
from index.embedders import Embedder
from index.integrity import write_record
from index.snapshot import FORMAT_VERSION, Snapshot
from index.store import VectorStore

EMBED_BATCH = 256  # chunks embedded and stored together (64: the build's embedding 25.6 s instead of 22)


@dataclass
class BuildSummary:
    """What an indexing run did, for the closing summary."""

    documents: int = 0
    chunks: int = 0
    embedded_documents: list[str] = field(default_factory=list)
    embedded_chunks: int = 0
    restored_chunks: int = 0  # vectors put back into the store from the copy kept with the snapshot
    unchanged_documents: int = 0
    removed_documents: list[str] = field(default_factory=list)
    kept_previous: list[str] = field(default_factory=list)
    flagged: dict[str, str] = field(default_factory=dict)  # doc_id -> why (instructions aimed at an assistant)
    skipped: list[DocumentError] = field(default_factory=list)
    previous_problem: str = ""
    seconds: float = 0.0
    embed_seconds: float = 0.0
    annotated_chunks: int = 0  # passages the reader annotated (named entities), set by assistant.service
    embedded_sentences: int = 0  # sentences the reader embedded ahead of questions, likewise

    @property
    def chunks_per_second(self) -> float:
        return self.embedded_chunks / self.embed_seconds if self.embed_seconds else 0.0


def load_previous(index_dir: Path) -> tuple[Snapshot | None, str]:
    if not (index_dir / "CURRENT").exists():
        return None, ""
    try:
        return Snapshot.load(index_dir), ""
    except IndexNotReadyError as err:
        return None, err.message


def build_index(report: LoadReport, store: VectorStore, embedder: Embedder, index_dir: Path,
                chunk_size: int = 900, rebuild: bool = False, progress: bool = True) -> BuildSummary:
    """Bring the index in `index_dir` (and the vector store) in step with the documents read."""
    started = time.perf_counter()
    summary = BuildSummary(skipped=list(report.skipped))
    previous, summary.previous_problem = (None, "") if rebuild else load_previous(index_dir)
    if rebuild or Snapshot.stored_format(index_dir) not in (None, FORMAT_VERSION):
        store.reset()  # an index of another format embedded other texts: every vector is made again
    if previous and (previous.embedder != embedder.name or previous.chunk_size != chunk_size):
        previous = None  # a different model or chunking: everything is new
    old_docs = previous.documents if previous else {}

    chunks: list[Chunk] = []
    documents: dict[str, dict] = {}
    for doc in report.documents:
        doc_chunks = chunk_document(doc, chunk_size)
        chunks.extend(doc_chunks)
        documents[doc.doc_id] = _doc_entry(doc, len(doc_chunks))
        reason = flag_reason(doc.text)
        if reason:  # instructions aimed at an assistant: indexed and shown, never quoted (corpus.guard)
            documents[doc.doc_id]["flagged"] = summary.flagged[doc.doc_id] = reason
            for chunk in doc_chunks:
                chunk.metadata["flagged"] = True
    bad_ids = {err.path for err in report.skipped}
    for doc_id in sorted(bad_ids & set(old_docs)):  # keep what was indexed before the file broke
        if previous is not None:
            chunks.extend(previous.chunks_of(doc_id))
            documents[doc_id] = old_docs[doc_id]
            summary.kept_previous.append(doc_id)

    if not chunks:  # nothing could be indexed: keep whatever index there was
        summary.seconds = time.perf_counter() - started
        return summary
    existing = store.ids()
    missing = [c for c in chunks if c.embedded and c.chunk_id not in existing]
    vectors = _saved_vectors(previous)
    restore = [c for c in missing if c.chunk_id in vectors]
    for batch in _batches(restore, EMBED_BATCH, False, "restoring"):  # in the order and batches of a build
        store.upsert(batch, np.vstack([vectors[c.chunk_id] for c in batch]))
    summary.restored_chunks = len(restore)
    missing = [c for c in missing if c.chunk_id not in vectors]
    embed_started = time.perf_counter()
    for batch in _batches(missing, EMBED_BATCH, progress, "embedding"):
        embedded = embedder.embed_documents([c.context_text() for c in batch])
        store.upsert(batch, embedded)
        vectors.update(zip((c.chunk_id for c in batch), embedded, strict=True))
    summary.embed_seconds = time.perf_counter() - embed_started
    summary.embedded_chunks = len(missing)
    summary.embedded_documents = sorted({c.doc_id for c in missing})

    snapshot = Snapshot(chunks, documents, embedder.name, chunk_size,
                        skipped=[str(err) for err in report.skipped])
    snapshot.vectors = _all_vectors(snapshot.embedded, vectors, store)
    generation = snapshot.save(index_dir)
    stale = existing - set(snapshot.embedded_ids)  # gone, or no longer embedded
    if stale:
        store.delete(sorted(stale))
    held = store.fingerprint()
    if held is not None:
        write_record(generation, held, "commit")
    summary.documents, summary.chunks = len(documents), len(chunks)
    summary.removed_documents = sorted(set(old_docs) - set(documents))
    summary.unchanged_documents = len(documents) - len(summary.embedded_documents)
    summary.seconds = time.perf_counter() - started
    return summary


def _saved_vectors(previous: Snapshot | None) -> dict[str, np.ndarray]:
    """The vectors kept with the previous snapshot, by chunk id (none when absent or not matching their digest)."""
    saved = previous.committed_vectors() if previous is not None else None
    return {} if saved is None else dict(zip(previous.embedded_ids, saved, strict=True))


def _all_vectors(chunks: list[Chunk], known: dict[str, np.ndarray], store: VectorStore) -> np.ndarray | None:
    """One vector per chunk, in order, for the copy kept with the snapshot; the few not at hand (an index
    built before copies were kept) are read from the store."""
    wanted = [c.chunk_id for c in chunks if c.chunk_id not in known]
    found = {**store.vectors(wanted), **known} if wanted else known
    if any(c.chunk_id not in found for c in chunks):
        return None
    return np.vstack([found[c.chunk_id] for c in chunks]).astype(np.float32)


def _doc_entry(doc: Document, chunk_count: int) -> dict:
    return {"hash": doc.content_hash, "title": doc.meta.title, "kind": doc.meta.kind,
            "language": doc.meta.language, "date": doc.meta.date, "publisher": doc.meta.publisher,
            "url": doc.meta.url, "form": doc.meta.form, "chunks": chunk_count}


def _batches(items: list[Chunk], size: int, progress: bool, label: str) -> Iterable[list[Chunk]]:
    bar = None
    if progress and items:
        from tqdm import tqdm

        bar = tqdm(total=len(items), desc=label, unit="chunk")
    for i in range(0, len(items), size):
        batch = items[i:i + size]
        yield batch
        if bar is not None:
            bar.update(len(batch))
    if bar is not None:
        bar.close()
