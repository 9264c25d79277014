"""Conversations and feedback, kept in one SQLite file in the data folder (`settings.db_path`).

A conversation belongs to an owner (the random id a browser keeps in its local storage), so people using
the page at once never see each other's conversations. Each turn keeps the whole answer as JSON
(text, citations with their passages, refusal and related passages), so a restored answer is shown
exactly as it was first given. Feedback keeps its own copy of the question, answer and citations: it
survives the deletion of its conversation, and `export_feedback` writes it out as JSON lines.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

SCHEMA = """
CREATE TABLE IF NOT EXISTS conversations (
    id TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    created REAL NOT NULL,
    updated REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS conversations_owner ON conversations (owner, updated);
CREATE TABLE IF NOT EXISTS turns (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    key TEXT NOT NULL UNIQUE,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    created REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS turns_conversation ON turns (conversation_id, id);
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    turn_key TEXT NOT NULL UNIQUE,
    conversation_id TEXT NOT NULL,
    useful INTEGER NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    created REAL NOT NULL,
    updated REAL NOT NULL
);
"""
TITLE_CHARS = 70
# Heavy, re-derivable parts of an answer that a restored conversation does not need.
DROPPED_FIELDS = ("passages",)


def new_id(prefix: str = "", nbytes: int = 8) -> str:
    return prefix + secrets.token_hex(nbytes)


def _title(question: str) -> str:
    text = " ".join(question.split())
    return text if len(text) <= TITLE_CHARS else text[:TITLE_CHARS - 1].rstrip() + "…"


def _iso(stamp: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(stamp))


@dataclass(frozen=True)
class ConversationInfo:
    id: str
    title: str
    created: float
    updated: float
    turns: int


@dataclass(frozen=True)
class StoredTurn:
    key: str
    question: str
    answer: dict[str, Any]
    created: float


class ConversationStore:
    """Thread-safe access to the conversations database (a short-lived connection per operation)."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        with self._connect() as db:
            db.executescript(SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=15)
        db.row_factory = sqlite3.Row
        try:
            db.execute("PRAGMA foreign_keys = ON")
            db.execute("PRAGMA journal_mode = WAL")
            with db:  # a transaction, committed on success
                yield db
        finally:
            db.close()

    # -- conversations --------------------------------------------------------------------------------
    def create_conversation(self, owner: str, title: str = "") -> str:
        conversation_id = new_id("c")
        now = time.time()
        with self._lock, self._connect() as db:
            db.execute("INSERT INTO conversations (id, owner, title, created, updated) VALUES (?, ?, ?, ?, ?)",
                       (conversation_id, owner, _title(title), now, now))
        return conversation_id

    def list_conversations(self, owner: str) -> list[ConversationInfo]:
        """The owner's conversations, most recently used first."""
        with self._connect() as db:
            rows = db.execute(
                "SELECT c.id, c.title, c.created, c.updated, COUNT(t.id) AS n FROM conversations c "
                "LEFT JOIN turns t ON t.conversation_id = c.id WHERE c.owner = ? "
                "GROUP BY c.id ORDER BY c.updated DESC, c.created DESC", (owner,)).fetchall()
        return [ConversationInfo(r["id"], r["title"], r["created"], r["updated"], r["n"]) for r in rows]

    def owns(self, owner: str, conversation_id: str | None) -> bool:
        if not conversation_id:
            return False
        with self._connect() as db:
            row = db.execute("SELECT 1 FROM conversations WHERE id = ? AND owner = ?",
                             (conversation_id, owner)).fetchone()
        return row is not None

    def delete_conversation(self, owner: str, conversation_id: str) -> bool:
        """Delete one of the owner's conversations and its turns; False when it is not theirs."""
        with self._lock, self._connect() as db:
            deleted = db.execute("DELETE FROM conversations WHERE id = ? AND owner = ?",
                                 (conversation_id, owner)).rowcount
        return bool(deleted)

    # -- turns ----------------------------------------------------------------------------------------
    def add_turn(self, conversation_id: str, key: str, question: str, answer: dict[str, Any]) -> None:
        """Store a question and its whole answer (a `model_dump(mode="json")` of `Answer`)."""
        kept = {k: v for k, v in answer.items() if k not in DROPPED_FIELDS}
        now = time.time()
        with self._lock, self._connect() as db:
            db.execute("INSERT INTO turns (conversation_id, key, question, answer, created) VALUES (?, ?, ?, ?, ?)",
                       (conversation_id, key, question, json.dumps(kept, ensure_ascii=False), now))
            db.execute("UPDATE conversations SET updated = ?, title = CASE WHEN title = '' THEN ? ELSE title END "
                       "WHERE id = ?", (now, _title(question), conversation_id))

    def turns(self, conversation_id: str) -> list[StoredTurn]:
        with self._connect() as db:
            rows = db.execute("SELECT key, question, answer, created FROM turns WHERE conversation_id = ? "
                              "ORDER BY id", (conversation_id,)).fetchall()
        return [StoredTurn(r["key"], r["question"], json.loads(r["answer"]), r["created"]) for r in rows]

    # -- feedback -------------------------------------------------------------------------------------
    def set_feedback(self, conversation_id: str, turn_key: str, question: str, answer: dict[str, Any],
                     useful: bool, comment: str | None = None) -> None:
        """Record (or change) the verdict on one answer; a None comment keeps the one already given."""
        kept = {k: v for k, v in answer.items() if k not in DROPPED_FIELDS}
        now = time.time()
        with self._lock, self._connect() as db:
            db.execute(
                "INSERT INTO feedback (turn_key, conversation_id, useful, comment, question, answer, created, "
                "updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (turn_key) DO UPDATE SET "
                "useful = excluded.useful, updated = excluded.updated, "
                "comment = CASE WHEN ? IS NULL THEN feedback.comment ELSE excluded.comment END",
                (turn_key, conversation_id, int(useful), comment or "", question,
                 json.dumps(kept, ensure_ascii=False), now, now, comment))

    def add_comment(self, turn_key: str, comment: str) -> bool:
        """Attach a comment to the feedback already given on an answer; False when there is none."""
        with self._lock, self._connect() as db:
            changed = db.execute("UPDATE feedback SET comment = ?, updated = ? WHERE turn_key = ?",
                                 (comment.strip(), time.time(), turn_key)).rowcount
        return bool(changed)

    def feedback(self) -> list[dict[str, Any]]:
        """Every feedback record, oldest first, in the export format."""
        with self._connect() as db:
            rows = db.execute("SELECT * FROM feedback ORDER BY created, id").fetchall()
        records = []
        for r in rows:
            answer = json.loads(r["answer"])
            records.append({
                "id": r["id"], "created": _iso(r["created"]), "updated": _iso(r["updated"]),
                "conversation_id": r["conversation_id"], "turn_key": r["turn_key"],
                "rating": "useful" if r["useful"] else "not useful", "useful": bool(r["useful"]),
                "comment": r["comment"], "question": r["question"], "answer": answer.get("text", ""),
                "language": answer.get("language"), "refused": bool(answer.get("refused")),
                "citations": [{k: c.get(k) for k in ("marker", "doc_id", "chunk_id", "title", "quote", "publisher",
                                                      "date", "url", "page", "kind")}
                              for c in answer.get("citations", [])],
            })
        return records

    def export_feedback(self, stream: TextIO) -> int:
        """Write every feedback record to `stream` as JSON lines; returns how many were written."""
        records = self.feedback()
        for record in records:
            stream.write(json.dumps(record, ensure_ascii=False) + "\n")
        return len(records)
