import json
import os
import subprocess
import sys
from pathlib import Path

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


def test_a_question_is_answered_without_opening_the_vector_store(hash_settings):
    """The dense ranking scans the vectors kept with the snapshot: a cold question never opens Chroma (a
    damaged or out-of-step store still stops it, from the check of the store's files: `test_store_check`)."""
    from assistant.chain import Assistant
    from assistant.service import Services, index_corpus
    from index.store import LazyStore

    index_corpus(hash_settings, progress=False)
    services = Services(hash_settings)
    answer = Assistant(services).ask("When did the United States join the Test Call?")
    assert answer.citations and isinstance(services.searcher.store, LazyStore)
    assert not services.searcher.store.is_open and "store" not in vars(services)


# -- every input edge is a clean message (issue 14) ------------------------------------------------------
ASSISTANT = Path(sys.executable).with_name("assistant")


def cli(*args: str | bytes, **env: str) -> subprocess.CompletedProcess:
    """The real command in its own process: what reaches stdout and stderr, bytes as given on a terminal."""
    environment = {**os.environ, **env}
    return subprocess.run([str(ASSISTANT), *args], capture_output=True, env=environment, timeout=300)


@pytest.mark.parametrize(("variable", "value", "named"), [
    ("PCA_PORT", "abc", "PCA_PORT='abc' is not accepted: expected a whole number (at least 0, at most 65535)"),
    ("PCA_EMBEDDER", "bogus", "PCA_EMBEDDER='bogus' is not accepted: accepted values are 'e5-small', 'minilm', "
                              "'hash'"),
    ("PCA_CHUNK_SIZE", "5", "PCA_CHUNK_SIZE='5' is not accepted: expected a whole number (at least 200"),
    ("PCA_MAX_FILE_MB", "-1", "PCA_MAX_FILE_MB='-1' is not accepted: expected a number (more than 0)"),
    ("PCA_LOG_LEVEL", "LOUD", "PCA_LOG_LEVEL='LOUD' is not accepted: accepted values are 'DEBUG', 'INFO'"),
])
@pytest.mark.parametrize("command", [["config"], ["ask", "hi"]])
def test_a_bad_setting_is_named_with_what_it_accepts(capsys, hash_settings, monkeypatch, variable, value, named,
                                                     command):
    monkeypatch.setenv(variable, value)
    assert main(command) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {named}") and "hint: check the PCA_ environment variables" in err
    assert "Traceback" not in err and "ValidationError" not in err and "pydantic" not in err


@pytest.mark.parametrize(("args", "message"), [
    (["feedback", "export", "--out", "/nonexistent/dir/f.jsonl"],
     "cannot write /nonexistent/dir/f.jsonl: the folder /nonexistent/dir does not exist"),
    (["feedback", "export", "--out", "{tmp}"], "cannot write {tmp}: it is a folder, not a file"),
    (["brief", "cyber norms", "--out", "/nonexistent/b.md"], "cannot write /nonexistent/b.md: the folder /nonexistent"),
    (["eval", "--out", "{file}/results"], "cannot write {file}/results: {file} is a file, not a folder"),
])
def test_an_unwritable_output_path_is_named_before_any_work(capsys, hash_settings, tmp_path, args, message):
    (tmp_path / "a-file").write_text("x")
    values = {"tmp": str(tmp_path), "file": str(tmp_path / "a-file")}
    assert main([a.format(**values) for a in args]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {message.format(**values)}") and "hint: give --out a path" in err


def test_an_unwritable_data_folder_is_named(capsys, hash_settings, tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be")
    monkeypatch.setenv("PCA_DATA_DIR", str(blocker / "data"))
    code, err = main(["index", "--quiet"]), capsys.readouterr().err
    assert code == 2 and str(blocker) in err and "Traceback" not in err and "hint:" in err


def test_invalid_utf8_in_a_question_is_replaced_never_a_traceback(hash_settings):
    env = {"PCA_DATA_DIR": str(hash_settings.data_dir), "PCA_CORPUS_DIR": str(hash_settings.corpus_dir),
           "PCA_EMBEDDER": "hash"}
    assert cli("index", "--quiet", **env).returncode == 0
    searched = cli("search", b"electoral \xff\xfe processes", "--json", **env)
    assert searched.returncode == 0 and b"Traceback" not in searched.stderr, searched.stderr
    assert json.loads(searched.stdout)[0]["doc_id"] == "declaration/call-en.md"
    asked = cli("ask", b"When was the Test Call launched? \xed\xa0\x80", **env)  # an encoded lone surrogate
    assert asked.returncode == 0 and b"Traceback" not in asked.stderr and asked.stdout.startswith(b"12 November")
    only_junk = cli("ask", b"\xff\xfe\xfd", **env)
    assert only_junk.returncode in (0, 2) and b"Traceback" not in only_junk.stderr + only_junk.stdout
    chatted = subprocess.run([str(ASSISTANT), "chat"], input=b"When was the Test Call launched? \xff\n\n",
                             capture_output=True, env={**os.environ, **env}, timeout=300)
    assert chatted.returncode == 0 and b"Traceback" not in chatted.stderr and b"12 November" in chatted.stdout


def test_library_debug_lines_stay_off_stderr_unless_asked_for(hash_settings):
    env = {"PCA_DATA_DIR": str(hash_settings.data_dir), "PCA_CORPUS_DIR": str(hash_settings.corpus_dir),
           "PCA_EMBEDDER": "hash"}
    quiet = cli("index", "--quiet", **env)
    assert quiet.returncode == 0 and b"DEBUG" not in quiet.stderr and b"bm25s" not in quiet.stderr
    loud = cli("index", "--rebuild", "--quiet", PCA_LOG_LEVEL="DEBUG", **env)
    assert loud.returncode == 0 and b"DEBUG bm25s" in loud.stderr  # the switch works: the lines exist


def test_a_file_over_the_size_limit_is_skipped_with_its_reason(capsys, hash_settings, mini_corpus, monkeypatch):
    big = mini_corpus / "news" / "filler.md"
    big.write_text("---\ntitle: Filler\nkind: news\nlanguage: en\n---\n" + "filler words again " * 60_000)
    monkeypatch.setenv("PCA_MAX_FILE_MB", "1")
    assert main(["index", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "indexed 6 documents" in out
    assert "skipped news/filler.md: file larger than 1 MB (1.1 MB; the limit is PCA_MAX_FILE_MB)" in out
    monkeypatch.setenv("PCA_MAX_FILE_MB", "2")  # raised: the file is indexed
    assert main(["index", "--quiet"]) == 0
    assert "indexed 7 documents" in capsys.readouterr().out
