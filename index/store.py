"""The vector-store swap point: Chroma (a local folder or a server) and an in-memory fake; either can be
opened on its first use (`LazyStore`).

Vectors are computed by our own embedder and passed in; the collection is created and reopened with an
embedding function that wraps the same embedder, so Chroma never falls back on its downloading default.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlparse

import numpy as np

from corpus.errors import ConfigError, IndexNotReadyError, StoreUnavailableError
from index.chunking import Chunk
from index.embedders import Embedder, get_embedder
from index.filters import Filters
from index.integrity import collection_name, fingerprint

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


class VectorStore(Protocol):
    """Stores one vector per chunk id; returns the nearest ids with a cosine similarity."""

    def upsert(self, chunks: list[Chunk], vectors: np.ndarray) -> None: ...

    def delete(self, ids: list[str]) -> None: ...

    def ids(self) -> set[str]: ...

    def vectors(self, ids: list[str]) -> dict[str, np.ndarray]: ...

    def fingerprint(self) -> dict | None: ...

    def query(self, vector: np.ndarray, k: int, filters: Filters | None = None) -> list[tuple[str, float]]: ...

    def reset(self) -> None: ...


class MemoryStore:
    """An in-memory store with exact search: the fast fake for unit tests."""

    def __init__(self) -> None:
        self._vectors: dict[str, np.ndarray] = {}
        self._meta: dict[str, dict[str, Any]] = {}

    def upsert(self, chunks: list[Chunk], vectors: np.ndarray) -> None:
        for chunk, vector in zip(chunks, vectors, strict=True):
            self._vectors[chunk.chunk_id] = np.asarray(vector, dtype=np.float32)
            self._meta[chunk.chunk_id] = chunk.metadata

    def delete(self, ids: list[str]) -> None:
        for chunk_id in ids:
            self._vectors.pop(chunk_id, None)
            self._meta.pop(chunk_id, None)

    def ids(self) -> set[str]:
        return set(self._vectors)

    def vectors(self, ids: list[str]) -> dict[str, np.ndarray]:
        return {i: self._vectors[i] for i in ids if i in self._vectors}

    def fingerprint(self) -> dict | None:
        return None  # nothing on disk to check

    def query(self, vector: np.ndarray, k: int, filters: Filters | None = None) -> list[tuple[str, float]]:
        ids = [i for i in self._vectors if filters is None or filters.matches(self._meta[i])]
        if not ids:
            return []
        scores = np.vstack([self._vectors[i] for i in ids]) @ np.asarray(vector, dtype=np.float32)
        order = np.argsort(-scores)[:k]
        return [(ids[i], float(scores[i])) for i in order]

    def reset(self) -> None:
        self._vectors.clear()
        self._meta.clear()


class LazyStore:
    """A store opened on its first use. Answering over a snapshot that keeps its vectors searches those
    (`Snapshot.dense_search`) and never uses the store: a cold question does not import and open Chroma."""

    def __init__(self, opener: Callable[[], VectorStore]) -> None:
        self._opener = opener
        self._store: VectorStore | None = None
        self._lock = threading.Lock()

    @property
    def is_open(self) -> bool:
        return self._store is not None

    @property
    def opened(self) -> VectorStore:
        with self._lock:
            if self._store is None:
                self._store = self._opener()
            return self._store

    def upsert(self, chunks: list[Chunk], vectors: np.ndarray) -> None:
        self.opened.upsert(chunks, vectors)

    def delete(self, ids: list[str]) -> None:
        self.opened.delete(ids)

    def ids(self) -> set[str]:
        return self.opened.ids()

    def vectors(self, ids: list[str]) -> dict[str, np.ndarray]:
        return self.opened.vectors(ids)

    def fingerprint(self) -> dict | None:
        return self.opened.fingerprint()

    def query(self, vector: np.ndarray, k: int, filters: Filters | None = None) -> list[tuple[str, float]]:
        return self.opened.query(vector, k, filters)

    def reset(self) -> None:
        self.opened.reset()


def _unchecked(method: Any, check_signature: bool, check_at_runtime: bool) -> Any:
    method.__override__ = True
    return method


@contextmanager
def _chromadb_without_override_checks() -> Iterator[Any]:
    """chromadb, imported and started without the import-time checks of the `overrides` package: chromadb
    marks some 160 methods `@override`, and each mark disassembles the caller's bytecode and compares
    signatures with the base class (about 1 s of a 4 s cold start on 2 cores). Those are the library's
    development checks; the marks themselves are kept (`__override__`). Held while the client starts, which
    imports most of chromadb lazily; the checks are back on for every other use."""
    try:
        import overrides  # noqa: F401 - its submodule of the same name holds the checks
        marks = sys.modules["overrides.overrides"]
    except (ImportError, KeyError):  # a chromadb without `overrides`: nothing to skip
        marks = None
    checked = getattr(marks, "_overrides", None)
    if checked is not None:
        marks._overrides = _unchecked
    try:
        import chromadb

        yield chromadb
    finally:
        if checked is not None:
            marks._overrides = checked


def _chroma_function(embedder: Embedder):
    """A Chroma embedding function around our embedder (registered once, rebuilt from its config)."""
    from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
    from chromadb.utils.embedding_functions import known_embedding_functions, register_embedding_function

    class PcaEmbeddingFunction(EmbeddingFunction[Documents]):
        def __init__(self, embedder_name: str) -> None:
            self.embedder_name = embedder_name

        def __call__(self, input: Documents) -> Embeddings:
            return list(get_embedder(self.embedder_name).embed_documents(list(input)))

        def embed_query(self, input: Documents) -> Embeddings:
            return [get_embedder(self.embedder_name).embed_query(text) for text in input]

        @staticmethod
        def name() -> str:
            return "paris-call-assistant"

        def get_config(self) -> dict[str, Any]:
            return {"embedder": self.embedder_name}

        @staticmethod
        def build_from_config(config: dict[str, Any]) -> PcaEmbeddingFunction:
            return PcaEmbeddingFunction(config["embedder"])

        def default_space(self) -> str:
            return "cosine"

    if "paris-call-assistant" not in known_embedding_functions:
        register_embedding_function(PcaEmbeddingFunction)
    return known_embedding_functions["paris-call-assistant"](embedder.name)


def _scalars(metadata: dict[str, Any]) -> dict[str, Any]:
    """Chroma stores scalar metadata only."""
    return {k: v for k, v in metadata.items() if isinstance(v, (str, int, float, bool))}


def _forget_local_system(path: Path | None) -> None:
    """A failed open leaves a half-started Chroma system cached for its folder; drop it, so the next attempt
    in this process (after a repair) opens the folder afresh and reports what is really wrong."""
    try:
        from chromadb.api.shared_system_client import SharedSystemClient

        SharedSystemClient._identifier_to_system.pop(str(path), None)
        SharedSystemClient._identifier_to_refcount.pop(str(path), None)
    except Exception:  # noqa: BLE001 - a private detail of chromadb; without it only the message is worse
        pass


# How many candidates the HNSW graph search keeps (Chroma's default is 100). A search asks for 200 neighbours
# among many near-identical registry rows; with 100 the approximate answer changed from one process to the
# next. Even 1,000 is not exact here (a question's 20th nearest passage was missed), so the retriever ranks by
# the vectors kept with the snapshot (`Snapshot.dense_search`); this search serves an index that keeps none
# (a Chroma server) and the store check.
SEARCH_EF = 1000


class ChromaStore:
    """Chroma, persistent in a local folder, or a server when `url` is set (`http://host:port`)."""

    BATCH = 2000

    def __init__(self, embedder: Embedder, path: Path | None = None, url: str = "",
                 collection: str = "paris_call") -> None:
        self.embedder, self.path, self.url = embedder, path, url
        self.collection_name = collection_name(collection, embedder.name)
        with _chromadb_without_override_checks() as chromadb:
            from chromadb.config import Settings as ChromaSettings

            chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=True)
            try:
                if url:
                    parsed = urlparse(url)
                    self.client = chromadb.HttpClient(host=parsed.hostname or "127.0.0.1", port=parsed.port or 8000,
                                                      ssl=parsed.scheme == "https", settings=chroma_settings)
                    self.client.heartbeat()
                else:
                    assert path is not None, "a local Chroma store needs a folder"
                    try:
                        path.mkdir(parents=True, exist_ok=True)
                    except OSError as exc:
                        raise ConfigError(f"cannot create the Chroma folder {path} ({exc.strerror})",
                                          "set PCA_DATA_DIR to a folder you may write to") from None
                    self.client = chromadb.PersistentClient(path=str(path), settings=chroma_settings)
                self._open()
            except (StoreUnavailableError, ConfigError):
                raise
            except Exception as exc:
                where = url or str(path)
                if not url:
                    _forget_local_system(path)
                if url:
                    raise StoreUnavailableError(f"cannot reach the Chroma server at {where} ({exc})") from None
                raise IndexNotReadyError(f"the Chroma store at {where} cannot be opened "
                                         f"({type(exc).__name__}: {str(exc)[:200]})",
                                         hint="run `assistant index --repair`: it moves the damaged folder aside "
                                              "and rebuilds the index from the corpus") from None

    def _open(self) -> None:
        self.collection = self.client.get_or_create_collection(
            self.collection_name, embedding_function=_chroma_function(self.embedder),
            configuration={"hnsw": {"space": "cosine", "ef_search": SEARCH_EF}},
            metadata={"embedder": self.embedder.name})
        hnsw = (self.collection.configuration or {}).get("hnsw") or {}
        if hnsw.get("ef_search") != SEARCH_EF:  # a collection made before: its search breadth can change
            self.collection.modify(configuration={"hnsw": {"ef_search": SEARCH_EF}})

    def _call(self, what: str, fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except Exception as exc:
            raise StoreUnavailableError(f"the vector store failed to {what} ({type(exc).__name__}: "
                                        f"{str(exc)[:200]})") from None

    def upsert(self, chunks: list[Chunk], vectors: np.ndarray) -> None:
        for i in range(0, len(chunks), self.BATCH):
            batch = chunks[i:i + self.BATCH]
            self._call("store vectors", self.collection.upsert,
                       ids=[c.chunk_id for c in batch], embeddings=np.asarray(vectors[i:i + self.BATCH]),
                       documents=[c.text for c in batch], metadatas=[_scalars(c.metadata) for c in batch])

    def delete(self, ids: list[str]) -> None:
        for i in range(0, len(ids), self.BATCH):
            self._call("delete vectors", self.collection.delete, ids=ids[i:i + self.BATCH])

    def ids(self) -> set[str]:
        result = self._call("list its contents", self.collection.get, include=[])
        return set(result["ids"])

    def vectors(self, ids: list[str]) -> dict[str, np.ndarray]:
        """The stored vectors of `ids` (those it has)."""
        found: dict[str, np.ndarray] = {}
        for i in range(0, len(ids), self.BATCH):
            result = self._call("read vectors", self.collection.get, ids=ids[i:i + self.BATCH],
                                include=["embeddings"])
            found.update(zip(result["ids"], np.asarray(result["embeddings"], dtype=np.float32), strict=True))
        return found

    def fingerprint(self) -> dict | None:
        """What the local folder holds for this collection (`index.integrity`); None for a server."""
        if self.url or self.path is None:
            return None
        return fingerprint(self.path, self.collection_name)

    def query(self, vector: np.ndarray, k: int, filters: Filters | None = None) -> list[tuple[str, float]]:
        where = filters.to_chroma_where() if filters else None
        result = self._call("search", self.collection.query, query_embeddings=[np.asarray(vector)],
                            n_results=k, where=where, include=["distances"])
        return [(i, 1.0 - float(d)) for i, d in zip(result["ids"][0], result["distances"][0], strict=True)]

    def query_batch(self, vectors: np.ndarray, k: int) -> list[list[tuple[str, float]]]:
        """The nearest ids of each vector, in one call (the store check reads every vector back)."""
        result = self._call("search", self.collection.query, query_embeddings=np.asarray(vectors), n_results=k,
                            include=["distances"])
        return [[(i, 1.0 - float(d)) for i, d in zip(ids, dists, strict=True)]
                for ids, dists in zip(result["ids"], result["distances"], strict=True)]

    def reset(self) -> None:
        self._call("reset", self.client.delete_collection, self.collection_name)
        self._open()
