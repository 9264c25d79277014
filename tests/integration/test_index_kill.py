"""An `assistant index` run killed with SIGKILL mid-way (real model, real Chroma, real documents) leaves the
previous index in use, and the next run completes the index without embedding again what was stored."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from index.builder import EMBED_BATCH
from index.integrity import check_local_store
from index.snapshot import Snapshot
from tests.conftest import REAL_CORPUS
from tests.corpus_factory import make_corpus

pytestmark = pytest.mark.integration
ASSISTANT = Path(sys.executable).with_name("assistant")
EXTRA_DOCUMENTS = 45  # real news articles, each copied under new names: several hundred new chunks
COPIES = 3  # passages embed at about 90 chunks/s: enough batches that one is stored before the end


def run(env: dict, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([str(ASSISTANT), *args], env=env, capture_output=True, text=True, timeout=timeout)


def stored_vectors(chroma: Path) -> int:
    """Vectors in the local Chroma folder, read from its SQLite file without opening Chroma."""
    try:
        with sqlite3.connect(f"file:{chroma / 'chroma.sqlite3'}?mode=ro", uri=True, timeout=1) as db:
            return db.execute("SELECT COUNT(*) FROM embeddings").fetchone()[0]
    except sqlite3.Error:
        return 0


def test_a_killed_index_run_keeps_the_previous_index_and_the_next_run_completes_it(tmp_path: Path):
    if not REAL_CORPUS.is_dir():
        pytest.skip(f"the shared corpus is not at {REAL_CORPUS}")
    corpus, data = make_corpus(tmp_path / "corpus"), tmp_path / "data"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PCA_")}
    env.update(PCA_CORPUS_DIR=str(corpus), PCA_DATA_DIR=str(data), PCA_EMBEDDER="e5-small")

    first = run(env, "index", "--quiet")
    assert first.returncode == 0, first.stderr
    previous = Snapshot.load(data / "index")
    before = stored_vectors(data / "chroma")
    assert before == len(previous.embedded) > 0

    articles = sorted(p for p in (REAL_CORPUS / "news").glob("*.md"))[:EXTRA_DOCUMENTS]
    (corpus / "extra").mkdir()
    for copy in range(COPIES):
        for i, article in enumerate(articles):
            shutil.copyfile(article, corpus / "extra" / f"copy-{copy}-{i:02d}-{article.name}")

    indexing = subprocess.Popen([str(ASSISTANT), "index", "--quiet"], env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, start_new_session=True)
    killed_at = 0
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and indexing.poll() is None:
            killed_at = stored_vectors(data / "chroma")
            if killed_at >= before + EMBED_BATCH:  # at least one batch of new vectors is stored
                os.killpg(indexing.pid, signal.SIGKILL)
                break
            time.sleep(0.2)
    finally:
        if indexing.poll() is None:
            os.killpg(indexing.pid, signal.SIGKILL)
        indexing.communicate(timeout=60)
    assert indexing.returncode == -signal.SIGKILL, "the run ended before it could be killed: add documents"
    assert killed_at > before

    current = Snapshot.load(data / "index")  # still the previous, complete snapshot
    assert current.documents == previous.documents and current.built_at == previous.built_at
    assert not [d for d in current.documents if d.startswith("extra/")]
    searched = run(env, "search", "Which principle defends electoral processes?", "--json")
    assert searched.returncode == 0, searched.stderr
    hits = json.loads(searched.stdout)
    assert hits[0]["doc_id"] == "declaration/call-en.md" and not [h for h in hits if h["doc_id"].startswith("extra/")]

    again = run(env, "index", "--quiet")
    assert again.returncode == 0, again.stderr
    completed = Snapshot.load(data / "index")
    new_chunks = len(completed.embedded) - len(previous.embedded)
    embedded = int(re.search(r"\((\d+) chunks embedded", again.stdout).group(1))
    assert len([d for d in completed.documents if d.startswith("extra/")]) == COPIES * len(articles)
    assert 0 < embedded <= new_chunks - EMBED_BATCH, (embedded, new_chunks)  # what was stored before the kill is kept
    print(f"\nkilled after {killed_at - before} of {new_chunks} new vectors; the next run embedded {embedded}")

    # the store the killed run left ahead of its index was read in a child process once, and the completed run
    # recorded what it holds: every command now takes the cheap path
    verdict = check_local_store(data / "chroma", "paris_call", "e5-small", Snapshot.current_generation(data / "index"))
    assert verdict.ok and not verdict.probed, verdict

    checked = run(env, "index", "--repair", "--quiet")
    assert checked.returncode == 0 and checked.stdout.startswith("index checked"), checked.stdout + checked.stderr
