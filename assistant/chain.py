"""The answer chain (LCEL): question + history -> standalone query -> retrieval -> composition ->
citation verification -> `Answer`. One `Assistant` serves the CLI, the chat page, briefings and evals.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from langchain_core.runnables import RunnableLambda

from assistant import contradictions
from assistant.answer import Answer, Passage
from assistant.answerability import is_injection
from assistant.followup import elliptic, needs_context, standalone_question
from assistant.language import detect_language, language_probability
from assistant.outline import Outline
from assistant.presets import PRESETS, Preset
from assistant.prompts import (
    EMPTY_QUESTION,
    FALLBACK_NOTICE,
    INJECTION_NOTICE,
    READ_AS,
    REFUSAL,
    REFUSAL_REASONS,
    TOO_LONG,
    UNVERIFIED_NOTICE,
)
from assistant.reading.annotations import Annotations
from assistant.reading.questions import as_searched, without_style
from assistant.reading.reader import Reader, Reading
from assistant.reading.scorer import ReaderModel
from assistant.reading.vectors import SentenceVectors
from assistant.registry.answer import Registry, answer_registry, with_listings
from assistant.service import Services
from assistant.spelling import Spelling, written_out
from assistant.support import TermWeights
from assistant.verify import Claim, verify
from corpus.errors import BackendError, QuestionError
from index.filters import Filters
from index.retriever import Hit

log = logging.getLogger(__name__)
CONTROL = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # terminal escapes, controls
RELATED = 3  # documents a refusal offers to read
SURE_LANGUAGE = 0.9  # how sure the identifier must be of an elliptic follow-up's language to switch languages


@dataclass
class Turn:
    """The state passed between the chain's stages."""

    question: str  # as read: without control characters, its typos corrected
    history: list[str]
    filters: Filters | None
    backend: str
    language: str = "en"
    standalone: str = ""
    hits: list[Hit] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    reading: Reading | None = None
    claims: list[Claim] = field(default_factory=list)
    answer: Answer | None = None
    notice: str = ""
    llm_error: BackendError | None = None  # the LLM already failed in this turn: do not wait for it twice
    timings: dict[str, float] = field(default_factory=dict)
    typed: str = ""  # the question as the asker typed it
    corrected: list[tuple[str, str]] = field(default_factory=list)  # (typed, meant) for each typo corrected


def clean_question(question: str, limit: int) -> tuple[str, str]:
    """The question without control characters, and its language; QuestionError when empty or too long."""
    text = CONTROL.sub(" ", question or "").strip()
    head = text[:2000]
    language = detect_language(head)
    if language == "en" and (french := written_out(head, "fr")) != head:
        language = detect_language(french)  # French chat shorthand says more once written out ("c koi le hack back")
    if not text:
        raise QuestionError(EMPTY_QUESTION[language], hint="")
    if len(text) > limit:
        raise QuestionError(TOO_LONG[language].format(length=len(text), limit=limit), hint="")
    return text, language


def passages_from(hits: list[Hit]) -> list[Passage]:
    return [Passage.from_metadata(h.rank, h.chunk.chunk_id, h.chunk.text, h.score, h.chunk.metadata) for h in hits]


class Assistant:
    """Answers questions from the index; `backend` is extractive, openai or ollama."""

    def __init__(self, services: Services, backend: str | None = None, preset: Preset | None = None,
                 reader_model: ReaderModel | None = None) -> None:
        self.services = services
        self.settings = services.settings
        self.backend = backend or self.settings.backend
        self.preset = preset or PRESETS["full"]
        self._reader_model = reader_model
        self.chain = (RunnableLambda(self._prepare, name="condense") | RunnableLambda(self._retrieve, name="retrieve")
                      | RunnableLambda(self._read, name="read") | RunnableLambda(self._compose, name="compose")
                      | RunnableLambda(self._verify, name="verify"))

    @cached_property
    def weights(self) -> TermWeights:
        return TermWeights.cached(self.settings.reading_dir / "weights.json", self.services.snapshot.chunks)

    @cached_property
    def registry(self) -> Registry:
        return Registry(self.services.snapshot.chunks)

    @cached_property
    def outline(self) -> Outline:
        return Outline(self.services.snapshot.chunks)

    @cached_property
    def spelling(self) -> Spelling:
        return Spelling.cached(self.settings.reading_dir / "spelling.json", self.services.snapshot.chunks)

    @cached_property
    def reader(self) -> Reader:
        folder = self.settings.reading_dir
        vectors = (SentenceVectors(self.services.embedder, folder / "sentences.npz")
                   if self.settings.sentence_vectors else None)
        model = (self._reader_model or ReaderModel.load(self.settings.reader_model)).for_embedder(
            self.services.embedder.name).for_collection(self.services.searcher.prose_passages)
        return Reader(self.weights, Annotations.load(folder / "entities.json"), model, vectors, self.latest_year,
                      self.services.snapshot.beside)

    def read(self, turn: Turn) -> Reading:
        """The reader's view of the retrieved passages (scored sentences, answerability)."""
        if turn.reading is None:
            dense = [h.dense for h in turn.hits] if turn.hits else None
            clarity = self.services.searcher.clarity(turn.standalone)
            turn.reading = self.reader.read(turn.standalone, turn.language, turn.passages, dense,
                                            asked=turn.question, clarity=clarity)
        return turn.reading

    def save_reader_cache(self) -> None:
        if self.reader.vectors is not None:
            self.reader.vectors.save()

    def llm(self, backend: str):
        from assistant.llm import LLMBackend, chat_model

        cache = self.__dict__.setdefault("_llms", {})
        if backend not in cache:
            cache[backend] = LLMBackend(chat_model(self.settings, backend), backend)
        return cache[backend]

    def warm_up(self) -> None:
        """Load the model, the index and the term weights now rather than on the first question."""
        self.services.searcher.search("Paris Call", 1)
        _ = self.weights, self.registry, self.reader
        from assistant import followup

        followup.warm_up()  # spaCy's pipelines, which read a follow-up's structure

    # -- the public face ------------------------------------------------------------------------------
    def ask(self, question: str, history: list[str] | None = None, filters: Filters | None = None,
            backend: str | None = None) -> Answer:
        started = time.perf_counter()
        turn = Turn(question, list(history or []), filters, backend or self.backend)
        turn = self.chain.invoke(turn)
        assert turn.answer is not None
        turn.answer.timings["total_ms"] = (time.perf_counter() - started) * 1000
        return turn.answer

    def stream(self, question: str, history: list[str] | None = None, filters: Filters | None = None,
               backend: str | None = None) -> Iterator[str | Answer]:
        """Text as it is produced (a draft for LLM backends), then the verified `Answer`."""
        backend = backend or self.backend
        if backend == "extractive":
            answer = self.ask(question, history, filters, backend)
            words = re.split(r"(\s+)", answer.text)
            for i in range(0, len(words), 6):
                yield "".join(words[i:i + 6])
            yield answer
            return
        started = time.perf_counter()
        turn = self._read(self._retrieve(self._prepare(Turn(question, list(history or []), filters, backend))))
        draft: list[str] = []
        if turn.answer is None and turn.passages and turn.backend != "registry" and turn.llm_error:
            self._fall_back(turn, turn.llm_error)
        elif turn.answer is None and turn.passages and turn.backend != "registry":
            try:
                for token in self.llm(backend).stream(turn.standalone, turn.language, turn.passages):
                    if not draft:
                        turn.timings["first_token_ms"] = (time.perf_counter() - started) * 1000
                    draft.append(token)
                    yield token
                from assistant.llm import is_refusal, parse_claims

                text = "".join(draft)
                turn.claims = [] if is_refusal(text) else parse_claims(text)
                turn.timings["compose_ms"] = (time.perf_counter() - started) * 1000
            except BackendError as err:
                self._fall_back(turn, err)
        answer = self._verify(turn).answer
        assert answer is not None
        answer.timings["total_ms"] = (time.perf_counter() - started) * 1000
        yield answer

    # -- stages ---------------------------------------------------------------------------------------
    def _timed(self, turn: Turn, stage: str, started: float) -> None:
        turn.timings[f"{stage}_ms"] = (time.perf_counter() - started) * 1000

    def _prepare(self, turn: Turn) -> Turn:
        started = time.perf_counter()
        turn.typed, turn.language = clean_question(turn.question, self.settings.max_question_chars)
        asked = [clean_question(h, 10 * self.settings.max_question_chars) for h in turn.history if h.strip()]
        turn.history = [text for text, _ in asked]
        if (asked and asked[-1][1] != turn.language and elliptic(turn.typed)
                and language_probability(written_out(turn.typed, turn.language), turn.language) < SURE_LANGUAGE):
            turn.language = asked[-1][1]  # "and japan?" after "is russia a signatory": too short to tell; as before
        turn.question, turn.corrected = (self.spelling.correct(turn.typed, turn.language)
                                         if self.settings.correct_typos else (turn.typed, []))
        subject = self.settings.subject_fr if turn.language == "fr" else self.settings.subject
        turn.standalone = (standalone_question(turn.question, turn.history, subject) if self.preset.followups
                           else turn.question)
        turn.standalone = without_style(turn.standalone)  # "in simple words", "stp": how to answer, not what
        if self.preset.refuse and is_injection(turn.question):
            turn.answer = self._refusal(turn, notice=INJECTION_NOTICE[turn.language])
        if turn.backend != "extractive" and turn.history and turn.standalone != turn.question:
            try:
                turn.standalone = self.llm(turn.backend).condense(turn.question, turn.history)
            except BackendError as err:
                log.warning("condense failed, using the heuristic query: %s", err)
                turn.llm_error = err
        self._timed(turn, "condense", started)
        return turn

    def _retrieve(self, turn: Turn) -> Turn:
        if turn.answer is not None:
            return turn
        started = time.perf_counter()
        registry = (answer_registry(turn.question, turn.language, self.registry,
                                    turn.history if self.preset.followups else [])
                    if self.preset.registry else None)
        if registry is not None:  # answered from the registry's rows and count tables, cited and verified
            related = [] if registry.chunks else passages_from(  # nothing cited ("not listed"): offer passages
                self.services.searcher.search(turn.standalone, self.settings.retrieve_k, turn.filters))
            turn.answer = registry.answer(turn.question, turn.standalone, turn.language, related, self.weights)
            turn.passages = turn.answer.passages
            turn.backend = "registry"
            self._timed(turn, "retrieve", started)
            return turn
        follows = bool(turn.history) and needs_context(turn.question)  # "et il fait quoi pour le principe 2 ?"
        listed = (self.outline.answer(turn.question, turn.language, self.reader.annotations.stop_words, follows)
                  if self.preset.composer == "answer" else None)
        if listed is not None:  # "what are the 9 principles": every one, in order, from the document listing them
            turn.passages, claims = listed  # a language model composes from the same passages
            turn.claims = claims if turn.backend == "extractive" else []
            self._timed(turn, "retrieve", started)
            return turn
        turn.hits = self.services.searcher.search(as_searched(turn.standalone),  # "what year" searched as "when"
                                                  self.preset.k or self.settings.retrieve_k, turn.filters,
                                                  self.preset.search)
        turn.passages = passages_from(turn.hits)
        self._timed(turn, "retrieve", started)
        if not turn.passages:
            turn.answer = self._refusal(turn)
        return turn

    def _read(self, turn: Turn) -> Turn:
        """Score the passages' sentences; refuse when the calibrated answerability score is too low."""
        if (turn.answer is not None or turn.backend == "registry" or turn.claims
                or self.preset.composer == "top-passage"):
            return turn
        started = time.perf_counter()
        reading = self.read(turn)
        self._timed(turn, "read", started)
        if self.preset.refuse and not reading.answerable:
            reason = REFUSAL_REASONS[turn.language].get(reading.reason, "").format(latest_year=self.latest_year)
            turn.answer = self._refusal(turn, notice=" ".join(part for part in (turn.notice, reason) if part))
        return turn

    @cached_property
    def latest_year(self) -> int:
        years = [int(d["date"][:4]) for d in self.services.snapshot.documents.values() if d.get("date")]
        return max(years, default=9999)

    def _compose(self, turn: Turn) -> Turn:
        if turn.answer is not None or turn.backend == "registry" or turn.claims:  # already composed (an outline)
            return turn
        started = time.perf_counter()
        if self.preset.composer == "top-passage":
            top = turn.passages[0]
            turn.claims = [Claim(top.text, [0], {0: (0, len(top.text))})]
        elif turn.backend == "extractive":
            turn.claims = self.reader.compose(self.read(turn), turn.passages)
        else:
            from assistant.llm import is_refusal, parse_claims

            try:
                if turn.llm_error is not None:
                    raise turn.llm_error
                draft = self.llm(turn.backend).draft(turn.standalone, turn.language, turn.passages)
                turn.claims = [] if is_refusal(draft) else parse_claims(draft)
            except BackendError as err:
                self._fall_back(turn, err)
        if self.preset.registry:  # "...and in which category is it in the registry?": the registry's part
            turn.claims, turn.passages = with_listings(turn.standalone, turn.language, self.registry, turn.claims,
                                                       turn.passages)
        self._timed(turn, "compose", started)
        return turn

    def _fall_back(self, turn: Turn, err: BackendError) -> None:
        log.warning("answer backend failed, falling back to extractive: %s", err)
        turn.notice = FALLBACK_NOTICE[turn.language].format(reason=err.message)
        turn.backend = "extractive"
        turn.claims = self.reader.compose(self.read(turn), turn.passages)

    def _verify(self, turn: Turn) -> Turn:
        """The answer from the verified claims (or the one an earlier stage made), saying what was read for a
        typo."""
        turn = self._verified(turn)
        assert turn.answer is not None
        turn.answer.question = turn.typed or turn.answer.question  # the asker's own words
        said = " ".join(READ_AS[turn.language].format(typed=typed, meant=meant) for typed, meant in turn.corrected)
        if said:
            turn.answer.notice = f"{said} {turn.answer.notice}".strip()
        return turn

    def _verified(self, turn: Turn) -> Turn:
        if turn.answer is not None:
            turn.answer.timings.update(turn.timings)
            return turn
        started = time.perf_counter()
        if self.preset.verify and turn.claims:  # a claim the registry contradicts: the answer says so
            turn.claims, turn.passages = contradictions.check(turn.standalone, turn.language, turn.claims,
                                                              turn.passages, self.registry, self.weights)
        verified = verify(turn.claims, turn.passages, self.weights, check=self.preset.verify)
        if not verified.citations and turn.backend not in ("extractive", "registry") and turn.claims:
            turn.notice = UNVERIFIED_NOTICE[turn.language]  # nothing the model wrote was supported: refuse, say why
        self._timed(turn, "verify", started)
        if not verified.citations:
            turn.answer = self._refusal(turn)
            return turn
        turn.answer = Answer(question=turn.question, standalone_question=turn.standalone, language=turn.language,
                             text=verified.text, lead=verified.lead, citations=verified.citations,
                             passages=turn.passages, backend=turn.backend, notice=turn.notice, timings=turn.timings)
        return turn

    def _refusal(self, turn: Turn, notice: str = "") -> Answer:
        return Answer(question=turn.question, standalone_question=turn.standalone, language=turn.language,
                      text=REFUSAL[turn.language], refused=True, passages=turn.passages,
                      related=one_per_document(turn.passages)[:RELATED], backend=turn.backend,
                      notice=notice or turn.notice,
                      timings=turn.timings)


def one_per_document(passages: list[Passage]) -> list[Passage]:
    """The passages in order, each document's best only: a refusal offers documents to read, not three rows of the
    registry under one title."""
    seen: set[str] = set()
    return [p for p in passages if not (p.doc_id in seen or seen.add(p.doc_id))]


def answer_to_dict(answer: Answer) -> dict[str, Any]:
    return answer.model_dump(mode="json")
