"""Unit tests read with a small hand-weighted reader model (a fake of the fitted one, whose weights expect
the real e5 vectors): it scores sentences by coverage, answer type and rank, and refuses off-topic
questions. The fitted model is exercised by the integration tests on the real index."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assistant.reading.features import FEATURES
from assistant.reading.scorer import ANSWERABILITY_FEATURES, Linear, ReaderModel
from corpus.loader import load_corpus
from index.builder import build_index
from index.embedders import HashEmbedder
from index.retriever import HybridSearcher
from index.snapshot import Snapshot
from index.store import MemoryStore

SENTENCE_WEIGHTS = {"coverage_context": 4.0, "type_match": 2.0, "rank_prior": 1.5, "novelty": 1.0,
                    "language_match": 0.5}
ANSWERABLE_WEIGHTS = {"best": 1.0, "passage_coverage": 5.0}


def hand_weighted(names: tuple[str, ...], weights: dict[str, float], intercept: float) -> Linear:
    n = len(names)
    return Linear(names, np.zeros(n), np.ones(n), np.array([weights.get(f, 0.0) for f in names]), intercept)


def fake_reader_model() -> ReaderModel:
    return ReaderModel(hand_weighted(FEATURES, SENTENCE_WEIGHTS, -4.0),
                       hand_weighted(ANSWERABILITY_FEATURES, ANSWERABLE_WEIGHTS, -3.0), 0.5,
                       {"fitted_on": "hand-weighted unit-test model"})


@pytest.fixture
def searcher(mini_corpus: Path, tmp_path: Path) -> HybridSearcher:
    """A hybrid search over the small test corpus, with the fast fake embedder and the in-memory store."""
    embedder, store = HashEmbedder(), MemoryStore()
    build_index(load_corpus(mini_corpus), store, embedder, tmp_path / "index", progress=False)
    return HybridSearcher(Snapshot.load(tmp_path / "index"), store, embedder)


@pytest.fixture(autouse=True)
def unit_reader_model(isolated_data: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = isolated_data.parent / "reader-model.json"
    fake_reader_model().save(path)
    monkeypatch.setenv("PCA_READER_MODEL", str(path))
    return path
