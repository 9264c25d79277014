"""The lexical index: BM25 (bm25s) over the same chunks as the vector store, English and French.

Tokens are lower-cased, accent-folded, stripped of common English and French stop words and lightly
stemmed (plural and frequent suffixes), so "elections" meets "electoral" and "élections".
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import numpy as np

from index.filters import Filters

STOPWORDS = set(["a", "about", "above", "after", "again", "against", "all", "am", "an", "and", "any", "are", "as", "at", "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "could", "did", "do", "does", "doing", "down", "during", "each", "few", "for", "from", "further", "had", "has", "have", "having", "he", "her", "here", "hers", "herself", "him", "himself", "his", "how", "i", "if", "in", "into", "is", "it", "its", "itself", "just", "me", "more", "most", "my", "no", "nor", "not", "of", "off", "on", "once", "only", "or", "other", "our", "ours", "out", "over", "own", "same", "she", "should", "so", "some", "such", "than", "that", "the", "their", "theirs", "them", "then", "there", "these", "they", "this", "those", "through", "to", "too", "under", "until", "up", "very", "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with", "would", "you", "your", "yours", "also", "may", "might", "must", "shall", "us", "its", "via", "per", "au", "aux", "avec", "ce", "ces", "cet", "cette", "dans", "de", "des", "du", "elle", "elles", "en", "est", "et", "eux", "il", "ils", "je", "la", "le", "les", "leur", "leurs", "lui", "ma", "mais", "me", "meme", "mes", "moi", "mon", "ne", "nos", "notre", "nous", "on", "ou", "par", "pas", "pour", "qu", "que", "qui", "sa", "se", "ses", "son", "sur", "ta", "te", "tes", "toi", "ton", "tu", "un", "une", "vos", "votre", "vous", "c", "d", "j", "l", "m", "n", "s", "t", "y", "ete", "etre", "avoir", "ont", "sont", "ai", "as", "avons", "avez", "a", "ete", "plus", "ou", "dont", "quel", "quelle", "quels", "quelles", "comment", "quand", "pourquoi", "combien", "est-ce"])

_SUFFIXES = ("ational", "ations", "ation", "ements", "ement", "ments", "ment", "ities", "ity", "ives", "ive",
             "ions", "ion", "ing", "ies", "ees", "ee", "es", "al", "s", "e")


def stem(word: str) -> str:
    """A deliberately light stemmer shared by English and French."""
    for suffix in _SUFFIXES:
        if len(word) - len(suffix) >= 4 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def tokenize(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()
    return [stem(w) for w in re.findall(r"[a-z0-9]+", folded) if w not in STOPWORDS and len(w) > 1]


class LexicalIndex:
    """BM25 scores over a fixed, ordered list of chunk ids."""

    def __init__(self, ids: list[str], texts: list[str] | None = None) -> None:
        import bm25s

        self.ids = ids
        self._bm25 = bm25s.BM25()
        if texts is not None:
            tokens = [tokenize(t) or ["_empty_"] for t in texts]
            self._bm25.index(tokens, show_progress=False)

    def search(self, query: str, k: int, allowed: np.ndarray | None = None) -> list[tuple[str, float]]:
        """Top chunk ids by BM25 score; `allowed` is an optional boolean mask over `ids`."""
        from index.glossary import translations

        tokens = [t for t in tokenize(f"{query} {translations(query)}") if t in self._bm25.vocab_dict]
        if not tokens or not self.ids:
            return []
        scores = self._bm25.get_scores(tokens)
        if allowed is not None:
            scores = np.where(allowed, scores, 0.0)
        top = np.argsort(-scores)[:k]
        return [(self.ids[i], float(scores[i])) for i in top if scores[i] > 0]

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self._bm25.save(str(folder), show_progress=False)
        (folder / "ids.json").write_text(json.dumps(self.ids), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex:
        import bm25s

        index = cls(json.loads((folder / "ids.json").read_text(encoding="utf-8")))
        index._bm25 = bm25s.BM25.load(str(folder))
        return index


def filter_mask(metadatas: list[dict], filters: Filters | None) -> np.ndarray | None:
    if filters is None or filters.is_empty():
        return None
    return np.array([filters.matches(m) for m in metadatas], dtype=bool)
