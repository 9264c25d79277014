"""The chat page's handlers with fakes, the app built without launching it, and two concurrent clients of
a live server on 127.0.0.1."""

from __future__ import annotations

import copy
import logging
import sys
import threading
import types
from pathlib import Path

import pytest

from assistant.answer import Answer, Citation, Passage
from corpus.errors import ConfigError, QuestionError
from ui import documents, render
from ui.app import check_auth, create_app, launch, launch_options
from ui.handlers import ChatHandlers
from ui.store import ConversationStore


class FakeAssistant:
    """Streams "Answer to <question>" in pieces, then a cited `Answer`; records what it was asked."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, list[str], object]] = []
        self.backend = "extractive"

    def stream(self, question, history=None, filters=None):
        self.calls.append((question, list(history or []), filters))
        if not question.strip():
            raise QuestionError("Please type a question about the Paris Call.")
        if len(question) > 200:
            raise QuestionError(f"That question is too long ({len(question)} characters; the limit is 200).")
        if "explode" in question:
            raise RuntimeError("database password is hunter2")  # never shown to the user
        if "recipe" in question:
            yield Answer(question=question, text="The sources I have don't answer this.", refused=True,
                         related=[Passage(rank=1, chunk_id="d#0", doc_id="d", title="Close", text="close text")])
            return
        text = f"Answer to {question} [1]."
        for i in range(0, len(text), 5):
            yield text[i:i + 5]
        passage = f"Context: {question} is answered here."
        quote = f"{question} is answered here."
        yield Answer(question=question, text=text, citations=[Citation(
            marker=1, doc_id="call.md", chunk_id="call.md#0@a", title="The Call", quote=quote,
            start=passage.index(quote), end=len(passage), passage=passage, url="https://example.org/call")],
            passages=[Passage(rank=1, chunk_id="call.md#0@a", doc_id="call.md", title="The Call", text=passage)])


@pytest.fixture
def handlers(tmp_path: Path) -> ChatHandlers:
    return ChatHandlers(FakeAssistant(), ConversationStore(tmp_path / "c.sqlite3"), tmp_path / "exports")


def ask(h: ChatHandlers, question: str, state: dict | None, **filters) -> tuple[dict, list[dict]]:
    states = [copy.deepcopy(s) for s in h.ask(question, state, **filters)]  # each yield as it was then
    return states[-1], states


CATALOG = documents.Catalog({"call.md": {"title": "The Call", "kind": "declaration", "language": "en"}},
                         {"call.md": ["The text of the Call."]})


def test_an_answer_streams_then_is_stored_with_its_citations(handlers):
    state = handlers.start({})
    final, states = ask(handlers, "When was it launched?", state)
    partials = [s["turns"][-1].get("partial") for s in states[:-1]]
    assert len(states) > 3 and partials[0] == "" and partials[-1] == "Answer to When was it launched? [1]."
    turn = final["turns"][-1]
    assert "partial" not in turn and turn["answer"]["citations"][0]["title"] == "The Call"
    conversations = handlers.store.list_conversations(final["client"])
    assert [c.id for c in conversations] == [final["conversation"]] and conversations[0].title == "When was it launched?"
    assert handlers.store.turns(final["conversation"])[0].answer["text"] == "Answer to When was it launched? [1]."


def test_follow_ups_get_the_earlier_questions_and_the_filters(handlers):
    state, _ = ask(handlers, "Who launched the Call?", handlers.start({}))
    state, _ = ask(handlers, "And when?", state, kinds=["news"], languages=["fr"], date_from="2019", date_to="2021-06")
    question, history, filters = handlers.assistant.calls[-1]
    assert question == "And when?" and history == ["Who launched the Call?"]
    assert filters.kinds == ("news",) and filters.languages == ("fr",)
    assert (filters.date_from, filters.date_to) == ("2019", "2021-06")
    assert len(handlers.store.turns(state["conversation"])) == 2


def test_a_conversation_is_restored_after_a_reload_and_a_server_restart(handlers, tmp_path):
    state, _ = ask(handlers, "First?", handlers.start({}))
    state, _ = ask(handlers, "Second?", state)
    browser = {"client": state["client"], "conversation": state["conversation"], "lang": "fr"}
    restarted = ChatHandlers(FakeAssistant(), ConversationStore(tmp_path / "c.sqlite3"), tmp_path / "exports")
    restored = restarted.start(browser)
    assert restored["lang"] == "fr" and [t["question"] for t in restored["turns"]] == ["First?", "Second?"]
    assert restored["turns"][1]["answer"]["citations"] == state["turns"][1]["answer"]["citations"]
    panel = render.sources_html(restored["turns"], "fr")
    assert panel.count('class="pca-card"') == 2  # citations never vanish from a restored answer
    # another browser cannot open it, even knowing its id
    stranger = restarted.start({"client": "someone-else", "conversation": state["conversation"]})
    assert stranger["turns"] == [] and stranger["conversation"] is None


def test_errors_are_readable_messages_never_tracebacks_and_are_logged(handlers, caplog):
    state = handlers.start({})
    state, _ = ask(handlers, "x" * 500, state)
    assert state["turns"][-1]["error"].startswith("That question is too long (500 characters")
    state, _ = ask(handlers, "", state)
    assert state["turns"][-1]["error"] == "Please type a question about the Paris Call."
    with caplog.at_level(logging.ERROR, logger="ui"):
        state, _ = ask(handlers, "please explode", state)
    error = state["turns"][-1]["error"]
    assert error.startswith("Something went wrong") and "hunter2" not in error and "Traceback" not in error
    assert "answering a question failed" in caplog.text and "hunter2" in caplog.text  # logged with the cause
    state, _ = ask(handlers, "dated?", state, date_from="last year")
    assert "YYYY" in state["turns"][-1]["error"] and "last year" in state["turns"][-1]["error"]
    assert state["conversation"] is None  # nothing was stored: no conversation was created
    assert handlers.store.list_conversations(state["client"]) == []
    follow, _ = ask(handlers, "A real one", state)
    assert handlers.assistant.calls[-1][1] == []  # failed questions are not history


def test_a_refusal_is_stored_and_shown_with_its_closest_passages(handlers):
    state, _ = ask(handlers, "A cake recipe?", handlers.start({}))
    state, _ = ask(handlers, "recipe again", state)
    assert state["turns"][-1]["answer"]["refused"]
    html = render.chat_messages(state["turns"], "en")[-1]["content"]
    assert "Not answered from the sources" in html and "Close" in html


def test_feedback_and_comment_are_stored_with_the_answer(handlers):
    state, _ = ask(handlers, "One?", handlers.start({}))
    state, _ = ask(handlers, "Two?", state)
    state, ok = handlers.feedback(state, 3, False)  # message 3 is the answer to the second question
    assert ok and state["feedback_key"] == state["turns"][1]["key"]
    assert handlers.comment(state, "Missing the date")
    assert not handlers.feedback(state, 99, True)[1] and not handlers.feedback(state, 1, "maybe")[1]
    [record] = handlers.store.feedback()
    assert (record["question"], record["rating"], record["comment"]) == ("Two?", "not useful", "Missing the date")
    assert record["citations"][0]["title"] == "The Call"


def test_new_open_and_delete_conversations(handlers):
    first, _ = ask(handlers, "First conversation", handlers.start({}))
    second = handlers.new(first)
    assert second["turns"] == [] and second["conversation"] is None and second["client"] == first["client"]
    second, _ = ask(handlers, "Second conversation", second)
    assert [label for label, _ in handlers.choices(second)] == ["Second conversation", "First conversation"]
    reopened = handlers.open(second, first["conversation"])
    assert [t["question"] for t in reopened["turns"]] == ["First conversation"]
    after = handlers.delete(reopened)
    assert [label for label, _ in handlers.choices(after)] == ["Second conversation"]
    assert after["conversation"] == second["conversation"]  # the next conversation is opened
    assert handlers.delete(after)["conversation"] is None


def test_export_writes_the_conversation_as_markdown(handlers):
    state = handlers.start({})
    assert handlers.export(state) is None
    state, _ = ask(handlers, "Who <b>launched</b> it?", state)
    text = Path(handlers.export(state)).read_text(encoding="utf-8")
    assert "## 1. Who <b>launched</b> it?" in text and "**References**" in text
    assert "1. The Call — <https://example.org/call>" in text


def test_two_sessions_at_once_do_not_leak_into_each_other(handlers):
    results: dict[str, dict] = {}

    def session(name: str) -> None:
        state = handlers.start({})
        for i in range(5):
            state, _ = ask(handlers, f"{name} question {i}", state)
        results[name] = state

    threads = [threading.Thread(target=session, args=(n,)) for n in ("alice", "bob")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    alice, bob = results["alice"], results["bob"]
    assert alice["client"] != bob["client"]
    assert all(t["question"].startswith("alice") for t in alice["turns"]) and len(alice["turns"]) == 5
    assert all(t["question"].startswith("bob") for t in bob["turns"]) and len(bob["turns"]) == 5
    assert handlers.choices(alice) == [("alice question 0", alice["conversation"])]
    assert all("bob" not in t.question for t in handlers.store.turns(alice["conversation"]))


def endpoint(app, name: str):
    return next(f for f in app.fns.values() if f.api_name == name)


def test_create_app_builds_the_page_without_launching_it(tmp_path, hash_settings):
    app = create_app(hash_settings, assistant=FakeAssistant(), store=ConversationStore(tmp_path / "c.sqlite3"),
                     catalog=CATALOG, export_dir=tmp_path / "exports")
    assert app.analytics_enabled is False and not getattr(app, "server", None)
    assert {"ask", "new_conversation", "delete_conversation", "open_conversation"} <= {f.api_name for f in app.fns.values()}
    theme = launch_options()["theme"]
    assert "GoogleFont" not in repr(theme._font) and "googleapis" not in theme._get_theme_css()
    assert "#cite-" in launch_options()["head"]
    # the Gradio-level ask streams chat messages; the last yield carries the stored conversation
    outputs = list(endpoint(app, "ask").fn("Hello?", None, [], [], "", ""))
    state, browser, messages = outputs[-1][:3]
    assert browser == {"client": state["client"], "conversation": state["conversation"], "lang": "en"}
    assert messages[-1]["content"].startswith("Answer to Hello? ") and 'href="#cite-' in messages[-1]["content"]
    assert outputs[-1][-1] == ""  # the question box is emptied


def test_create_app_over_a_real_index(hash_settings):
    from assistant.service import index_corpus

    index_corpus(hash_settings, progress=False)
    app = create_app(hash_settings)
    *_, last = endpoint(app, "ask").fn("Which principle defends electoral processes?", None, [], [], "", "")
    state, _, messages, sources = last[:4]
    assert state["turns"][-1].get("answer"), state["turns"][-1]
    assert "pca-card" in sources or "pca-refusal" in messages[-1]["content"]
    assert (hash_settings.data_dir / "ui-secret").is_file()


def test_binding_beyond_loopback_requires_a_password(hash_settings):
    assert check_auth(hash_settings) is None
    with pytest.raises(ConfigError, match="PCA_AUTH_USER"):
        check_auth(hash_settings.model_copy(update={"host": "0.0.0.0"}))
    with pytest.raises(ConfigError):
        check_auth(hash_settings.model_copy(update={"host": "0.0.0.0", "auth_user": "me"}))
    from pydantic import SecretStr

    secured = hash_settings.model_copy(update={"host": "0.0.0.0", "auth_user": "me", "auth_password": SecretStr("pw")})
    assert check_auth(secured) == ("me", "pw")


def test_two_concurrent_clients_of_a_live_server(tmp_path, hash_settings, capsys):
    from gradio_client import Client

    settings = hash_settings.model_copy(update={"port": 0})
    app = create_app(settings, assistant=FakeAssistant(), store=ConversationStore(tmp_path / "c.sqlite3"),
                     catalog=CATALOG, export_dir=tmp_path / "exports")
    app, url = launch(settings, block=False, app=app)
    try:
        assert url.startswith("http://127.0.0.1:") and url in capsys.readouterr().out
        results: dict[str, list] = {}
        errors: list[BaseException] = []

        def client(name: str) -> None:
            try:
                c = Client(url, verbose=False)
                for i in range(3):
                    out = c.predict(f"{name} asks {i}", [], [], "", "", api_name="/ask")
                results[name] = out
            except BaseException as err:  # noqa: BLE001 - reported below
                errors.append(err)

        threads = [threading.Thread(target=client, args=(n,)) for n in ("alice", "bob")]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        assert not errors and set(results) == {"alice", "bob"}
        for name, other in (("alice", "bob"), ("bob", "alice")):
            browser, messages = results[name][0], results[name][1]
            users = [m["content"][0]["text"] for m in messages if m["role"] == "user"]
            assert users == [f"{name} asks {i}" for i in range(3)]
            assert not any(other in str(m) for m in messages)
            assert browser["client"] != results[other][0]["client"]
    finally:
        app.close()


def test_the_briefing_tab_appears_when_its_module_exists(tmp_path, hash_settings, monkeypatch):
    made = {}

    def build_briefing(assistant, topic, language="en", filters=None):
        made.update(topic=topic, language=language, filters=filters)
        return types.SimpleNamespace(model_dump=lambda mode=None: {
            "title": f"Briefing: {topic}", "sections": [{"heading": "Summary", "sentences": [
                {"text": "A fact", "markers": [1]}]}], "references": [Citation(
                    marker=1, doc_id="d", chunk_id="d#0", title="Doc", quote="fact", start=2, end=6,
                    passage="A fact.").model_dump(mode="json")]})

    def to_docx(briefing, path):
        Path(path).write_bytes(b"docx")
        return Path(path)

    monkeypatch.setitem(sys.modules, "assistant.briefing.build", types.SimpleNamespace(build_briefing=build_briefing,
                                                                                  Briefing=object))
    monkeypatch.setitem(sys.modules, "assistant.briefing.export",
                        types.SimpleNamespace(to_markdown=lambda b: "# Briefing\n", to_docx=to_docx))
    app = create_app(hash_settings, assistant=FakeAssistant(), store=ConversationStore(tmp_path / "c.sqlite3"),
                     catalog=CATALOG, export_dir=tmp_path / "exports")
    preview, md, docx = endpoint(app, "briefing").fn("supply chain", "fr", ["report"], None)
    assert made["topic"] == "supply chain" and made["language"] == "fr" and made["filters"].kinds == ("report",)
    assert "Briefing: supply chain" in preview and 'href="#cite-' in preview
    assert Path(md["value"]).read_text() == "# Briefing\n" and Path(docx["value"]).read_bytes() == b"docx"
