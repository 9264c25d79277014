"""Conversations and feedback in SQLite: per-owner isolation, restoration after a restart, export."""

import io
import json
import threading

from ui.store import ConversationStore

ANSWER = {
    "question": "When?", "language": "en", "text": "On 12 November 2018.[1]", "refused": False,
    "citations": [{"marker": 1, "doc_id": "call.md", "chunk_id": "call.md#0@x", "title": "The Call",
                   "quote": "12 November 2018", "start": 3, "end": 19, "passage": "On 12 November 2018 in Paris.",
                   "url": "https://example.org/call", "page": None, "kind": "declaration"}],
    "passages": [{"rank": 1, "text": "a long passage"}], "related": [],
}


def test_conversations_are_per_owner_and_survive_a_restart(tmp_path):
    path = tmp_path / "data" / "conversations.sqlite3"
    store = ConversationStore(path)
    mine = store.create_conversation("alice", "When was the Call launched?")
    store.add_turn(mine, "t1", "When was the Call launched?", ANSWER)
    store.add_turn(mine, "t2", "And where?", {**ANSWER, "text": "In Paris.[1]"})
    theirs = store.create_conversation("bob")
    store.add_turn(theirs, "t3", "Secret question of Bob", ANSWER)

    restarted = ConversationStore(path)  # a new process opening the same file
    assert [c.id for c in restarted.list_conversations("alice")] == [mine]
    assert restarted.list_conversations("alice")[0].title == "When was the Call launched?"
    assert restarted.list_conversations("alice")[0].turns == 2
    turns = restarted.turns(mine)
    assert [t.question for t in turns] == ["When was the Call launched?", "And where?"]
    assert turns[0].answer["citations"] == ANSWER["citations"]  # citations never vanish
    assert "passages" not in turns[0].answer  # the heavy, re-derivable part is not kept
    assert restarted.owns("alice", mine) and not restarted.owns("alice", theirs) and not restarted.owns("alice", None)
    assert all(c.id != theirs for c in restarted.list_conversations("alice"))


def test_only_the_owner_can_delete_a_conversation(tmp_path):
    store = ConversationStore(tmp_path / "c.sqlite3")
    cid = store.create_conversation("alice", "q")
    store.add_turn(cid, "t1", "q", ANSWER)
    assert not store.delete_conversation("bob", cid)
    assert store.turns(cid)
    assert store.delete_conversation("alice", cid)
    assert store.turns(cid) == [] and store.list_conversations("alice") == []


def test_long_titles_are_shortened_and_an_untitled_conversation_takes_its_first_question(tmp_path):
    store = ConversationStore(tmp_path / "c.sqlite3")
    cid = store.create_conversation("alice")
    store.add_turn(cid, "t1", "word " * 40, ANSWER)
    title = store.list_conversations("alice")[0].title
    assert title.endswith("…") and len(title) <= 70


def test_feedback_is_upserted_commented_exported_and_outlives_its_conversation(tmp_path):
    store = ConversationStore(tmp_path / "c.sqlite3")
    cid = store.create_conversation("alice", "When?")
    store.add_turn(cid, "t1", "When?", ANSWER)
    store.set_feedback(cid, "t1", "When?", ANSWER, useful=True)
    assert store.add_comment("t1", "  Precise, thanks  ")
    store.set_feedback(cid, "t1", "When?", ANSWER, useful=False)  # changing one's mind keeps the comment
    assert not store.add_comment("unknown", "x")
    store.delete_conversation("alice", cid)

    out = io.StringIO()
    assert store.export_feedback(out) == 1
    record = json.loads(out.getvalue().splitlines()[0])
    assert record["rating"] == "not useful" and record["useful"] is False
    assert record["comment"] == "Precise, thanks"
    assert record["question"] == "When?" and record["answer"] == ANSWER["text"]
    assert record["citations"][0]["title"] == "The Call" and record["citations"][0]["url"] == "https://example.org/call"
    assert record["citations"][0]["quote"] == "12 November 2018"
    assert record["created"].endswith("Z")


def test_concurrent_writers_do_not_lose_turns(tmp_path):
    store = ConversationStore(tmp_path / "c.sqlite3")
    conversations = {owner: store.create_conversation(owner) for owner in ("a", "b", "c", "d")}

    def write(owner: str) -> None:
        for i in range(15):
            store.add_turn(conversations[owner], f"{owner}{i}", f"{owner} question {i}", ANSWER)

    threads = [threading.Thread(target=write, args=(o,)) for o in conversations]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    for owner, cid in conversations.items():
        questions = [t.question for t in store.turns(cid)]
        assert questions == [f"{owner} question {i}" for i in range(15)]
