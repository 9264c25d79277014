"""Named configurations of the answer chain, for side-by-side evaluation runs.

`full` is the product's default. `baseline` is the plain LangChain recipe (dense top-4 by vector similarity,
the top passage returned as is, no verification, no refusal), so a report shows what the design adds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from corpus.errors import ConfigError
from index.retriever import SearchConfig


@dataclass(frozen=True)
class Preset:
    name: str
    search: SearchConfig | None = None  # None: the settings' search configuration
    k: int | None = None  # None: settings.retrieve_k
    registry: bool = True  # answer registry questions from the registry rows
    followups: bool = True  # complete follow-up questions from the conversation
    refuse: bool = True  # refuse when the sources do not support an answer
    verify: bool = True  # verify citations after composition
    composer: str = "answer"  # "answer" (the backend composes) or "top-passage" (the first passage as is)
    description: str = field(default="", compare=False)


PRESETS = {
    "full": Preset("full", description="hybrid + diversity + registry + follow-ups + verification (default)"),
    "hybrid": Preset("hybrid", SearchConfig("hybrid", per_doc_cap=1000, dedupe_threshold=1.01), registry=False,
                     description="hybrid retrieval without diversity or registry answers"),
    "dense": Preset("dense", SearchConfig("dense"), description="dense retrieval only, otherwise full"),
    "bm25": Preset("bm25", SearchConfig("lexical"), description="BM25 retrieval only, otherwise full"),
    "baseline": Preset("baseline", SearchConfig("dense", per_doc_cap=1000, dedupe_threshold=1.01), k=4,
                       registry=False, followups=False, refuse=False, verify=False, composer="top-passage",
                       description="plain recipe: dense top-4, top passage as the answer"),
}


def get_preset(name: str) -> Preset:
    if name not in PRESETS:
        raise ConfigError(f"unknown configuration {name!r}; choose from {', '.join(PRESETS)}")
    return PRESETS[name]
