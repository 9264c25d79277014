
import pytest

from index.filters import Filters
from index.retriever import HybridRetriever, HybridSearcher, SearchConfig
from index.snapshot import Snapshot


@pytest.mark.parametrize("mode", ["hybrid", "dense", "lexical"])
def test_each_mode_finds_the_passage(searcher: HybridSearcher, mode: str):
    hits = searcher.search("electoral processes interference", 3, config=SearchConfig(mode=mode))
    assert hits[0].chunk.doc_id == "declaration/call-en.md"
    assert [h.rank for h in hits] == list(range(1, len(hits) + 1))


def test_hybrid_fuses_both_legs(searcher: HybridSearcher):
    hit = searcher.search("electoral processes interference", 1)[0]
    assert hit.dense is not None and hit.lexical is not None and hit.score > 0


def test_per_document_cap_stops_registry_rows_crowding(searcher: HybridSearcher):
    hits = searcher.search("supporters registry private-sector Entreprise state", 8,
                           config=SearchConfig(per_doc_cap=2))
    assert sum(h.chunk.doc_id == "supporters.csv" for h in hits) == 2
    assert len({h.chunk.doc_id for h in hits}) > 1


def test_near_duplicates_are_dropped(searcher: HybridSearcher):
    from index.chunking import Chunk

    original = next(c for c in searcher.snapshot.chunks if "Principle 3" in c.text)
    twin = Chunk("copy#0@x", "copy.md", original.text, 0, len(original.text), dict(original.metadata, doc_id="copy.md"))
    snapshot = Snapshot(searcher.snapshot.chunks + [twin], searcher.snapshot.documents, "hash", 900)
    searcher.store.upsert([twin], searcher.embedder.embed_documents([twin.context_text()]))
    hits = HybridSearcher(snapshot, searcher.store, searcher.embedder).search("Defend electoral processes", 5)
    assert sum(h.chunk.text == original.text for h in hits) == 1


def test_filters_apply_to_both_legs(searcher: HybridSearcher):
    hits = searcher.search("launched November 2018 Paris", 8, Filters(languages=("fr",)))
    assert hits and all(h.chunk.metadata["language"] == "fr" for h in hits)
    hits = searcher.search("United States support", 8, Filters(date_from="2021-01-01"))
    assert hits and all(h.chunk.metadata["date_key"] >= 20210101 for h in hits)


def test_vectors_not_in_the_snapshot_are_ignored(searcher: HybridSearcher):
    from index.chunking import Chunk

    ghost = Chunk("ghost#0@x", "ghost.md", "electoral processes interference", 0, 10, {"doc_id": "ghost.md"})
    searcher.store.upsert([ghost], searcher.embedder.embed_documents([ghost.text]))
    assert all(h.chunk.doc_id != "ghost.md" for h in searcher.search("electoral processes interference", 8))


def test_langchain_retriever_returns_scored_documents(searcher: HybridSearcher):
    docs = HybridRetriever(searcher=searcher, k=3).invoke("Who did not sign in 2018?")
    assert docs and docs[0].metadata["score"] > 0 and docs[0].metadata["rank"] == 1
    assert docs[0].id == docs[0].metadata["chunk_id"] and docs[0].metadata["doc_id"]


def test_cross_lingual_dense_query_keeps_similarities_to_the_question(searcher: HybridSearcher):
    import numpy as np

    question = "Défendre les processus électoraux"
    plain = searcher.dense(question, 20, None)
    moved = searcher.dense(question, 20, None, cross_lingual=0.6)
    vector = searcher.embedder.embed_query(question)
    stored = searcher.store.vectors([i for i, _ in moved])
    assert moved and {i for i, _ in plain} <= {i for i, _ in moved}  # the question's own neighbours stay
    assert all(abs(score - float(stored[i] @ vector)) < 1e-5 for i, score in moved)
    centroids = searcher._centroids()
    assert set(centroids) == {"en", "fr"}
    shift = searcher._language_shift("fr")
    assert np.allclose(shift, centroids["en"] - centroids["fr"])


def test_a_chunk_one_leg_missed_gets_part_of_its_documents_rank_there(searcher: HybridSearcher):
    from index.retriever import Hit

    by_doc: dict[str, list] = {}
    for chunk in searcher.snapshot.chunks:
        by_doc.setdefault(chunk.doc_id, []).append(chunk)
    (a1, a2, *_), (b1, *_), (c1, *_) = [chunks for chunks in by_doc.values() if len(chunks) > 1][:3]
    hits = {a1.chunk_id: Hit(a1, 1 / 61, dense=0.9), b1.chunk_id: Hit(b1, 2 / 66, dense=0.5, lexical=3.0),
            c1.chunk_id: Hit(c1, 1 / 62, dense=0.8)}
    lexical = [(c.chunk_id, 1.0) for c in (b1, b1, b1, a2)]  # a's best chunk is 4th by words; c's absent
    searcher._credit_documents(hits, lexical, "lexical", 0.8, 60)
    assert hits[a1.chunk_id].score == pytest.approx(1 / 61 + 0.8 / 64)
    assert hits[b1.chunk_id].score == pytest.approx(2 / 66)  # found by both legs itself: unchanged
    assert hits[c1.chunk_id].score == pytest.approx(1 / 62)  # its document is not in that leg


def test_a_registry_row_gets_no_credit_from_another_row(searcher: HybridSearcher):
    from index.retriever import Hit

    rows = [c for c in searcher.snapshot.chunks if c.metadata.get("kind") == "registry"]
    assert len(rows) >= 2
    hits = {rows[0].chunk_id: Hit(rows[0], 1 / 61, dense=0.9)}
    searcher._credit_documents(hits, [(rows[1].chunk_id, 1.0)], "lexical", 0.8, 60)
    assert hits[rows[0].chunk_id].score == pytest.approx(1 / 61)  # another entry's words say nothing of this one


def test_document_credit_is_off_when_a_leg_is_alone_or_its_depth_is_zero(searcher: HybridSearcher):
    def ranking(config: SearchConfig) -> list[tuple[str, float]]:
        return [(h.chunk.chunk_id, h.score) for h in searcher.search("electoral processes interference", 5,
                                                                       config=config)]
    for mode in ("dense", "lexical"):
        assert ranking(SearchConfig(mode=mode, doc_credit=0)) == ranking(SearchConfig(mode=mode))
    assert ranking(SearchConfig(doc_credit=0)) == ranking(SearchConfig(doc_credit_depth=0))
    assert ranking(SearchConfig(doc_credit=0)) != ranking(SearchConfig())  # on by default in hybrid


def _with_document(searcher: HybridSearcher, doc_id: str, text: str, publisher: str, kind: str) -> HybridSearcher:
    """The searcher over its corpus and one more single-passage document."""
    from index.chunking import Chunk

    chunk = Chunk(f"{doc_id}#0@x", doc_id, text, 0, len(text),
                  {"doc_id": doc_id, "publisher": publisher, "language": "en", "kind": kind})
    snapshot = Snapshot(searcher.snapshot.chunks + [chunk], searcher.snapshot.documents, "hash", 900)
    searcher.store.upsert([chunk], searcher.embedder.embed_documents([chunk.context_text()]))
    return HybridSearcher(snapshot, searcher.store, searcher.embedder)


def test_a_question_naming_a_source_searches_its_documents_too(searcher: HybridSearcher):
    named = _with_document(searcher, "opinion.md", "Our take: the declaration on electoral processes is mostly words.",
                           "Techdirt", "news")
    question = "what does techdirt think of the interference with electoral processes"
    assert named.search(question, 1)[0].chunk.doc_id == "opinion.md"
    unnamed = named.search(question, 8, config=SearchConfig(source_weight=0.0))
    assert [h.chunk.doc_id for h in unnamed][0] != "opinion.md"
    only_others = named.search(question, 8, Filters(publishers=("Test publisher",)))
    assert all(h.chunk.doc_id != "opinion.md" for h in only_others)


def test_a_question_about_what_the_call_says_searches_the_declaration_too(searcher: HybridSearcher):
    text = "What does Canada say about the call? It says the call on elections matters: elections, it says, and calls."
    both = _with_document(searcher, "canada.md", text, "Canada", "statement")
    question = "what does the call say about elections"
    asked = both.search(question, 2)
    assert asked[0].chunk.metadata["kind"] == "declaration"
    others = both.search(question, 2, config=SearchConfig(source_weight=0.0))
    assert others[0].chunk.doc_id == "canada.md"  # without the declaration's own search, the account wins
    statements = both.search(question, 8, Filters(kinds=("statement",)))
    assert all(h.chunk.metadata["kind"] == "statement" for h in statements)  # a filter still holds


def test_the_dense_ranking_scans_the_kept_vectors_exactly(searcher: HybridSearcher, monkeypatch: pytest.MonkeyPatch):

    def approximate(*args, **kwargs):
        raise AssertionError("the store's approximate search was asked")

    monkeypatch.setattr(searcher.store, "query", approximate)
    snapshot = searcher.snapshot
    vectors = snapshot.committed_vectors()
    assert vectors is not None
    vector = searcher.embedder.embed_query("electoral processes interference")
    similarities = dict(zip(snapshot.embedded_ids, (vectors @ vector).tolist(), strict=True))
    ordered = sorted(similarities.values(), reverse=True)  # equal to the scan's to rounding (another order)
    top = searcher.dense("electoral processes interference", 5, None)
    assert [s for _, s in top] == pytest.approx(ordered[:5], abs=1e-6)
    assert all(similarities[i] == pytest.approx(s, abs=1e-6) for i, s in top)
    everything = snapshot.dense_search(vector, 10_000)
    assert sorted(i for i, _ in everything) == sorted(similarities)
    assert [s for _, s in everything] == pytest.approx(ordered, abs=1e-6)
    french = snapshot.dense_search(vector, 10_000, Filters(languages=("fr",)))
    assert french and all(snapshot.by_id[i].metadata["language"] == "fr" for i, _ in french)
    assert len(french) == sum(c.metadata["language"] == "fr" for c in snapshot.embedded)
    assert snapshot.dense_search(vector, 5, Filters(publishers=("nobody",))) == []


def test_without_kept_vectors_the_store_searches(searcher: HybridSearcher):
    old = searcher.snapshot
    snapshot = Snapshot(old.chunks, old.documents, old.embedder, old.chunk_size)
    vector = searcher.embedder.embed_query("electoral processes interference")
    assert snapshot.dense_search(vector, 5) is None
    fallback = HybridSearcher(snapshot, searcher.store, searcher.embedder)
    assert fallback.dense("electoral processes interference", 5, None) == searcher.store.query(vector, 5)
    through_the_store = HybridSearcher(old, searcher.store, searcher.embedder, scan=False)  # a Chroma server
    assert through_the_store.dense("electoral processes interference", 5, None) == searcher.store.query(vector, 5)


def test_a_document_titled_with_the_working_group_asked_about_gives_more_passages(searcher: HybridSearcher):
    from index.chunking import Chunk

    meta = {"doc_id": "wg6.pdf", "title": "Working Group 6: Securing the ICT Supply Chain", "kind": "report",
            "language": "en"}
    chunks = [Chunk(f"wg6.pdf#{i}@x", "wg6.pdf", f"Supply chain security finding {i}: vendors should patch "
                    f"products and share a software bill of materials, case {i}.", 0, 90, dict(meta))
              for i in range(8)]
    documents = {**searcher.snapshot.documents, "wg6.pdf": {"hash": "h", "title": meta["title"], "kind": "report",
                                                              "language": "en", "chunks": len(chunks)}}
    snapshot = Snapshot(searcher.snapshot.chunks + chunks, documents, "hash", 900)
    searcher.store.upsert(chunks, searcher.embedder.embed_documents([c.context_text() for c in chunks]))
    config = SearchConfig(per_doc_cap=2, focus_cap=4)
    focused = HybridSearcher(snapshot, searcher.store, searcher.embedder, config)

    def from_report(query: str) -> int:
        return sum(h.chunk.doc_id == "wg6.pdf" for h in focused.search(query, 8))

    assert from_report("what does the gt6 say about supply chain security and bill of materials") == 4
    assert from_report("what do vendors say about supply chain security and bill of materials") == 2
    assert from_report("what does principle 6 say about supply chain security and bill of materials") == 2
    unlimited = SearchConfig(per_doc_cap=1000, focus_cap=4)  # never fewer than the cap of every document
    assert sum(h.chunk.doc_id == "wg6.pdf" for h in focused.search("gt6 supply chain bill of materials", 8,
                                                                     config=unlimited)) == 8


def test_the_snapshot_knows_each_chunks_neighbours_in_its_document(searcher: HybridSearcher):
    chunks = searcher.snapshot.chunks
    doc_id = next(c.doc_id for c in chunks if sum(o.doc_id == c.doc_id for o in chunks) >= 3)
    first, second, third = searcher.snapshot.chunks_of(doc_id)[:3]
    assert searcher.snapshot.beside(second.chunk_id) == (first, third)
    before, _ = searcher.snapshot.beside(first.chunk_id)
    assert before is None or before.doc_id == doc_id  # never a chunk of another document
    assert searcher.snapshot.beside("missing#0@x") == (None, None)
