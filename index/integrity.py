"""Is the local vector store the one the index committed? A cheap comparison on every command, and a probe in
a child process for anything that does not match, so that damage inside Chroma's files becomes a clear error
with its fix, never a crash of the command (random bytes in an HNSW file make Chroma segfault).

The commit record (`store.json` in the committed index generation) describes what the local Chroma folder
held when the index was committed: the collection, its vector count, the position and digest of Chroma's
write-ahead log for the collection, and the size and digest of every file of its vector (HNSW) segment.
Reading Chroma changes none of these (it does change other bytes of `chroma.sqlite3`, which is why the
database is described by its rows, read with SQLite, never by its bytes). Before a collection has persisted
anything into its HNSW files (fewer vectors than its sync threshold, 1,000), Chroma rebuilds the index from
its log and rewrites those files on every open without reading them: they are then left out.

- match: the store is what was committed; it is opened in-process (the fast path);
- no match or no record (an interrupted run wrote more vectors, an index from an older version, a damaged
  file): the store is opened by `index.probe` in a child process first. If the child finds every committed
  vector where it should be, the record is renewed and the command goes on; if it fails or crashes, the
  command stops with `StoreDamagedError` and the fix (`assistant index --repair`).
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from index.snapshot import file_digest

RECORD = "store.json"
PROBE_TIMEOUT = 900  # seconds; a probe reads every vector once (about 3 s for 2,400 vectors)
_ROOT = Path(__file__).resolve().parent.parent


class FingerprintError(Exception):
    """Chroma's database cannot even be read by SQLite: the store is damaged."""


@dataclass
class StoreCheck:
    """The verdict on a local store: `ok`, else `problem` says what is wrong; `probed` when a child opened it."""

    ok: bool
    problem: str = ""
    probed: bool = False
    missing: bool = False  # no Chroma folder, or no collection in it: nothing can crash, vectors are just absent
    out_of_step: bool = False  # read without fault, but committed vectors are missing: `assistant index` adds them


def collection_name(prefix: str, embedder: str) -> str:
    return f"{prefix}_{embedder.replace('-', '_')}"


def fingerprint(chroma_dir: Path, collection: str) -> dict | None:
    """What the local store holds for `collection`, read without Chroma; None when there is no such store."""
    database = chroma_dir / "chroma.sqlite3"
    if not database.is_file():
        return None
    try:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=5) as db:
            row = db.execute("SELECT id FROM collections WHERE name = ?", (collection,)).fetchone()
            if row is None:
                return None
            segments = dict(db.execute("SELECT scope, id FROM segments WHERE collection = ?", (row[0],)).fetchall())
            vector, metadata = segments.get("VECTOR", ""), segments.get("METADATA", "")
            seqs = dict(db.execute("SELECT segment_id, seq_id FROM max_seq_id").fetchall())
            count = db.execute("SELECT COUNT(*) FROM embeddings WHERE segment_id = ?", (metadata,)).fetchone()[0]
            log = hashlib.blake2b(digest_size=16)
            entries = 0
            for seq, op, key, blob in db.execute(
                    "SELECT seq_id, operation, id, vector FROM embeddings_queue WHERE topic LIKE ? ORDER BY seq_id",
                    (f"%/{row[0]}",)):
                log.update(f"{seq}\t{op}\t{key}\t".encode(errors="surrogatepass") + (blob or b"") + b"\n")
                entries += 1
    except sqlite3.Error as exc:
        raise FingerprintError(f"its database {database.name} cannot be read ({exc})") from None
    files = {}
    folder = chroma_dir / vector
    if vector and folder.is_dir():
        for path in sorted(folder.iterdir()):
            if path.is_file():
                files[path.name] = [path.stat().st_size, file_digest(path)]
    return {"collection": collection, "collection_id": row[0], "vector_segment": vector, "count": count,
            "persisted_seq": seqs.get(vector), "log_entries": entries, "log_digest": log.hexdigest(),
            "files": files}


def read_record(generation: Path | None) -> dict | None:
    if generation is None:
        return None
    try:
        return json.loads((generation / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_record(generation: Path, store: dict, source: str) -> None:
    """Record what the store holds now, as part of the committed generation (atomically replaced)."""
    partial = generation / f"{RECORD}.{os.getpid()}.tmp"  # two commands renewing it at once do not mix
    partial.write_text(json.dumps({"source": source, "store": store}, indent=1), encoding="utf-8")
    with open(partial, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(partial, generation / RECORD)


def differences(recorded: dict, live: dict) -> list[str]:
    """What differs between the store recorded at commit time and the live one, in words."""
    found = []
    if recorded.get("collection_id") != live.get("collection_id"):
        found.append("the collection was replaced")
    if recorded.get("count") != live.get("count"):
        found.append(f"{live.get('count')} vectors instead of {recorded.get('count')}")
    if (recorded.get("log_entries"), recorded.get("log_digest")) != (live.get("log_entries"), live.get("log_digest")):
        found.append("its write-ahead log changed")
    before, now = recorded.get("files", {}), live.get("files", {})
    if recorded.get("persisted_seq") is None and live.get("persisted_seq") is None:
        before = now = {}  # nothing persisted yet: Chroma rebuilds from its log, rewriting and never reading them
    elif recorded.get("persisted_seq") != live.get("persisted_seq"):
        found.append("its vector files were written again")
    for name in sorted(set(before) | set(now)):
        if name not in now:
            found.append(f"{name} is missing")
        elif name not in before:
            found.append(f"{name} appeared")
        elif before[name][0] != now[name][0]:
            found.append(f"{name} is {now[name][0]:,} bytes instead of {before[name][0]:,}")
        elif before[name][1] != now[name][1]:
            found.append(f"{name} has changed")
    return found


def check_local_store(chroma_dir: Path, collection_prefix: str, embedder: str, generation: Path | None,
                      deep: bool = False, probe_if_unsure: bool = True) -> StoreCheck:
    """Compare the local store with the commit record; probe it in a child process when they differ (or
    always when `deep`; never when not `probe_if_unsure`). Never opens Chroma in this process."""
    name = collection_name(collection_prefix, embedder)
    try:
        live = fingerprint(chroma_dir, name)
    except FingerprintError as exc:
        return StoreCheck(False, f"the Chroma store at {chroma_dir} is damaged: {exc}")
    if live is None:
        return StoreCheck(True, missing=True)
    record = read_record(generation)
    changed = differences(record.get("store", {}), live) if record is not None else []
    if record is not None and not changed and not deep:
        return StoreCheck(True)
    if changed and _files_only(record.get("store", {}), live):  # no write explains it: the files were damaged
        return StoreCheck(False, f"the Chroma store at {chroma_dir} is damaged: {'; '.join(changed[:4])}, while "
                                 "nothing was written to it since the index was committed")
    if not probe_if_unsure:
        return StoreCheck(False, f"the Chroma store at {chroma_dir} is not the one the index committed")
    check = probe(chroma_dir, collection_prefix, embedder, generation, deep=deep)
    if check.ok and generation is not None and generation.is_dir():
        try:
            renewed = fingerprint(chroma_dir, name)
            if renewed is not None:
                write_record(generation, renewed, "probe")
        except (FingerprintError, OSError):
            pass  # the next command probes again
    elif not check.ok and changed:
        check.problem += f" (since the index was committed: {'; '.join(changed[:4])})"
    return check


def _files_only(recorded: dict, live: dict) -> bool:
    """True when HNSW files that hold persisted vectors differ from the record while everything Chroma changes
    when it writes (the collection, the count, the log, the position persisted into the files) is as recorded.
    Before anything is persisted (a small collection) the files are not compared at all (`differences`)."""
    written = ("collection_id", "count", "persisted_seq", "log_entries", "log_digest")
    before, now = recorded.get("files", {}), live.get("files", {})
    altered = [name for name in before if name in now and before[name] != now[name]]
    return (recorded.get("persisted_seq") is not None and bool(altered)
            and all(recorded.get(key) == live.get(key) for key in written))


def probe(chroma_dir: Path, collection_prefix: str, embedder: str, generation: Path | None,
          deep: bool = False) -> StoreCheck:
    """Open the store in a child process (`python -m index.probe`) and read every committed vector back."""
    spec = {"chroma_dir": str(chroma_dir), "collection": collection_prefix, "embedder": embedder,
            "generation": str(generation) if generation else "", "deep": deep}
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(_ROOT), os.environ.get("PYTHONPATH")]))}
    try:
        done = subprocess.run([sys.executable, "-m", "index.probe", json.dumps(spec)], capture_output=True,
                              text=True, env=env, timeout=PROBE_TIMEOUT, cwd=_ROOT)
    except subprocess.TimeoutExpired:
        return StoreCheck(False, f"reading the Chroma store at {chroma_dir} did not finish in {PROBE_TIMEOUT} s",
                          probed=True)
    where = f"the Chroma store at {chroma_dir}"
    if done.returncode < 0:
        name = signal.Signals(-done.returncode).name if -done.returncode in signal.valid_signals() else "a signal"
        return StoreCheck(False, f"{where} is damaged: Chroma crashed ({name}) while reading it", probed=True)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    try:
        verdict = json.loads(lines[-1])
    except (IndexError, ValueError):
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1][:200]
        return StoreCheck(False, f"{where} cannot be read (exit {done.returncode}: {tail})", probed=True)
    return StoreCheck(bool(verdict.get("ok")), str(verdict.get("problem", "")), probed=True,
                      out_of_step=bool(verdict.get("out_of_step")))
