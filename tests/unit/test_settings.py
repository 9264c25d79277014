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


def test_load_settings_names_every_bad_value_with_what_is_accepted(monkeypatch):
    from assistant.settings import load_settings
    from corpus.errors import ConfigError

    monkeypatch.setenv("PCA_PORT", "abc")
    monkeypatch.setenv("PCA_BACKEND", "gpt")
    monkeypatch.setenv("PCA_LLM_TIMEOUT", "-3")
    with pytest.raises(ConfigError) as caught:
        load_settings()
    message = caught.value.message
    assert "PCA_PORT='abc' is not accepted: expected a whole number (at least 0, at most 65535)" in message
    assert "PCA_BACKEND='gpt' is not accepted: accepted values are 'extractive', 'openai'" in message
    assert "PCA_LLM_TIMEOUT='-3' is not accepted: expected a number (more than 0" in message
    monkeypatch.delenv("PCA_PORT")
    monkeypatch.delenv("PCA_BACKEND")
    monkeypatch.delenv("PCA_LLM_TIMEOUT")
    assert load_settings(port=9000).port == 9000  # good values pass through unchanged


def test_the_default_size_limit_fits_the_largest_corpus_file_with_margin():
    from tests.conftest import REAL_CORPUS

    if not REAL_CORPUS.is_dir():
        pytest.skip(f"the shared corpus is not at {REAL_CORPUS}")
    largest = max(p.stat().st_size for p in REAL_CORPUS.rglob("*") if p.is_file())
    limit = Settings().max_file_bytes
    assert 1.2 * largest <= limit <= 2 * largest  # every corpus file fits; a 5 MB text file does not
    assert limit < 5_000_000
