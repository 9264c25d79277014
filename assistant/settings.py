"""The one settings object. Every field can be set by an environment variable with the `PCA_` prefix
(for example `PCA_CORPUS_DIR`, `PCA_DATA_DIR`, `PCA_EMBEDDER`), or in a `.env` file in the checkout.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

CHECKOUT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Effective configuration of the assistant; `assistant config` prints it."""

    model_config = SettingsConfigDict(env_prefix="PCA_", env_file=CHECKOUT / ".env", extra="ignore",
                                      validate_default=True)

    data_dir: Path = Field(CHECKOUT / "data",
                           description="Folder for everything the app writes: index, Chroma, conversations, logs")
    corpus_dir: Path = Field(CHECKOUT.parent / "shared" / "corpus",
                             description="Folder of documents to index (Markdown, .txt/.pdf/.csv/.html + sidecars)")
    embedder: Literal["e5-small", "minilm", "hash"] = Field(
        "e5-small", description="Embedding model: e5-small (multilingual), minilm (English), hash (tests only)")
    chunk_size: int = Field(900, ge=200, le=4000, description="Largest chunk, in characters")
    retrieve_k: int = Field(8, ge=1, le=50, description="Passages handed to the answer stage")
    dense_k: int = Field(40, ge=1, le=500, description="Candidates taken from the vector search")
    lexical_k: int = Field(40, ge=1, le=500, description="Candidates taken from the BM25 search")
    rrf_k: int = Field(60, ge=1, description="Reciprocal rank fusion constant")
    per_doc_cap: int = Field(3, ge=1, description="Most passages kept from any one document")
    chroma_url: str = Field("", description="Chroma server address (http://host:port); empty = local folder")
    collection: str = Field("paris_call", description="Chroma collection name prefix")

    backend: Literal["extractive", "openai", "ollama"] = Field(
        "extractive", description="Answer backend: extractive (offline default), openai-compatible or ollama")
    llm_base_url: str = Field("http://127.0.0.1:8080/v1", description="Base URL of the LLM endpoint")
    llm_model: str = Field("local-model", description="Model name sent to the LLM endpoint")
    llm_api_key: SecretStr = Field(SecretStr(""), description="API key for the LLM endpoint (environment only)")
    llm_timeout: float = Field(60.0, gt=0, description="Seconds before an LLM call is abandoned")
    refusal_support: float = Field(0.5, ge=0, le=1, description="Refuse when the best sentence covers less of "
                                   "the question than this (weighted share of its words; tuned on the dev split)")
    refusal_dense: float = Field(0.84, ge=0, le=1, description="...unless the best passage's vector similarity "
                                 "reaches this (tuned on the dev split)")
    max_question_chars: int = Field(1000, ge=10, description="Longest question accepted")

    host: str = Field("127.0.0.1", description="Address the chat page binds to")
    port: int = Field(7860, ge=0, le=65535, description="Port of the chat page (0 = any free port)")
    auth_user: str = Field("", description="User name required when binding beyond 127.0.0.1")
    auth_password: SecretStr = Field(SecretStr(""), description="Password required when binding beyond 127.0.0.1")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field("INFO", description="Logging level")

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def db_path(self) -> Path:
        return self.data_dir / "conversations.sqlite3"

    @property
    def log_dir(self) -> Path:
        return self.data_dir / "logs"

    def describe(self) -> list[tuple[str, str, str]]:
        """(name, effective value, description) for every field; secrets are masked."""
        rows = []
        for name, info in type(self).model_fields.items():
            value = getattr(self, name)
            shown = ("(set)" if value.get_secret_value() else "(empty)") if isinstance(value, SecretStr) else str(value)
            rows.append((f"PCA_{name.upper()}", shown, info.description or ""))
        return rows
