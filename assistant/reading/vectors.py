"""Sentence vectors for reading by meaning: the index's own embedder, e5's `query:` / `passage:` prefixes.

Vectors are cached by sentence text: in memory while the process lives, and on disk in
`<data>/reading/sentences.npz` for the sentences `assistant index` embeds ahead of time.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from index.embedders import Embedder

log = logging.getLogger(__name__)


def _key(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=10).hexdigest()


class SentenceVectors:
    """Cosine similarity of a question to sentences, embedding each sentence once."""

    def __init__(self, embedder: Embedder, path: Path | None = None) -> None:
        self.embedder = embedder
        self.path = path
        self.cache: dict[str, np.ndarray] = {}
        if path is not None and path.is_file():
            try:
                with np.load(path) as data:
                    self.cache = dict(zip(data["keys"].tolist(), data["vectors"], strict=True))
            except (OSError, ValueError, KeyError) as exc:
                log.warning("sentence vectors in %s unreadable (%s); they will be recomputed", path, exc)

    def query(self, question: str) -> np.ndarray:
        return self.embedder.embed_query(question)  # the embedder keeps recent questions' vectors

    def ensure(self, sentences: Iterable[str]) -> int:
        """Embed the sentences not yet cached; returns how many were embedded."""
        missing = list(dict.fromkeys(s for s in sentences if _key(s) not in self.cache))
        if missing:
            for text, vector in zip(missing, self.embedder.embed_documents(missing), strict=True):
                self.cache[_key(text)] = vector
        return len(missing)

    def similarities(self, question: str, sentences: list[str]) -> np.ndarray:
        self.ensure(sentences)
        q = self.query(question)
        return np.array([float(self.cache[_key(s)] @ q) for s in sentences])

    def save(self, keep: Iterable[str] | None = None) -> None:
        """Write the cache (only the sentences in `keep`, when given) atomically."""
        if self.path is None:
            return
        keys = [_key(s) for s in keep] if keep is not None else list(self.cache)
        keys = [k for k in dict.fromkeys(keys) if k in self.cache]
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_name(self.path.stem + ".partial.npz")
        vectors = np.stack([self.cache[k] for k in keys]) if keys else np.zeros((0, self.embedder.dim), np.float32)
        np.savez(partial, keys=np.array(keys), vectors=vectors.astype(np.float32))
        os.replace(partial, self.path)
