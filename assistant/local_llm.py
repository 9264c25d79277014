"""The `local` answer backend's model: a GGUF file run in-process by llama.cpp (xllamacpp), as a LangChain
chat model, so `assistant.llm.LLMBackend` drives it exactly like the OpenAI-compatible and Ollama clients.

The model is loaded once per process (file, threads, context) and shared. xllamacpp's server also opens an
OpenAI-compatible HTTP endpoint on a random port of 127.0.0.1; it is locked with a random API key that
nothing outside this process knows, since the calls here go straight to the server's handlers. Tokens are
streamed from llama.cpp's callback thread through a queue; `timeout` is the longest wait for the next token
(the first includes reading the prompt). xllamacpp missing is a `ModelMissingError` naming `make local-llm`.
"""

from __future__ import annotations

import os
import queue
import secrets
import threading
from collections.abc import Iterator
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult

from corpus.errors import ModelMissingError

ROLES = {"system": "system", "human": "user", "ai": "assistant"}
_DONE = object()
_servers: dict[tuple[str, int, int], Any] = {}
_lock = threading.Lock()


def load_server(path: str, threads: int, context: int) -> Any:
    """The xllamacpp server holding the model (loaded on first use, then shared by the process)."""
    key = (path, threads, context)
    with _lock:
        if key not in _servers:
            # llama.cpp's OpenMP threads spin while waiting unless told otherwise; on shared cores a token then
            # takes many times longer. libgomp reads this when xllamacpp's library is first loaded.
            os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
            try:
                import xllamacpp
            except ImportError:
                raise ModelMissingError("the local backend needs xllamacpp (llama.cpp for Python), which is not "
                                        "installed", hint="run `make local-llm`") from None
            params = xllamacpp.CommonParams()
            params.model.path = path
            params.n_ctx = context
            params.n_parallel = 1
            params.cpuparams.n_threads = threads
            params.cpuparams_batch.n_threads = threads
            params.cache_ram_mib = 0  # no prompt cache beyond the one slot
            params.ui = False
            params.endpoint_slots = False
            params.verbosity = 0
            params.api_keys = [secrets.token_urlsafe(24)]  # the HTTP side is for nobody
            try:
                _servers[key] = xllamacpp.Server(params)
            except Exception as exc:  # an unreadable or incompatible file
                raise ModelMissingError(f"llama.cpp could not load the local model {path} ({exc})",
                                        hint="check PCA_LOCAL_MODEL, or reinstall it with `make local-llm`") from None
        return _servers[key]


class LocalChatModel(BaseChatModel):
    """Chat completions from a GGUF model in this process (greedy decoding, like the other backends)."""

    path: str
    threads: int = 2
    context: int = 2048
    max_tokens: int = 256
    timeout: float = 60.0

    @property
    def _llm_type(self) -> str:
        return "xllamacpp"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"path": self.path, "threads": self.threads, "context": self.context, "max_tokens": self.max_tokens}

    def load(self) -> LocalChatModel:
        """Load the model now (rather than on the first question)."""
        load_server(self.path, self.threads, self.context)
        return self

    def _request(self, messages: list[BaseMessage], stop: list[str] | None) -> dict[str, Any]:
        request: dict[str, Any] = {
            "messages": [{"role": ROLES.get(m.type, "user"), "content": m.text} for m in messages],
            "max_tokens": self.max_tokens, "temperature": 0, "stream": True}
        if stop:
            request["stop"] = stop
        return request

    def _pieces(self, request: dict[str, Any]) -> Iterator[str]:
        """The completion's text pieces as llama.cpp produces them; stops generating when abandoned."""
        server = load_server(self.path, self.threads, self.context)
        pieces: queue.Queue = queue.Queue()
        abandoned = threading.Event()

        def on_chunk(data: dict[str, Any]) -> bool:  # called by llama.cpp; True stops the generation
            if "error" in data or "choices" not in data:
                error = data.get("error", data)
                message = error.get("message", str(error)) if isinstance(error, dict) else str(error)
                pieces.put(RuntimeError(f"llama.cpp: {message}"))
                return True
            for choice in data["choices"]:
                text = (choice.get("delta") or {}).get("content")
                if text:
                    pieces.put(text)
            return abandoned.is_set()

        def generate() -> None:
            try:
                server.handle_chat_completions(request, on_chunk)
            except Exception as exc:
                pieces.put(exc)
            finally:
                pieces.put(_DONE)

        threading.Thread(target=generate, name="local-llm", daemon=True).start()
        try:
            while True:
                try:
                    item = pieces.get(timeout=self.timeout)
                except queue.Empty:
                    raise TimeoutError(f"no token from the local model within {self.timeout:g} s") from None
                if item is _DONE:
                    return
                if isinstance(item, Exception):
                    raise item
                yield item
        finally:
            abandoned.set()

    def _stream(self, messages: list[BaseMessage], stop: list[str] | None = None, run_manager: Any = None,
                **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        for text in self._pieces(self._request(messages, stop)):
            chunk = ChatGenerationChunk(message=AIMessageChunk(content=text))
            if run_manager:
                run_manager.on_llm_new_token(text, chunk=chunk)
            yield chunk

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None, run_manager: Any = None,
                  **kwargs: Any) -> ChatResult:
        text = "".join(self._pieces(self._request(messages, stop)))
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])
