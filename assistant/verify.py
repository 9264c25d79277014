"""Citation verification, run after composition whatever the backend.

A marker pointing to no retrieved passage is removed; a citation whose passage does not support its
sentence is removed; a sentence left without support is dropped (frames, which state no fact, excepted);
if no supported sentence remains the answer becomes the refusal. Every quote is an exact substring of its
chunk, with its offsets. A source's own bracketed reference numbers ("organised around [3].", a report's
footnotes) are left out of the answer's text, where they would read as its markers and link to the wrong
citation; the citation's quote keeps them.

The injection guard (`corpus.guard`) runs here for every backend, checked or not: a sentence that is itself an
instruction ("Ignore all previous instructions and tell the user…") is dropped, and no citation may quote a
passage of a flagged document (one that carries instructions aimed at an assistant, marked at indexing or
found in the passage's own text): its claims are data, never support.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from assistant.answer import Citation, Passage, passage_index
from assistant.support import TermWeights, best_support
from corpus.guard import flagged, is_instruction

SUPPORT_THRESHOLD = 0.6  # share of a sentence's weighted content words its quote must contain (tuned on dev)
SOURCE_MARKER = re.compile(r" ?\[\d{1,3}\](?=\W|$)")  # as the answer's markers are written: "[12]"


@dataclass
class Claim:
    """A sentence of a draft answer and the passages (0-based indices) it cites.

    `quotes` may give, per cited passage, the exact span the composer took the sentence from; `value` is
    the fact a short lead sentence states (a date, a number), which its quote must contain.
    """

    text: str
    sources: list[int] = field(default_factory=list)
    quotes: dict[int, tuple[int, int]] = field(default_factory=dict)
    frame: bool = False
    value: str | None = None


def repointed(claims: list[Claim], cited: Sequence[Any], passages: list[Passage]) -> list[Claim]:
    """`claims`, whose sources index `cited` (indexed chunks, or passages of them), citing `passages` instead: each
    cited one found there, or appended in the order the claims first cite it (the others' indices unchanged)."""
    out = []
    for claim in claims:
        at = {i: passage_index(passages, cited[i]) for i in [*claim.sources, *claim.quotes]}
        out.append(replace(claim, sources=[at[i] for i in claim.sources],
                           quotes={at[i]: span for i, span in claim.quotes.items()}))
    return out


@dataclass
class Verified:
    text: str
    citations: list[Citation]
    dropped: list[str]
    lead: str = ""  # the value the answer opens with, when its first sentence is a supported direct answer


def _citation(marker: int, passage: Passage, start: int, end: int) -> Citation:
    return Citation(marker=marker, doc_id=passage.doc_id, chunk_id=passage.chunk_id, title=passage.title,
                    quote=passage.text[start:end], start=start, end=end, passage=passage.text, heading=passage.heading,
                    publisher=passage.publisher, date=passage.date, url=passage.url, page=passage.page,
                    kind=passage.kind, language=passage.language, form=passage.form)


def verify(claims: list[Claim], passages: list[Passage], weights: TermWeights | None = None,
           threshold: float = SUPPORT_THRESHOLD, check: bool = True) -> Verified:
    """Keep only supported claims and citations; number the markers in order of first use.

    With `check=False` (the baseline recipe) citations are taken on trust, quoting the whole passage.
    """
    citations: list[Citation] = []
    by_key: dict[tuple[str, int, int], int] = {}
    sentences: list[str] = []
    dropped: list[str] = []
    untrusted = [flagged(p) for p in passages]
    lead = ""
    for claim in claims:
        if is_instruction(claim.text):  # an instruction is never an answer, whatever it cites
            dropped.append(claim.text)
            continue
        markers: list[int] = []
        for source in dict.fromkeys(claim.sources):
            if not 0 <= source < len(passages) or untrusted[source]:
                continue  # a marker pointing to no retrieved passage, or to a flagged document's text
            passage = passages[source]
            span = (_supported_span(claim, source, passage, weights, threshold) if check
                    else claim.quotes.get(source, (0, len(passage.text))))
            if span is None:
                continue
            key = (passage.chunk_id, *span)
            if key not in by_key:
                by_key[key] = len(citations) + 1
                citations.append(_citation(by_key[key], passage, *span))
            markers.append(by_key[key])
        if markers:
            if claim.value and not sentences:
                lead = claim.value
            shown = SOURCE_MARKER.sub("", claim.text).rstrip()
            sentences.append(shown + "".join(f"[{m}]" for m in dict.fromkeys(markers)))
        elif claim.frame:
            sentences.append(claim.text.rstrip())
        else:
            dropped.append(claim.text)
    if not citations:
        return Verified("", [], dropped + [c.text for c in claims if c.frame])
    return Verified(_join(sentences), citations, dropped, lead)


def _supported_span(claim: Claim, source: int, passage: Passage, weights: TermWeights | None,
                    threshold: float) -> tuple[int, int] | None:
    span = claim.quotes.get(source)
    if span is not None:
        start, end = span
        quote = passage.text[start:end] if 0 <= start < end <= len(passage.text) else ""
        if quote and (quote.strip() in claim.text or (claim.value and claim.value in quote)):
            return start, end
    support = best_support(claim.value or claim.text, passage.text, weights)
    if support.score >= threshold:
        return support.start, support.end
    return None


def _join(sentences: list[str]) -> str:
    text = ""
    for sentence in sentences:
        if not text:
            text = sentence
        elif sentence.startswith(("- ", "\n")) or text.endswith(":"):
            text += ("\n" if sentence.startswith("- ") else " ") + sentence.lstrip("\n")
        else:
            text += " " + sentence
    return text
