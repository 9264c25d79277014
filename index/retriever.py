"""The hybrid retriever: dense (vector store) and lexical (BM25) rankings fused by reciprocal rank fusion.

Then near-identical chunks are dropped and each document is capped to a few chunks, so the registry's
1,222 one-line rows (all one document) cannot crowd out the passages a question is really about.
Exposed as a LangChain retriever returning `Document`s with their scores in the metadata.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Any, Literal

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document as LCDocument
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from index.chunking import Chunk
from index.embedders import Embedder
from index.filters import Filters
from index.snapshot import Snapshot
from index.store import VectorStore

Mode = Literal["hybrid", "dense", "lexical"]
OVERFETCH = 5  # each leg fetches this many times its candidates, then caps each document


@dataclass
class Hit:
    """A retrieved chunk with its fused score and the scores of each leg (None where a leg missed it)."""

    chunk: Chunk
    score: float
    dense: float | None = None
    lexical: float | None = None
    rank: int = 0


@dataclass
class SearchConfig:
    """How a search is run; the defaults are tuned on the benchmark's dev split."""

    mode: Mode = "hybrid"
    dense_k: int = 40
    lexical_k: int = 40
    rrf_k: int = 60
    dense_weight: float = 1.0
    lexical_weight: float = 1.0
    per_doc_cap: int = 3
    dedupe_threshold: float = 0.85
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def leg_cap(self) -> int:
        """Most candidates one document may give each leg (twice the final cap; tuned on the dev split)."""
        return 2 * self.per_doc_cap


def _shingles(text: str) -> set[str]:
    words = re.findall(r"\w+", text.lower())
    return {" ".join(words[i:i + 3]) for i in range(max(1, len(words) - 2))}


def _near_duplicate(a: set[str], b: set[str], threshold: float) -> bool:
    if not a or not b:
        return False
    return len(a & b) / len(a | b) >= threshold


class HybridSearcher:
    """Search over a committed snapshot and its vector store."""

    def __init__(self, snapshot: Snapshot, store: VectorStore, embedder: Embedder,
                 config: SearchConfig | None = None) -> None:
        self.snapshot = snapshot
        self.store = store
        self.embedder = embedder
        self.config = config or SearchConfig()

    def dense(self, query: str, k: int, filters: Filters | None) -> list[tuple[str, float]]:
        vector = self.embedder.embed_query(query)
        hits = self.store.query(vector, k, filters)
        # Vectors not yet committed are ignored; so are computed count tables, whose long lists of names look
        # like everything to a vector model (they are found by their words, through BM25).
        return [(i, s) for i, s in hits if i in self.snapshot.by_id and not self.snapshot.by_id[i].metadata.get("computed")]

    def search(self, query: str, k: int = 8, filters: Filters | None = None,
               config: SearchConfig | None = None) -> list[Hit]:
        cfg = config or self.config
        timings = cfg.timings
        dense: list[tuple[str, float]] = []
        lexical: list[tuple[str, float]] = []
        started = time.perf_counter()
        if cfg.mode in ("hybrid", "dense"):
            dense = self._capped(self.dense(query, cfg.dense_k * OVERFETCH, filters), cfg.dense_k, cfg.leg_cap)
        timings["dense_ms"] = (time.perf_counter() - started) * 1000
        started = time.perf_counter()
        if cfg.mode in ("hybrid", "lexical"):
            lexical = self._capped(self.snapshot.lexical_search(query, cfg.lexical_k * OVERFETCH, filters),
                                   cfg.lexical_k, cfg.leg_cap)
        timings["lexical_ms"] = (time.perf_counter() - started) * 1000
        hits: dict[str, Hit] = {}
        for weight, ranking, leg in ((cfg.dense_weight, dense, "dense"), (cfg.lexical_weight, lexical, "lexical")):
            for rank, (chunk_id, score) in enumerate(ranking):
                hit = hits.setdefault(chunk_id, Hit(self.snapshot.by_id[chunk_id], 0.0))
                hit.score += weight / (cfg.rrf_k + rank + 1)
                setattr(hit, leg, score)
        ordered = sorted(hits.values(), key=lambda h: -h.score)
        return self._diversify(ordered, k, cfg)

    def _capped(self, ranking: list[tuple[str, float]], k: int, cap: int) -> list[tuple[str, float]]:
        """A leg's ranking with at most `cap` chunks of any one document: the registry's many similar rows
        would otherwise fill a leg's whole candidate list."""
        kept, per_doc = [], {}
        for chunk_id, score in ranking:
            doc_id = self.snapshot.by_id[chunk_id].doc_id
            if per_doc.get(doc_id, 0) < cap:
                per_doc[doc_id] = per_doc.get(doc_id, 0) + 1
                kept.append((chunk_id, score))
                if len(kept) >= k:
                    break
        return kept

    def _diversify(self, ordered: list[Hit], k: int, cfg: SearchConfig) -> list[Hit]:
        kept: list[Hit] = []
        kept_shingles: list[set[str]] = []
        per_doc: dict[str, int] = {}
        for hit in ordered:
            if per_doc.get(hit.chunk.doc_id, 0) >= cfg.per_doc_cap:
                continue
            shingles = _shingles(hit.chunk.text)
            if any(_near_duplicate(shingles, other, cfg.dedupe_threshold) for other in kept_shingles):
                continue
            per_doc[hit.chunk.doc_id] = per_doc.get(hit.chunk.doc_id, 0) + 1
            hit.rank = len(kept) + 1
            kept.append(hit)
            kept_shingles.append(shingles)
            if len(kept) >= k:
                break
        return kept


def hit_to_document(hit: Hit) -> LCDocument:
    metadata: dict[str, Any] = dict(hit.chunk.metadata)
    metadata.update(chunk_id=hit.chunk.chunk_id, start=hit.chunk.start, end=hit.chunk.end, score=hit.score,
                    dense_score=hit.dense, lexical_score=hit.lexical, rank=hit.rank)
    return LCDocument(page_content=hit.chunk.text, metadata=metadata, id=hit.chunk.chunk_id)


class HybridRetriever(BaseRetriever):
    """LangChain face of `HybridSearcher`: `invoke(question)` returns scored `Document`s."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    searcher: HybridSearcher
    k: int = 8
    filters: Filters | None = None

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun
                                ) -> list[LCDocument]:
        return [hit_to_document(h) for h in self.searcher.search(query, self.k, self.filters)]
