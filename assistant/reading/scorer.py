"""Reading, stage 2: one fitted scorer for sentences and one calibrated score for refusing.

Both are logistic regressions fitted on the benchmark's dev split by `evals/fit_reader.py` (`make fit`),
their parameters kept in `model.json` beside this file:
- the sentence model gives each candidate the probability that it states the answer;
- the answerability model turns what the reader found (its best sentences' scores, how much of the
  question the passages cover, the vector similarity of the best passage...) into the probability that
  the question can be answered from them; below the threshold chosen on dev for at most 5% false
  refusals, the assistant says the sources don't answer. Each language has its own threshold, chosen on
  its own dev questions (one shared threshold refused French askers about twice as often as English ones).
Only numpy is needed at answer time; scikit-learn is used to fit.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from assistant.reading.features import Candidate
from assistant.reading.questions import VALUE_TYPES, Question
from assistant.reading.values import asked_count
from corpus.errors import ConfigError
from index.clarity import DENSE_SIGNALS
from index.clarity import SIGNALS as CLARITY_SIGNALS

MODEL_PATH = Path(__file__).with_name("model.json")
Z_LIMIT = 3.0
ANSWERABILITY_FEATURES = ("best", "second", "mean_top3", "best_coverage", "best_type_match", "open_question",
                          "best_dense", "passage_dense", "passage_coverage", "unknown_words",
                          "missing_weight", "type_missing", "year_absent", "typed_best", "count_found",
                          "cross_language", "unknown_squared", "topical", "closest_missing", *CLARITY_SIGNALS)
COLLECTION_RATIO = 1.5  # how much larger or smaller a collection may be and keep the clarity signals
# Features that are similarities of the embedder's vectors: their scale is that embedder's own.
SIMILARITY_FEATURES = frozenset({"passage_dense", "sentence_dense", "dense_gap", "best_dense", "topical"}) | DENSE_SIGNALS
TOPICAL_LIMIT = 10.0  # the topic model's log-odds, held within +-this


def clipped(z: np.ndarray) -> np.ndarray:
    """Standardised features held within the range the model was fitted on (a feature far outside it,
    e.g. from another embedder, cannot dominate the score)."""
    return np.clip(z, -Z_LIMIT, Z_LIMIT)


@dataclass
class Linear:
    """A fitted logistic regression on standardised features."""

    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float

    @classmethod
    def from_dict(cls, data: dict) -> Linear:
        return cls(tuple(data["features"]), np.asarray(data["mean"], dtype=float),
                   np.asarray(data["scale"], dtype=float), np.asarray(data["coef"], dtype=float),
                   float(data["intercept"]))

    def to_dict(self) -> dict:
        return {"features": list(self.features), "mean": self.mean.tolist(), "scale": self.scale.tolist(),
                "coef": self.coef.tolist(), "intercept": self.intercept}

    def ignoring(self, names: frozenset[str]) -> Linear:
        """The same model with `names` held at their fitted mean (they no longer move the score)."""
        coef = np.array([0.0 if name in names else c for name, c in zip(self.features, self.coef, strict=True)])
        return Linear(self.features, self.mean, self.scale, coef, self.intercept)

    def matrix(self, rows: list[dict[str, float]]) -> np.ndarray:
        return np.array([[row.get(name, 0.0) for name in self.features] for row in rows], dtype=float)

    def probabilities(self, rows: list[dict[str, float]]) -> np.ndarray:
        if not rows:
            return np.zeros(0)
        return 1.0 / (1.0 + np.exp(-self.log_odds(self.matrix(rows))))

    def log_odds(self, x: np.ndarray) -> np.ndarray:
        """The model's log-odds for each row of a feature matrix (columns in `features` order)."""
        return clipped((x - self.mean) / self.scale) @ self.coef + self.intercept


@dataclass
class ReaderModel:
    sentence: Linear
    answerable: Linear
    threshold: float  # refuse below this answerability probability (a language without its own threshold)
    info: dict
    thresholds: dict[str, float] = field(default_factory=dict)  # per question language
    topic: Linear | None = None  # on the question's vector: is it about what the collection is about?
    topic_floor: float = -TOPICAL_LIMIT  # refuse a question whose topic log-odds fall below this

    def threshold_for(self, language: str) -> float:
        return self.thresholds.get(language, self.threshold)

    @classmethod
    def untrained(cls) -> ReaderModel:
        """All weights zero (every sentence scores 0.5, nothing is refused): the fitting script's start."""
        from assistant.reading.features import FEATURES

        def zero(names: tuple[str, ...]) -> Linear:
            n = len(names)
            return Linear(names, np.zeros(n), np.ones(n), np.zeros(n), 0.0)
        return cls(zero(FEATURES), zero(ANSWERABILITY_FEATURES), 0.0, {"fitted_on": None})

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> ReaderModel:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(Linear.from_dict(data["sentence"]), Linear.from_dict(data["answerable"]),
                       float(data["threshold"]), data.get("info", {}),
                       {language: float(t) for language, t in data.get("thresholds", {}).items()},
                       Linear.from_dict(data["topic"]) if data.get("topic") else None,
                       float(data.get("topic_floor", -TOPICAL_LIMIT)))
        except FileNotFoundError:
            raise ConfigError(f"the reader's fitted model {path} is missing; run `make fit` to fit it") from None
        except (KeyError, ValueError) as exc:
            raise ConfigError(f"the reader's fitted model {path} is unreadable ({exc}); run `make fit`") from None

    def for_embedder(self, name: str) -> ReaderModel:
        """The model to use with the embedder `name`. Fitted with another one (a user's choice of `minilm`, the
        tests' fast `hash`), similarities sit on another scale and would be read as evidence they are not
        (a fully covered question refused for its hash similarities): they are set aside."""
        fitted = self.info.get("embedder")
        if fitted is None or fitted == name:
            return self
        model = self._setting_aside(SIMILARITY_FEATURES, {"similarities_ignored_for": name})
        model.topic, model.topic_floor = None, -TOPICAL_LIMIT  # its weights are on that embedder's dimensions
        return model

    def for_collection(self, passages: int) -> ReaderModel:
        """The model to use over a collection of `passages` prose passages. How clearly a collection answers
        (`index.clarity`) depends on its size: the best of 15 passages stands out less than the best of 900,
        and a BM25 top 100 of a small folder is mostly empty. Over a collection whose size is not within
        `COLLECTION_RATIO` of the one the model was fitted on (a user's own folder), those signals are set
        aside; a few documents added or removed keep them."""
        fitted = self.info.get("prose_passages")
        if not fitted or 1 / COLLECTION_RATIO <= passages / fitted <= COLLECTION_RATIO:
            return self
        return self._setting_aside(frozenset(CLARITY_SIGNALS), {"clarity_ignored_for": passages})

    def _setting_aside(self, names: frozenset[str], why: dict) -> ReaderModel:
        """A copy that holds `names` at their fitted mean in both models, thresholds kept, `why` recorded."""
        return ReaderModel(self.sentence.ignoring(names), self.answerable.ignoring(names), self.threshold,
                           {**self.info, **why}, dict(self.thresholds), self.topic, self.topic_floor)

    def save(self, path: Path = MODEL_PATH) -> None:
        data = {"sentence": self.sentence.to_dict(), "answerable": self.answerable.to_dict(),
                "threshold": self.threshold, "thresholds": self.thresholds, "info": self.info,
                "topic": self.topic.to_dict() if self.topic is not None else None, "topic_floor": self.topic_floor}
        path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")

    def score(self, candidates: list[Candidate]) -> None:
        """Set each candidate's `score` (probability that it states the answer)."""
        for candidate, p in zip(candidates, self.sentence.probabilities([c.features for c in candidates]),
                                strict=True):
            candidate.score = float(p)

    def answerability(self, signals: dict[str, float]) -> float:
        return float(self.answerable.probabilities([signals])[0])

    def topicality(self, vector: np.ndarray) -> float:
        """The topic model's log-odds that a question with this (query) vector is about what the collection
        is about, rather than the weather, a recipe or a password (0 without a topic model)."""
        if self.topic is None:
            return 0.0
        return float(topical(self.topic.log_odds(np.asarray(vector, dtype=float)[None, :]))[0])


def topical(log_odds: np.ndarray) -> np.ndarray:
    """The `topical` signal from a topic model's log-odds: held within +-`TOPICAL_LIMIT`."""
    return np.clip(log_odds, -TOPICAL_LIMIT, TOPICAL_LIMIT)


def answerability_signals(candidates: list[Candidate], question: Question,
                          passages: dict[str, float]) -> dict[str, float]:
    """Question-level signals (see `ANSWERABILITY_FEATURES`) from the scored candidates and the passage-level
    signals of `Reader.passage_signals`: among them the best score of a sentence holding the kind of value
    asked for, and whether a top sentence gives a count of what a "how many" question counts."""
    kind = question.kind
    ranked = sorted(candidates, key=lambda c: c.score, reverse=True)
    scores = [c.score for c in ranked] + [0.0, 0.0, 0.0]
    best = ranked[0].features if ranked else {}
    typed = [c.score for c in ranked if kind not in VALUE_TYPES or kind in c.types]
    return {"best": _logit(scores[0]), "second": _logit(scores[1]), "mean_top3": float(np.mean(scores[:3])),
            "best_coverage": best.get("coverage_context", 0.0), "best_type_match": best.get("type_match", 0.0),
            "open_question": best.get("open_question", 1.0),
            "best_dense": max((c.features.get("sentence_dense", 0.0) for c in candidates), default=0.0),
            "question_words": math.log1p(len(set(question.tokens))),
            "type_missing": float(kind in VALUE_TYPES and not any(kind in c.types for c in ranked[:3])),
            "typed_best": typed[0] if typed else 0.0,
            "count_found": float(kind != "number" or any(asked_count(question.text, c.text) for c in ranked[:5])),
            **passages}


def _logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))
