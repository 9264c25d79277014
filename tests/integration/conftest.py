"""The real corpus indexed once per test session with the real model into real Chroma."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import REAL_CORPUS


@pytest.fixture(scope="session")
def real_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not REAL_CORPUS.is_dir():
        pytest.skip(f"the shared corpus is not at {REAL_CORPUS}")
    from assistant.service import index_corpus
    from assistant.settings import Settings

    data = tmp_path_factory.mktemp("real-data")
    summary = index_corpus(Settings(data_dir=data, corpus_dir=REAL_CORPUS), progress=False)
    assert summary.documents >= 100 and not summary.skipped
    return data


@pytest.fixture
def real_settings(real_data_dir: Path, monkeypatch: pytest.MonkeyPatch):
    from assistant.settings import Settings

    monkeypatch.setenv("PCA_DATA_DIR", str(real_data_dir))
    monkeypatch.setenv("PCA_CORPUS_DIR", str(REAL_CORPUS))
    return Settings()


@pytest.fixture
def real_services(real_settings):
    from assistant.service import Services

    return Services(real_settings)
