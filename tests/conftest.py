"""Shared fixtures. Every test gets its own data folder (PCA_DATA_DIR), never the developer's."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.corpus_factory import make_corpus

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
os.environ["ANONYMIZED_TELEMETRY"] = "False"

REAL_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


@pytest.fixture(autouse=True)
def isolated_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    data = tmp_path / "data"
    monkeypatch.setenv("PCA_DATA_DIR", str(data))
    for name in list(os.environ):
        if name.startswith("PCA_") and name != "PCA_DATA_DIR":
            monkeypatch.delenv(name)
    return data


@pytest.fixture
def mini_corpus(tmp_path: Path) -> Path:
    return make_corpus(tmp_path / "corpus")


@pytest.fixture
def hash_settings(mini_corpus: Path, isolated_data: Path, monkeypatch: pytest.MonkeyPatch):
    """Settings over the small test corpus with the fast fake embedder."""
    from assistant.settings import Settings

    monkeypatch.setenv("PCA_CORPUS_DIR", str(mini_corpus))
    monkeypatch.setenv("PCA_EMBEDDER", "hash")
    return Settings()
