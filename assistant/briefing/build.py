"""Briefings for staff: a cited document on a topic, built from the corpus only.

Focused retrievals (the topic, then the topic with words for actors, reasons, dates, figures, leadership
and outcomes) are merged into one pool of passages. Sentences are scored like answers (weighted coverage
of the topic, or naming the actor the topic is about; rank of their passage; authority of their
document), picked per section with a diversity penalty, and every one goes through `verify()`: what it
cannot support is dropped, what remains cites an exact span of its chunk. References are numbered by
first use across the whole document.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from assistant.answer import Citation, Passage
from assistant.briefing.actors import EVENTS, STANCES, ActorFinder, actor_finder
from assistant.briefing.timeline import EVENT, PAST, date_in
from assistant.chain import Assistant, clean_question, passages_from
from assistant.prompts import BRIEFING, BRIEFING_QUERIES, COUNTED
from assistant.reading.composer import authority, disagreement
from assistant.reading.features import is_statement
from assistant.reading.values import COUNT, same_thing
from assistant.registry.answer import fold
from assistant.support import coverage
from assistant.verify import Claim, verify
from corpus.errors import BackendError, ConfigError
from index.chunking import split_sentences
from index.filters import Filters
from index.lexical import tokenize

log = logging.getLogger(__name__)

SECTIONS = ("summary", "facts", "positions", "timeline", "disagreements", "gaps")
K = 15  # passages per focused retrieval
ON_TOPIC = 0.5  # share of the topic's weighted words a sentence must cover to be about the topic
ANAPHOR = re.compile(r"^(it|he|she|they|this|these|its|his|her|their|il|elle|ils|elles|ce|cette|ces)\b", re.I)
ENDS_WELL = re.compile(r"[.!][\"”»’')]?$")
NOISE = re.compile(r"https?://|www\.|\bPage \d+ ?/ ?\d+|^\d+[A-Z]|[•▪◦·]|[a-z\d]\.\d{1,2} [A-Z]"
                   r"|\b[A-Z][a-z]+ (?:The|This|These|Each|It|We|Our) [a-z]")  # page furniture, notes, run-in headings
REASON = re.compile(r"\b(because|reasons?|why|due to|citing|objectives?|ambiguit\w*|parce qu|raisons?|pourquoi|"
                    r"en raison|au motif)\b", re.I)
CALL = re.compile(r"\b(?:Paris Call|the Call|Appel de Paris|l'Appel)\b")  # the corpus's subject: about it, not about others


class BriefingSentence(BaseModel):
    """One sentence with its citation markers; a frame states no fact and carries none."""

    text: str
    markers: list[int] = Field(default_factory=list)
    date: str | None = Field(None, description="YYYY[-MM[-DD]]: the event's date in the timeline, the "
                                               "source's date in the disagreements")
    date_source: Literal["text", "document"] | None = Field(
        None, description="the date is written in the sentence, or is the date of the source reporting it")
    actor: str | None = Field(None, description="positions: the named actor the sentence is about")
    frame: bool = False
    item: bool = Field(False, description="a point under the frame before it (disagreements)")

    def marked(self) -> str:
        return self.text + "".join(f"[{m}]" for m in self.markers)


class BriefingSection(BaseModel):
    key: str
    heading: str
    sentences: list[BriefingSentence] = Field(default_factory=list)


class Briefing(BaseModel):
    """A cited briefing; every marker in the sentences resolves to one of `references` (numbered from 1)."""

    topic: str
    language: str = "en"
    generated_at: str
    title: str
    sections: list[BriefingSection] = Field(default_factory=list)
    references: list[Citation] = Field(default_factory=list)
    covered: bool = True
    backend: str = "extractive"
    notice: str = ""
    timings: dict[str, float] = Field(default_factory=dict)

    def section(self, key: str) -> BriefingSection | None:
        return next((s for s in self.sections if s.key == key), None)

    def reference(self, marker: int) -> Citation | None:
        return self.references[marker - 1] if 0 < marker <= len(self.references) else None

    def problems(self) -> list[str]:
        """What breaks the citation contract (nothing, for a briefing made here): markers that resolve to
        no reference, references never cited or out of first-use order, quotes not in their passage."""
        used = [m for s in self.sections for x in s.sentences for m in x.markers]
        out = [f"marker [{m}] has no reference" for m in used if self.reference(m) is None]
        out += [f"a sentence of substance has no citation: {x.text!r}" for s in self.sections
                for x in s.sentences if not x.frame and not x.markers]
        if list(dict.fromkeys(used)) != [r.marker for r in self.references]:
            out.append("references are not numbered 1..n by first use, or some are never cited")
        out += [f"reference [{r.marker}] quotes what its passage does not hold" for r in self.references
                if not r.quote or r.passage[r.start:r.end] != r.quote]
        return out


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


def build_briefing(assistant: Assistant, topic: str, language: str = "en",
                   filters: Filters | None = None) -> Briefing:
    """A cited briefing on `topic` from the indexed corpus, in `language` (en or fr)."""
    started = time.perf_counter()
    if language not in BRIEFING:
        raise ConfigError(f"unknown briefing language {language!r}; choose en or fr")
    topic = clean_question(topic, assistant.settings.max_question_chars)[0]
    words = BRIEFING[language]
    briefing = Briefing(topic=topic, language=language, title=words["title"].format(topic=topic),
                        generated_at=datetime.now(UTC).isoformat(timespec="seconds"), backend=assistant.backend)
    finder = actor_finder(assistant.registry)
    pool = _gather(assistant, topic, language, filters)
    briefing.timings["retrieve_ms"] = (time.perf_counter() - started) * 1000
    candidates = _candidates(assistant, pool, topic, language, finder)
    on_topic = [c for c in candidates if c.relevance >= ON_TOPIC]
    if not on_topic and not set(finder.find(topic)[1]) & set(finder.rows):  # a supporter is worth its row
        briefing.covered = False
        briefing.sections = [BriefingSection(key="gaps", heading=words["gaps"],
                                             sentences=[BriefingSentence(text=words["uncovered"], frame=True)])]
        return briefing
    drafts = _compose(assistant, briefing, pool, on_topic, finder, filters)
    briefing.timings["compose_ms"] = (time.perf_counter() - started) * 1000 - briefing.timings["retrieve_ms"]
    _verify_into(briefing, drafts, pool, assistant)
    briefing.timings["total_ms"] = (time.perf_counter() - started) * 1000
    return briefing


def _gather(assistant: Assistant, topic: str, language: str, filters: Filters | None) -> Pool:
    pool = Pool()
    for offset, query in enumerate([topic] + [f"{topic} {words}" for words in BRIEFING_QUERIES[language].values()]):
        for passage in passages_from(assistant.services.searcher.search(query, K, filters)):
            pool.add(passage, passage.rank + 2 * bool(offset))  # the topic's own ranking counts most
    return pool


def _candidates(assistant: Assistant, pool: Pool, topic: str, language: str, finder: ActorFinder
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
            if not (is_statement(passage, start, end) and _readable(passage.text[start:end])):
                continue
            if ANAPHOR.match(passage.text[start:end]) and j and end - spans[j - 1][0] < 600 \
                    and _readable(passage.text[spans[j - 1][0]:spans[j - 1][1]]):
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


def _readable(text: str) -> bool:
    return (7 <= len(text.split()) <= 90 and bool(re.match(r"[\"“«(‘'A-ZÀ-Ý0-9]", text)) and bool(ENDS_WELL.search(text)) and not NOISE.search(text)
            and text.count("(") == re.sub(r"\b\d{1,2}\)", "", text).count(")"))


def by_doc(c: Candidate) -> str:
    return c.passage.doc_id


def _pick(pool: list[Candidate], limit: int, used: set[tuple[int, int]], chosen: list[Candidate] | None = None,
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


Draft = list[tuple[Claim, dict]]


def _compose(assistant: Assistant, briefing: Briefing, pool: Pool, on_topic: list[Candidate],
             finder: ActorFinder, filters: Filters | None) -> dict[str, Draft]:
    language, used, words = briefing.language, set(), BRIEFING[briefing.language]
    drafts: dict[str, Draft] = {}
    drafts["positions"], registry_dates = _positions(assistant, pool, on_topic, used, finder, filters, briefing)
    dated = [c for c in on_topic if c.date and (c.stance in EVENTS or EVENT.search(c.text))]
    timeline = [(c.claim(), {"date": c.date, "date_source": c.date_source})
                for c in _pick(dated, 10, used, caps=((by_doc, 2), (lambda c: (c.date or "")[:7], 2)), reuse=0.3)]
    drafts["timeline"] = sorted(timeline + registry_dates, key=lambda d: d[1]["date"])
    summary = _llm_summary(assistant, briefing, pool, on_topic) if assistant.backend != "extractive" else None
    caps = ((by_doc, 1), (lambda c: c.stance, 2))
    points = _pick([c for c in on_topic if len(c.text.split()) >= 12], 5, used, caps=caps, reuse=0.6)
    points += _pick(on_topic, 3 - len(points), used, points, caps=caps, reuse=0.6)  # short ones if need be
    drafts["summary"] = summary or [(c.claim(), {}) for c in points]
    factual = [c for c in on_topic if c.stance != "said" and (c.date or c.stance in EVENTS or authority(c.passage) == 0
                                                              or re.search(r"\d", c.text))]  # facts, not opinions
    drafts["facts"] = [(c.claim(), {}) for c in _pick(factual, 6, used)]
    drafts["disagreements"] = _disagreements(pool, on_topic, language)
    aspects = {"actors": lambda c: c.stance and c.actor, "reasons": lambda c: REASON.search(c.text),
               "timeline": lambda c: c.date, "figures": lambda c: COUNT.search(c.text),
               "leaders": lambda c: c.stance == "leads",
               "outcomes": lambda c: c.tokens & set(tokenize(BRIEFING_QUERIES[language]["outcomes"]))}
    drafts["gaps"] = [(Claim(words["gap"].format(aspect=words["aspects"][key]), frame=True), {})
                      for key, test in aspects.items() if not any(test(c) for c in on_topic)]
    return drafts


def _positions(assistant: Assistant, pool: Pool, on_topic: list[Candidate], used: set, finder: ActorFinder,
               filters: Filters | None, briefing: Briefing) -> tuple[Draft, Draft]:
    """Sentences where a named actor declines, joins, leads or states something, grouped by actor, each
    actor's registry entry after them; and the registry listing dates worth a place in the timeline."""
    words, named = BRIEFING[briefing.language], finder.find(briefing.topic)[1]
    stances = [c for c in on_topic if c.stance and c.actors]
    weight: dict[str, float] = {}
    for c in stances:
        if c.actor:
            weight[c.actor] = weight.get(c.actor, 0.0) + c.score
    out: Draft = []
    timeline: Draft = []
    for actor in list(dict.fromkeys(named + sorted(weight, key=lambda a: -weight[a])))[:5]:
        mine = [c for c in stances if c.actor == actor or (actor in named and actor in c.actors)]
        chosen: list[Candidate] = []
        for stance in STANCES:  # one of each stance, then the best others
            chosen += _pick([c for c in mine if c.stance == stance], 1, used, chosen)
        chosen += _pick(mine, (6 if actor in named else 2) - len(chosen), used, chosen)
        if not chosen and actor not in named:
            continue
        out += [(c.claim(), {"actor": actor}) for c in sorted(chosen, key=lambda c: c.passage.date or "")]
        row = finder.rows.get(actor)
        if row is not None and (filters is None or filters.matches(row.chunk.metadata)):
            index = pool.add(Passage.from_metadata(len(pool.passages) + 1, row.chunk.chunk_id, row.chunk.text,
                                                   1.0, row.chunk.metadata))
            since = row.fields.get("listed_since") or "?"
            text = words["registry_state" if finder.is_state(actor) else "registry_row"].format(
                name=row.name, category=row.fields.get("category") or "?", country=row.fields.get("country") or "?",
                since=since)
            claim = Claim(text, [index], {index: (0, len(row.chunk.text))}, value=row.name)
            out.append((claim, {"actor": actor}))
            if actor in named and since > finder.earliest:  # the registry's first date is no joining date
                timeline.append((claim, {"date": since, "date_source": "text"}))
        elif chosen and finder.rows and finder.is_state(actor) and (filters is None or filters.is_empty()):
            out.append((Claim(words["not_in_registry"].format(name=actor), frame=True), {"actor": actor}))
    return out, timeline


def _disagreements(pool: Pool, on_topic: list[Candidate], language: str) -> Draft:
    """Different figures for the same counted thing in different documents (the answers' own logic),
    each side with the date of its source."""
    relevant = sorted({c.index for c in on_topic}, key=lambda i: pool.rank[i])
    out: Draft = []
    for noun, label in zip(COUNTED["en"], COUNTED[language], strict=True):
        counting = [pool.passages[i] for i in relevant
                    if any(same_thing(n, noun) for _, n in COUNT.findall(pool.passages[i].text))]
        sides: dict[tuple[str, int], tuple[Claim, dict]] = {}
        for claim in (disagreement(f"how many {noun}", language, counting) or [])[1:]:
            if not any(same_thing(n, noun) and fold(k) not in ("one", "un", "une") for k, n in COUNT.findall(claim.text)):
                continue  # "one country could learn..." is not a count
            passage, span = counting[claim.sources[0]], claim.quotes[claim.sources[0]]
            index = pool.ids[passage.chunk_id]
            sides.setdefault((passage.chunk_id, span[0]), (
                Claim(claim.text.removeprefix("- "), [index], {index: span}),
                {"item": True, "date": passage.date, "date_source": "document" if passage.date else None}))
        if len({key[0].split("#")[0] for key in sides}) >= 2:
            out += [(Claim(BRIEFING[language]["differ"].format(noun=label), frame=True), {}), *sides.values()]
    return out


def _llm_summary(assistant: Assistant, briefing: Briefing, pool: Pool, on_topic: list[Candidate]) -> Draft | None:
    """A smoother summary written by the configured LLM over the best passages, verified like the rest."""
    best = sorted({c.index for c in on_topic}, key=lambda i: pool.rank[i])[:8]
    question = BRIEFING[briefing.language]["llm_summary"].format(topic=briefing.topic)
    try:
        from assistant.llm import is_refusal, parse_claims

        draft = assistant.llm(assistant.backend).draft(question, briefing.language, [pool.passages[i] for i in best])
    except BackendError as err:
        log.warning("briefing summary: the LLM failed, using the extractive summary: %s", err)
        briefing.notice, briefing.backend = err.message, "extractive"
        return None
    claims = [] if is_refusal(draft) else parse_claims(draft)
    mapped = [Claim(c.text, [best[s] for s in c.sources if 0 <= s < len(best)]) for c in claims]
    checked = [c for c in mapped if verify([c], pool.passages, assistant.weights).citations]
    return [(c, {}) for c in checked] if len(checked) >= 2 else None


def _verify_into(briefing: Briefing, drafts: dict[str, Draft], pool: Pool, assistant: Assistant) -> None:
    """Verify each sentence like a chat answer; number the references by first use over the document."""
    started = time.perf_counter()
    numbers: dict[tuple[str, int, int], int] = {}
    words = BRIEFING[briefing.language]
    for key in SECTIONS:
        section = BriefingSection(key=key, heading=words[key])
        for claim, extra in drafts.get(key, []):
            if claim.frame:
                section.sentences.append(BriefingSentence(text=claim.text, frame=True, **extra))
                continue
            markers = []
            for citation in verify([claim], pool.passages, assistant.weights).citations:
                ref = (citation.chunk_id, citation.start, citation.end)
                if ref not in numbers:
                    numbers[ref] = len(briefing.references) + 1
                    briefing.references.append(citation.model_copy(update={"marker": numbers[ref]}))
                markers.append(numbers[ref])
            if markers:
                section.sentences.append(BriefingSentence(text=clean(claim.text), markers=markers, **extra))
        if key in ("summary", "positions", "timeline") and not section.sentences:
            section.sentences.append(BriefingSentence(text=words["empty"], frame=True))
        if section.sentences:
            briefing.sections.append(section)
    briefing.timings["verify_ms"] = (time.perf_counter() - started) * 1000


def clean(text: str) -> str:
    """A quoted sentence as shown: one line, without the source's own bracketed note numbers."""
    return re.sub(r"\s+", " ", re.sub(r"\s?\[\d{1,3}\]", "", text)).strip()


def run_brief(assistant: Assistant, topic: str, out: Path | None = None, language: str = "en",
              filters: Filters | None = None) -> str:
    """Build the briefing and return its Markdown; write it to `out` (.md or .docx) when given."""
    from assistant.briefing.export import to_docx, to_markdown

    if out is not None and out.suffix.lower() not in (".md", ".docx"):
        raise ConfigError(f"cannot write a briefing to {out.name}: use a .md or .docx file name")
    briefing = build_briefing(assistant, topic, language, filters)
    markdown = to_markdown(briefing)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        if out.suffix.lower() == ".docx":
            to_docx(briefing, out)
        else:
            out.write_text(markdown, encoding="utf-8")
    return markdown
