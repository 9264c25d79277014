import json
from pathlib import Path

import numpy as np
import pytest

from corpus.loader import load_corpus
from index.builder import EMBED_BATCH, build_index
from index.embedders import HashEmbedder
from index.snapshot import FORMAT_VERSION, Snapshot
from index.store import MemoryStore


class CountingEmbedder(HashEmbedder):
    """The fake embedder, counting what it embeds and optionally failing after a number of batches."""

    def __init__(self, fail_after: int | None = None) -> None:
        super().__init__()
        self.embedded = 0
        self.batches = 0
        self.fail_after = fail_after

    def embed_documents(self, texts):
        if self.fail_after is not None and self.batches >= self.fail_after:
            raise KeyboardInterrupt("killed mid-way")
        self.batches += 1
        self.embedded += len(texts)
        return super().embed_documents(texts)


def _build(corpus: Path, store, index_dir: Path, embedder=None, **kw):
    return build_index(load_corpus(corpus), store, embedder or CountingEmbedder(), index_dir, progress=False, **kw)


def test_incremental_runs_embed_only_what_changed(mini_corpus: Path, tmp_path: Path):
    store, index_dir = MemoryStore(), tmp_path / "index"
    first = _build(mini_corpus, store, index_dir)
    embedded = len(Snapshot.load(index_dir).embedded)
    assert first.documents == 6 and 0 < first.embedded_chunks == embedded < first.chunks
    embedder = CountingEmbedder()
    again = _build(mini_corpus, store, index_dir, embedder)
    assert embedder.embedded == 0 and again.unchanged_documents == 6

    path = mini_corpus / "declaration" / "appel-fr.md"
    path.write_text(path.read_text() + "\nUne phrase de plus sur la cybersécurité.\n")
    (mini_corpus / "news" / "groups.html").unlink()
    embedder = CountingEmbedder()
    changed = _build(mini_corpus, store, index_dir, embedder)
    assert changed.embedded_documents == ["declaration/appel-fr.md"]
    assert changed.removed_documents == ["news/groups.html"]
    snapshot = Snapshot.load(index_dir)
    assert store.ids() == set(snapshot.embedded_ids)  # stale vectors are gone
    assert "news/groups.html" not in snapshot.documents


def test_a_broken_edit_keeps_the_previous_version(mini_corpus: Path, tmp_path: Path):
    store, index_dir = MemoryStore(), tmp_path / "index"
    _build(mini_corpus, store, index_dir)
    before = [c.chunk_id for c in Snapshot.load(index_dir).chunks_of("declaration/call-en.md")]
    (mini_corpus / "declaration" / "call-en.md").write_text("front matter lost")
    summary = _build(mini_corpus, store, index_dir)
    assert summary.kept_previous == ["declaration/call-en.md"]
    assert [e.path for e in summary.skipped] == ["declaration/call-en.md"]
    assert [c.chunk_id for c in Snapshot.load(index_dir).chunks_of("declaration/call-en.md")] == before


def test_an_interrupted_run_leaves_the_previous_index_and_the_next_completes(mini_corpus: Path, tmp_path: Path):
    store, index_dir = MemoryStore(), tmp_path / "index"
    _build(mini_corpus, store, index_dir)
    previous = Snapshot.load(index_dir)
    extra = 2 * EMBED_BATCH + 22  # enough new chunks for several batches
    for i in range(extra):
        (mini_corpus / "news" / f"extra-{i}.md").write_text(
            f"---\ntitle: Extra {i}\nkind: news\nlanguage: en\n---\nExtra news item number {i} about cyber norms.\n")
    with pytest.raises(KeyboardInterrupt):
        _build(mini_corpus, store, index_dir, CountingEmbedder(fail_after=1))
    current = Snapshot.load(index_dir)
    assert current.documents == previous.documents  # still the previous, complete index
    assert set(current.embedded_ids) <= store.ids()
    embedder = CountingEmbedder()
    summary = _build(mini_corpus, store, index_dir, embedder)
    assert summary.documents == 6 + extra and embedder.embedded == extra - EMBED_BATCH  # the first batch was kept
    assert store.ids() == set(Snapshot.load(index_dir).embedded_ids)


def test_rebuild_starts_over(mini_corpus: Path, tmp_path: Path):
    store, index_dir = MemoryStore(), tmp_path / "index"
    first = _build(mini_corpus, store, index_dir)
    embedder = CountingEmbedder()
    _build(mini_corpus, store, index_dir, embedder, rebuild=True)
    assert embedder.embedded == first.embedded_chunks


def test_an_index_of_an_older_format_is_embedded_again(mini_corpus: Path, tmp_path: Path):
    store, index_dir = MemoryStore(), tmp_path / "index"
    first = _build(mini_corpus, store, index_dir)
    manifest = index_dir / (index_dir / "CURRENT").read_text() / "manifest.json"
    manifest.write_text(json.dumps({**json.loads(manifest.read_text()), "format": FORMAT_VERSION - 1}))  # other texts
    embedder = CountingEmbedder()
    summary = _build(mini_corpus, store, index_dir, embedder)
    assert embedder.embedded == first.embedded_chunks and "another version" in summary.previous_problem
    assert Snapshot.stored_format(index_dir) == FORMAT_VERSION


def test_damaged_snapshot_is_reported_and_rebuilt(mini_corpus: Path, tmp_path: Path):
    store, index_dir = MemoryStore(), tmp_path / "index"
    generation = _build(mini_corpus, store, index_dir) and (index_dir / (index_dir / "CURRENT").read_text())
    (generation / "chunks.jsonl").write_text("{not json")
    summary = _build(mini_corpus, store, index_dir)
    assert "damaged" in summary.previous_problem and summary.documents == 6
    assert len(Snapshot.load(index_dir).chunks) == summary.chunks


# -- the copy of the vectors kept with the snapshot (issue 14) -------------------------------------------
def test_the_snapshot_keeps_a_copy_of_every_vector(mini_corpus: Path, tmp_path: Path):
    store, index_dir = MemoryStore(), tmp_path / "index"
    _build(mini_corpus, store, index_dir)
    snapshot = Snapshot.load(index_dir)
    kept = snapshot.committed_vectors()
    stored = store.vectors(snapshot.embedded_ids)
    assert kept is not None and kept.shape == (len(snapshot.embedded), HashEmbedder().dim)
    assert all(np.array_equal(kept[n], stored[c.chunk_id]) for n, c in enumerate(snapshot.embedded))


def test_count_tables_are_searched_by_their_words_and_never_embedded(mini_corpus: Path, tmp_path: Path):
    store, index_dir = MemoryStore(), tmp_path / "index"
    _build(mini_corpus, store, index_dir)
    snapshot = Snapshot.load(index_dir)
    tables = [c for c in snapshot.chunks if c.metadata.get("computed")]
    assert tables and not any(c.embedded for c in tables)
    assert not store.ids() & {c.chunk_id for c in tables}
    found = [chunk_id for chunk_id, _ in snapshot.lexical_search(tables[0].context_text(), 3)]
    assert tables[0].chunk_id in found


def test_an_index_that_embedded_its_count_tables_drops_their_vectors_without_embedding(mini_corpus: Path,
                                                                                      tmp_path: Path):
    store, index_dir = MemoryStore(), tmp_path / "index"
    _build(mini_corpus, store, index_dir)
    snapshot = Snapshot.load(index_dir)
    tables = [c for c in snapshot.chunks if not c.embedded]
    # as built before count tables were left unembedded
    store.upsert(tables, HashEmbedder().embed_documents([c.context_text() for c in tables]))
    embedder = CountingEmbedder()
    summary = _build(mini_corpus, store, index_dir, embedder)
    assert embedder.embedded == 0 and summary.embedded_chunks == 0
    assert store.ids() == set(Snapshot.load(index_dir).embedded_ids)


def test_a_lost_store_is_filled_again_from_the_copy_without_embedding(mini_corpus: Path, tmp_path: Path):
    store, index_dir = MemoryStore(), tmp_path / "index"
    first = _build(mini_corpus, store, index_dir)
    fresh, embedder = MemoryStore(), CountingEmbedder()
    summary = _build(mini_corpus, fresh, index_dir, embedder)
    assert embedder.embedded == 0 and summary.embedded_chunks == 0
    assert summary.restored_chunks == first.embedded_chunks
    assert fresh.ids() == store.ids()
    assert all(np.array_equal(fresh.vectors([i])[i], store.vectors([i])[i]) for i in store.ids())


def test_a_damaged_copy_of_the_vectors_is_never_used(mini_corpus: Path, tmp_path: Path):
    store, index_dir = MemoryStore(), tmp_path / "index"
    first = _build(mini_corpus, store, index_dir)
    copy = Snapshot.load(index_dir).folder / "vectors.npy"
    data = bytearray(copy.read_bytes())
    data[-64:] = b"\x7f" * 64  # same size, different numbers
    copy.write_bytes(bytes(data))
    assert Snapshot.load(index_dir).committed_vectors() is None
    embedder = CountingEmbedder()
    summary = _build(mini_corpus, MemoryStore(), index_dir, embedder)
    assert summary.restored_chunks == 0 and embedder.embedded == first.embedded_chunks


def test_an_index_built_without_a_copy_gets_one_from_the_store(mini_corpus: Path, tmp_path: Path):
    store, index_dir = MemoryStore(), tmp_path / "index"
    _build(mini_corpus, store, index_dir)
    generation = Snapshot.load(index_dir).folder
    manifest = json.loads((generation / "manifest.json").read_text())
    del manifest["vectors"]  # as an index written before copies were kept
    (generation / "manifest.json").write_text(json.dumps(manifest))
    (generation / "vectors.npy").unlink()
    assert Snapshot.load(index_dir).committed_vectors() is None
    embedder = CountingEmbedder()
    _build(mini_corpus, store, index_dir, embedder)
    kept = Snapshot.load(index_dir).committed_vectors()
    assert embedder.embedded == 0 and kept is not None
    ids = Snapshot.load(index_dir).embedded_ids
    assert all(np.array_equal(kept[n], store.vectors([i])[i]) for n, i in enumerate(ids))
