"""The reader's fitting script on synthetic readings: what it learns and how it picks the refusal threshold."""

import numpy as np

from assistant.reading.features import FEATURES, Candidate
from assistant.reading.questions import Question
from assistant.reading.reader import Reading
from evals.fit_reader import MAX_FALSE_REFUSALS, Example, _language_thresholds, _rescore, fit
from evals.questions import Question as BenchmarkQuestion


def _examples(count: int = 90, seed: int = 0, language: str = "en", shift: float = 0.0) -> list[Example]:
    """Questions whose right sentence covers more of the question and is closer to it by meaning; the
    unanswerable ones only get weaker sentences. Noisy, so that no threshold separates them perfectly."""
    rng = np.random.default_rng(seed)
    out = []
    for n in range(count):
        answerable = n % 3 != 0
        labels, candidates = [], []
        for position in range(6):
            positive = answerable and position == int(rng.integers(6))
            base = 0.7 if positive else 0.35
            features = {name: 0.0 for name in FEATURES}
            features.update(coverage=base + rng.normal(0, 0.15), coverage_context=base + rng.normal(0, 0.15),
                            sentence_dense=base + rng.normal(0, 0.1), open_question=1.0)
            candidates.append(Candidate(0, position, position + 1, f"sentence {position}", set(), set(), features))
            labels.append(int(positive))
        strength = (0.7 if answerable else 0.4) + shift
        passages = {"passage_dense": strength + rng.normal(0, 0.15), "passage_coverage": strength + rng.normal(0, 0.2),
                    "unknown_words": 0.0, "missing_weight": 0.0}
        reading = Reading(Question("q", language, ["q"], "other"), candidates, passage_signals=passages)
        question = BenchmarkQuestion(id=f"{language}{n}", question="q", language=language, answerable=answerable,
                                     key_facts=["x"] if answerable else [], split="dev")
        out.append(Example(question, reading, labels if answerable else []))
    return out


def test_fit_learns_the_sentence_and_picks_the_threshold_on_the_fitted_models_dev_scores():
    examples = _examples()
    model, report = fit(examples)
    assert report["top1_hit_cv"] > 0.5 and report["threshold"] == model.threshold
    assert report["false_refusals_cv"] <= MAX_FALSE_REFUSALS and 0.0 < report["cv_threshold"] < 1.0
    for ex in examples:
        _rescore(ex.reading, model.sentence)
    probability = np.array([model.answerability(ex.reading.signals) for ex in examples])
    answerable = np.array([ex.question.answerable for ex in examples])
    refused = probability < model.threshold
    assert refused[answerable].mean() <= MAX_FALSE_REFUSALS  # the shipped model's own dev false refusals
    assert refused[~answerable].mean() > 0.3  # and it does refuse the weak ones
    # the highest such threshold: refusing the next answerable question would pass the limit
    above = np.sort(probability[answerable])
    allowed = int(np.floor(MAX_FALSE_REFUSALS * answerable.sum()))
    assert model.threshold == above[allowed]


def test_each_language_with_enough_questions_gets_its_own_threshold():
    """French questions whose passages match them less (a shift of every signal) are refused no more often
    than English ones: each language's threshold keeps its own false refusals at the limit."""
    examples = _examples(150, language="en") + _examples(150, seed=1, language="fr", shift=-0.1)
    model, report = fit(examples)
    assert set(model.thresholds) == {"en", "fr"} and report["thresholds"] == model.thresholds
    assert model.thresholds["fr"] < model.thresholds["en"]
    for ex in examples:
        _rescore(ex.reading, model.sentence)
    for language in ("en", "fr"):
        mine = [ex for ex in examples if ex.question.language == language]
        probability = np.array([model.answerability(ex.reading.signals) for ex in mine])
        answerable = np.array([ex.question.answerable for ex in mine])
        refused = probability < model.threshold_for(language)
        assert refused[answerable].mean() <= MAX_FALSE_REFUSALS and refused[~answerable].mean() > 0.2


def test_a_language_with_few_answerable_questions_keeps_the_overall_threshold():
    probability = np.linspace(0.0, 1.0, 120)
    answerable = np.arange(120) % 3 != 0
    languages = ["en"] * 90 + ["fr"] * 30  # 20 answerable French questions
    assert set(_language_thresholds(probability, answerable, languages)) == {"en"}
    model, _ = fit(_examples())
    model.thresholds = {"en": 0.9}
    assert model.threshold_for("fr") == model.threshold and model.threshold_for("en") == 0.9


def test_off_topic_examples_teach_refusing_but_leave_the_thresholds_to_the_benchmark():
    examples = _examples()
    off_topic = [ex for ex in _examples(60, seed=3, shift=-0.4) if not ex.question.answerable]
    model, report = fit(examples, off_topic)
    assert report["off_topic"] == len(off_topic) and report["read"] == len(examples)
    for ex in examples + off_topic:
        _rescore(ex.reading, model.sentence)
    probability = np.array([model.answerability(ex.reading.signals) for ex in examples])
    answerable = np.array([ex.question.answerable for ex in examples])
    assert (probability[answerable] < model.threshold).mean() <= MAX_FALSE_REFUSALS  # the benchmark's budget
    far = np.array([model.answerability(ex.reading.signals) for ex in off_topic])
    assert (far < model.threshold).mean() > 0.8


def test_thresholds_chosen_again_spend_the_false_refusal_budget_with_the_weights_kept():
    """The reader reads questions better (a shorthand written out) and its answerable questions score higher:
    the thresholds chosen at fitting time then refuse fewer than the budget allows. Chosen again on the same
    model, they are the highest that keep each language's dev false refusals within it; no weight moves."""
    from evals.fit_reader import choose_thresholds

    model, _ = fit(_examples(150) + _examples(150, seed=1, language="fr"))
    weights = model.answerable.coef.copy()
    model.thresholds = {"en": 0.01, "fr": 0.01}  # stale: refusing almost nothing
    read = _examples(150, seed=2) + _examples(150, seed=3, language="fr")
    report = choose_thresholds(model, read)
    assert report["before"]["thresholds"] == {"en": 0.01, "fr": 0.01} and report["thresholds"] == model.thresholds
    assert np.array_equal(model.answerable.coef, weights)
    assert report["false_refusals"] <= MAX_FALSE_REFUSALS and report["refusal_recall"] > 0.2
    for language in ("en", "fr"):
        mine = [ex for ex in read if ex.question.language == language]
        probability = np.array([model.answerability(ex.reading.signals) for ex in mine])
        answerable = np.array([ex.question.answerable for ex in mine])
        allowed = int(np.floor(MAX_FALSE_REFUSALS * answerable.sum()))
        assert model.thresholds[language] == np.sort(probability[answerable])[allowed]


def test_the_topic_floor_sets_aside_the_least_topical_on_topic_question() -> None:
    """One informal question ("how can i read the full text in english, is there a pdf somewhere", -6.04) set the
    floor alone, and off-topic questions above it were answered."""
    from evals.fit_reader import topic_floor

    scores = np.array([-6.04, -3.32, -3.24] + [0.5] * 961)
    assert topic_floor(scores) == -3.32
    assert topic_floor(np.array([-1.0, 2.0, 3.0])) == -1.0  # under 500 questions, none is set aside
