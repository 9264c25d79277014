"""Scores of one answer record and of a whole run: retrieval, accuracy, citations (ALCE-style), refusals."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from assistant.reading.leads import MONTHS_FR
from assistant.support import best_support
from assistant.verify import SUPPORT_THRESHOLD
from evals.metrics import (
    facts_match,
    mean,
    ndcg_at_k,
    percentile,
    recall_at_k,
    reciprocal_rank,
    states_a_fact,
)
from evals.questions import Question
from index.chunking import split_sentences

MARKERS = re.compile(r"\[(\d+)\]")
CEILING_K = 5  # passages whose text the reader's ceiling is measured over


def reader_ceiling(q: Question, passages: list[str]) -> bool | None:
    """Whether every key fact appears in the first `CEILING_K` passages (None for unanswerable questions and
    questions without key facts)."""
    return facts_match("\n".join(passages[:CEILING_K]), q.key_facts) if q.answerable and q.key_facts else None


def answer_sentences(text: str) -> list[str]:
    """The sentences of an answer that state something (introductions ending with ':' excluded)."""
    out = []
    for start, end in split_sentences(text):
        sentence = text[start:end]
        if sentence.rstrip().endswith(":") or len(MARKERS.sub("", sentence).split()) < 4:
            continue
        out.append(sentence)
    return out


def citation_scores(record: dict[str, Any], gold: list[str]) -> tuple[list[bool], list[bool]]:
    """Per citation use: does its quote support its sentence and is its document a correct one?
    Per sentence: has it at least one supporting citation?"""
    by_marker = {c["marker"]: c for c in record["citations"]}
    precise: list[bool] = []
    recalled: list[bool] = []
    for sentence in answer_sentences(record["answer"]):
        claim = MARKERS.sub("", sentence).strip()
        supported = False
        for marker in {int(m) for m in MARKERS.findall(sentence)}:
            citation = by_marker.get(marker)
            ok = citation is not None and _supports(claim, citation["quote"])
            supported |= ok
            precise.append(ok and (not gold or citation["doc_id"] in gold))
        recalled.append(supported)
    return precise, recalled


def _supports(claim: str, quote: str) -> bool:
    if quote.strip() and (quote.strip() in claim or claim in quote):
        return True
    return best_support(claim, quote).score >= SUPPORT_THRESHOLD or _lead_in(claim, quote)


def _lead_in(claim: str, quote: str) -> bool:
    """A short lead ("12 November 2018.") is supported when its words all occur in the quote; a month may
    be named in the asker's language and the quote's other one."""
    def english_months(text: str) -> str:
        text = text.lower()
        for english, french in MONTHS_FR.items():
            text = text.replace(french, english)
        return text
    words = re.findall(r"\w+", english_months(claim))
    return 0 < len(words) <= 6 and all(w in english_months(quote) for w in words)


def score_record(q: Question, record: dict[str, Any]) -> dict[str, Any]:
    ranked = record["retrieved"]
    scores: dict[str, Any] = {"id": q.id, "type": q.type, "language": q.language, "answerable": q.answerable,
                              "refused": record["refused"], "latency_ms": record["latency_ms"],
                              "error": bool(record.get("error"))}
    if q.answerable and q.sources:
        scores.update({"recall@5": recall_at_k(ranked, q.sources, 5), "recall@10": recall_at_k(ranked, q.sources, 10),
                       "mrr": reciprocal_rank(ranked, q.sources), "ndcg@10": ndcg_at_k(ranked, q.sources, 10)})
    if q.answerable:
        scores["correct"] = (not record["refused"] and not record.get("error")
                             and facts_match(record["answer"], q.key_facts, q.must_not))
    else:
        scores["correct"] = record["refused"] and facts_match(record["answer"], [], q.must_not)
    if q.answerable and record.get("lead") and not record["refused"]:  # the direct answer the reply opens with
        scores["lead_correct"] = states_a_fact(record["lead"], q.question, q.key_facts)
    scores["ceiling"] = record.get("ceiling")
    scores["miss"] = miss_kind(q, scores["correct"], record)
    precise, recalled = citation_scores(record, q.sources) if not record["refused"] else ([], [])
    scores["citation_ok"], scores["sentence_supported"] = precise, recalled
    return scores


def miss_kind(q: Question, correct: bool, record: dict[str, Any]) -> str | None:
    """Why an answer is wrong: the passages lacked a key fact (retrieval), the reader missed what they
    held (reading), or an unanswerable question was answered (refusal)."""
    if correct:
        return None
    if not q.answerable:
        return "refusal"
    return "retrieval" if record.get("ceiling") is False else "reading"


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Aggregate metrics of a list of scored records."""
    answerable = [r for r in rows if r["answerable"]]
    unanswerable = [r for r in rows if not r["answerable"]]
    answered = [r for r in answerable if not r["refused"]]
    refused = [r for r in rows if r["refused"]]
    citations = [ok for r in rows for ok in r["citation_ok"]]
    sentences = [ok for r in rows for ok in r["sentence_supported"]]
    with_gold = [r for r in rows if "recall@5" in r]
    latencies = [r["latency_ms"] for r in rows]
    return {
        "questions": len(rows),
        "errors": sum(r["error"] for r in rows),
        "recall@5": mean([r["recall@5"] for r in with_gold]),
        "recall@10": mean([r["recall@10"] for r in with_gold]),
        "mrr": mean([r["mrr"] for r in with_gold]),
        "ndcg@10": mean([r["ndcg@10"] for r in with_gold]),
        "answer_accuracy": mean([float(r["correct"]) for r in answerable]),
        "answer_precision": mean([float(r["correct"]) for r in answered]),
        "accuracy_all": mean([float(r["correct"]) for r in rows]),
        "citation_precision": mean([float(ok) for ok in citations]),
        "citation_recall": mean([float(ok) for ok in sentences]),
        "refusal_recall": mean([float(r["refused"]) for r in unanswerable]),
        "refusal_precision": mean([float(not r["answerable"]) for r in refused]),
        "false_refusal_rate": mean([float(r["refused"]) for r in answerable]),
        "leads": sum("lead_correct" in r for r in answerable),
        "lead_precision": (mean([float(r["lead_correct"]) for r in answerable if "lead_correct" in r])
                           if any("lead_correct" in r for r in answerable) else None),  # None: no answer led
        "reader_ceiling": mean([float(bool(r.get("ceiling"))) for r in answerable]),
        "share_of_ceiling": (mean([float(r["correct"]) for r in answerable])
                             / max(1e-9, mean([float(bool(r.get("ceiling"))) for r in answerable]))),
        "retrieval_misses": sum(r.get("miss") == "retrieval" for r in rows),
        "reading_misses": sum(r.get("miss") == "reading" for r in rows),
        "refusal_misses": sum(r.get("miss") == "refusal" for r in rows),
        "latency_p50_ms": percentile(latencies, 0.5),
        "latency_p95_ms": percentile(latencies, 0.95),
    }


def breakdown(rows: list[dict[str, Any]], key: str) -> dict[str, dict[str, Any]]:
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[str(row[key])].append(row)
    return {name: summarise(group) for name, group in sorted(groups.items())}


TARGETS = {"answer_accuracy": (">=", 0.80), "share_of_ceiling": (">=", 0.90), "citation_recall": (">=", 0.90),
           "refusal_recall": (">=", 0.85), "false_refusal_rate": ("<=", 0.05), "latency_p50_ms": ("<=", 300.0),
           "latency_p95_ms": ("<=", 1000.0)}


def target_met(metric: str, value: float) -> bool:
    op, bound = TARGETS[metric]
    return value >= bound if op == ">=" else value <= bound
