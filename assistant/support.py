"""How well a passage supports a claim: weighted word overlap, with numbers required to match.

Shared by the extractive composer (to pick sentences) and by citation verification (to check them).
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from index.chunking import Chunk, split_sentences
from index.lexical import CONCEPT_STEMS, TOKENIZER_VERSION, tokenize

log = logging.getLogger(__name__)
NUMBER = re.compile(r"\b\d[\d,.]*\b")


def kept_for(path: Path, tag: str, chunks: list[Chunk]) -> tuple[str, dict | None]:
    """The key of `chunks` under `tag` (what computed a file kept for them, and its version), and the data kept
    at `path` when it was written for that key (None when missing, unreadable or written for others)."""
    ids = "\n".join([tag, *(c.chunk_id for c in chunks)])
    key = hashlib.blake2b(ids.encode(), digest_size=16).hexdigest()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return key, None
    return key, data if isinstance(data, dict) and data.get("key") == key else None


def keep(path: Path, key: str, data: dict, what: str) -> None:
    """Write `data` under `key` to `path` whole (a reader never sees half of it); a read-only data folder is
    only logged (`what` is computed again next time)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        partial.write_text(json.dumps({"key": key, **data}), encoding="utf-8")
        os.replace(partial, path)
    except OSError as exc:
        log.warning("could not cache the %s in %s (%s)", what, path, exc)


class TermWeights:
    """Inverse document frequency of tokens over the indexed chunks (unknown tokens weigh most)."""

    def __init__(self, texts: Iterable[str]) -> None:
        frequency: Counter[str] = Counter()
        count = 0
        for text in texts:
            frequency.update(set(tokenize(text)))
            count += 1
        self.count = max(count, 1)
        self.frequency = frequency
        self.max_weight = math.log(1 + self.count)
        self._concepts: dict[str, float] = {}

    @classmethod
    def cached(cls, path: Path, chunks: list[Chunk]) -> TermWeights:
        """The weights of these chunks, read from `path` when it was written for the same chunks (by
        `assistant index`), else computed and written there."""
        key, data = kept_for(path, f"tokenizer {TOKENIZER_VERSION}", chunks)
        if data is not None:
            try:
                weights = cls(())
                weights.count, weights.frequency = data["count"], Counter(data["frequency"])
                weights.max_weight = math.log(1 + weights.count)
                return weights
            except (KeyError, TypeError, ValueError):
                pass
        weights = cls(c.text for c in chunks)
        keep(path, key, {"count": weights.count, "frequency": weights.frequency}, "term weights")
        return weights

    def weight(self, token: str) -> float:
        if token.startswith("="):
            return self._concept_weight(token)
        df = self.frequency.get(token, 0)
        return math.log(1 + (self.count - df + 0.5) / (df + 0.5)) if df else self.max_weight

    def _concept_weight(self, key: str) -> float:
        """A concept's key ("=launch") weighs what its words weigh where they occur (their weights averaged by
        frequency), not the little that all of them together would: a question's word is as telling as it was
        before it became its concept."""
        if key not in self._concepts:
            members = [s for s, k in CONCEPT_STEMS.items() if k == key and s in self.frequency]
            total = sum(self.frequency[s] for s in members)
            self._concepts[key] = (sum(self.frequency[s] * self.weight(s) for s in members) / total if total
                                 else self.max_weight)
        return self._concepts[key]


def numbers_in(text: str) -> set[str]:
    return {n.rstrip(".,").replace(",", "") for n in NUMBER.findall(text)}


def coverage(claim_tokens: list[str], quote_tokens: set[str], weights: TermWeights | None = None) -> float:
    """Share of the claim's (weighted) content words that the quote contains."""
    unique = dict.fromkeys(claim_tokens)  # in the claim's order, so the sums are the same in every run
    if not unique:
        return 0.0
    weigh = weights.weight if weights else (lambda _t: 1.0)
    total = sum(weigh(t) for t in unique)
    return sum(weigh(t) for t in unique if t in quote_tokens) / total


def quote_tokens(quote: str) -> set[str]:
    """The quote's tokens and those of its glossary translations (a French claim may cite English text)."""
    from index.glossary import translations

    return set(tokenize(quote)) | set(tokenize(translations(quote)))


@dataclass
class Support:
    score: float
    start: int
    end: int


def best_support(claim: str, passage: str, weights: TermWeights | None = None) -> Support:
    """The passage sentence (or pair of sentences) that best supports the claim, and how well.

    A claim whose numbers do not all appear in the quote is not supported by it.
    """
    claim_tokens = tokenize(claim)
    claim_numbers = numbers_in(claim)
    spans = split_sentences(passage)
    windows = spans + [(a[0], b[1]) for a, b in zip(spans, spans[1:], strict=False)]
    best = Support(0.0, 0, 0)
    for start, end in windows:
        quote = passage[start:end]
        if claim_numbers and not claim_numbers <= numbers_in(quote):
            continue
        score = coverage(claim_tokens, quote_tokens(quote), weights)
        if (start, end) not in spans:
            score -= 0.05  # prefer the shorter quote when it supports as well
        if score > best.score:
            best = Support(score, start, end)
    return best
