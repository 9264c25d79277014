"""The same index and search code against a Chroma server (PCA_CHROMA_URL), started here with `chroma run`
on 127.0.0.1, with the real multilingual model; then the server goes away mid-session."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from assistant.cli import main
from corpus.errors import StoreUnavailableError

pytestmark = pytest.mark.integration
CHROMA = Path(sys.executable).with_name("chroma")


@dataclass
class ChromaServer:
    url: str
    port: int
    path: Path
    log: Path
    process: subprocess.Popen | None = None

    def start(self) -> None:
        env = {**os.environ, "ANONYMIZED_TELEMETRY": "False", "CHROMA_TELEMETRY": "False"}
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen([str(CHROMA), "run", "--host", "127.0.0.1", "--port", str(self.port),
                                             "--path", str(self.path)], stdout=log, stderr=subprocess.STDOUT,
                                            env=env, start_new_session=True)
        deadline = time.monotonic() + 60  # bounded readiness wait
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"chroma run exited with {self.process.returncode}: {self.log.read_text()[-2000:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    pass
                import httpx

                if httpx.get(f"{self.url}/api/v2/heartbeat", timeout=2).status_code == 200:
                    return
            except OSError:
                pass
            except Exception:  # noqa: BLE001 - not ready yet
                pass
            time.sleep(0.2)
        pytest.fail(f"the Chroma server did not answer within 60 s: {self.log.read_text()[-2000:]}")

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[ChromaServer]:
    if not CHROMA.exists():
        pytest.skip(f"the chroma command is not installed beside {sys.executable}")
    port = free_port()
    server = ChromaServer(f"http://127.0.0.1:{port}", port, tmp_path / "chroma-server", tmp_path / "chroma.log")
    server.start()
    try:
        yield server
    finally:
        server.kill()


@pytest.fixture
def server_settings(chroma_server: ChromaServer, mini_corpus: Path, monkeypatch: pytest.MonkeyPatch):
    from assistant.settings import Settings

    monkeypatch.setenv("PCA_CORPUS_DIR", str(mini_corpus))
    monkeypatch.setenv("PCA_CHROMA_URL", chroma_server.url)
    return Settings()


def test_index_and_search_through_a_chroma_server(server_settings, chroma_server, capsys):
    import chromadb

    assert server_settings.embedder == "e5-small"
    assert main(["index", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "indexed 6 documents" in out and "6 new or changed" in out
    assert not server_settings.chroma_dir.exists()  # nothing in a local Chroma folder: all on the server
    client = chromadb.HttpClient(host="127.0.0.1", port=chroma_server.port)
    collection = client.get_collection("paris_call_e5_small")
    assert collection.count() > 10

    assert main(["search", "Which principle defends electoral processes?", "--json"]) == 0
    hits = __import__("json").loads(capsys.readouterr().out)
    assert hits[0]["doc_id"] == "declaration/call-en.md"
    assert main(["search", "Quand l'Appel de test a-t-il été lancé ?", "--language", "fr"]) == 0
    assert "declaration/appel-fr.md" in capsys.readouterr().out

    assert main(["index", "--quiet"]) == 0  # incremental against the server too
    assert "0 new or changed (0 chunks embedded)" in capsys.readouterr().out
    assert main(["index", "--repair", "--quiet"]) == 0
    assert capsys.readouterr().out.startswith("index checked: snapshot and vector store are complete and in step")


def test_a_server_that_goes_away_mid_session_is_a_clear_error(server_settings, chroma_server, capsys):
    from assistant.chain import Assistant
    from assistant.service import Services, index_corpus

    index_corpus(server_settings, progress=False)
    services = Services(server_settings)
    assistant = Assistant(services)
    assert services.searcher.search("electoral processes", 3)
    assert not assistant.ask("When was the Test Call launched?").refused

    chroma_server.kill()  # the server dies while the session is open
    started = time.perf_counter()
    with pytest.raises(StoreUnavailableError) as caught:
        services.searcher.search("electoral processes", 3)
    assert time.perf_counter() - started < 30
    assert caught.value.message.startswith("the vector store failed to search")
    assert "PCA_CHROMA_URL" in caught.value.hint
    with pytest.raises(StoreUnavailableError):
        assistant.ask("Which principle defends electoral processes?")

    assert main(["search", "electoral processes"]) == 2  # a new process: a clean exit with the hint
    err = capsys.readouterr().err
    assert f"cannot reach the Chroma server at {chroma_server.url}" in err
    assert "hint: check that the Chroma server in PCA_CHROMA_URL is running" in err and "Traceback" not in err

    chroma_server.start()  # back on the same port and folder: the open session works again
    assert services.searcher.search("electoral processes", 3)
    assert not assistant.ask("When was the Test Call launched?").refused
