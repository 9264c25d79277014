"""The briefing's material: the passages of several focused retrievals merged into one pool, their readable
sentences scored for the topic, and the picking of the best ones with a diversity penalty."""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.answer import Passage
from assistant.briefing.actors import EVENTS, ActorFinder
from assistant.briefing.timeline import PAST, date_in
from assistant.chain import Assistant, passages_from
from assistant.prompts import BRIEFING_QUERIES
from assistant.reading.composer import authority
from assistant.reading.features import is_statement, quote_start
from assistant.support import coverage
from assistant.verify import Claim
from index.chunking import split_sentences
from index.filters import Filters
from index.lexical import tokenize

K = 15  # passages per focused retrieval
ON_TOPIC = 0.5  # share of the topic's weighted words a sentence must cover to be about the topic
ANAPHOR = re.compile(r"^(it|he|she|they|this|these|its|his|her|their|il|elle|ils|elles|ce|cette|ces)\b", re.I)
ENDS_WELL = re.compile(r"[.!][\"”»’')]?$")
NOISE = re.compile(r"https?://|www\.|\bPage \d+ ?/ ?\d+|^\d+[A-Z]|[•▪◦·]|[a-z\d]\.\d{1,2} [A-Z]"
                   r"|\b[A-Z][a-z]+ (?:The|This|These|Each|It|We|Our) [a-z]")  # page furniture, notes, run-in headings
REASON = re.compile(r"\b(because|reasons?|why|due to|citing|objectives?|ambiguit\w*|parce qu|raisons?|pourquoi|"
                    r"en raison|au motif)\b", re.I)
CALL = re.compile(r"\b(?:Paris Call|the Call|Appel de Paris|l'Appel)\b")  # the corpus's subject: about it, not about others


class Candidate:
    """A sentence of a pooled passage (with the sentence before it when it opens with a pronoun)."""

    def __init__(self, index: int, passage: Passage, start: int, end: int) -> None:
        self.index, self.passage, self.start, self.end = index, passage, start, end
        self.text = passage.text[start:end]
        self.tokens = set(tokenize(self.text))
        self.score = self.relevance = 0.0
        self.date, self.date_source = date_in(self.text, passage.date), "text"
        self.actor: str | None = None
        self.actors: list[str] = []
        self.stance: str | None = None

    def claim(self) -> Claim:
        return Claim(self.text, [self.index], {self.index: (self.start, self.end)})


class Pool:
    """The passages of all retrievals, each once, with its best rank."""

    def __init__(self) -> None:
        self.passages: list[Passage] = []
        self.rank: dict[int, int] = {}
        self.ids: dict[str, int] = {}

    def add(self, passage: Passage, rank: int = 1) -> int:
        index = self.ids.setdefault(passage.chunk_id, len(self.passages))
        if index == len(self.passages):
            self.passages.append(passage)
        self.rank[index] = min(rank, self.rank.get(index, rank))
        return index


def gather(assistant: Assistant, topic: str, language: str, filters: Filters | None) -> Pool:
    pool = Pool()
    for offset, query in enumerate([topic] + [f"{topic} {words}" for words in BRIEFING_QUERIES[language].values()]):
        for passage in passages_from(assistant.services.searcher.search(query, K, filters)):
            pool.add(passage, passage.rank + 2 * bool(offset))  # the topic's own ranking counts most
    return pool


def score_sentences(assistant: Assistant, pool: Pool, topic: str, language: str, finder: ActorFinder
                    ) -> list[Candidate]:
    """Readable sentences of the pooled passages, scored; relevance is topic coverage, or naming the
    actor the topic is about."""
    topic_tokens, topic_actors = tokenize(topic), set(finder.find(topic)[1])
    pairs = set(zip(topic_tokens, topic_tokens[1:], strict=False))
    out, seen = [], set()
    for index, passage in enumerate(pool.passages):
        if passage.kind == "registry":
            continue
        spans = split_sentences(passage.text)
        for j, (start, end) in enumerate(spans):
            if not (is_statement(passage, start, end) and readable(passage.text[start:end])):
                continue
            start = quote_start(passage, start, end)
            if ANAPHOR.match(passage.text[start:end]) and j and end - spans[j - 1][0] < 600 \
                    and readable(passage.text[spans[j - 1][0]:spans[j - 1][1]]):
                start = spans[j - 1][0]  # the sentence the pronoun refers to comes along
            c = Candidate(index, passage, start, end)
            if clean(c.text) in seen:
                continue
            seen.add(clean(c.text))
            c.actor, c.actors, c.stance = finder.find(c.text)
            cover = coverage(topic_tokens, c.tokens, assistant.weights)
            words = tokenize(c.text)
            if pairs and not pairs & set(zip(words, words[1:], strict=False)):
                cover *= 0.75  # none of the topic's words side by side: "working together" is not "working groups"
            if topic_actors:
                named = topic_actors & set(c.actors)
                c.relevance = max(cover, 0.6 + 0.1 * (c.actor in named)) if named else cover / 2
            else:  # a sentence about the topic names it early, as its subject
                lead = next((i for i, w in enumerate(words) if w in topic_tokens), len(words)) / max(1, len(words))
                c.relevance = cover + 0.15 * (1 - lead) * (cover > 0)
            c.score = (c.relevance + 0.3 / pool.rank[index] + 0.1 * (authority(passage) == 0)
                       + 0.1 * bool(REASON.search(c.text)) + 0.1 * (c.stance in EVENTS) + 0.1 * bool(CALL.search(c.text))
                       - 0.05 * (passage.form == "digest") + 0.15 * (passage.language == language)
                       - 0.15 * bool(ANAPHOR.match(c.text)))
            if not c.date and len(passage.date or "") >= 7 and c.stance and not PAST.search(c.text):
                c.date, c.date_source = passage.date, "document"
            out.append(c)
    return out


def readable(text: str) -> bool:
    return (7 <= len(text.split()) <= 90 and bool(re.match(r"[\"“«(‘'A-ZÀ-Ý0-9]", text)) and bool(ENDS_WELL.search(text)) and not NOISE.search(text)
            and text.count("(") == re.sub(r"\b\d{1,2}\)", "", text).count(")"))


def by_doc(c: Candidate) -> str:
    return c.passage.doc_id


def pick(pool: list[Candidate], limit: int, used: set[tuple[int, int]], chosen: list[Candidate] | None = None,
         caps: tuple[tuple[Callable[[Candidate], object], int], ...] = ((by_doc, 2),),
         reuse: float | None = None) -> list[Candidate]:
    """The best candidates, with a penalty for repeating words already chosen (maximal marginal
    relevance) and at most n of a group (`caps`: (group, n) pairs); marks them used. Sentences used in
    another section are left out, or with `reuse` only cost that much."""
    chosen, picked = chosen or [], []
    left = [c for c in pool if reuse is not None or (c.index, c.start) not in used]
    while left and len(picked) < limit:
        def mmr(c: Candidate) -> float:
            return (c.score - (reuse or 0.0) * ((c.index, c.start) in used)
                    - 0.6 * max((len(c.tokens & o.tokens) / max(1, min(len(c.tokens), len(o.tokens)))
                                 for o in chosen + picked), default=0.0))
        best = max(left, key=mmr)
        left.remove(best)
        if mmr(best) >= 0.3 and all(sum(g(p) == g(best) for p in picked) < n for g, n in caps):
            picked.append(best)
            used.add((best.index, best.start))
    return picked


def clean(text: str) -> str:
    """A quoted sentence as shown: one line, without the source's own bracketed note numbers."""
    return re.sub(r"\s+", " ", re.sub(r"\s?\[\d{1,3}\]", "", text)).strip()
