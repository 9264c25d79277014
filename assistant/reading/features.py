"""Reading, stage 1: the candidate sentences of the retrieved passages and what can be measured of each.

A candidate is a verbatim sentence of a retrieved passage (so it is its own exact quote), the boundary
sentence of a chunk beside one in its document (`Edge`: an answer can open the chunk after the one the
question matched), or any sentence of a short document the best passages come from (`WHOLE_DOCUMENT_CHUNKS`).
Its features
describe, against the question: how much of the question it covers by weighted words (and with its
section heading and title), what it adds beyond the question, how well the question's meaning matches
it (e5 vectors, sentence level), whether it holds the kind of answer asked for (a date, a number, a
person, a reason...), and where it comes from (passage rank, vector similarity, kind of document).
The scorer (`assistant.reading.scorer`) turns them into one probability with fitted weights.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from assistant.answer import Passage
from assistant.reading.annotations import Annotations
from assistant.reading.questions import Question
from assistant.reading.values import DATE, counts, new_values
from assistant.support import TermWeights, coverage, quote_tokens
from corpus.guard import flagged, instruction_spans, overlaps
from index.chunking import split_sentences
from index.lexical import tokenize

READ_PASSAGES = 8  # passages whose sentences are read
# Sentences read at the boundary of a read passage's neighbouring chunks (`Edge`): dev accuracy 0.718 -> 0.726 at
# 1 and at 2 (informal dev 0.696 -> 0.713, 3.0 % false refusals at 1 and 3.4 % at 2), 0.726 at 3; edges of all eight
# passages read, rather than the first five, 0.732.
EDGE_SENTENCES = 1
# A short document (a news article, a statement: at most WHOLE_DOCUMENT_CHUNKS chunks) that one of the best
# WHOLE_DOCUMENT_PASSAGES passages comes from is read whole: its answer can stand anywhere in it. Dev
# accuracy / refusal recall / false refusals 0.661 / 0.663 / 4.4 % -> 0.663 / 0.678 / 4.4 %, informal dev
# 0.630 / 0.670 / 5.0 % -> 0.643 / 0.700 / 5.3 %; the documents of the best passage only, 0.657 / 0.673 / 4.7 %;
# of the best two, 0.665 / 0.678 / 4.5 %; of the best five, 0.655 / 0.648 / 4.5 %; documents of up to six
# chunks (best two), 0.657 / 0.683 / 4.7 %.
WHOLE_DOCUMENT_CHUNKS = 4
WHOLE_DOCUMENT_PASSAGES = 3
MIN_WORDS = 4
FOCUS_WORDS = 2  # the question's heaviest words, which an answer sentence tends to repeat
FEATURES = ("coverage", "coverage_context", "novelty", "matched_weight", "bigrams", "log_words", "rank_prior",
            "passage_dense", "passage_coverage", "first_sentence", "type_match", "open_question", "has_date",
            "has_number", "language_match", "declaration", "digest", "report", "restates", "sentence_dense",
            "dense_gap", "coverage_gap", "novelty_gap", "focus", "neighbours", "new_value", "anaphoric", "carried",
            "carried_gain", "other_part", "agreement")
RELATIVE = {"dense_gap": "sentence_dense", "coverage_gap": "coverage_context", "novelty_gap": "novelty"}

# A sentence opening on a word that points back ("It suggests they stayed out...", "Selon lui, ...") is about what
# the sentence before it names: it carries that sentence's words.
ANAPHORIC = re.compile(r"^\W*(it|its|they|their|them|this|these|that|those|he|she|his|her|such|il|elle|ils|elles|"
                       r"cela|ce|cette|ces|selon (lui|elle|eux)|son|sa|leur|leurs)\b", re.IGNORECASE)
# Discourse markers of a reason or a means (closed-class words; the scorer weighs them).
REASON = re.compile(r"\b(because|since|as a result|due to|owing to|in order to|so that|so as to|reasons?|why|"
                    r"therefore|thus|hence|aims? (to|at)|objective|goal|purpose|concern(s|ed)?|fear(s|ed)?|"
                    r"argu(e|ed|es|ing)|explain(s|ed)?|car|parce que?|puisque|en raison|afin de|pour que|"
                    r"raisons?|pourquoi|c'est pourquoi|donc|ainsi|vise à|objectif|but de|crainte|estim\w+)\b",
                    re.IGNORECASE)
MEANS = re.compile(r"\b(by|through|via|using|with|par|grâce à|au moyen|en \w+ant|by \w+ing)\b", re.IGNORECASE)
# "calls for" in lower case only: "the Paris Call for Trust and Security" names the Call, it defines nothing.
DEFINITION = re.compile(r"\b(is an?|are|refers to|means|consists? of|is the|est une?|sont|désigne|consiste|vise à|"
                        r"aims to|(?-i:calls? (on|for))|appelle|known as|describ\w* (it|\w+ \w+) as|"
                        r"(présente|décrit|qualifie)\w* (l'|le |la )?\w+ (comme|de))\b", re.IGNORECASE)
# An entry of a list of references: a quoted title and its link ('15Cybersecurity Tech Accord, “About the
# Cybersecurity Tech Accord” (Cybersecurity Tech Accord) https://cybertechaccord.org/about/.').
REFERENCE = re.compile(r"(“[^”]{6,}”|\"[^\"]{6,}\")[^.]{0,120}?(https?://|www\.)")
# A contents page's run of page numbers ("04 06 9 12 15").
PAGE_NUMBERS = re.compile(r"(?:\b\d{1,3}\s+){4}\d{1,3}\b")
FOOTNOTE_NUMBER = re.compile(r"\d{1,3}\s+(?=[A-Z])")
PART = re.compile(r"(wg|principle)\d+")  # a numbered part's token (`index.glossary.numbered_parts`)
ANSWER_EVIDENCE = {"date", "number", "person", "place", "organisation", "reason", "manner", "definition"}


@dataclass
class Candidate:
    """A sentence of a retrieved passage, with its features (see `FEATURES`), once scored its score, and the
    question's words it holds (`asked`, each with its share of the question's weight: what a further quote
    should add to, see `assistant.reading.composer.worth`)."""

    passage: int
    start: int
    end: int
    text: str
    tokens: set[str]
    types: set[str]
    features: dict[str, float] = field(default_factory=dict)
    score: float = 0.0
    previous: Candidate | None = None
    asked: dict[str, float] = field(default_factory=dict)
    values: set[str] = field(default_factory=set)


def is_statement(passage: Passage, start: int, end: int, instructions: list[tuple[int, int]] | None = None) -> bool:
    """A sentence worth quoting: not a heading, a title line, a table-of-contents line (dotted leaders or a
    run of page numbers), an entry of a list of references, a registry row, nor part of an instruction planted
    in a document (`instructions`: its spans, found over the whole passage)."""
    text = passage.text[start:end]
    line_start = passage.text.rfind("\n", 0, start) + 1
    if instructions is None:
        instructions = instruction_spans(passage.text)
    if (passage.kind == "registry" or passage.text[line_start:start].lstrip().startswith("#") or "....." in text
            or PAGE_NUMBERS.search(text) or REFERENCE.search(text) or overlaps((start, end), instructions)):
        return False
    return len(text.split()) >= MIN_WORDS and bool(re.search(r"[.!?:;»\"”)\]]$", text))


def quote_start(passage: Passage, start: int, end: int) -> int:
    """Where a sentence's quote starts: after the number of a footnote a PDF page sets before its text ("13
    The 2021 report by..."), not a day of the month ("12 November 2018 ...")."""
    text = passage.text[start:end]
    found = FOOTNOTE_NUMBER.match(text)
    if passage.page is None or not found or DATE.match(text):
        return start
    return start + found.end()


def quotable_sentences(passage: Passage) -> list[str]:
    """The sentences of a passage the reader may quote (the candidates it will embed)."""
    if flagged(passage):
        return []
    return [passage.text[quote_start(passage, s, e):e] for s, e in split_sentences(passage.text)
            if is_statement(passage, s, e, [])]


def evidence(text: str, entity_types: set[str]) -> set[str]:
    """The answer types a sentence can satisfy."""
    found = set(entity_types) - {"date"}  # a date entity with no calendar date is relative ("last year")
    if DATE.search(text):
        found.add("date")
    if next(counts(text), None) is not None:
        found.add("number")
    if REASON.search(text):
        found |= {"reason", "manner"}
    if MEANS.search(text):
        found.add("manner")
    if DEFINITION.search(text):
        found.add("definition")
    return found


def _bigrams(tokens: list[str]) -> set[tuple[str, str]]:
    return set(zip(tokens, tokens[1:], strict=False))


@dataclass(frozen=True)
class Edge:
    """A chunk beside a retrieved passage in its document, of which only the `EDGE_SENTENCES` sentences at their
    shared boundary are read: chunks are cut every 900 characters, and the sentence stating an answer can open
    the chunk after the one the question matched ("Drawing a parallel to the field of cybersecurity, one
    lesson..." follows the chunk about the Global Pact for the Environment) or close the one before it. Or
    (`whole`) a chunk of a short document a retrieved passage comes from, every sentence of which is read."""

    passage: Passage
    parent: int  # the index of the retrieved passage it borders (or whose document it belongs to)
    after: bool  # the chunk that follows the passage (its first sentences are read), or precedes it (its last)
    whole: bool = False  # every sentence is read


def candidates(question: Question, passages: list[Passage], weights: TermWeights, annotations: Annotations,
               dense: list[float | None] | None = None, edges: Iterable[Edge] = ()) -> list[Candidate]:
    """Every quotable sentence of the top passages, with its features (sentence_dense left at 0), then the
    boundary sentences of the `edges` (chunks beside passages read: `Reader.edges` bounds them; their `passage`
    index counts on from the end of `passages`), which take the rank and vector similarity of the passage they
    border."""
    read = _Read(question, weights, annotations)
    out: list[Candidate] = []
    last: dict[int, Candidate] = {}
    for index, passage in enumerate(passages[:READ_PASSAGES]):
        found = read.passage(passage, index, index, _dense(dense, index))
        if found:
            last[index] = found[-1]
        out += found
    for number, edge in enumerate(edges):
        out += read.passage(edge.passage, len(passages) + number, edge.parent, _dense(dense, edge.parent),
                            edge=edge, previous=last.get(edge.parent) if edge.after and not edge.whole else None)
    return out


def _dense(dense: list[float | None] | None, index: int) -> float:
    return (dense[index] if dense and index < len(dense) else None) or 0.0


class _Read:
    """What every sentence of one question is measured against."""

    def __init__(self, question: Question, weights: TermWeights, annotations: Annotations) -> None:
        self.question, self.weights, self.annotations = question, weights, annotations
        self.unique = dict.fromkeys(question.tokens)  # in the question's order: sums and ties the same in every run
        self.total = sum(weights.weight(t) for t in self.unique) or 1.0
        self.bigrams = _bigrams(question.tokens)
        self.focus = sorted(self.unique, key=lambda t: (-weights.weight(t), t))[:FOCUS_WORDS]
        self.asked_parts = _parts(question.tokens)

    def passage(self, passage: Passage, index: int, rank: int, passage_dense: float, edge: Edge | None = None,
                previous: Candidate | None = None) -> list[Candidate]:
        """The candidates of one passage (`index`: its place in the list the candidates point into; `rank`: the
        retrieval rank it reads at), or of an edge's boundary sentences."""
        question, weights = self.question, self.weights
        if flagged(passage):  # a document carrying instructions aimed at an assistant (or a passage that
            return []  # carries one itself): data, never an answer
        context = set(tokenize(f"{passage.heading or ''} {passage.title}"))
        context_parts = _parts(context)
        passage_tokens = quote_tokens(passage.text) | context
        passage_coverage = coverage(question.tokens, passage_tokens, weights)
        out: list[Candidate] = []
        spans = split_sentences(passage.text)
        numbers = range(len(spans))
        if edge is not None and not edge.whole:
            numbers = numbers[:EDGE_SENTENCES] if edge.after else numbers[-EDGE_SENTENCES:]
        for number in numbers:
            start, end = spans[number]
            if not is_statement(passage, start, end, []):
                continue
            around = " ".join(passage.text[a:b] for a, b in spans[max(0, number - 1):number + 2]
                              if a != start)
            start = quote_start(passage, start, end)
            text = passage.text[start:end]
            token_list = tokenize(text)
            tokens = quote_tokens(text)
            types = evidence(text, self.annotations.types_between(passage.chunk_id, start, end))
            cov = coverage(question.tokens, tokens, weights)
            values = new_values(question, text, passage, start, end, self.annotations)
            own = dict.fromkeys(token_list)
            own_total = sum(weights.weight(t) for t in own) or 1.0
            novelty = sum(weights.weight(t) for t in own if t not in self.unique) / own_total
            matched = sum(weights.weight(t) for t in self.unique if t in tokens)
            features = {
                "coverage": cov,
                "coverage_context": coverage(question.tokens, tokens | context, weights),
                "novelty": novelty,
                "matched_weight": min(matched / self.total * math.log1p(len(self.unique)), 3.0),
                "bigrams": len(self.bigrams & _bigrams(token_list)) / max(1, len(self.bigrams)),
                "log_words": math.log1p(len(text.split())),
                "rank_prior": 1.0 / (1 + rank),
                "passage_dense": passage_dense,
                "passage_coverage": passage_coverage,
                "first_sentence": float(number == 0 and edge is None),
                "type_match": float(question.kind in ANSWER_EVIDENCE and question.kind in types),
                "open_question": float(question.kind not in ANSWER_EVIDENCE),
                "has_date": float("date" in types),
                "has_number": float("number" in types),
                "language_match": float((passage.language or question.language) == question.language),
                "declaration": float(passage.kind == "declaration"),
                "digest": float(passage.form == "digest"),
                "report": float(passage.kind == "report"),
                "restates": cov * (1 - novelty),
                "sentence_dense": 0.0,
                "focus": sum(t in tokens for t in self.focus) / max(1, len(self.focus)),
                "neighbours": coverage(question.tokens, quote_tokens(around), weights) if around else 0.0,
                "new_value": float(bool(values)),
                **_carried(question.tokens, tokens, previous, cov, weights, text),
                "other_part": _other_part(self.asked_parts, _parts(token_list) | context_parts),
            }
            asked_words = {t: weights.weight(t) / self.total for t in self.unique if t in own}
            candidate = Candidate(index, start, end, text, set(token_list), types, features, previous=previous,
                                  asked=asked_words, values=values)
            out.append(candidate)
            previous = candidate
        return out


def _parts(tokens: Iterable[str]) -> set[str]:
    return {t for t in tokens if PART.fullmatch(t)}


def _other_part(asked: set[str], named: set[str]) -> float:
    """1 when the question names working groups or principles by number and the sentence (with its heading and
    title) names others, not those: "c quoi le gt4" is not answered by "That is why Principle 4 is...", nor
    "who chairs wg5" by "WG6 is co-chaired by Cigref and Kaspersky"."""
    return float(bool(asked) and bool(named) and not asked & named)


def _carried(asked: list[str], tokens: set[str], previous: Candidate | None, cov: float, weights: TermWeights,
             text: str) -> dict[str, float]:
    """How much of the question a sentence covers with the sentence before it when it points back to it."""
    if previous is None or not ANAPHORIC.search(text):
        return {"anaphoric": 0.0, "carried": cov, "carried_gain": 0.0}
    carried = coverage(asked, tokens | previous.tokens, weights)
    return {"anaphoric": 1.0, "carried": carried, "carried_gain": carried - cov}


def add_agreement(found: list[Candidate]) -> None:
    """How much the other passages agree with each candidate's answer: the share of the other passages that
    hold a sentence giving one of its values of the asked type (the same year, count or name), each passage
    weighted by its best coverage of the question, times the candidate's own coverage. Sources that agree on
    "Emmanuel Macron" outweigh the one sentence that names Brad Smith under "qui a lancé l'appel"; a name every
    passage gives counts for less in a sentence that holds little of the question ("who won Eurovision 2018")."""
    best: dict[int, float] = {}
    held: dict[int, set[str]] = {}
    for c in found:
        best[c.passage] = max(best.get(c.passage, 0.0), c.features["coverage_context"])
        held.setdefault(c.passage, set()).update(c.values)
    for c in found:
        others = [p for p in best if p != c.passage]
        total = sum(best[p] for p in others)
        agreeing = sum(best[p] for p in others if c.values & held[p])
        c.features["agreement"] = c.features["coverage_context"] * agreeing / total if c.values and total else 0.0


def add_relative(found: list[Candidate]) -> None:
    """How far each candidate is from the best candidate of the same question on the main measures, so
    that the scorer ranks sentences against each other rather than against every question's scale, and how
    much the other passages agree with its answer (`add_agreement`)."""
    add_agreement(found)
    for name, base in RELATIVE.items():
        best = max((c.features[base] for c in found), default=0.0)
        for c in found:
            c.features[name] = c.features[base] - best
