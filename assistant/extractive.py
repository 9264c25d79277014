"""The extractive backend: pick the retrieved sentences that best answer, lead with the direct answer.

Offline and fast. Sentences are scored by weighted overlap with the question plus the rank of their
passage, picked with a diversity penalty (maximal marginal relevance), and kept verbatim so each one is
its own exact quote. A short lead states the date or number the question asks for when the best
sentence holds one. When the top passages give different figures for what a "how many" question asks,
the answer says so and cites each side.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.answer import Passage
from assistant.answerability import is_injection
from assistant.prompts import DISAGREEMENT
from assistant.support import TermWeights, coverage
from assistant.verify import Claim
from index.chunking import split_sentences
from index.lexical import tokenize

MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|december|"
          "janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre")
DATE = re.compile(rf"\b(?:\d{{1,2}}(?:er)?\s+(?:{MONTHS})\s+\d{{4}}|(?:{MONTHS})\s+\d{{1,2}},?\s+\d{{4}}|"
                  rf"\d{{4}}-\d{{2}}-\d{{2}}|(?:{MONTHS})\s+\d{{4}}|\d{{1,2}}(?:er)?\s+(?:{MONTHS})|(?:19|20)\d{{2}})\b",
                  re.IGNORECASE)
WHEN = re.compile(r"^\s*(when|what date|in what year|which year|quand|en quelle année|à quelle date|depuis quand)\b"
                  r"|\b(when|quand)\b", re.IGNORECASE)
HOW_MANY = re.compile(r"\b(how many|how much|combien)\b(?:\s+(?:of\s+|de\s+|d['’]\s*)?)?([\wÀ-ÿ-]+)?", re.IGNORECASE)
NUMBER_WORDS = {"one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
                "eight": "8", "nine": "9", "ten": "10", "un": "1", "deux": "2", "trois": "3", "quatre": "4",
                "cinq": "5", "sept": "7", "huit": "8", "neuf": "9", "dix": "10"}
COUNT = re.compile(r"\b(\d[\d,. ]*\d|\d|" + "|".join(NUMBER_WORDS) + r")\s+(?:[\w'’-]+\s+){0,2}?([\wÀ-ÿ'’-]+)",
                   re.IGNORECASE)
SYNONYMS = [{"principle", "principles", "point", "points", "principe", "principes", "commitment", "commitments"},
            {"signatory", "signatories", "supporter", "supporters", "signataire", "signataires", "soutien",
             "soutiens", "endorser", "endorsers", "backer", "backers", "entity", "entities", "entite", "entites",
             "entités", "entité"},
            {"state", "states", "country", "countries", "etat", "etats", "état", "états", "pays",
             "government", "governments", "gouvernement", "gouvernements"},
            {"company", "companies", "entreprise", "entreprises", "firm", "firms"}]
MAX_SENTENCES = 3
MAX_DOCS = 2  # an answer quotes at most two documents: focused answers cite the right sources
OTHER_DOC_PENALTY = 0.15
MIN_WORDS = 4


@dataclass
class Candidate:
    passage: int
    start: int
    end: int
    text: str
    tokens: set[str]
    score: float
    previous: Candidate | None = None


def is_statement(passage: Passage, start: int, end: int) -> bool:
    """A sentence worth quoting: not a heading, a title line, a table-of-contents line or a registry row."""
    text = passage.text[start:end]
    line_start = passage.text.rfind("\n", 0, start) + 1
    if (passage.text[line_start:start].lstrip().startswith("#") or "....." in text or passage.kind == "registry"
            or is_injection(text)):  # an instruction planted in a document is data, never an answer
        return False
    return len(text.split()) >= MIN_WORDS and bool(re.search(r"[.!?:;»\"”)\]]$", text))


def _candidates(question: str, passages: list[Passage], weights: TermWeights) -> list[Candidate]:
    q_tokens = tokenize(question)
    wants_number = bool(HOW_MANY.search(question))
    wants_date = bool(WHEN.search(question)) and not wants_number
    out = []
    for index, passage in enumerate(passages[:6]):
        prior = 0.3 / (1 + index)
        previous: Candidate | None = None
        context = set(tokenize(passage.heading or ""))
        for start, end in split_sentences(passage.text):
            if not is_statement(passage, start, end):
                continue
            text = passage.text[start:end]
            tokens = set(tokenize(text))
            score = coverage(q_tokens, tokens | context, weights) + prior
            if wants_date and DATE.search(text):
                score += 0.15
            if wants_number and re.search(r"\d|" + "|".join(NUMBER_WORDS), text, re.IGNORECASE):
                score += 0.1
            candidate = Candidate(index, start, end, text, tokens, score)
            candidate.previous = previous
            out.append(candidate)
            previous = candidate
    return out


def _overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / max(1, min(len(a), len(b)))


def select_sentences(question: str, passages: list[Passage], weights: TermWeights,
                     limit: int = MAX_SENTENCES) -> list[Candidate]:
    """Relevant and diverse sentences (MMR), best first."""
    pool = _candidates(question, passages, weights)
    chosen: list[Candidate] = []
    while pool and len(chosen) < limit:
        docs = {passages[c.passage].doc_id for c in chosen}

        def mmr(c: Candidate, docs: set[str] = docs) -> float:
            follows = 0.15 if c.previous is not None and c.previous in chosen else 0.0
            other_doc = OTHER_DOC_PENALTY if chosen and passages[c.passage].doc_id not in docs else 0.0
            return (c.score + follows - other_doc
                    - 0.6 * max((_overlap(c.tokens, s.tokens) for s in chosen), default=0.0))
        if len(docs) >= MAX_DOCS:
            pool = [c for c in pool if passages[c.passage].doc_id in docs]
            if not pool:
                break
        best = max(pool, key=mmr)
        if chosen and mmr(best) < 0.45 * chosen[0].score:
            break
        chosen.append(best)
        pool.remove(best)
    return chosen


ANNOUNCES = re.compile(r"(:|\b(two|three|four|five|six|deux|trois|quatre|cinq|\d)\s+[\w-]+(\s+[\w-]+)?\s*[.:])$",
                       re.IGNORECASE)


def _announced(chosen: list[Candidate], pool: list[Candidate], most: int = 3) -> list[Candidate]:
    """The sentences a chosen sentence announces ("... four groups of factors:" / "three reasons.")."""
    extra: list[Candidate] = []
    for sentence in chosen:
        if not ANNOUNCES.search(sentence.text):
            continue
        following = [c for c in pool if c.passage == sentence.passage and c.start >= sentence.end
                     and all(c.start != x.start for x in chosen + extra)]
        extra += sorted(following, key=lambda c: c.start)[:most]
    return extra


def best_sentence_score(question: str, passages: list[Passage], weights: TermWeights) -> float:
    """How well the best retrieved sentence covers the question (the refusal signal), without rank prior."""
    q_tokens = tokenize(question)
    best = 0.0
    for passage in passages[:6]:
        for start, end in split_sentences(passage.text):
            best = max(best, coverage(q_tokens, set(tokenize(passage.text[start:end])), weights))
    return best


def _lead(question: str, language: str, top: Candidate) -> Claim | None:
    """A short first sentence stating the number or date asked for, when the best sentence holds it."""
    span = {top.passage: (top.start, top.end)}
    how_many = HOW_MANY.search(question)
    if how_many:  # "how many ... when X joined?" asks for a number, not a date
        for number, noun in COUNT.findall(top.text):
            if same_thing(noun, how_many.group(2) or ""):
                return Claim(f"{number.strip()} {noun}.", [top.passage], span, value=f"{number.strip()} ")
        return None
    if WHEN.search(question):
        match = DATE.search(top.text)
        if match:
            value = match.group(0)
            return Claim(f"{value[0].upper()}{value[1:]}.", [top.passage], span, value=value)
    return None


def same_thing(noun: str, asked: str) -> bool:
    noun, asked = noun.lower(), asked.lower()
    if not asked:
        return False
    if noun.rstrip("s") == asked.rstrip("s"):
        return True
    return any(noun in group and asked in group for group in SYNONYMS)


def disagreement(question: str, language: str, passages: list[Passage]) -> list[Claim] | None:
    """Different figures for the same counted thing in different documents: say so, cite each side."""
    how_many = HOW_MANY.search(question)
    if not how_many or not how_many.group(2):
        return None
    figures: dict[str, tuple[int, int, int]] = {}  # value -> (passage, start, end)
    seen_docs: dict[str, str] = {}
    for index, passage in enumerate(passages[:6]):
        for start, end in split_sentences(passage.text):
            for match in COUNT.finditer(passage.text[start:end]):
                number, noun = match.group(1).strip(), match.group(2)
                if not same_thing(noun, how_many.group(2)):
                    continue
                value = NUMBER_WORDS.get(number.lower(), number).replace(",", "").replace(" ", "")
                if value not in figures and seen_docs.get(value) != passage.doc_id:
                    figures[value] = (index, start, end)
                    seen_docs[value] = passage.doc_id
    docs = {passages[i].doc_id for i, _, _ in figures.values()}
    if len(figures) < 2 or len(docs) < 2:
        return None
    ordered = sorted(figures.items(), key=lambda item: (authority(passages[item[1][0]]), item[1][0]))
    claims = [Claim(DISAGREEMENT[language], frame=True)]
    for _value, (index, start, end) in ordered[:4]:
        claims.append(Claim("- " + passages[index].text[start:end], [index], {index: (start, end)}))
    return claims


def authority(passage: Passage) -> int:
    """Declaration and registry first, then other originals, then digests."""
    if passage.kind in ("declaration", "registry"):
        return 0
    return 2 if passage.form == "digest" else 1


def compose(question: str, language: str, passages: list[Passage], weights: TermWeights) -> list[Claim]:
    """Draft claims for the question from the retrieved passages (not yet verified)."""
    differing = disagreement(question, language, passages)
    if differing:
        return differing
    chosen = select_sentences(question, passages, weights)
    if not chosen:
        return []
    claims: list[Claim] = []
    lead = _lead(question, language, chosen[0])
    if lead:
        claims.append(lead)
    chosen += _announced(chosen, _candidates(question, passages, weights))
    # Sentences of one passage keep their order; passages keep their relevance order.
    first_seen = {c.passage: i for i, c in reversed(list(enumerate(chosen)))}
    for c in sorted(chosen, key=lambda c: (first_seen[c.passage], c.start)):
        claims.append(Claim(c.text, [c.passage], {c.passage: (c.start, c.end)}))
    return claims
