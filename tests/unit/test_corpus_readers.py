from pathlib import Path

import pytest

from corpus.errors import ConfigError, DocumentError
from corpus.loader import load_corpus
from corpus.readers import read_document
from tests.corpus_factory import sidecar


def test_reads_every_format(mini_corpus: Path):
    report = load_corpus(mini_corpus)
    assert report.skipped == []
    by_id = {d.doc_id: d for d in report.documents}
    assert set(by_id) == {"declaration/call-en.md", "declaration/appel-fr.md", "news/us-2021.txt",
                          "supporters.csv", "news/groups.html", "reports/wg5.pdf"}
    call = by_id["declaration/call-en.md"]
    assert call.meta.title == "Test Call for Trust" and call.meta.date == "2018-11-12"
    assert call.text.startswith("# The Call") and "---" not in call.text
    assert by_id["declaration/appel-fr.md"].meta.date == "2018-11-12"  # an unquoted YAML date
    assert by_id["news/us-2021.txt"].text.startswith("Skip to main content")  # kept as received


def test_pdf_keeps_page_numbers(mini_corpus: Path):
    doc = read_document(mini_corpus / "reports" / "wg5.pdf", "reports/wg5.pdf")
    assert [p.page for p in doc.pages] == [1, 2]
    second = doc.pages[1]
    assert "supply chain" in doc.text[second.start:second.end]
    assert doc.page_at(second.start + 3) == 2


def test_csv_rows_become_records(mini_corpus: Path):
    doc = read_document(mini_corpus / "supporters.csv", "supporters.csv")
    assert len(doc.records) == 5
    hitachi = doc.records[3]
    assert hitachi.fields["name"] == "Hitachi" and hitachi.fields["country"] == "Japan"
    assert doc.text[hitachi.start:hitachi.end].startswith("Hitachi,private-sector")


def test_html_drops_navigation_and_scripts(mini_corpus: Path):
    doc = read_document(mini_corpus / "news" / "groups.html", "news/groups.html")
    assert "Six working groups" in doc.text and "cyberstability index" in doc.text
    assert "Home | About" not in doc.text and "alert(1)" not in doc.text and "Copyright" not in doc.text


def test_html_without_sidecar_uses_its_title(tmp_path: Path):
    page = tmp_path / "page.html"
    page.write_text("<html lang='fr'><title>Une page</title><body><p>Bonjour tout le monde.</p></body></html>")
    doc = read_document(page, "page.html")
    assert doc.meta.title == "Une page" and doc.meta.language == "fr"


@pytest.mark.parametrize("content, problem", [
    ("no front matter here", "missing YAML front matter"),
    ("---\ntitle: T\nlanguage: en\n---\nbody", "kind: missing"),
    ("---\ntitle: T\nkind: news\nlanguage: en\ndate: 2018-13-45\n---\nbody", "date"),
    ("---\ntitle: T\nkind: news\nlanguage: en\ndate: yesterday\n---\nbody", "bad date"),
    ("---\ntitle: T\nkind: news\nlanguage: de\n---\nbody", "language"),
    ("---\ntitle: [1, 2]\nkind: news\nlanguage: en\n---\nbody", "title"),
    ("---\ntitle: T\nkind: news\nlanguage: en\n---\n", "no text"),
    ("", "empty file"),
    ("---\n: [unclosed\n---\nbody", "invalid YAML"),
])
def test_bad_markdown_is_named(tmp_path: Path, content: str, problem: str):
    path = tmp_path / "bad.md"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DocumentError) as err:
        read_document(path, "bad.md")
    assert err.value.path == "bad.md" and problem in err.value.problem


def test_other_bad_files(tmp_path: Path):
    cases = {
        "junk.md": b"\x00\x01\x02binary\xff",
        "latin1.md": "---\ntitle: T\nkind: news\nlanguage: fr\n---\nété".encode("latin-1"),
        "broken.pdf": b"%PDF-1.4 this is not really a pdf",
        "notes.docx": b"whatever",
        "lonely.txt": b"text without a sidecar",
    }
    expected = {"junk.md": "binary", "latin1.md": "UTF-8", "broken.pdf": "PDF", "notes.docx": "unknown extension",
                "lonely.txt": "sidecar"}
    for name, raw in cases.items():
        (tmp_path / name).write_bytes(raw)
    sidecar(tmp_path / "broken.pdf", title="Broken", kind="report", language="en")
    for name, word in expected.items():
        with pytest.raises(DocumentError) as err:
            read_document(tmp_path / name, name)
        assert word in str(err.value), name


def test_loader_skips_bad_files_and_keeps_the_rest(mini_corpus: Path):
    (mini_corpus / "news" / "bad.md").write_text("no front matter", encoding="utf-8")
    (mini_corpus / "news" / "empty.md").write_text("", encoding="utf-8")
    report = load_corpus(mini_corpus)
    assert len(report.documents) == 6
    assert sorted(e.path for e in report.skipped) == ["news/bad.md", "news/empty.md"]


def test_missing_corpus_folder_is_a_config_error(tmp_path: Path):
    with pytest.raises(ConfigError, match="corpus folder not found"):
        load_corpus(tmp_path / "nowhere")


# -- messages name their file and line (issue 14) --------------------------------------------------------
@pytest.mark.parametrize(("content", "where"), [
    ("---\ntitle: T\nkind: [news\nlanguage: en\n---\nbody", "line 4, column 9: expected ',' or ']', but got ':' "
                                                             "(while parsing a flow sequence started on line 3)"),
    ("---\ntitle: T\n  bad: indent\nkind: news\n---\nbody", "line 3, column 6: mapping values are not allowed here"),
    ("---\ntitle: T\nkind: news\nlanguage: @en\n---\nbody", "line 4, column 11: found character '@' that cannot "
                                                            "start any token"),
])
def test_a_yaml_error_in_front_matter_gives_the_line_of_the_file(tmp_path: Path, content: str, where: str):
    path = tmp_path / "bad.md"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DocumentError) as err:
        read_document(path, "news/bad.md")
    assert str(err.value).startswith(f"news/bad.md: invalid YAML in front matter: {where}")
    line = int(where.split(",")[0].removeprefix("line "))
    assert content.split("\n")[line - 1] in {"kind: [news", "language: en", "  bad: indent", "language: @en"}


def test_a_yaml_error_in_a_sidecar_names_the_sidecar_and_its_line(tmp_path: Path):
    path = tmp_path / "note.txt"
    path.write_text("Some text.", encoding="utf-8")
    path.with_name("note.txt.meta.yaml").write_text("title: Note\nkind: news\nlanguage: 'en\n", encoding="utf-8")
    with pytest.raises(DocumentError) as err:
        read_document(path, "news/note.txt")
    assert err.value.problem.startswith("invalid YAML in sidecar note.txt.meta.yaml: line 4, column 1: found "
                                        "unexpected end of stream (while scanning a quoted scalar started on line 3)")


def test_pdf_warnings_name_their_file(tmp_path: Path):
    import logging
    import re

    from tests.corpus_factory import write_pdf

    path = tmp_path / "shifted.pdf"
    write_pdf(path, ["A report with a cross-reference table that points to the wrong place."])
    sidecar(path, title="Shifted", kind="report", language="en")
    raw = path.read_bytes()
    pointer = re.search(rb"startxref\s+(\d+)", raw)
    path.write_bytes(raw[:pointer.start(1)] + str(int(pointer.group(1)) + 7).encode() + raw[pointer.end(1):])
    seen: list[logging.LogRecord] = []
    console = logging.Handler(logging.WARNING)  # what a console handler on the root logger receives
    console.emit = seen.append  # type: ignore[method-assign]
    logging.getLogger().addHandler(console)
    try:
        doc = read_document(path, "reports/shifted.pdf")
    finally:
        logging.getLogger().removeHandler(console)
    assert "wrong place" in doc.text  # pypdf recovers, and says so
    assert seen and all(r.name == "corpus.readers" and r.getMessage().startswith("reports/shifted.pdf: ")
                        for r in seen)  # never a pypdf line without the file's name
    assert any("startxref" in r.getMessage() for r in seen)


def test_the_size_limit_is_a_parameter_and_names_the_setting(tmp_path: Path):
    (tmp_path / "corpus").mkdir()
    path = tmp_path / "corpus" / "long.md"
    path.write_text("---\ntitle: Long\nkind: news\nlanguage: en\n---\n" + "word " * 3000, encoding="utf-8")
    assert read_document(path, "long.md").meta.title == "Long"  # under the default limit
    with pytest.raises(DocumentError) as err:
        read_document(path, "long.md", max_bytes=10_000)
    assert err.value.problem == "file larger than 0.01 MB (0.015 MB; the limit is PCA_MAX_FILE_MB)"
    report = load_corpus(tmp_path / "corpus", max_bytes=10_000)
    assert [e.path for e in report.skipped] == ["long.md"] and not report.documents
