import json

import pytest

from assistant.cli import main


def test_config_prints_every_setting_with_its_description(capsys: pytest.CaptureFixture, hash_settings):
    assert main(["config"]) == 0
    out = capsys.readouterr().out
    for name in ("PCA_DATA_DIR", "PCA_CORPUS_DIR", "PCA_EMBEDDER", "PCA_CHUNK_SIZE", "PCA_CHROMA_URL",
                 "PCA_RETRIEVE_K", "PCA_LLM_API_KEY"):
        assert name in out
    assert "PCA_EMBEDDER             = hash" in out and "Folder of documents to index" in out


def test_index_then_search(capsys: pytest.CaptureFixture, hash_settings, mini_corpus):
    (mini_corpus / "news" / "bad.md").write_text("no front matter")
    assert main(["index", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "indexed 6 documents" in out and "skipped news/bad.md: missing YAML front matter" in out
    assert main(["index", "--quiet"]) == 0
    assert "0 new or changed" in capsys.readouterr().out
    assert main(["search", "electoral processes", "--k", "3", "--json"]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert hits[0]["doc_id"] == "declaration/call-en.md" and {"title", "page", "score", "chunk_id"} <= set(hits[0])
    assert main(["search", "launched", "--language", "fr"]) == 0
    assert "declaration/appel-fr.md" in capsys.readouterr().out


def test_index_fails_only_when_nothing_could_be_indexed(capsys, hash_settings, tmp_path, monkeypatch):
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "junk.md").write_text("nothing useful")
    monkeypatch.setenv("PCA_CORPUS_DIR", str(empty))
    assert main(["index", "--quiet"]) == 1
    assert "skipped junk.md" in capsys.readouterr().out


def test_errors_are_clean_exits_with_a_hint(capsys, hash_settings):
    assert main(["search", "anything"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: no index has been built yet") and "hint: run `assistant index`" in err
    assert "Traceback" not in err


def test_repair_rebuilds_a_store_out_of_step(capsys, hash_settings):
    assert main(["index", "--quiet"]) == 0
    capsys.readouterr()
    from assistant.service import Services

    store = Services(hash_settings).store
    store.delete(sorted(store.ids())[:3])
    assert main(["search", "anything"]) == 2
    assert "out of step" in capsys.readouterr().err
    assert main(["index", "--repair", "--quiet"]) == 0
    assert "rebuilding it from the corpus" in capsys.readouterr().out
    assert main(["search", "electoral"]) == 0


def test_ask_prints_the_answer_with_references(capsys, hash_settings):
    assert main(["index", "--quiet"]) == 0
    capsys.readouterr()
    assert main(["ask", "When was the Test Call launched?"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("12 November 2018.[1]") and "[1] Test Call for Trust — Test publisher, 2018-11-12" in out
    assert "https://example.org/call" in out
    assert main(["ask", "When was the Test Call launched?", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["citations"][0]["doc_id"] == "declaration/call-en.md" and data["refused"] is False
    assert main(["ask", ""]) == 2
    assert "Please type a question" in capsys.readouterr().err


def test_chat_keeps_the_conversation(hash_settings):
    import io

    from assistant.chain import Assistant
    from assistant.service import Services, index_corpus
    from assistant.terminal import chat_loop

    index_corpus(hash_settings, progress=False)
    assistant = Assistant(Services(hash_settings))
    questions = iter(["Did the United States sign the Test Call?", "And when did it join?", "", "never asked"])
    out = io.StringIO()
    assert chat_loop(lambda q, h: assistant.ask(q, h), read=lambda _prompt: next(questions), out=out) == 0
    transcript = out.getvalue()
    assert "2021" in transcript.split("Did the United States")[-1] and "never asked" not in transcript
