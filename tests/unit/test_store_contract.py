"""One contract, run over the in-memory fake, real (local) Chroma, and Chroma opened on first use."""

from pathlib import Path

import numpy as np
import pytest

from index.chunking import Chunk
from index.embedders import HashEmbedder
from index.filters import Filters
from index.store import ChromaStore, LazyStore, MemoryStore


def _chunks():
    metas = [{"kind": "declaration", "language": "en", "date_key": 20181112, "publisher": "A"},
             {"kind": "news", "language": "fr", "date_key": 20211110, "publisher": "B"},
             {"kind": "news", "language": "en", "date_key": 20190000, "publisher": "B"}]
    texts = ["paris call launched november", "les etats unis rejoignent l'appel", "supporters grow in 2019"]
    return [Chunk(f"doc{i}#0@x", f"doc{i}", t, 0, len(t), m) for i, (t, m) in enumerate(zip(texts, metas, strict=True))]


@pytest.fixture(params=["memory", "chroma", "lazy-chroma"])
def store(request, tmp_path: Path):
    embedder = HashEmbedder()
    if request.param == "memory":
        return MemoryStore(), embedder
    if request.param == "lazy-chroma":
        return LazyStore(lambda: ChromaStore(embedder, path=tmp_path / "chroma")), embedder
    return ChromaStore(embedder, path=tmp_path / "chroma"), embedder


def test_a_lazy_store_opens_once_on_first_use(tmp_path: Path):
    opened: list[MemoryStore] = []

    def opener() -> MemoryStore:
        opened.append(MemoryStore())
        return opened[-1]

    lazy = LazyStore(opener)
    assert not lazy.is_open and not opened
    assert lazy.ids() == set() and lazy.is_open
    lazy.upsert(_chunks(), HashEmbedder().embed_documents([c.text for c in _chunks()]))
    assert len(opened) == 1 and opened[0].ids() == lazy.ids()


def test_upsert_query_delete(store):
    store, embedder = store
    chunks = _chunks()
    store.upsert(chunks, embedder.embed_documents([c.text for c in chunks]))
    assert store.ids() == {c.chunk_id for c in chunks}
    hits = store.query(embedder.embed_query("paris call launched november"), 2)
    assert hits[0][0] == "doc0#0@x" and hits[0][1] == pytest.approx(1.0, abs=1e-4)
    assert len(hits) == 2 and hits[0][1] >= hits[1][1]
    store.upsert(chunks[:1], embedder.embed_documents(["something else entirely"]))  # upsert replaces
    replaced = store.query(embedder.embed_query("something else entirely"), 1)[0]
    assert replaced[0] == "doc0#0@x" and replaced[1] == pytest.approx(1.0, abs=1e-4)
    store.delete(["doc1#0@x"])
    assert store.ids() == {"doc0#0@x", "doc2#0@x"}
    store.reset()
    assert store.ids() == set()


@pytest.mark.parametrize("filters, expected", [
    (Filters(kinds=("news",)), {"doc1#0@x", "doc2#0@x"}),
    (Filters(languages=("fr",)), {"doc1#0@x"}),
    (Filters(publishers=("A",)), {"doc0#0@x"}),
    (Filters(date_from="2019"), {"doc1#0@x", "doc2#0@x"}),
    (Filters(date_to="2018-12"), {"doc0#0@x"}),
    (Filters(kinds=("news",), date_from="2020-01-01"), {"doc1#0@x"}),
])
def test_filters(store, filters, expected):
    store, embedder = store
    chunks = _chunks()
    store.upsert(chunks, embedder.embed_documents([c.text for c in chunks]))
    hits = store.query(embedder.embed_query("call"), 10, filters)
    assert {i for i, _ in hits} == expected
    assert {c.chunk_id for c in chunks if filters.matches(c.metadata)} == expected


def test_chroma_reopens_with_the_same_embedding_function(tmp_path: Path):
    embedder = HashEmbedder()
    first = ChromaStore(embedder, path=tmp_path / "chroma")
    chunks = _chunks()
    first.upsert(chunks, embedder.embed_documents([c.text for c in chunks]))
    again = ChromaStore(embedder, path=tmp_path / "chroma")
    assert again.ids() == {c.chunk_id for c in chunks}
    config = again.collection.configuration_json["embedding_function"]
    assert config["name"] == "paris-call-assistant" and config["config"] == {"embedder": "hash"}
    assert np.allclose(again.collection.get(ids=["doc0#0@x"], include=["embeddings"])["embeddings"][0],
                       embedder.embed_documents([chunks[0].text])[0], atol=1e-5)


def test_chroma_searches_exactly_over_near_identical_vectors(tmp_path: Path):
    from index.store import SEARCH_EF, _chromadb_without_override_checks

    embedder = HashEmbedder()
    # a collection made with Chroma's default search breadth (as before) is widened when opened
    with _chromadb_without_override_checks() as chromadb:
        from chromadb.config import Settings

        old = chromadb.PersistentClient(path=str(tmp_path / "chroma"),
                                        settings=Settings(anonymized_telemetry=False, allow_reset=True))
        old.create_collection(ChromaStore(embedder, path=tmp_path / "other").collection_name,
                              configuration={"hnsw": {"space": "cosine"}}, embedding_function=None)
        assert old.list_collections()[0].configuration["hnsw"]["ef_search"] == 100
    store = ChromaStore(embedder, path=tmp_path / "chroma")
    assert store.collection.configuration["hnsw"]["ef_search"] == SEARCH_EF
    # 600 rows alike in form (one template, one field changing), as the registry's: the 200 nearest are exact
    texts = [f"Supporters registry: name: Org {i}; category: private-sector; country: C{i % 40}" for i in range(600)]
    chunks = [Chunk(f"row{i}", "reg.csv", t, 0, len(t), {"kind": "registry"}) for i, t in enumerate(texts)]
    vectors = embedder.embed_documents(texts)
    store.upsert(chunks, vectors)
    query = embedder.embed_query("registry private-sector country C7")
    similarity = np.sort(vectors @ query)[::-1]
    found = store.query(query, 200)
    assert len(found) == 200 and min(score for _, score in found) >= similarity[199] - 1e-5  # none better left out


def test_vectors_gives_back_what_was_stored(store):
    store, embedder = store
    chunks = _chunks()
    vectors = embedder.embed_documents([c.text for c in chunks])
    store.upsert(chunks, vectors)
    found = store.vectors(["doc2#0@x", "doc0#0@x", "missing#0@x"])
    assert set(found) == {"doc0#0@x", "doc2#0@x"}
    assert np.allclose(found["doc0#0@x"], vectors[0], atol=1e-6) and np.allclose(found["doc2#0@x"], vectors[2])


def test_the_fingerprint_of_a_local_store_changes_with_its_contents_only(tmp_path: Path):
    embedder = HashEmbedder()
    assert MemoryStore().fingerprint() is None  # nothing on disk
    first = ChromaStore(embedder, path=tmp_path / "chroma")
    chunks = _chunks()
    first.upsert(chunks[:2], embedder.embed_documents([c.text for c in chunks[:2]]))
    held = first.fingerprint()
    assert held is not None and held["count"] == 2 and held["collection"] == "paris_call_hash"
    again = ChromaStore(embedder, path=tmp_path / "chroma")  # reopened and read: nothing recorded changes
    again.ids()
    again.query(embedder.embed_query("call"), 2)
    assert again.fingerprint() == held
    again.upsert(chunks[2:], embedder.embed_documents([chunks[2].text]))
    assert again.fingerprint() != held and again.fingerprint()["count"] == 3


def test_chromadb_is_imported_without_the_overrides_checks_which_stay_on_for_others():
    import subprocess
    import sys

    code = ("import sys, tempfile, overrides; o = sys.modules['overrides.overrides']; checked = o._overrides\n"
            "from pathlib import Path\n"
            "from index.embedders import HashEmbedder\n"
            "from index.store import ChromaStore\n"
            "ChromaStore(HashEmbedder(), path=Path(tempfile.mkdtemp()) / 'chroma')\n"
            "from chromadb.api.segment import SegmentAPI\n"
            "assert o._overrides is checked, 'the checks are back on for other libraries'\n"
            "assert getattr(SegmentAPI.count_collections, '__override__', False), 'the marks are kept'\n"
            "print('ok')")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "ok", done.stderr[-2000:]
