"""Bad text at the edges (issue 14): invalid UTF-8 and lone surrogates from the command line or the page are
replaced before anything uses them, so they can be answered, stored, exported and sent back as JSON. The
command-line cases run the real command in `tests/unit/test_cli.py`; here, the page's handlers with a fake
assistant and a real SQLite store."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from corpus.text import REPLACEMENT, clean_text
from tests.unit.test_ui_app import FakeAssistant
from ui.handlers import ChatHandlers
from ui.store import ConversationStore

BAD = ["What is \ud800 the Call?", "lone low \udcff surrogate", "\udcc3\udca9t\udce9", "\ud83d alone", "\udfff"]


@pytest.mark.parametrize("text", BAD)
def test_clean_text_replaces_each_lone_surrogate_and_keeps_the_rest(text: str):
    cleaned = clean_text(text)
    cleaned.encode("utf-8")  # printable, storable
    assert len(cleaned) == len(text) and cleaned.count(REPLACEMENT) == sum(0xD800 <= ord(c) <= 0xDFFF for c in text)
    assert [c for c in cleaned if c != REPLACEMENT] == [c for c in text if not 0xD800 <= ord(c) <= 0xDFFF]


def test_clean_text_leaves_valid_text_alone():
    text = "Qu'est-ce que l'Appel de Paris ? 巴黎 \U0001F600 \u200b"
    assert clean_text(text) is text


@pytest.fixture
def handlers(tmp_path: Path) -> ChatHandlers:
    return ChatHandlers(FakeAssistant(), ConversationStore(tmp_path / "c.sqlite3"), tmp_path / "exports")


@pytest.mark.parametrize("question", BAD)
def test_a_question_with_lone_surrogates_from_the_page_is_answered_and_stored(handlers: ChatHandlers, question):
    states = [copy.deepcopy(s) for s in handlers.ask(question, handlers.start({}))]
    turn = states[-1]["turns"][-1]
    assert "error" not in turn and turn["answer"]["text"].startswith(f"Answer to {clean_text(question)}")
    assert handlers.assistant.calls[-1][0] == clean_text(question)  # the assistant never sees a surrogate
    json.dumps(states[-1], ensure_ascii=False).encode("utf-8")  # what Gradio sends back to the browser
    stored = handlers.store.turns(states[-1]["conversation"])
    assert stored[0].question == clean_text(question)
    assert Path(handlers.export(states[-1])).read_text(encoding="utf-8")  # the Markdown export is written


def test_a_comment_and_a_date_filter_with_lone_surrogates_are_clean_messages(handlers: ChatHandlers):
    state = handlers.start({})
    state, ok = handlers.feedback([copy.deepcopy(s) for s in handlers.ask("Who signed?", state)][-1], 1, True)
    assert ok and handlers.comment(state, "useful \udcff answer")
    final = [copy.deepcopy(s) for s in handlers.ask("When?", state, date_from="2018\ud800")][-1]
    error = final["turns"][-1]["error"]
    assert "2018" + REPLACEMENT in error  # the bad date is named, in text that can be shown
    error.encode("utf-8")
