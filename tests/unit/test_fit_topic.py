"""The topic model: fitted on query vectors, given to the reader as a signal and as a floor, and its data."""

from __future__ import annotations

import numpy as np

from assistant.answer import Passage
from assistant.reading.annotations import Annotations
from assistant.reading.reader import Reader
from assistant.reading.scorer import TOPICAL_LIMIT, Linear, ReaderModel
from assistant.reading.vectors import SentenceVectors
from assistant.support import TermWeights
from evals.fit_topic import accuracy, cross_validated, entity_questions, fit_topic, load_off_topic
from evals.questions import load_questions
from index.embedders import HashEmbedder
from tests.unit.conftest import fake_reader_model

LAUNCH = "The Paris Call for Trust and Security in Cyberspace was launched by Emmanuel Macron on 12 November 2018."


def _clusters(seed: int = 0, n: int = 60, dim: int = 16) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    centre = np.zeros(dim)
    centre[0] = 1.0
    return rng.normal(centre, 0.6, (n, dim)), rng.normal(-centre, 0.6, (n, dim))


def test_the_topic_model_separates_what_it_was_fitted_on_and_held_out_questions() -> None:
    on, off = _clusters()
    model = fit_topic(on, off)
    assert model.features[:2] == ("v0", "v1") and len(model.coef) == on.shape[1]
    fitted = accuracy(model, on, off)
    assert fitted["on_topic_kept"] > 0.85 and fitted["off_topic_caught"] > 0.85
    held_on, held_off = cross_validated(on, off)
    assert held_on.shape == (len(on),) and held_off.shape == (len(off),)
    assert (held_on > 0).mean() > 0.8 and (held_off < 0).mean() > 0.8
    new_on, new_off = _clusters(seed=1)
    assert accuracy(model, new_on, new_off)["off_topic_caught"] > 0.8


def test_the_off_topic_questions_are_unanswerable_split_and_in_both_languages() -> None:
    dev, test = load_off_topic("dev"), load_off_topic("test")
    assert len(dev) >= 150 and len(test) >= 60
    assert {q.language for q in dev} == {"en", "fr"} == {q.language for q in test}
    assert not {q.question for q in dev} & {q.question for q in test}
    assert all(not q.answerable and q.type == "unanswerable" for q in dev + test)
    benchmark = {q.question.lower() for q in load_questions()}
    assert not benchmark & {q.question.lower() for q in dev + test}


def _topic_reader(tmp_path) -> tuple[Reader, ReaderModel]:
    embedder = HashEmbedder(64)
    model = fake_reader_model()
    model.answerable.intercept = 10.0  # answerable by every other signal: only the topic can refuse
    about = embedder.embed_query("when was the paris call launched by macron")
    model.topic = Linear(tuple(f"v{i}" for i in range(64)), np.zeros(64), np.ones(64), 8.0 * about, -2.0)
    model.topic_floor = -1.0
    weights = TermWeights([LAUNCH, "Security and trust of products and services matter."])
    return Reader(weights, Annotations(tmp_path / "e.json"), model, SentenceVectors(embedder)), model


def test_a_question_less_topical_than_the_floor_is_refused(tmp_path) -> None:
    reader, model = _topic_reader(tmp_path)
    passages = [Passage(rank=1, chunk_id="d#0@x", doc_id="d.md", title="Doc", text=LAUNCH, language="en")]
    about = reader.read("when was the paris call launched", "en", passages)
    assert about.answerable and about.passage_signals["topical"] > 0
    aside = reader.read("do products and services matter", "en", passages)  # words the passages hold
    assert aside.reason == "off-topic" and aside.passage_signals["topical"] == model.topicality(
        reader.vectors.query("do products and services matter"))
    assert -TOPICAL_LIMIT <= aside.passage_signals["topical"] < model.topic_floor


def test_the_topic_model_round_trips_and_is_dropped_for_another_embedder(tmp_path) -> None:
    _, model = _topic_reader(tmp_path)
    model.info["embedder"] = "e5-small"
    path = tmp_path / "model.json"
    model.save(path)
    loaded = ReaderModel.load(path)
    vector = np.linspace(-1, 1, 64)
    assert loaded.topic_floor == -1.0 and loaded.topicality(vector) == model.topicality(vector)
    other = loaded.for_embedder("hash")
    assert other.topic is None and other.topicality(vector) == 0.0 and other.topic_floor == -TOPICAL_LIMIT
    assert loaded.topic is not None  # the loaded model is left as it was
    fake_reader_model().save(path)
    assert ReaderModel.load(path).topic is None  # a model without one reads as before


def test_questions_about_what_the_documents_name_are_on_topic_examples(tmp_path) -> None:
    from index.chunking import Chunk

    text = "Brad Smith of Microsoft spoke. The CyberPeace Institute agreed."
    smith = (text.index("Brad Smith"), text.index("Brad Smith") + 10)
    institute = (text.index("The CyberPeace"), len(text) - 8)
    chunks = [Chunk(f"d{i}#0@x", f"d{i}.md", text, 0, len(text), {"doc_id": f"d{i}.md"}) for i in range(2)]
    chunks.append(Chunk("e#0@x", "e.md", "Jane Roe wrote once.", 0, 20, {"doc_id": "e.md"}))
    entities = {f"d{i}#0@x": [(*smith, "person"), (*institute, "organisation"), (0, 4, "date")] for i in range(2)}
    entities["e#0@x"] = [(0, 8, "person")]
    questions = entity_questions(chunks, Annotations(tmp_path / "e.json", entities))
    # two forms each, in turn, as written then lower-case; "The" dropped; Jane Roe is named by one document only
    assert questions == ["who is Brad Smith", "qui est brad smith", "c'est quoi CyberPeace Institute",
                         "what does cyberpeace institute do"]
