"""Retrieval benchmark: recall@5/10, MRR and nDCG@10 of several search modes, side by side, and facts@5: the
share of questions whose first five passages hold every key fact (what the reader can answer from; a gold
document retrieved through the wrong passages of a long report counts for recall@5, not for facts@5)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from evals.metrics import mean, ndcg_at_k, recall_at_k, reciprocal_rank
from evals.questions import Question
from evals.scoring import reader_ceiling
from index.retriever import HybridSearcher, SearchConfig


@dataclass
class RetrievalScores:
    """Mean scores of one configuration, overall and per language."""

    name: str
    count: int = 0
    recall5: float = 0.0
    recall10: float = 0.0
    mrr: float = 0.0
    ndcg10: float = 0.0
    facts5: float = 0.0  # over the questions that have key facts
    by_language: dict[str, dict[str, float]] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)


def retrieval_questions(questions: list[Question]) -> list[Question]:
    """Answerable questions with gold documents, asked without conversation history."""
    return [q for q in questions if q.answerable and q.sources and not q.history]


def score_ranking(ranked: list[str], gold: list[str]) -> dict[str, float]:
    return {"recall@5": recall_at_k(ranked, gold, 5), "recall@10": recall_at_k(ranked, gold, 10),
            "mrr": reciprocal_rank(ranked, gold), "ndcg@10": ndcg_at_k(ranked, gold, 10)}


def evaluate_retrieval(searcher: HybridSearcher, questions: list[Question], name: str,
                       config: SearchConfig, k: int = 10) -> RetrievalScores:
    rows: list[tuple[str, dict[str, float]]] = []
    misses = []
    for q in retrieval_questions(questions):
        hits = searcher.search(q.question, k, None, config)
        row = score_ranking([h.chunk.doc_id for h in hits], q.sources)
        facts = reader_ceiling(q, [h.chunk.text for h in hits])  # the reader's ceiling, on the search alone
        if facts is not None:
            row["facts@5"] = float(facts)
        rows.append((q.language, row))
        if not row["recall@5"]:
            misses.append(q.id)
    scores = RetrievalScores(name, len(rows), misses=misses)
    for attr, key in (("recall5", "recall@5"), ("recall10", "recall@10"), ("mrr", "mrr"), ("ndcg10", "ndcg@10")):
        setattr(scores, attr, mean([r[key] for _, r in rows]))
    scores.facts5 = mean([r["facts@5"] for _, r in rows if "facts@5" in r])
    for language in sorted({lang for lang, _ in rows}):
        subset = [r for lang, r in rows if lang == language]
        scores.by_language[language] = {key: mean([r[key] for r in subset if key in r])
                                        for key in ("recall@5", "recall@10", "mrr", "ndcg@10", "facts@5")}
        scores.by_language[language]["count"] = len(subset)
    return scores


def mode_configs(base: SearchConfig) -> dict[str, SearchConfig]:
    """BM25 alone, dense alone and hybrid, with the same candidate sizes, diversity and cross-lingual rules."""
    return {mode: replace(base, mode=mode, timings={}) for mode in ("lexical", "dense", "hybrid")}


def format_table(results: list[RetrievalScores]) -> str:
    lines = ["| configuration | n | recall@5 | recall@10 | MRR | nDCG@10 | recall@5 en | recall@5 fr | facts@5 | "
             "facts@5 en | facts@5 fr |", "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        en, fr = r.by_language.get("en", {}), r.by_language.get("fr", {})
        lines.append(f"| {r.name} | {r.count} | {r.recall5:.3f} | {r.recall10:.3f} | {r.mrr:.3f} | "
                     f"{r.ndcg10:.3f} | {en.get('recall@5', 0.0):.3f} | {fr.get('recall@5', 0.0):.3f} | "
                     f"{r.facts5:.3f} | {en.get('facts@5', 0.0):.3f} | {fr.get('facts@5', 0.0):.3f} |")
    return "\n".join(lines)
