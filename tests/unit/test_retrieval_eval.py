"""The retrieval benchmark's measures (`evals.retrieval`) and the fusion sweep (`evals.fusion`)."""

from __future__ import annotations

from evals.fusion import sweep
from evals.questions import Question
from evals.retrieval import evaluate_retrieval, format_table
from evals.scoring import reader_ceiling
from index.retriever import HybridSearcher, SearchConfig


def test_the_reader_ceiling_needs_every_key_fact_within_the_first_five_passages() -> None:
    passages = ["launched in 2018", "in Paris", "x", "y", "z", "on 12 November"]
    assert reader_ceiling(Question(id="a", question="?", key_facts=["2018", "paris"]), passages) is True
    assert reader_ceiling(Question(id="b", question="?", key_facts=["2018", "12 november"]), passages) is False
    assert reader_ceiling(Question(id="c", question="?"), passages) is None
    assert reader_ceiling(Question(id="d", question="?", key_facts=["2018"], answerable=False), passages) is None


QUESTIONS = [
    Question(id="a", question="When was the Test Call launched?", key_facts=["12 November 2018"],
             sources=["declaration/call-en.md"]),
    Question(id="b", question="Quand l'Appel de test a-t-il été lancé ?", language="fr",
             key_facts=["a recipe for tarte tatin"], sources=["declaration/appel-fr.md"]),
    Question(id="c", question="Which principle defends electoral processes?", sources=["declaration/call-en.md"]),
]


def test_facts_at_5_counts_only_the_questions_that_have_key_facts(searcher: HybridSearcher) -> None:
    scores = evaluate_retrieval(searcher, QUESTIONS, "hybrid", SearchConfig())
    assert scores.count == 3
    assert scores.facts5 == 0.5  # question a's fact is in its passages, b's is in none; c has no key facts
    assert scores.by_language["en"]["facts@5"] == 1.0 and scores.by_language["fr"]["facts@5"] == 0.0
    assert "| facts@5 |" in format_table([scores]) and "| 0.500 |" in format_table([scores])


def test_the_fusion_sweep_measures_each_lexical_weight_with_the_rest_of_the_config(
        searcher: HybridSearcher) -> None:
    searcher.config = SearchConfig(per_doc_cap=2)
    results = sweep(searcher, QUESTIONS, (0.5, 2.0), (10,))
    assert [r.name for r in results] == ["BM25 x0.5, k 10", "BM25 x2, k 10"]
    assert all(r.count == 3 and r.facts5 == 0.5 for r in results)
    assert searcher.config == SearchConfig(per_doc_cap=2)  # the searcher's own config is left as it was
