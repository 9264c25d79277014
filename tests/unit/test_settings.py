from pathlib import Path

import pytest
from pydantic import ValidationError

from assistant.settings import CHECKOUT, Settings


def test_defaults_point_inside_the_checkout_and_at_the_shared_corpus(monkeypatch):
    monkeypatch.delenv("PCA_DATA_DIR")
    settings = Settings()
    assert settings.data_dir == CHECKOUT / "data"
    assert settings.corpus_dir == CHECKOUT.parent / "shared" / "corpus"
    assert settings.host == "127.0.0.1" and settings.backend == "extractive"


def test_environment_overrides(monkeypatch, tmp_path: Path):
    monkeypatch.setenv("PCA_CHUNK_SIZE", "600")
    monkeypatch.setenv("PCA_CORPUS_DIR", str(tmp_path))
    settings = Settings()
    assert settings.chunk_size == 600 and settings.corpus_dir == tmp_path
    assert settings.index_dir == settings.data_dir / "index"


def test_every_field_is_described():
    assert all(info.description for info in Settings.model_fields.values())


def test_invalid_values_are_rejected(monkeypatch):
    monkeypatch.setenv("PCA_EMBEDDER", "word2vec")
    with pytest.raises(ValidationError):
        Settings()


def test_secrets_are_masked(monkeypatch):
    monkeypatch.setenv("PCA_LLM_API_KEY", "sk-secret")
    rows = {name: value for name, value, _ in Settings().describe()}
    assert rows["PCA_LLM_API_KEY"] == "(set)" and "sk-secret" not in str(rows)
