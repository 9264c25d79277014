"""Answers that list the Call's numbered parts, from the document whose sections are those parts.

"What are the 9 principles", "c'est quoi les principes de l'appel", "list the principles": the asker wants
every principle, and sentence reading quotes the three or four that score best, in score order ("what are
the 9 principles" opened with principle 5). When the indexed collection has a document with a section per
numbered part, each section's heading naming one ("## Principle 1: Protect individuals and infrastructure"),
numbered from 1 on without a gap, such a question is answered with every section in order: its heading and
its first sentence, quoted and cited, after a line naming the document. The question must ask for the
parts and nothing else: beyond the word for the parts, only stop words and the words a request for a list
is made of ("list", "nine", "the Paris Call", "résume"...). A question asking what one part says ("what does
principle 8 say", "que dit le principe 3", "principle 2?") is answered with that section alone, the part's own
words rather than a gloss of them. "Which principle is about elections", "how many principles", "why is
principle 8 there" and "which principles did WG6 map" are read as usual. A French
question gets the French document when there is one; otherwise the other language's, framed as quotes in it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.answer import Passage
from assistant.prompts import OUTLINE, OUTLINE_BY, QUOTES_IN
from assistant.reading.questions import answer_type
from assistant.verify import Claim
from index.chunking import Chunk, split_sentences
from index.glossary import fold, numbered_parts
from index.lexical import tokenize

MIN_PARTS = 3  # sections a document needs to be an outline of its parts
# The plural words for each kind of numbered part (`index.glossary.numbered_parts` keys), accent-folded.
PLURALS = {"principle": re.compile(r"\b(principles|principes)\b")}
PART_NAMES = {"principle": frozenset(tokenize("principle principles principe principes"))}  # as tokens
# What a request for the whole list may say besides the parts' name and stop words.
LIST_WORDS = frozenset(tokenize(
    "principle principles principe principes paris call appel declaration nine neuf list liste lister name "
    "names nomme enumerate enumere summarise summarize summary resume resumer main key core fundamental "
    "fondamentaux principaux all tous toutes whole complete entire give donne show montre tell dis based built "
    "rest rests repose fonde fondee contain contains comporte contient set sets out enonce says dit exactly "
    "please stp svp quoi koi cest kesako"))
# What a question about one part may say besides its name: "what does principle 8 say", "que dit le principe 3",
# "que prévoit le principe 2", "what does principle 9 deal with".
SAY_WORDS = LIST_WORDS | frozenset(tokenize(
    "say says said saying mean means meaning explain explanation text wording content contents about exactly "
    "what cover covers deal deals concern concerns involve involves provide provides dit dire disent signifie "
    "veut contenu texte propos prevoit prevoient concerne traite porte stipule"))
ASKS_CONTENT = frozenset({"other", "definition", "list"})  # not "why is principle 8 there", "who leads it"
PART_KEY = re.compile(r"(\D+)(\d+)")  # a key of `numbered_parts`: its kind and its number
ASKS_VALUE = frozenset({"number", "date", "yesno"})  # "how many principles", "are the principles binding"


@dataclass(frozen=True)
class Section:
    chunk: Chunk
    heading: str


def asked_kind(question: str, stop: frozenset[str] = frozenset()) -> str | None:
    """The kind of numbered part ("principle") whose whole list the question asks for, or None."""
    if numbered_parts(question) or answer_type(question) in ASKS_VALUE:
        return None
    folded = fold(question)
    for kind, plural in PLURALS.items():
        if plural.search(folded) and set(tokenize(question, stop)) <= LIST_WORDS:
            return kind
    return None


def asked_part(question: str, stop: frozenset[str] = frozenset()) -> tuple[str, int] | None:
    """The one numbered part whose text the question asks for ("what does principle 8 say": ("principle", 8)),
    or None (two parts, or something else asked about it: "why", "who leads", "which wg mapped it")."""
    parts = numbered_parts(question)
    if len(parts) != 1:
        return None
    kind, number = PART_KEY.fullmatch(parts[0]).groups()
    words = set(tokenize(question, stop)) - {parts[0]} - PART_NAMES.get(kind, frozenset())
    asks = ASKS_CONTENT if words else ASKS_CONTENT | {"yesno"}  # "principle 2?" asks nothing else
    if kind not in PLURALS or not words <= SAY_WORDS or answer_type(question) not in asks:
        return None  # beyond the part's name, only words asking what it says (not "why is principle 8 there")
    return kind, int(number)


class Outline:
    """The documents of a collection whose sections are numbered parts, by kind and language."""

    def __init__(self, chunks: list[Chunk]) -> None:
        found: dict[tuple[str, str], dict[int, Section]] = {}
        for chunk in chunks:
            heading = chunk.metadata.get("heading") or ""
            parts = numbered_parts(heading)
            if len(parts) != 1:
                continue
            kind, number = PART_KEY.fullmatch(parts[0]).groups()  # "principle8" -> ("principle", "8")
            found.setdefault((chunk.doc_id, kind), {}).setdefault(int(number), Section(chunk, heading))
        self.documents: dict[str, list[list[Section]]] = {}
        for (_, kind), sections in found.items():
            numbers = sorted(sections)
            if len(numbers) >= MIN_PARTS and numbers == list(range(1, len(numbers) + 1)):
                self.documents.setdefault(kind, []).append([sections[n] for n in numbers])

    def sections(self, kind: str, language: str) -> list[Section] | None:
        """The outline of `kind` to answer with: in the asker's language first, then the fullest, then a
        declaration's."""
        candidates = self.documents.get(kind)
        if not candidates:
            return None
        return min(candidates, key=lambda s: (s[0].chunk.metadata.get("language") != language, -len(s),
                                              s[0].chunk.metadata.get("kind") != "declaration", s[0].chunk.doc_id))

    def answer(self, question: str, language: str, stop: frozenset[str] = frozenset(),
               follows: bool = False) -> tuple[list[Passage], list[Claim]] | None:
        """The passages and draft claims listing every part the question asks for (or the one it asks about,
        unless it `follows` the conversation: "and what does it do for principle 2?"), or None."""
        kind = asked_kind(question, stop)
        sections = self.sections(kind, language) if kind else None
        part = None if kind or follows else asked_part(question, stop)
        if part is not None:
            whole = self.sections(part[0], language)
            sections = [whole[part[1] - 1]] if whole and part[1] <= len(whole) else None
        if not sections:
            return None
        passages = [Passage.from_metadata(rank, s.chunk.chunk_id, s.chunk.text, 1.0, s.chunk.metadata)
                    for rank, s in enumerate(sections, start=1)]
        first = passages[0]
        quoted = first.language or language
        frame = QUOTES_IN.get(language, {}).get(quoted)
        named = (OUTLINE_BY if first.publisher else OUTLINE)[language]
        claims = [Claim(named.format(title=first.title, publisher=first.publisher), frame=True)]
        if frame:
            claims.append(Claim(frame[0], frame=True))
        for index, (section, passage) in enumerate(zip(sections, passages, strict=True)):
            span = _first_sentence(passage.text, section.heading)
            if span is None:
                continue
            text = passage.text[span[0]:span[1]]
            claims.append(Claim(f"{'- ' if len(sections) > 1 else ''}{section.heading} — {text}", [index],
                                {index: span}))
        return passages, claims


def _first_sentence(text: str, heading: str) -> tuple[int, int] | None:
    """The span of the first sentence after the heading in a section's text."""
    at = text.find(heading)
    after = at + len(heading) if at >= 0 else 0
    for start, end in split_sentences(text):
        if start >= after and text[start:end].strip():
            return start, end
    return None
