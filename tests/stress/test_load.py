"""Load and soak tests against the running chat page (`assistant serve` on 127.0.0.1, real corpus, real
model), through its HTTP API with gradio_client. Bounded in requests and time; the server is stopped after.

- load: 20 conversations at once × 10 questions each: no errors, no cross-talk (each conversation sees only
  its own questions, and its follow-ups resolve to its own subject), latency p50/p95/max reported;
- soak: 500 questions: the server's memory stays flat (growth after warm-up reported and bounded), peak
  RSS reported.
Run with `make stress` (`pytest -m stress tests/stress -s`); figures are printed.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REAL_CORPUS

pytestmark = pytest.mark.stress
CHECKOUT = Path(__file__).resolve().parents[2]
ASSISTANT = Path(sys.executable).with_name("assistant")
CONVERSATIONS, QUESTIONS_EACH, SOAK_QUESTIONS, SOAK_CLIENTS = 20, 10, 500, 4
FOLLOW_UPS = ["Since when has it been listed?", "When was it listed in the registry?",
              "Since what date has it been listed?", "And since when has it been listed?",
              "What date has it been listed since?"]


def rss_kb(pid: int, field: str = "VmRSS") -> int:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real corpus indexed with the real model: the checkout's index copied when there is one (the
    incremental run then embeds only what changed), else built here (a few minutes)."""
    if not REAL_CORPUS.is_dir():
        pytest.skip(f"the shared corpus is not at {REAL_CORPUS}")
    from assistant.service import index_corpus
    from assistant.settings import Settings

    data = tmp_path_factory.mktemp("stress-data")
    for part in ("index", "chroma"):
        if (CHECKOUT / "data" / part).is_dir():
            shutil.copytree(CHECKOUT / "data" / part, data / part)
    summary = index_corpus(Settings(data_dir=data, corpus_dir=REAL_CORPUS, embedder="e5-small", chroma_url=""),
                           progress=False)
    assert summary.documents >= 100
    return data


@pytest.fixture(scope="module")
def server(data_dir: Path) -> Iterator[tuple[str, int]]:
    """`assistant serve` in its own process on a free 127.0.0.1 port; yields (url, pid)."""
    from ui.app import free_port

    port = free_port("127.0.0.1")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PCA_")}
    env.update(PCA_DATA_DIR=str(data_dir), PCA_CORPUS_DIR=str(REAL_CORPUS), PCA_HOST="127.0.0.1",
               PCA_LOG_LEVEL="WARNING", GRADIO_ANALYTICS_ENABLED="False")
    log = data_dir / "serve.log"
    with open(log, "w") as out:
        process = subprocess.Popen([str(ASSISTANT), "serve", "--port", str(port)], env=env, stdout=out,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 300  # loading the model and the index
        while "is ready: http" not in log.read_text():
            assert process.poll() is None, log.read_text()[-3000:]
            assert time.monotonic() < deadline, "the chat page did not start in 300 s"
            time.sleep(0.5)
        url = re.search(r"is ready: (http://\S+)", log.read_text()).group(1)
        assert url.startswith("http://127.0.0.1:")
        yield url, process.pid
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=30)


def subjects(data_dir: Path, count: int) -> list[str]:
    """Registry names that are distinct words (none inside another), one subject per conversation."""
    from index.snapshot import Snapshot

    rows = [c.metadata["fields"] for c in Snapshot.load(data_dir / "index").chunks
            if c.doc_id == "supporters.csv" and "fields" in c.metadata]
    countries = " ".join(r.get("country", "") for r in rows).lower()
    names = [r["name"] for r in rows if r.get("category") == "private-sector"]
    chosen: list[str] = []
    for name in sorted(names, key=lambda n: (len(n), n)):
        if re.fullmatch(r"[A-Z][a-z]{4,11}", name) and name.lower() not in countries and not any(
                name.lower() in other.lower() or other.lower() in name.lower() for other in chosen):
            chosen.append(name)
        if len(chosen) == count:
            return chosen
    pytest.fail(f"only {len(chosen)} distinct registry names")


def ask(client, question: str) -> tuple[list[dict], float]:
    started = time.perf_counter()
    result = client.predict(question, [], [], "", "", api_name="/ask")
    return result[1], (time.perf_counter() - started) * 1000


def text_of(message: dict) -> str:
    content = message["content"]
    if isinstance(content, list):
        content = " ".join(part.get("text", "") for part in content if isinstance(part, dict))
    return re.sub(r"<[^>]+>", "", str(content))


def test_20_conversations_at_once_without_errors_or_cross_talk(server, data_dir: Path):
    from gradio_client import Client

    url, pid = server
    names = subjects(data_dir, CONVERSATIONS)
    latencies: list[float] = []
    errors: list[str] = []
    transcripts: dict[str, list[dict]] = {}
    lock = threading.Lock()

    def conversation(name: str) -> None:
        try:
            client = Client(url, verbose=False)
            questions = []
            for i in range(QUESTIONS_EACH // 2):
                questions += [f"Is {name} a supporter of the Paris Call?", FOLLOW_UPS[i % len(FOLLOW_UPS)]]
            messages: list[dict] = []
            for question in questions:
                messages, ms = ask(client, question)
                with lock:
                    latencies.append(ms)
            transcripts[name] = messages
        except Exception as err:  # noqa: BLE001 - counted and reported below
            with lock:
                errors.append(f"{name}: {type(err).__name__}: {err}")

    started = time.perf_counter()
    threads = [threading.Thread(target=conversation, args=(name,), daemon=True) for name in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=900)
    wall = time.perf_counter() - started
    assert not errors, errors
    assert len(latencies) == CONVERSATIONS * QUESTIONS_EACH
    for name, messages in transcripts.items():
        users = [text_of(m) for m in messages if m["role"] == "user"]
        answers = [text_of(m) for m in messages if m["role"] == "assistant"]
        assert len(users) == len(answers) == QUESTIONS_EACH  # its own ten turns, nothing else
        assert all(name in q for q in users[::2]) and users[1::2] == [
            FOLLOW_UPS[i % len(FOLLOW_UPS)] for i in range(QUESTIONS_EACH // 2)]
        for answer in answers:  # every answer, follow-ups included, is about this conversation's subject
            assert name in answer, (name, answer)
            assert not [other for other in names if other != name and other in answer], (name, answer)
    print(f"\nLOAD {CONVERSATIONS} conversations x {QUESTIONS_EACH} questions = {len(latencies)} answers in "
          f"{wall:.1f} s ({len(latencies) / wall:.1f}/s), errors 0; latency p50 {statistics.median(latencies):.0f} ms, "
          f"p95 {percentile(latencies, 0.95):.0f} ms, max {max(latencies):.0f} ms; "
          f"server RSS {rss_kb(pid) / 1024:.0f} MB")


def test_memory_stays_flat_over_a_500_question_soak(server):
    from gradio_client import Client

    from evals.questions import load_questions

    url, pid = server
    questions = [q.question for q in load_questions()]
    samples: list[tuple[int, int]] = []
    latencies: list[float] = []
    errors: list[str] = []
    done = 0
    lock = threading.Lock()

    def client_loop(worker: int) -> None:
        nonlocal done
        client = None
        for i in range(worker, SOAK_QUESTIONS, SOAK_CLIENTS):
            try:
                if client is None or i % 40 < SOAK_CLIENTS:  # a new conversation every ten questions or so
                    client = Client(url, verbose=False)
                _, ms = ask(client, questions[i % len(questions)])
            except Exception as err:  # noqa: BLE001 - counted and reported below
                with lock:
                    errors.append(f"{i}: {type(err).__name__}: {err}")
                continue
            with lock:
                latencies.append(ms)
                done += 1
                if done % 50 == 0:
                    samples.append((done, rss_kb(pid)))

    started = time.perf_counter()
    threads = [threading.Thread(target=client_loop, args=(w,), daemon=True) for w in range(SOAK_CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=1800)
    wall = time.perf_counter() - started
    assert not errors, errors[:5]
    assert done == SOAK_QUESTIONS
    warm = next(kb for n, kb in samples if n >= 100)
    end, peak = samples[-1][1], rss_kb(pid, "VmHWM")
    growth = (end - warm) / 1024
    print(f"\nSOAK {done} questions in {wall:.1f} s, errors 0; latency p50 {statistics.median(latencies):.0f} ms, "
          f"p95 {percentile(latencies, 0.95):.0f} ms; server RSS after 100 {warm / 1024:.0f} MB, "
          f"after {done} {end / 1024:.0f} MB (growth {growth:+.0f} MB), peak RSS {peak / 1024:.0f} MB")
    print("RSS samples (answers, MB): " + json.dumps([(n, round(kb / 1024)) for n, kb in samples]))
    assert growth < max(100, 0.15 * warm / 1024), "memory keeps growing"
