"""Questions about the supporters registry, answered from its rows and count tables, in the asker's language.

`answer_registry` parses the question into structured queries (`assistant.registry.query`: is X a supporter,
since when, how many, which ones, where most, the latest; filters by name, country, category, nature and
listing years; follow-ups from the conversation) and composes claims for citation verification: every
figure is quoted from a count table computed from the rows at indexing time (`Registry.figure`), every name
from its row. Long lists are summarised (count, breakdown by category, first names) and the full list is
returned as `rows` (the answer's `registry_rows`). "Not found" is an answer, with the nearest names.
A question that is not about the registry's content gives None: the chain then searches the passages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from assistant.answer import Answer, Passage
from assistant.prompts import REFUSAL, REGISTRY
from assistant.registry.compose import Draft
from assistant.registry.data import Registry, Row
from assistant.registry.lexicon import lexicon, read
from assistant.registry.query import RegistryQuery, Subject, parse, present_part
from assistant.support import TermWeights
from assistant.verify import Claim, repointed, verify
from index.chunking import Chunk
from index.glossary import fold

__all__ = ["Registry", "RegistryResult", "Row", "answer_registry", "answer_registry_part", "fold", "with_listings"]

# The registry itself named, folded ("in the supporters registry", "dans le registre", "sur la liste des soutiens",
# "is it listed", "est-elle listée"): a question the documents answer in part and the registry in part. The French
# "listé" folds to the noun "liste" ("la liste des principes"): after a verb only.
NAMES_REGISTRY = re.compile(r"\b(registry|registre|supporters?'?s? list|list of (the )?supporters|"
                            r"liste des (soutiens|signataires)|listed|listees?|(est|sont|etait|etaient|soit|"
                            r"pas|bien)\W+((il|elle|ils|elles|bien|deja|toujours|encore)\W+)?listes?|repertorie\w*)\b")
LISTED_ROWS = 2  # supporters whose registry entry an answer adds


@dataclass
class RegistryResult:
    """A registry answer: claims citing `chunks` by index, the full list of rows behind it, and what was
    understood. `documents_query` is set when the documents may add to it (the actual joining date of a
    supporter, which the registry does not record): the chain may search the passages with it."""

    claims: list[Claim]
    chunks: list[Chunk]
    rows: list[Row] = field(default_factory=list)
    queries: list[RegistryQuery] = field(default_factory=list)
    documents_query: str | None = None

    def __iter__(self):  # `claims, chunks = result`, as before
        return iter((self.claims, self.chunks))

    def passages(self) -> list[Passage]:
        return [Passage.from_metadata(i + 1, c.chunk_id, c.text, 1.0, c.metadata) for i, c in enumerate(self.chunks)]

    def answer(self, question: str, standalone: str, language: str, related: list[Passage],
               weights: TermWeights | None = None) -> Answer:
        """The verified `Answer`; `related` (passages found for the question) are offered when no row or
        table is cited (a supporter not found, a group with no supporter)."""
        rows = [dict(r.fields) for r in self.rows]
        verified = verify(self.claims, self.passages(), weights) if self.chunks else None
        if verified is None or not verified.citations:  # only frames stand without a citation
            text = " ".join(c.text for c in self.claims if c.frame or verified is None)
            return Answer(question=question, standalone_question=standalone, language=language,
                          text=text or REFUSAL[language], refused=not text, passages=related, related=related[:3],
                          backend="registry", registry_rows=rows)
        return Answer(question=question, standalone_question=standalone, language=language, text=verified.text,
                      citations=verified.citations, passages=self.passages(), backend="registry", registry_rows=rows)


def answer_registry(question: str, language: str, registry: Registry, history: list[str] | tuple[str, ...] = ()
                    ) -> RegistryResult | None:
    """The registry's answer to a question (with the conversation's earlier questions, most recent last),
    or None when it is not a question about the registry's content."""
    return _answer(parse(question, language, registry, history), registry, language)


def answer_registry_part(question: str, language: str, registry: Registry,
                         history: list[str] | tuple[str, ...] = ()) -> RegistryResult | None:
    """For a question that mixes another time with now ("how many supporters at launch, and how many now?"),
    the registry's part: today's figures, introduced as the registry's; `documents_query` is the question,
    for the chain to answer the other part from the documents and cite both. None for other questions
    (`answer_registry` answers those that are wholly about the registry)."""
    present = present_part(question)
    if present is None:
        return None
    result = _answer(parse(present, language, registry, history), registry, language)
    if result is not None:
        result.claims.insert(0, Claim(REGISTRY[language]["registry_part"], frame=True))
        result.documents_query = question
    return result


def _answer(queries: list[RegistryQuery] | None, registry: Registry, language: str) -> RegistryResult | None:
    if not queries:
        return None
    draft = Draft(registry, lexicon(registry), language)
    for query in _merged(queries):
        draft.add(query)
    if not draft.claims:
        return None
    return RegistryResult(draft.claims, draft.chunks, list({id(r): r for r in draft.rows}.values()), queries,
                          draft.documents_query)


def _merged(queries: list[RegistryQuery]) -> list[RegistryQuery]:
    """Clauses about the same supporter answered once ("is X listed, and since when?")."""
    out: list[RegistryQuery] = []
    for q in queries:
        last = out[-1] if out else None
        if last and q.kind == last.kind == "entity" and q.subject and last.subject and (
                q.subject.row is not None and q.subject.row is last.subject.row or q.subject.text == last.subject.text):
            out[-1] = replace(last, asks_date=last.asks_date or q.asks_date, yes_no=last.yes_no or q.yes_no,
                              understood=last.understood or q.understood, full=True)
        else:
            out.append(q)
    return out


def with_listings(question: str, language: str, registry: Registry, claims: list[Claim],
                  passages: list[Passage]) -> tuple[list[Claim], list[Passage]]:
    """For a question that names the registry but that the documents answer ("which co-chair of WG4 is listed in
    the registry as a Finnish company?", "ICTjournal names two Swiss supporters: which, and in which registry
    category?"): the claims with the registry entries of the first `LISTED_ROWS` supporters the question or the
    claims name, each cited from its row, after them; the passages with those rows added at the end (indices
    unchanged). Unchanged for other questions, or when no supporter is named."""
    if not registry or not claims or not NAMES_REGISTRY.search(fold(question)):
        return claims, passages
    lex = lexicon(registry)
    rows: dict[int, Row] = {}
    for text in [question, *(c.text for c in claims if not c.frame)]:
        for row in read(text, language, lex).rows:
            rows.setdefault(id(row), row)
    if not rows:
        return claims, passages
    draft = Draft(registry, lex, language)
    draft.frame(REGISTRY[language]["registry_part"])
    for row in list(rows.values())[:LISTED_ROWS]:
        draft.add(RegistryQuery("entity", subject=Subject(row.name, row), full=True))
    passages = list(passages)
    return [*claims, *repointed(draft.claims, draft.chunks, passages)], passages
