"""The child-process side of the store check: `python -m index.probe SPEC` opens the local Chroma store and
reads every committed vector back. It runs apart (`index.integrity.probe`) so that a crash inside Chroma
ends this child, not the command. It prints one JSON line: {"ok": true, ...} or {"ok": false, "problem": ...}.

Checks, in order: every committed passage that is embedded (all but the count tables) has a vector; the
stored vectors are the committed ones (when the snapshot kept a copy); the nearest-neighbour index finds
every passage from its own vector; and, when asked (`deep`, or when there is no committed copy), passages
embedded again find themselves, which also catches vectors made by another model.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from index.embedders import Embedder
    from index.snapshot import Snapshot
    from index.store import ChromaStore

QUERY_BATCH = 500
OUT_OF_STEP = "the store is out of step with the index"
DEEP_SAMPLE = 12


def run(spec: dict) -> dict:
    """Open the local store described by `spec` and verify it against the committed generation."""
    from corpus.errors import AssistantError
    from index.embedders import get_embedder
    from index.snapshot import Snapshot
    from index.store import ChromaStore

    snapshot = None
    if spec.get("generation"):
        try:
            snapshot = Snapshot.load_generation(Path(spec["generation"]))
        except AssistantError:
            snapshot = None  # the snapshot's own damage is reported by its loader; the store is checked alone
    embedder = get_embedder(spec["embedder"])  # loads no model until something is embedded
    try:
        store = ChromaStore(embedder, path=Path(spec["chroma_dir"]), collection=spec["collection"])
        problem = verify(store, snapshot, embedder, bool(spec.get("deep")))
    except AssistantError as err:
        problem = f"the Chroma store at {spec['chroma_dir']} is damaged: {err.message}"
    return {"ok": not problem, "problem": problem, "out_of_step": problem.endswith(OUT_OF_STEP)}


def verify(store: ChromaStore, snapshot: Snapshot | None, embedder: Embedder, deep: bool = False) -> str:
    """What is wrong with `store` against the committed `snapshot` (its own contents when there is none);
    an empty string when nothing is."""
    where = f"the Chroma store at {store.url or store.path}"
    stored = store.ids()
    committed = snapshot.committed_vectors() if snapshot else None
    order = snapshot.embedded_ids if snapshot else sorted(stored)
    expected = [i for i in order if i in stored]  # what is missing is reported last: it is not damage
    missing = len(order) - len(expected)
    found = store.vectors(expected)
    if committed is not None:
        rows = dict(zip(order, committed, strict=True))
        differ = [i for i in expected if i not in found or not np.allclose(found[i], rows[i], atol=1e-5)]
        if differ:
            return (f"{len(differ)} of {len(expected)} vectors in {where} differ from the ones committed with "
                    f"the index (e.g. {differ[0]}): its vectors are damaged")
    queries = [rows[i] for i in expected] if committed is not None else [found[i] for i in expected]
    lost = _not_found(store, expected, np.vstack(queries), 0.999, len(stored)) if expected else []
    if lost:
        return (f"the nearest-neighbour index of {where} does not find {len(lost)} of {len(expected)} passages "
                f"from their own vectors (e.g. {lost[0]}): it is damaged")
    if missing:
        example = next(i for i in order if i not in stored)
        return (f"{missing} of {len(order)} indexed passages have no vector in {where} (e.g. {example}): "
                f"{OUT_OF_STEP}")
    if snapshot and (deep or committed is None):
        step = max(1, len(snapshot.embedded) // DEEP_SAMPLE)
        picks = snapshot.embedded[::step][:DEEP_SAMPLE]
        fresh = embedder.embed_documents([c.context_text() for c in picks])
        wrong = _not_found(store, [c.chunk_id for c in picks], fresh, 0.98, len(stored))
        if wrong:
            return (f"{where} does not find passage {wrong[0]} from its own text embedded again: its vectors "
                    "are damaged or were made by another model")
    return ""


def _not_found(store: ChromaStore, ids: list[str], queries: np.ndarray, threshold: float, size: int) -> list[str]:
    """The ids whose vector does not bring them back among its nearest neighbours (a near-exact tie counts).
    The index is approximate: a miss among the nearest ten is asked again for the nearest hundred, then for
    every vector (the graph's walk can stall among near-identical vectors, the registry's one-line rows: a
    healthy store repaired in a test was once called damaged for it), and a few misses in a thousand are
    tolerated; damaged links lose far more, or crash."""
    lost = _misses(store, ids, queries, threshold, min(10, size))
    for k in (min(100, size), size):
        if not lost:
            break
        again = {i: queries[n] for n, i in enumerate(ids) if i in set(lost)}
        lost = _misses(store, list(again), np.vstack(list(again.values())), threshold, k)
    return lost if len(lost) > len(ids) // 500 else []


def _misses(store: ChromaStore, ids: list[str], queries: np.ndarray, threshold: float, k: int) -> list[str]:
    lost = []
    for start in range(0, len(ids), QUERY_BATCH):
        results = store.query_batch(queries[start:start + QUERY_BATCH], k)
        for chunk_id, hits in zip(ids[start:start + QUERY_BATCH], results, strict=True):
            if chunk_id not in {i for i, _ in hits} and not (hits and hits[0][1] >= threshold):
                lost.append(chunk_id)
    return lost


def main() -> int:
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    try:
        verdict = run(json.loads(sys.argv[1]))
    except Exception as exc:  # noqa: BLE001 - any failure reading the store is the verdict, reported as text
        verdict = {"ok": False, "problem": f"the Chroma store at {json.loads(sys.argv[1]).get('chroma_dir')} "
                                           f"cannot be read ({type(exc).__name__}: {str(exc)[:200]})"}
    print(json.dumps(verdict), flush=True)
    return 0 if verdict.get("ok") else 1


if __name__ == "__main__":
    sys.exit(main())
