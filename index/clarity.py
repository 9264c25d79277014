"""How clearly the collection answers a query: query performance prediction over both retrieval legs.

A question the documents are about has a few passages that stand out from the rest, by meaning and by
words; a question they are not about ("what's the weather in Lille this weekend", "who heads the ANSSI")
finds passages that are all about as near as one another, since every passage is close to any question in
the embedder's space. The signals are classic predictors of retrieval quality, computed from the same
vectors and BM25 index the search uses (`HybridSearcher.clarity`), before anything is read:
- `dense_peak`: the best passage's similarity minus the mean of the first `DEPTH` (after weighted
  information gain);
- `dense_spread`: the standard deviation of the first `DEPTH` similarities (after query commitment);
- `dense_z`: the best similarity in standard deviations above the mean over every prose passage;
- `lexical_spread`: the standard deviation of the first `DEPTH` BM25 scores over their mean (normalised
  query commitment);
- `lexical_peak`: how far the best BM25 score stands above the mean of the first `LEXICAL_HEAD`, as a share
  of it.
The reader's answerability model (`assistant.reading.scorer`) weighs them with what it found in the passages.
"""

from __future__ import annotations

import numpy as np

DEPTH = 100  # passages whose scores are compared
LEXICAL_HEAD = 20
TINY = 1e-6
SIGNALS = ("dense_peak", "dense_spread", "dense_z", "lexical_spread", "lexical_peak")
DENSE_SIGNALS = frozenset({"dense_peak", "dense_spread", "dense_z"})  # on the embedder's own scale


def clarity(similarities: np.ndarray, lexical: np.ndarray) -> dict[str, float]:
    """The signals from a query's similarity to every prose passage (any order) and its BM25 scores (best
    first; fewer than `DEPTH` when fewer passages hold a query word)."""
    out = dict.fromkeys(SIGNALS, 0.0)
    if len(similarities):
        ranked = np.sort(similarities)[::-1]
        head = ranked[:DEPTH]
        spread = float(ranked.std())
        out.update(dense_peak=float(head[0] - head.mean()), dense_spread=float(head.std()),
                   dense_z=float((ranked[0] - ranked.mean()) / spread) if spread > TINY else 0.0)
    scores = np.zeros(DEPTH)
    kept = np.sort(np.asarray(lexical, dtype=float))[::-1][:DEPTH]
    scores[:len(kept)] = kept
    if scores[0] > 0:
        out.update(lexical_spread=float(scores.std() / (scores.mean() + TINY)),
                   lexical_peak=float((scores[0] - scores[:LEXICAL_HEAD].mean()) / scores[0]))
    return out
