"""Fit the reader's topic model: is a question about what the collection is about? (run by `make fit`).

A logistic regression on the question's e5 query vector, fitted on the benchmark's answerable dev questions
(about the Paris Call) against the dev split of `offtopic.jsonl`: questions people type into a chat box that
no document here answers (a recipe, the weather, a password that won't reset, the Paris metro's fares, other
accords). Its log-odds become the answerability model's `topical` signal, so that "can you recommend a good
sci-fi novel" is refused even when some passage shares its words ("good practices"). The benchmark's
unanswerable questions are left out of the fit: most are about the Call (a false premise, a figure the
sources never give), and the answerability model weighs the topic among its other signals.

"Who is Kylian Mbappé" is off-topic and "who is Brad Smith" is not: only the name tells them apart, and the
benchmark asks about few people by name. So the on-topic side also has questions about the people and
organisations the collection itself names (`entity_questions`: each named in at least `ENTITY_DOCUMENTS`
documents, asked in the forms people use for them), so that the model learns the names, not the form. No
off-topic dev
question is a near-paraphrase of a benchmark test question (none within 0.9 cosine of one by e5), so that
the test split's off-topic questions are not answered by having been fitted on.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import numpy as np

from assistant.reading.annotations import Annotations
from assistant.reading.scorer import Linear, clipped
from evals.questions import Question, load_questions
from index.chunking import Chunk
from index.embedders import Embedder

OFF_TOPIC = Path(__file__).resolve().parent / "offtopic.jsonl"
ENTITY_DOCUMENTS = 2  # documents that must name a person or organisation for a question about it
# How people ask about a person or an organisation, in both languages, typed with or without capitals.
ENTITY_FORMS = {"person": ("who is {}", "qui est {}", "what did {} say", "{} c'est qui"),
                "organisation": ("what is {}", "c'est quoi {}", "what does {} do", "{} c'est quoi")}
TOPIC_C = 0.05  # strong regularisation: 384 dimensions, about a thousand questions
FOLDS = 5


def load_off_topic(split: str, path: Path = OFF_TOPIC) -> list[Question]:
    """The off-topic questions of one split (a benchmark question file of unanswerable questions, which
    `assistant eval --questions evals/offtopic.jsonl` runs as it runs the benchmark)."""
    return [q for q in load_questions(path, split) if not q.answerable]


def entity_questions(chunks: list[Chunk], annotations: Annotations) -> list[str]:
    """Questions about each person and organisation that at least `ENTITY_DOCUMENTS` documents name (their
    entities as the reader's annotations found them), two forms each, the forms taken in turn."""
    documents: dict[str, set[str]] = defaultdict(set)
    kinds: dict[str, str] = {}
    for chunk in chunks:
        for start, end, kind in annotations.entities.get(chunk.chunk_id, ()):
            name = " ".join(re.sub(r"^(the|l[ae']|les)\s*", "", chunk.text[start:end], flags=re.IGNORECASE).split())
            if kind in ENTITY_FORMS and len(name) >= 3:
                documents[name].add(chunk.doc_id)
                kinds.setdefault(name, kind)
    out = []
    for number, name in enumerate(sorted(n for n, docs in documents.items() if len(docs) >= ENTITY_DOCUMENTS)):
        forms = ENTITY_FORMS.get(kinds[name], ENTITY_FORMS["organisation"])
        for turn in range(2):
            form = forms[(number + turn) % len(forms)]
            out.append(form.format(name if turn == 0 else name.lower()))
    return out


def vectors(embedder: Embedder, texts: list[str]) -> np.ndarray:
    return np.array([embedder.embed_query(text) for text in texts], dtype=float).reshape(len(texts), embedder.dim)


def fit_topic(on_topic: np.ndarray, off_topic: np.ndarray) -> Linear:
    """The topic model on query vectors (rows), on-topic = 1, classes weighed equally."""
    from sklearn.linear_model import LogisticRegression

    x = np.vstack([on_topic, off_topic])
    y = np.r_[np.ones(len(on_topic)), np.zeros(len(off_topic))]
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=TOPIC_C, max_iter=3000, class_weight="balanced").fit(clipped((x - mean) / scale), y)
    names = tuple(f"v{i}" for i in range(x.shape[1]))
    return Linear(names, mean, scale, model.coef_[0], float(model.intercept_[0]))


def cross_validated(on_topic: np.ndarray, off_topic: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each question's log-odds under a model fitted without it (folds over both classes): (on-topic ones,
    off-topic ones)."""
    on_out, off_out = np.zeros(len(on_topic)), np.zeros(len(off_topic))
    on_fold = np.arange(len(on_topic)) % FOLDS
    off_fold = np.arange(len(off_topic)) % FOLDS
    for fold in range(FOLDS):
        model = fit_topic(on_topic[on_fold != fold], off_topic[off_fold != fold])
        on_out[on_fold == fold] = model.log_odds(on_topic[on_fold == fold])
        off_out[off_fold == fold] = model.log_odds(off_topic[off_fold == fold])
    return on_out, off_out


def accuracy(model: Linear, on_topic: np.ndarray, off_topic: np.ndarray) -> dict[str, float]:
    """Share of each class on the right side of even odds."""
    return {"on_topic_kept": float((model.log_odds(on_topic) > 0).mean()) if len(on_topic) else None,
            "off_topic_caught": float((model.log_odds(off_topic) < 0).mean()) if len(off_topic) else None}
