"""Briefings for staff: a cited document on a topic, built from the corpus only.

The pool of scored sentences comes from `pool.py` (focused retrievals merged, sentences scored for the
topic); here they are picked per section (summary, facts, positions, timeline, disagreements, gaps) with a
diversity penalty, and every one goes through `verify()`: what it cannot support is dropped, what remains
cites an exact span of its chunk. References are numbered by first use across the whole document
(`document.py`), which `export.py` writes as Markdown or Word.
"""

from __future__ import annotations

import logging
import re
import time
from datetime import UTC, datetime
from pathlib import Path

from assistant.answer import Passage
from assistant.briefing.actors import EVENTS, STANCES, ActorFinder, actor_finder
from assistant.briefing.document import Briefing, BriefingSection, BriefingSentence
from assistant.briefing.pool import (
    ON_TOPIC,
    REASON,
    Candidate,
    Pool,
    by_doc,
    clean,
    gather,
    pick,
    score_sentences,
)
from assistant.briefing.timeline import EVENT
from assistant.chain import Assistant, clean_question
from assistant.prompts import BRIEFING, BRIEFING_QUERIES, COUNTED
from assistant.reading.composer import authority, disagreement
from assistant.reading.values import counted, counts_of
from assistant.verify import Claim, verify
from corpus.errors import BackendError, ConfigError
from index.filters import Filters
from index.lexical import tokenize

log = logging.getLogger(__name__)

SECTIONS = ("summary", "facts", "positions", "timeline", "disagreements", "gaps")


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
    pool = gather(assistant, topic, language, filters)
    briefing.timings["retrieve_ms"] = (time.perf_counter() - started) * 1000
    candidates = score_sentences(assistant, pool, topic, language, finder)
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


Draft = list[tuple[Claim, dict]]


def _compose(assistant: Assistant, briefing: Briefing, pool: Pool, on_topic: list[Candidate],
             finder: ActorFinder, filters: Filters | None) -> dict[str, Draft]:
    language, used, words = briefing.language, set(), BRIEFING[briefing.language]
    drafts: dict[str, Draft] = {}
    drafts["positions"], registry_dates = _positions(assistant, pool, on_topic, used, finder, filters, briefing)
    dated = [c for c in on_topic if c.date and (c.stance in EVENTS or EVENT.search(c.text))]
    timeline = [(c.claim(), {"date": c.date, "date_source": c.date_source})
                for c in pick(dated, 10, used, caps=((by_doc, 2), (lambda c: (c.date or "")[:7], 2)), reuse=0.3)]
    drafts["timeline"] = sorted(timeline + registry_dates, key=lambda d: d[1]["date"])
    summary = _llm_summary(assistant, briefing, pool, on_topic) if assistant.backend != "extractive" else None
    caps = ((by_doc, 1), (lambda c: c.stance, 2))
    points = pick([c for c in on_topic if len(c.text.split()) >= 12], 5, used, caps=caps, reuse=0.6)
    points += pick(on_topic, 3 - len(points), used, points, caps=caps, reuse=0.6)  # short ones if need be
    drafts["summary"] = summary or [(c.claim(), {}) for c in points]
    factual = [c for c in on_topic if c.stance != "said" and (c.date or c.stance in EVENTS or authority(c.passage) == 0
                                                              or re.search(r"\d", c.text))]  # facts, not opinions
    drafts["facts"] = [(c.claim(), {}) for c in pick(factual, 6, used)]
    drafts["disagreements"] = _disagreements(pool, on_topic, language)
    aspects = {"actors": lambda c: c.stance and c.actor, "reasons": lambda c: REASON.search(c.text),
               "timeline": lambda c: c.date, "figures": lambda c: counted(c.text),
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
            chosen += pick([c for c in mine if c.stance == stance], 1, used, chosen)
        chosen += pick(mine, (6 if actor in named else 2) - len(chosen), used, chosen)
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
                    if counts_of(pool.passages[i].text, noun)]
        sides: dict[tuple[str, int], tuple[Claim, dict]] = {}
        # each claim gives a count of the noun ("one country could learn..." gives none: `values.counts`)
        for claim in (disagreement(f"how many {noun}", language, counting) or [])[1:]:
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
