"""Wiring: build the index and open the searcher from the settings (the one place that reads them)."""

from __future__ import annotations

import logging
from functools import cached_property

from assistant.settings import Settings
from corpus.errors import IndexNotReadyError
from corpus.loader import load_corpus
from index.builder import BuildSummary, build_index
from index.embedders import Embedder, get_embedder
from index.retriever import HybridSearcher, SearchConfig
from index.snapshot import Snapshot
from index.store import ChromaStore, VectorStore

log = logging.getLogger(__name__)


def open_store(settings: Settings, embedder: Embedder) -> VectorStore:
    return ChromaStore(embedder, path=settings.chroma_dir, url=settings.chroma_url, collection=settings.collection)


def index_corpus(settings: Settings, rebuild: bool = False, progress: bool = True) -> BuildSummary:
    """Read the corpus folder and bring the index in step with it."""
    embedder = get_embedder(settings.embedder)
    report = load_corpus(settings.corpus_dir)
    try:
        store = open_store(settings, embedder)
    except IndexNotReadyError:
        if not rebuild or settings.chroma_url:
            raise
        store = _wipe_local_store(settings, embedder)
    return build_index(report, store, embedder, settings.index_dir, settings.chunk_size,
                       rebuild=rebuild, progress=progress)


def _wipe_local_store(settings: Settings, embedder: Embedder) -> VectorStore:
    """A local Chroma folder too damaged to open is moved aside and started afresh."""
    import shutil
    import time

    from chromadb.api.client import SharedSystemClient

    SharedSystemClient.clear_system_cache()
    if settings.chroma_dir.exists():
        aside = settings.chroma_dir.with_name(f"chroma-damaged-{int(time.time())}")
        shutil.move(settings.chroma_dir, aside)
        log.warning("moved the damaged Chroma folder to %s", aside)
    return open_store(settings, embedder)


def index_is_current(settings: Settings) -> bool:
    """True when the committed index matches the corpus folder (same documents, same content)."""
    try:
        snapshot = Snapshot.load(settings.index_dir)
    except IndexNotReadyError:
        return False
    if snapshot.embedder != settings.embedder or snapshot.chunk_size != settings.chunk_size:
        return False
    report = load_corpus(settings.corpus_dir)
    current = {d.doc_id: d.content_hash for d in report.documents}
    indexed = {k: v["hash"] for k, v in snapshot.documents.items() if k not in {e.path for e in report.skipped}}
    return current == indexed


class Services:
    """Lazily opened components shared by the CLI, the chat page and the evaluation."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()

    @cached_property
    def embedder(self) -> Embedder:
        return get_embedder(self.settings.embedder)

    @cached_property
    def snapshot(self) -> Snapshot:
        snapshot = Snapshot.load(self.settings.index_dir)
        if snapshot.embedder != self.settings.embedder:
            raise IndexNotReadyError(f"the index was built with the {snapshot.embedder!r} embedder, "
                                     f"but PCA_EMBEDDER is {self.settings.embedder!r}")
        return snapshot

    @cached_property
    def store(self) -> VectorStore:
        return open_store(self.settings, self.embedder)

    @cached_property
    def searcher(self) -> HybridSearcher:
        s = self.settings
        config = SearchConfig(dense_k=s.dense_k, lexical_k=s.lexical_k, rrf_k=s.rrf_k, per_doc_cap=s.per_doc_cap)
        searcher = HybridSearcher(self.snapshot, self.store, self.embedder, config)
        self._check_in_step(searcher)
        return searcher

    def check_vectors(self, sample: int = 12) -> None:
        """A deeper check than opening (run by `assistant index --repair`): passages spread over the index,
        embedded again, must each find themselves among the nearest vectors. Damaged vectors, or vectors made
        by another version of the model, would otherwise give wrong neighbours and no error."""
        searcher = self.searcher
        chunks = searcher.snapshot.chunks
        picks = [chunks[i * len(chunks) // sample] for i in range(sample)] if len(chunks) > sample else chunks
        vectors = searcher.embedder.embed_documents([c.context_text() for c in picks])
        for chunk, vector in zip(picks, vectors, strict=True):
            hits = searcher.store.query(vector, 10)
            if chunk.chunk_id not in {i for i, _ in hits} and not (hits and hits[0][1] >= 0.98):  # ties allowed
                raise IndexNotReadyError(f"the vector store does not find passage {chunk.chunk_id} from its own "
                                         "vector: its vectors are damaged or were made by another model")

    def _check_in_step(self, searcher: HybridSearcher) -> None:
        stored = searcher.store.ids()
        missing = set(searcher.snapshot.by_id) - stored
        if missing:
            raise IndexNotReadyError(f"{len(missing)} indexed passages have no vector in the store "
                                     f"(e.g. {sorted(missing)[0]}): the vector store is out of step")
