"""Term weights (IDF over the indexed chunks), cached on disk by the chunk ids they were computed for."""

from __future__ import annotations

from assistant.support import TermWeights
from index.chunking import Chunk
from index.lexical import tokenize


def _chunks(*texts: str) -> list[Chunk]:
    return [Chunk(f"d#{i}@{hash(t) & 0xffff}", "d", t, 0, len(t), {}) for i, t in enumerate(texts)]


def test_rare_words_weigh_more_and_unknown_words_most() -> None:
    weights = TermWeights(c.text for c in _chunks("paris call security", "paris call norms", "paris budget"))
    budget, paris = tokenize("budget")[0], tokenize("paris")[0]
    assert weights.weight(budget) > weights.weight(paris)
    assert weights.weight("neverseen") == weights.max_weight


def test_cached_weights_are_reused_for_the_same_chunks_and_recomputed_otherwise(tmp_path) -> None:
    path = tmp_path / "reading" / "weights.json"
    chunks = _chunks("paris call security", "paris call norms")
    first = TermWeights.cached(path, chunks)
    assert path.is_file()
    again = TermWeights.cached(path, chunks)
    assert again.frequency == first.frequency and again.count == first.count
    changed = TermWeights.cached(path, chunks + _chunks("a new budget document"))
    assert changed.count == 3 and changed.weight(tokenize("budget")[0]) < changed.max_weight


def test_a_damaged_cache_is_recomputed(tmp_path) -> None:
    path = tmp_path / "weights.json"
    path.write_text("{not json", encoding="utf-8")
    weights = TermWeights.cached(path, _chunks("paris call"))
    assert weights.count == 1 and weights.frequency


def test_weights_cached_by_another_tokenizer_are_recomputed(tmp_path, monkeypatch) -> None:
    import json

    import assistant.support as support

    path = tmp_path / "weights.json"
    chunks = _chunks("Principle 8: no private hack back")
    monkeypatch.setattr(support, "TOKENIZER_VERSION", 1)
    TermWeights.cached(path, chunks)
    stale = json.loads(path.read_text(encoding="utf-8"))
    stale["frequency"] = {"hack": 1}  # as an older tokenizer would have counted
    path.write_text(json.dumps(stale), encoding="utf-8")
    monkeypatch.setattr(support, "TOKENIZER_VERSION", 2)
    assert TermWeights.cached(path, chunks).frequency["principle8"] == 1


def test_a_country_is_one_word_by_any_of_its_names():
    """"us" is a stop word and "U.S." two letters: a question about the US once held nothing of it, and one
    about "la Russie" nothing of an English sentence on Russia."""
    from index.lexical import tokenize

    for text in ("the US", "the U.S.", "the U.S", "the USA", "the United States", "les États-Unis", "les etats unis"):
        assert "unitedstat" in tokenize(text), text
    assert "unitedstat" not in tokenize("tell us what it says")
    assert tokenize("pourquoi la Russie a pas signé") == tokenize("why did Russia sign") == ["russia", "sign"]
    assert tokenize("why didn't it sign") == tokenize("why did it sign") == ["sign"]
