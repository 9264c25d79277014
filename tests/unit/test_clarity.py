import numpy as np
import pytest

from index.clarity import DEPTH, SIGNALS, clarity
from index.retriever import HybridSearcher


def test_a_passage_standing_out_scores_clearer_than_a_flat_field() -> None:
    rng = np.random.default_rng(0)
    field = 0.80 + 0.005 * rng.standard_normal(500)
    standing_out = field.copy()
    standing_out[17] = 0.93
    flat, clear = clarity(field, np.array([]))["dense_z"], clarity(standing_out, np.array([]))["dense_z"]
    assert clear > 10 and flat < 4
    peaks = clarity(standing_out, np.array([])), clarity(field, np.array([]))
    assert peaks[0]["dense_peak"] > peaks[1]["dense_peak"] and peaks[0]["dense_spread"] > peaks[1]["dense_spread"]


def test_lexical_signals_read_the_best_scores_whatever_their_order() -> None:
    few = clarity(np.zeros(0), np.array([2.0, 9.0, 1.0]))
    assert few["lexical_peak"] == pytest.approx((9.0 - 12.0 / 20) / 9.0)  # missing scores count as zero
    padded = np.array([9.0, 2.0, 1.0] + [0.0] * (DEPTH - 3))
    assert few["lexical_spread"] == pytest.approx(padded.std() / padded.mean(), rel=1e-4)
    level = clarity(np.zeros(0), np.full(DEPTH + 50, 3.0))
    assert level["lexical_peak"] == 0.0 and level["lexical_spread"] == pytest.approx(0.0, abs=1e-9)


def test_nothing_found_gives_zeros_not_errors() -> None:
    assert clarity(np.zeros(0), np.zeros(0)) == dict.fromkeys(SIGNALS, 0.0)
    assert clarity(np.full(5, 0.8), np.zeros(0))["dense_z"] == 0.0  # no spread: no z-score


def test_the_searcher_measures_a_question_against_every_prose_passage(searcher: HybridSearcher) -> None:
    signals = searcher.clarity("electoral processes interference")
    assert set(signals) == set(SIGNALS) and signals["lexical_peak"] > 0 and signals["dense_z"] > 0
    assert searcher._prose is not None and len(searcher._prose) == len(
        [c for c in searcher.snapshot.embedded if "row" not in c.metadata])
    off_topic = searcher.clarity("zzqx wvvy")  # no word any passage holds
    assert off_topic["lexical_peak"] == 0.0 and off_topic["lexical_spread"] == 0.0
