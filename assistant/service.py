"""Wiring: build the index and open the searcher from the settings (the one place that reads them)."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from assistant.settings import Settings
from corpus.errors import AssistantError, IndexNotReadyError, StoreDamagedError
from corpus.loader import load_corpus
from index.builder import BuildSummary, build_index
from index.embedders import Embedder, get_embedder
from index.integrity import StoreCheck, check_local_store
from index.retriever import HybridSearcher, SearchConfig
from index.snapshot import Snapshot
from index.store import ChromaStore, LazyStore, VectorStore

log = logging.getLogger(__name__)


def open_store(settings: Settings, embedder: Embedder) -> VectorStore:
    return ChromaStore(embedder, path=settings.chroma_dir, url=settings.chroma_url, collection=settings.collection)


def check_store(settings: Settings, generation: Path | None, deep: bool = False) -> StoreCheck:
    """The local store compared with what the index committed, probed in a child process when they differ
    (`index.integrity`); a Chroma server runs in its own process and is checked once opened."""
    if settings.chroma_url:
        return StoreCheck(True)
    return check_local_store(settings.chroma_dir, settings.collection, settings.embedder, generation, deep)


def ensure_store_sound(settings: Settings, generation: Path | None, filling: bool = False) -> None:
    """Raise unless the store is known to be safe to open in this process. A store that reads well but lacks
    committed vectors is out of step: an error for answering, and what an index run (`filling`) fixes."""
    check = check_store(settings, generation)
    if check.out_of_step and not filling:
        raise IndexNotReadyError(check.problem)
    if not check.ok and not check.out_of_step:
        raise StoreDamagedError(check.problem)


def open_checked_store(settings: Settings, embedder: Embedder, generation: Path | None,
                       filling: bool = False) -> VectorStore:
    """Open the store only once it is known to be safe to open in this process (`ensure_store_sound`)."""
    ensure_store_sound(settings, generation, filling)
    return open_store(settings, embedder)


def index_corpus(settings: Settings, rebuild: bool = False, progress: bool = True,
                 repair: bool = False) -> BuildSummary:
    """Read the corpus folder and bring the index in step with it. `repair`: the local store is damaged; it is
    moved aside unopened and filled again, from the vectors kept with the snapshot where they are intact."""
    embedder = get_embedder(settings.embedder)
    report = load_corpus(settings.corpus_dir, settings.max_file_bytes)
    generation = Snapshot.current_generation(settings.index_dir)
    if settings.chroma_url:  # a server: its own process; a damaged collection is emptied and filled again
        store = open_store(settings, embedder)
        if repair:
            store.reset()
    elif repair:
        store = _replace_local_store(settings, embedder, "damaged")
    elif rebuild:  # everything is embedded again: a store not known to be safe is moved aside, not opened
        known = check_local_store(settings.chroma_dir, settings.collection, settings.embedder, generation,
                                  probe_if_unsure=False)
        store = open_store(settings, embedder) if known.ok else _replace_local_store(settings, embedder, "replaced")
    else:
        store = open_checked_store(settings, embedder, generation, filling=True)
    summary = build_index(report, store, embedder, settings.index_dir, settings.chunk_size,
                          rebuild=rebuild, progress=progress)
    if summary.chunks:  # the reader's annotations of the passages (named entities), for new chunks only
        from assistant.reading.reader import prepare_reading

        started = time.perf_counter()
        summary.annotated_chunks, summary.embedded_sentences = prepare_reading(
            settings.reading_dir, Snapshot.load(settings.index_dir).chunks,
            embedder if settings.sentence_vectors else None)
        summary.seconds += time.perf_counter() - started
    return summary


def _replace_local_store(settings: Settings, embedder: Embedder, why: str) -> VectorStore:
    """Move the local Chroma folder aside (never opened here; nothing is deleted) and start a fresh one."""
    import shutil
    import time

    from chromadb.api.client import SharedSystemClient

    SharedSystemClient.clear_system_cache()
    if settings.chroma_dir.exists():
        aside = settings.chroma_dir.with_name(f"chroma-{why}-{time.strftime('%Y%m%d-%H%M%S')}")
        aside = aside.with_name(f"{aside.name}-{time.time_ns() % 1000000}") if aside.exists() else aside
        shutil.move(settings.chroma_dir, aside)
        log.warning("moved the Chroma folder to %s", aside)
    return open_store(settings, embedder)


@dataclass
class IndexHealth:
    """What `assistant index --repair` found: a problem of the snapshot, of the vector store, or none."""

    snapshot_problem: str = ""
    store_problem: str = ""

    @property
    def problems(self) -> list[str]:
        return [p for p in (self.snapshot_problem, self.store_problem) if p]


def inspect_index(settings: Settings) -> IndexHealth:
    """Check the snapshot, then the store with every vector read back and passages embedded again; a local
    store is read in a child process only (`index.probe`), a Chroma server through its API."""
    health = IndexHealth()
    snapshot = None
    try:
        snapshot = Snapshot.load(settings.index_dir)
    except AssistantError as err:
        health.snapshot_problem = err.message
    if not settings.chroma_url:
        check = check_store(settings, Snapshot.current_generation(settings.index_dir), deep=True)
        health.store_problem = check.problem if not check.ok else ""
        return health
    from index.probe import verify

    try:
        embedder = get_embedder(settings.embedder)
        health.store_problem = verify(open_store(settings, embedder), snapshot, embedder, deep=True)
    except AssistantError as err:
        health.store_problem = err.message
    return health


def index_is_current(settings: Settings) -> bool:
    """True when the committed index matches the corpus folder (same documents, same content)."""
    try:
        snapshot = Snapshot.load(settings.index_dir)
    except IndexNotReadyError:
        return False
    if snapshot.embedder != settings.embedder or snapshot.chunk_size != settings.chunk_size:
        return False
    report = load_corpus(settings.corpus_dir, settings.max_file_bytes)
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
        return open_checked_store(self.settings, self.embedder, self.snapshot.folder)

    @cached_property
    def searcher(self) -> HybridSearcher:
        s = self.settings
        config = SearchConfig(dense_k=s.dense_k, lexical_k=s.lexical_k, rrf_k=s.rrf_k, per_doc_cap=s.per_doc_cap)
        if self.settings.chroma_url or self.snapshot.committed_vectors() is None:
            searcher = HybridSearcher(self.snapshot, self.store, self.embedder, config,
                                      scan=not self.settings.chroma_url)
            self._check_in_step(searcher)
            return searcher
        # The dense ranking scans the vectors kept with the snapshot: the store is checked as before (a local
        # store's check, from its files, also finds one out of step) and opened only if something asks for it.
        ensure_store_sound(self.settings, self.snapshot.folder)
        return HybridSearcher(self.snapshot, LazyStore(lambda: self.store), self.embedder, config)

    def _check_in_step(self, searcher: HybridSearcher) -> None:
        stored = searcher.store.ids()
        missing = set(searcher.snapshot.embedded_ids) - stored
        if missing:
            raise IndexNotReadyError(f"{len(missing)} indexed passages have no vector in the store "
                                     f"(e.g. {sorted(missing)[0]}): the vector store is out of step")
