"""Retrieval and answer metrics. Pure functions over ranked document ids and answer records."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence


def unique_in_order(items: Sequence[str]) -> list[str]:
    seen: set[str] = set()
    return [x for x in items if not (x in seen or seen.add(x))]


def recall_at_k(ranked: Sequence[str], gold: Sequence[str], k: int) -> float:
    """1 if any gold document is among the first k distinct documents (any one of them answers)."""
    return float(bool(set(unique_in_order(ranked)[:k]) & set(gold)))


def reciprocal_rank(ranked: Sequence[str], gold: Sequence[str]) -> float:
    for position, doc_id in enumerate(unique_in_order(ranked), start=1):
        if doc_id in gold:
            return 1.0 / position
    return 0.0


def ndcg_at_k(ranked: Sequence[str], gold: Sequence[str], k: int) -> float:
    """Binary-relevance nDCG over distinct documents."""
    docs = unique_in_order(ranked)[:k]
    dcg = sum(1.0 / math.log2(i + 2) for i, d in enumerate(docs) if d in gold)
    ideal = sum(1.0 / math.log2(i + 2) for i in range(min(len(set(gold)), k)))
    return dcg / ideal if ideal else 0.0


def facts_match(answer: str, key_facts: Sequence[str], must_not: Sequence[str] = ()) -> bool:
    """All key facts found and no forbidden pattern found (case-insensitive regexes)."""
    return (all(re.search(p, answer, re.IGNORECASE) for p in key_facts)
            and not any(re.search(p, answer, re.IGNORECASE) for p in must_not))


def states_a_fact(text: str, question: str, key_facts: Sequence[str]) -> bool:
    """Whether `text` states one of the key facts, those the question already contains aside (unless it
    contains them all): what makes a sentence, or a direct answer, the answer."""
    facts = [f for f in key_facts if not re.search(f, question, re.IGNORECASE)] or key_facts
    return any(re.search(f, text, re.IGNORECASE) for f in facts)


def percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0
