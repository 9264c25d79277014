"""What each control of the chat page does, as plain methods on a per-session `state` dict.

The dict (held in a `gr.State`, so never shared between sessions) has the browser's owner id
(`client`), the open conversation, its turns (`key`, `question`, and `answer` as a JSON dict, or
`error`, or `partial` while streaming), the interface language and the answer last given feedback.
Nothing here imports Gradio: the handlers are tested directly with a fake assistant.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from assistant.answer import Answer
from corpus.errors import AssistantError
from corpus.text import clean_text
from index.filters import Filters
from ui import render
from ui.assets import TEXT
from ui.store import ConversationStore, new_id

log = logging.getLogger(__name__)
OWNER_BYTES = 16  # a browser's owner id is the only key to its conversations: unguessable
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


class ChatHandlers:
    """What each control of the page does, on a per-session `state` dict (never shared)."""

    def __init__(self, assistant: Any, store: ConversationStore, export_dir: Path) -> None:
        self.assistant, self.store, self.export_dir = assistant, store, Path(export_dir)

    # -- sessions -------------------------------------------------------------------------------------
    @staticmethod
    def fresh(state: dict | None) -> dict:
        state = dict(state or {})
        state.setdefault("client", new_id("u", OWNER_BYTES))
        state.setdefault("conversation", None)
        state["turns"] = list(state.get("turns") or [])
        state["lang"] = state.get("lang") if state.get("lang") in TEXT else "en"
        state.setdefault("feedback_key", None)
        return state

    def start(self, browser: dict | None) -> dict:
        """A session from what the browser remembers: its owner id, open conversation and language."""
        browser = browser if isinstance(browser, dict) else {}
        state = self.fresh({"client": browser.get("client") or None, "lang": browser.get("lang")})
        if not state["client"]:
            state["client"] = new_id("u", OWNER_BYTES)
        return self.open(state, browser.get("conversation"))

    def open(self, state: dict, conversation_id: str | None) -> dict:
        state = self.fresh(state)
        if self.store.owns(state["client"], conversation_id):
            state["conversation"] = conversation_id
            state["turns"] = [{"key": t.key, "question": t.question, "answer": t.answer}
                              for t in self.store.turns(conversation_id)]
        else:
            state["conversation"], state["turns"] = None, []
        state["feedback_key"] = None
        return state

    def new(self, state: dict) -> dict:
        return self.open(state, None)

    def delete(self, state: dict) -> dict:
        state = self.fresh(state)
        if state["conversation"]:
            self.store.delete_conversation(state["client"], state["conversation"])
        conversations = self.store.list_conversations(state["client"])
        return self.open(state, conversations[0].id if conversations else None)

    def choices(self, state: dict) -> list[tuple[str, str]]:
        return [(c.title or "…", c.id) for c in self.store.list_conversations(state["client"])]

    # -- asking ---------------------------------------------------------------------------------------
    def filters(self, kinds, languages, date_from, date_to, lang: str) -> Filters:
        dates = []
        for value in (date_from, date_to):
            value = clean_text(value or "").strip()
            if value and not DATE.match(value):
                raise AssistantError(TEXT[lang]["bad_date"].format(value=value[:40]))
            dates.append(value or None)
        return Filters(kinds=tuple(kinds or ()), languages=tuple(languages or ()), date_from=dates[0],
                       date_to=dates[1])

    def ask(self, question: str, state: dict, kinds=None, languages=None, date_from="", date_to="") -> Iterator[dict]:
        """Yields the session state as the answer grows; the last one holds the stored, cited answer."""
        state = self.fresh(state)
        question = clean_text(question or "")  # invalid UTF-8 or lone surrogates sent by the page: replaced
        turn: dict[str, Any] = {"key": new_id("t"), "question": question, "partial": ""}
        history = [t["question"] for t in state["turns"] if t.get("answer")]
        state["turns"] = state["turns"] + [turn]
        try:
            filters = self.filters(kinds, languages, date_from, date_to, state["lang"])
            yield state
            answer = None
            for piece in self.assistant.stream(question or "", history=history, filters=filters):
                if isinstance(piece, Answer):
                    answer = piece
                else:
                    turn["partial"] += str(piece)
                    yield state
            if answer is None:
                raise RuntimeError("the assistant gave no answer")
            turn["answer"] = answer.model_dump(mode="json")
            if not self.store.owns(state["client"], state["conversation"]):
                state["conversation"] = self.store.create_conversation(state["client"], question)
            self.store.add_turn(state["conversation"], turn["key"], turn["question"], turn["answer"])
        except AssistantError as err:
            turn["error"] = err.message
        except Exception:
            log.exception("answering a question failed")
            turn["error"] = TEXT[state["lang"]]["error"]
        turn.pop("partial", None)
        yield state

    # -- feedback and export --------------------------------------------------------------------------
    def feedback(self, state: dict, index: int | tuple | list, liked: bool | str) -> tuple[dict, bool]:
        """Record useful / not useful for the answer at chat message `index`; True when it was recorded."""
        state = self.fresh(state)
        position = (index[0] if isinstance(index, (list, tuple)) else int(index)) // 2
        useful = {True: True, "Like": True, False: False, "Dislike": False}.get(liked)  # type: ignore[call-overload]
        if useful is None or not 0 <= position < len(state["turns"]):
            return state, False
        turn = state["turns"][position]
        if not turn.get("answer") or not state["conversation"]:
            return state, False
        self.store.set_feedback(state["conversation"], turn["key"], turn["question"], turn["answer"], useful)
        state["feedback_key"] = turn["key"]
        return state, True

    def comment(self, state: dict, text: str) -> bool:
        key, text = (state or {}).get("feedback_key"), clean_text(text or "")
        return bool(key and text.strip() and self.store.add_comment(key, text[:4000]))

    def export(self, state: dict) -> str | None:
        """The conversation as a Markdown file (None while it has no answer)."""
        state = self.fresh(state)
        if not any(t.get("answer") for t in state["turns"]):
            return None
        self.export_dir.mkdir(mode=0o700, parents=True, exist_ok=True)  # conversations are private
        folder = self.export_dir / render.ID_SAFE.sub("", state["conversation"] or state["client"])
        folder.mkdir(exist_ok=True)
        path = folder / "paris-call-conversation.md"
        path.write_text(render.conversation_markdown(state["turns"], state["lang"]), encoding="utf-8")
        return str(path)
