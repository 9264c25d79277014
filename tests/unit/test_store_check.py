"""The store check (issue 14) on real Chroma with the fast hash embedder: the committed index records what the
local store holds; every command compares it cheaply and reads anything that differs in a child process
first, so damaged HNSW files are a clear error with the fix, never a crash or a wrong answer; `--repair`
moves the store aside unopened and restores the vectors kept with the index; `serve` refuses to start.

The damaged store is used by commands run in this process on purpose: if a check let Chroma open it here,
the crash would end the test run, which would be the failure to see.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import numpy as np
import pytest

from assistant.cli import main
from assistant.settings import Settings
from index.integrity import check_local_store
from index.snapshot import Snapshot
from tests.corpus_factory import make_corpus, sidecar

ROWS = 1100  # more than Chroma's HNSW sync threshold (1000): the vector index is really in its files
QUESTION = "electoral processes"
WORDS = ["harbour", "granite", "lantern", "meadow", "orbit", "quartz", "saffron", "timber", "velvet", "willow"]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The small corpus plus a table of 1,100 rows, indexed once (each test works on a copy)."""
    from assistant.service import index_corpus

    corpus = make_corpus(tmp_path_factory.mktemp("corpus"), pdf=False)
    table = corpus / "reports" / "stations.csv"
    rows = [f"station{i},{WORDS[i % 10]} {WORDS[i // 10 % 10]} {WORDS[i // 100 % 10]},reading{i * 7}"
            for i in range(ROWS)]
    table.write_text("name,landmarks,reading\n" + "\n".join(rows) + "\n", encoding="utf-8")
    sidecar(table, title="Weather stations", kind="report", language="en")
    data = tmp_path_factory.mktemp("data")
    summary = index_corpus(Settings(data_dir=data, corpus_dir=corpus, embedder="hash", chroma_url=""),
                           progress=False)
    assert summary.chunks > ROWS
    return corpus, data


@pytest.fixture
def store_copy(built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    corpus, data = built
    copy = tmp_path / "copy"
    shutil.copytree(data, copy)
    monkeypatch.setenv("PCA_DATA_DIR", str(copy))
    monkeypatch.setenv("PCA_CORPUS_DIR", str(corpus))
    monkeypatch.setenv("PCA_EMBEDDER", "hash")
    return Settings()


def check(settings: Settings, deep: bool = False):
    return check_local_store(settings.chroma_dir, settings.collection, settings.embedder,
                             Snapshot.current_generation(settings.index_dir), deep=deep)


def hnsw_file(settings: Settings, name: str = "data_level0.bin") -> Path:
    (found,) = settings.chroma_dir.glob(f"*/{name}")
    return found


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    return code, out.out, out.err


def search(capsys) -> list[str]:
    code, out, err = run(capsys, "search", QUESTION, "--json", "--k", "5")
    assert code == 0, err
    return [hit["chunk_id"] for hit in json.loads(out)]


def _random_bytes(path: Path) -> None:
    with open(path, "r+b") as handle:
        handle.write(np.random.default_rng(14).bytes(min(200_000, path.stat().st_size)))


def _truncated(path: Path) -> None:
    os.truncate(path, path.stat().st_size // 3)


def test_a_store_as_committed_passes_the_cheap_check_and_reading_it_changes_nothing(store_copy, capsys):
    first = check(store_copy)
    assert first.ok and not first.probed  # the fast path: no child process
    search(capsys)
    search(capsys)
    again = check(store_copy)
    assert again.ok and not again.probed  # what was recorded is not changed by reading the store


@pytest.mark.parametrize("damage", [_random_bytes, _truncated], ids=["random-bytes", "truncated"])
def test_a_damaged_vector_file_is_a_clear_error_then_repair_heals_it(store_copy, capsys, damage):
    before = search(capsys)
    damage(hnsw_file(store_copy))
    verdict = check(store_copy)
    assert not verdict.ok and not verdict.probed  # the files changed and nothing wrote to the store: no need to open it
    assert "is damaged: data_level0.bin" in verdict.problem and "nothing was written to it" in verdict.problem
    for command in (["search", QUESTION], ["index", "--quiet"], ["serve"]):
        code, _, err = run(capsys, *command)
        assert code == 2 and "is damaged" in err and "hint: run `assistant index --repair`" in err, (command, err)
    code, out, _ = run(capsys, "index", "--repair", "--quiet")
    assert code == 0 and "index damaged: the Chroma store" in out
    assert f"repaired: the damaged store was moved aside unopened; {len(Snapshot.load(store_copy.index_dir).embedded)}"\
           " vectors restored from the copy kept with the index, 0 embedded again" in out
    assert [p.name for p in store_copy.data_dir.glob("chroma-damaged-*")]  # kept, not deleted
    assert search(capsys) and before  # answered again (the real-index test compares the passages found)
    restored = Snapshot.load(store_copy.index_dir)  # every vector is back, exactly as committed
    from assistant.service import Services

    stored = Services(store_copy).store.vectors(restored.embedded_ids)
    assert np.allclose(np.vstack([stored[c.chunk_id] for c in restored.embedded]), restored.committed_vectors(),
                       atol=1e-6)
    healed = check(store_copy)
    assert healed.ok and not healed.probed
    code, out, _ = run(capsys, "index", "--repair", "--quiet")
    assert code == 0 and out.startswith("index checked: snapshot and vector store are complete and in step")


@pytest.mark.parametrize("damage", [_random_bytes, _truncated], ids=["random-bytes", "truncated"])
def test_without_a_record_a_damaged_store_is_opened_in_a_child_only(store_copy, capsys, damage):
    (Snapshot.current_generation(store_copy.index_dir) / "store.json").unlink()  # an index from before the check
    damage(hnsw_file(store_copy))
    verdict = check(store_copy)
    assert not verdict.ok and verdict.probed and "is damaged" in verdict.problem  # a crash there is only a finding
    code, _, err = run(capsys, "search", QUESTION)
    assert code == 2 and "is damaged" in err and "hint: run `assistant index --repair`" in err


def test_vectors_written_after_the_commit_are_read_in_a_child_once_then_trusted(store_copy, capsys):
    from assistant.service import Services
    from index.chunking import Chunk

    services = Services(store_copy)
    stray = Chunk("news/never-committed.md#0@beef", "news/never-committed.md", "Stray.", 0, 6,
                  {"title": "Stray", "doc_id": "news/never-committed.md", "language": "en", "kind": "news"})
    services.store.upsert([stray], services.embedder.embed_documents(["an interrupted run wrote this"]))
    verdict = check(store_copy)
    assert verdict.ok and verdict.probed  # different from the commit, but every committed vector is sound
    renewed = check(store_copy)
    assert renewed.ok and not renewed.probed  # the verdict is recorded for the store as it now is


def test_vectors_changed_after_the_commit_are_found_and_refused(store_copy, capsys):
    from assistant.service import Services

    services = Services(store_copy)
    chunks = services.snapshot.embedded[:50]
    noise = np.random.default_rng(0).normal(size=(len(chunks), services.embedder.dim)).astype(np.float32)
    services.store.upsert(chunks, noise / np.linalg.norm(noise, axis=1, keepdims=True))  # same ids, wrong vectors
    from chromadb.api.client import SharedSystemClient

    SharedSystemClient.clear_system_cache()  # as a new process would see it
    code, _, err = run(capsys, "search", QUESTION)
    assert code == 2 and "50 of" in err and "its vectors are damaged" in err and "--repair" in err
    code, out, _ = run(capsys, "index", "--repair", "--quiet")
    assert code == 0 and "0 embedded again" in out
    assert check(store_copy).ok


def test_missing_vectors_are_out_of_step_and_a_plain_index_run_puts_them_back(store_copy, capsys):
    from assistant.service import Services

    services = Services(store_copy)
    services.store.delete(sorted(services.store.ids())[:30])
    from chromadb.api.client import SharedSystemClient

    SharedSystemClient.clear_system_cache()
    verdict = check(store_copy)
    assert not verdict.ok and verdict.out_of_step and "30 of" in verdict.problem
    code, _, err = run(capsys, "search", QUESTION)
    assert code == 2 and "out of step" in err and "hint: run `assistant index`" in err
    code, out, _ = run(capsys, "index", "--quiet")  # nothing is damaged: the next run fills the gap
    assert code == 0 and "0 chunks embedded" in out
    assert check(store_copy).ok
