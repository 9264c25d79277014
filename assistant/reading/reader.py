"""The reader: features -> scorer -> composer, and the decision to refuse.

`Reader.read` turns a question and its retrieved passages into scored candidate sentences and one
answerability probability; `Reader.compose` turns a reading into draft claims for verification. The chain,
briefings and the fitting script (`evals/fit_reader.py`) all read through this one class, so what is
fitted is exactly what runs.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from assistant.answer import Passage
from assistant.reading.annotations import Annotations
from assistant.reading.composer import compose
from assistant.reading.features import (
    READ_PASSAGES,
    WHOLE_DOCUMENT_CHUNKS,
    WHOLE_DOCUMENT_PASSAGES,
    Candidate,
    Edge,
    add_relative,
    candidates,
    quotable_sentences,
)
from assistant.reading.questions import DEPARTURE, YEAR, Question, concept_tokens
from assistant.reading.scorer import ReaderModel, answerability_signals
from assistant.reading.vectors import SentenceVectors
from assistant.spelling import Spelling
from assistant.support import TermWeights, coverage, quote_tokens
from assistant.verify import Claim, repointed
from index.chunking import Chunk
from index.embedders import Embedder
from index.glossary import fold, numbered_parts, translations
from index.lexical import tokenize

SIGNAL_PASSAGES = 5  # passages whose text a year of the question is looked for in (3 and 8 measured worse)
# The sentences closest in meaning to the question whose words `closest_missing` looks for: the cross-validated
# refusal recall on dev at 5% false refusals went 0.513 -> 0.543 at 2 and 3, 0.548 at 5, 0.548 at 8, 0.543 at 12.
CLOSEST_SENTENCES = 5
# "who is henri verdier", "whos symone sanders", "c'est qui dominic leblanc" (on the folded question): who someone is,
# and what else is asked of them ("whos le drian and what did he have to do with the call", "c'est qui verdier, il fait quoi")
IDENTITY = re.compile(r"^(?:who\s+(?:is|was)|who'?s|qui\s+(?:est|etait)|c'?\s?(?:est|etait)\s+qui|c\s+qui)\s+"
                      r"(?P<name>[^?,]+?)\s*(?:(?:,|\band\b|\bet\b)[^?]*)?\??$")
Beside = Callable[[str], tuple[Chunk | None, Chunk | None]]  # a chunk id -> the chunks before and after it


@dataclass
class Reading:
    """What the reader found for one question."""

    question: Question
    candidates: list[Candidate]
    passages: list[Passage] = field(default_factory=list)  # what the candidates point into: the retrieved
    # passages, then the chunks beside them whose boundary sentences were read
    signals: dict[str, float] = field(default_factory=dict)
    passage_signals: dict[str, float] = field(default_factory=dict)
    probability: float = 0.0  # that the passages answer the question
    answerable: bool = False
    reason: str = ""  # why not ("after-corpus", "unknown-words", "unknown-part", "no-departure",
    # "off-topic", "low-score", "no-sentence")

    @property
    def best(self) -> list[Candidate]:
        return sorted(self.candidates, key=lambda c: c.score, reverse=True)


class Reader:
    def __init__(self, weights: TermWeights, annotations: Annotations, model: ReaderModel,
                 vectors: SentenceVectors | None = None, latest_year: int = 9999, beside: Beside | None = None
                 ) -> None:
        """`beside`: where each indexed chunk's neighbours are (`index.snapshot.Snapshot.beside`); without it, only
        the retrieved passages are read."""
        self.weights = weights
        self.annotations = annotations
        self.model = model
        self.vectors = vectors
        self.latest_year = latest_year
        self.beside = beside

    def read(self, text: str, language: str, passages: list[Passage],
             dense: list[float | None] | None = None, asked: str | None = None,
             clarity: dict[str, float] | None = None) -> Reading:
        """`asked`: the asker's own words when `text` is a follow-up completed from its conversation;
        `clarity`: how clearly the whole collection answers `text` (`index.clarity`), beside what its top
        passages hold."""
        question = Question.of(text, language, asked)
        identity = question.kind == "person" and self.asks_who_someone_is(question, passages)
        if identity:  # what the sources say of them answers, and they name them: no other name is asked for
            question = replace(question, kind="definition")
        edges = self.edges(passages)
        found = candidates(question, passages, self.weights, self.annotations, dense, edges)
        if self.vectors is not None and found:
            similarities = self.vectors.similarities(text, [c.text for c in found])
            for candidate, similarity in zip(found, similarities, strict=True):
                candidate.features["sentence_dense"] = float(similarity)
        add_relative(found)
        self.model.score(found)
        reading = Reading(question, found, passages + [edge.passage for edge in edges])
        reading.passage_signals = {**self.passage_signals(question, passages, dense), **(clarity or {}),
                                   "closest_missing": self.closest_missing(question, found)}
        if self.vectors is not None and self.model.topic is not None:
            reading.passage_signals["topical"] = self.model.topicality(self.vectors.query(text))
        reading.signals = answerability_signals(found, question, reading.passage_signals)
        reading.probability = self.model.answerability(reading.signals)
        if any(int(year) > self.latest_year for year in YEAR.findall(text)):
            reading.reason = "after-corpus"  # true by construction: no document can know
        elif self.names_nothing_indexed(question):
            reading.reason = "unknown-words"  # likewise: no document speaks of anything it names
        elif self.names_unknown_part(question):
            reading.reason = "unknown-part"  # likewise: no document names the working group or principle it asks about
        elif question.departure and not any(DEPARTURE.search(fold(p.text)) for p in reading.passages):
            reading.reason = "no-departure"  # likewise: no passage read reports anyone leaving, so none says why or when
        elif reading.passage_signals.get("topical", 0.0) < self.model.topic_floor:
            reading.reason = "off-topic"  # less about the collection than the answerable questions fitted on
        elif not found:
            reading.reason = "no-sentence"
        elif reading.probability < self.model.threshold_for(question.language) and not identity:
            reading.reason = "low-score"
        reading.answerable = not reading.reason
        return reading

    def compose(self, reading: Reading, passages: list[Passage]) -> list[Claim]:
        """The draft claims, citing `passages`: a chunk beside them that a claim quotes is added to them."""
        read = reading.passages or passages
        return repointed(compose(reading.question, reading.candidates, read, self.annotations), read, passages)

    def edges(self, passages: list[Passage]) -> list[Edge]:
        """The chunks not retrieved themselves that are read with the passages: every chunk of a short document
        one of the best passages comes from (`WHOLE_DOCUMENT_PASSAGES`), then beside each passage read
        (`READ_PASSAGES`) the next chunk, whose first sentence is read, and the one before, whose last is (prose
        only: not a registry row or a count table; `features.Edge`)."""
        if self.beside is None:
            return []
        taken = {p.chunk_id for p in passages}
        out = []
        for parent, passage in enumerate(passages[:WHOLE_DOCUMENT_PASSAGES]):
            for chunk in self.short_document(passage.chunk_id):
                if chunk.chunk_id not in taken and _prose(chunk):
                    taken.add(chunk.chunk_id)
                    out.append(Edge(_passage(chunk), parent, after=True, whole=True))
        for parent, passage in enumerate(passages[:READ_PASSAGES]):
            before, after = self.beside(passage.chunk_id)
            for chunk, is_after in ((after, True), (before, False)):
                if chunk is not None and chunk.chunk_id not in taken and _prose(chunk):
                    out.append(Edge(_passage(chunk), parent, is_after))
        return out

    def short_document(self, chunk_id: str) -> list[Chunk]:
        """The other chunks of this chunk's document, in order, when it has at most `WHOLE_DOCUMENT_CHUNKS`."""
        found: list[Chunk] = []
        if self.beside is None:
            return found
        for step in (0, 1):  # the chunks before it, then those after it
            current = chunk_id
            while len(found) < WHOLE_DOCUMENT_CHUNKS:
                neighbour = self.beside(current)[step]
                if neighbour is None:
                    break
                found.insert(len(found) if step else 0, neighbour)
                current = neighbour.chunk_id
        return found if len(found) < WHOLE_DOCUMENT_CHUNKS else []

    def asks_who_someone_is(self, question: Question, passages: list[Passage]) -> bool:
        """The question asks who a person that the passages read name is ("who is henri verdier", "c'est qui
        dominic leblanc"): what the sources say of them answers it (a definition), not another person's name,
        which is what "who is the french ambassador" asks for."""
        found = IDENTITY.match(question.folded.strip())
        return found is not None and any(self.names_person(found.group("name"), p) for p in passages[:READ_PASSAGES])

    def names_person(self, name: str, passage: Passage) -> bool:
        """`passage` names the person `name` (folded, in full or by the last part of their name): as the tagger
        found it, or written as a name, every word capitalised ("Symone Sanders", which the tagger missed)."""
        spans = self.annotations.spans_between(passage.chunk_id, passage.text, 0, len(passage.text), "person")
        if any((named := fold(passage.text[start:end])) == name or named.endswith(f" {name}") for start, end in spans):
            return True
        folded = fold(passage.text)
        if len(folded) != len(passage.text):  # a letter folded away: offsets no longer match the text's
            return False
        starts = [0] + [i + 1 for i, c in enumerate(name) if c == " "]
        return any(all(passage.text[found.start() + i].isupper() for i in starts)
                   for found in re.finditer(rf"\b{re.escape(name)}\b", folded))

    def content_tokens(self, question: Question) -> list[str]:
        """The question's tokens without its stop words ("c'est quoi", "what did ... say", "selon"): what
        the passages should hold (all its tokens when it has nothing else, or no stop words are known). A
        phrase or word naming a concept counts as the concept ("what's wrong with it": "=criticism", not "wrong")."""
        return concept_tokens(question.text, self.annotations.stop_words) or question.tokens

    def names_nothing_indexed(self, question: Question) -> bool:
        """No word the question names (stop words aside), nor the glossary's translation of one, is in any
        indexed passage ("quelle est la recette de la tarte tatin"): the sources cannot be about it. Over
        the 721 benchmark questions this holds for 10, all off-topic."""
        words = set(self.content_tokens(question)) | set(tokenize(translations(question.text)))
        return bool(words) and not any(word in self.weights.frequency for word in words)

    def names_unknown_part(self, question: Question) -> bool:
        """The question names a working group or principle by number that no indexed passage names ("who chairs
        wg 2" where the reports are those of working groups 3 to 6, "principle 14" of nine): what it asks about
        is not in the sources. Over the 1,452 benchmark and off-topic questions this holds for 7, all
        unanswerable."""
        return any(part not in self.weights.frequency for part in numbered_parts(question.text))

    def passage_signals(self, question: Question, passages: list[Passage],
                        dense: list[float | None] | None) -> dict[str, float]:
        """What the top passages hold of the question: vector similarity of the best one, weighted coverage
        of the question by the top three, the heaviest content word of the question they all lack, the share
        of its content words' weight on words no indexed passage contains (and its square: one unknown word
        in four is common in an informal question, a question mostly of unknown words is off-topic), whether
        it names a year that none of the top five passages gives (a premise the sources do not share: "why
        did Obama launch it in 2016"), and the share of the top three in another language than the
        question's (their words match the question's less: a French question over English passages covers
        less of itself)."""
        top = passages[:3]
        union: set[str] = set()
        for passage in top:
            union |= quote_tokens(passage.text) | set(tokenize(f"{passage.title} {passage.heading or ''}"))
        unique = dict.fromkeys(self.content_tokens(question))  # in order, so sums are the same in every run
        weigh = self.weights.weight
        total = sum(weigh(t) for t in unique) or 1.0
        unknown = sum(weigh(t) for t in unique if t not in self.weights.frequency) / total
        return {"passage_dense": max((d or 0.0 for d in (dense or [])), default=0.0),
                "passage_coverage": coverage(question.tokens, union, self.weights),
                "unknown_words": unknown,
                "unknown_squared": unknown ** 2,
                "missing_weight": max((weigh(t) for t in unique if t not in union), default=0.0)
                / self.weights.max_weight,
                "year_absent": float(any(all(year not in p.text for p in passages[:SIGNAL_PASSAGES])
                                         for year in YEAR.findall(question.text))),
                "cross_language": sum((p.language or question.language) != question.language for p in top)
                / max(1, len(top))}

    def closest_missing(self, question: Question, found: list[Candidate]) -> float:
        """The heaviest content word of the question that none of the `CLOSEST_SENTENCES` sentences closest to it in
        meaning holds, as a share of the heaviest weight a word of the collection has: a question whose nearest
        sentences all lack what it turns on ("what is the annual budget of the linux foundation", "which country
        was suspended first") is one the sources speak around, not one they answer. It does not depend on the
        reader's scores."""
        closest = sorted(found, key=lambda c: c.features.get("sentence_dense", 0.0), reverse=True)[:CLOSEST_SENTENCES]
        held = set().union(*(c.tokens for c in closest))
        missing = [self.weights.weight(t) for t in dict.fromkeys(self.content_tokens(question)) if t not in held]
        return max(missing, default=0.0) / self.weights.max_weight


def _prose(chunk: Chunk) -> bool:
    """Whether a chunk is read as text: not a registry row, nor a count table computed from one."""
    return chunk.embedded and chunk.metadata.get("kind") != "registry"


def _passage(chunk: Chunk) -> Passage:
    """An indexed chunk as a passage to read (no rank, no retrieval score)."""
    return Passage.from_metadata(0, chunk.chunk_id, chunk.text, 0.0, chunk.metadata)


def prepare_reading(folder: Path, chunks: list[Chunk], embedder: Embedder | None) -> tuple[int, int]:
    """Annotate the indexed passages the reader has not seen yet, and embed their quotable sentences (run by
    `assistant index`, so that answering embeds nothing but the question), with the term weights and the
    typos of the collection's words (`assistant.spelling`). Returns (chunks annotated, sentences embedded)."""
    TermWeights.cached(folder / "weights.json", chunks)
    Spelling.cached(folder / "spelling.json", chunks)
    annotations = Annotations.load(folder / "entities.json")
    annotated = annotations.update(chunks)
    if embedder is None:
        return annotated, 0
    sentences = [text for chunk in chunks if chunk.metadata.get("kind") != "registry"
                 for text in quotable_sentences(_passage(chunk))]
    vectors = SentenceVectors(embedder, folder / "sentences.npz")
    embedded = vectors.ensure(sentences)
    vectors.save(keep=sentences)
    return annotated, embedded
