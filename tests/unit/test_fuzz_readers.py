"""Bad documents: property-based and fuzz tests of the readers, the chunker and the indexer.

Whatever bytes a corpus file holds, reading it gives a `Document` or a `DocumentError` naming that file
(never another exception), chunking a document gives unique ids and exact spans, and one bad file never
stops the rest of the corpus from being indexed. Examples are few and deadlines off so the file stays
fast; on CI (CI set) the examples are fixed (derandomized) so a run is repeatable.
"""

from __future__ import annotations

import functools
import os
import tempfile
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from corpus.errors import DocumentError
from corpus.loader import load_corpus
from corpus.readers import MAX_FILE_BYTES, read_document
from index.chunking import chunk_document
from tests.corpus_factory import make_corpus, sidecar, write_pdf

FUZZ = settings(max_examples=40, deadline=None, database=None, derandomize=bool(os.environ.get("CI")),
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
GOOD_META = {"title": "A title", "kind": "news", "language": "en"}
FIELDS = ["title", "kind", "language", "publisher", "author", "date", "url", "form", "note"]
EXTENSIONS = [".md", ".txt", ".csv", ".html", ".pdf"]


def front_matter(meta: dict, body: str = "Some text about cyber norms and the Call.") -> str:
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n\n" + body + "\n"


def read_or_reject(path: Path, doc_id: str, chunk_size: int = 900):
    """The reader's verdict, checked: a usable document, or a DocumentError naming this file."""
    try:
        doc = read_document(path, doc_id)
    except DocumentError as err:
        assert err.path == doc_id and err.problem.strip(), err
        assert str(err).startswith(f"{doc_id}: ") and "Traceback" not in str(err)
        return None
    assert doc.doc_id == doc_id and doc.text.strip() and len(doc.content_hash) == 64
    check_chunks(doc, chunk_size)
    return doc


def check_chunks(doc, chunk_size: int = 900) -> None:
    chunks = chunk_document(doc, chunk_size)
    ids = [c.chunk_id for c in chunks]
    assert len(ids) == len(set(ids)), "duplicated chunk ids"
    for chunk in chunks:
        assert chunk.chunk_id.startswith(f"{doc.doc_id}#") and chunk.doc_id == doc.doc_id
        if not doc.records:  # prose: the chunk is the exact span of the text, within the size limit
            assert doc.text[chunk.start:chunk.end] == chunk.text and len(chunk.text) <= chunk_size


def write(folder: Path, name: str, data: bytes, meta: bool = True) -> Path:
    path = folder / name
    path.write_bytes(data)
    if meta and path.suffix != ".md":
        sidecar(path, **GOOD_META)
    return path


@functools.cache
def sample_pdf() -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "r.pdf"
        write_pdf(path, ["Working Group 5 report. The cyberstability index measures progress.",
                         "Page two discusses supply chain security."])
        return path.read_bytes()


# -- any bytes, any format ----------------------------------------------------------------------------
@FUZZ
@given(data=st.binary(max_size=3000), ext=st.sampled_from(EXTENSIONS))
@example(data=b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), ext=".md")  # an image named .md
@example(data=b"\xff\xfe\xfa invalid utf-8 \xc3\x28", ext=".md")
@example(data=b"", ext=".csv")
@example(data=b"%PDF-1.7\n1 0 obj << /Type /Catalog", ext=".pdf")
@example(data=b"\x1c", ext=".txt")  # whitespace to Python's str, not to bytes: an empty file
@example(data="\u00a0\n".encode(), ext=".html")  # a no-break space alone
def test_any_bytes_are_read_or_rejected_by_name_and_never_stop_the_corpus(data: bytes, ext: str):
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "good.md").write_text(front_matter(GOOD_META), encoding="utf-8")
        write(root, "fuzzed" + ext, data)
        report = load_corpus(root)
        assert "good.md" in {d.doc_id for d in report.documents}  # the rest of the corpus is read
        read = {d.doc_id for d in report.documents} | {e.path for e in report.skipped}
        assert read == {"good.md", "fuzzed" + ext}  # the bad file is either read or skipped with its name
        for doc in report.documents:
            check_chunks(doc)
        read_or_reject(root / ("fuzzed" + ext), "fuzzed" + ext)


@pytest.mark.parametrize(("data", "problem"), [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary content in a text file"),
    (b"---\ntitle: caf\xe9\n---\n", "not valid UTF-8 text (byte 14)"),
    (b"", "empty file"),
    (b"  \n\n\t\n", "empty file"),
    (b"# A heading but no front matter\n\nText.", "missing YAML front matter"),
    (b"---\ntitle: [unclosed\n---\nText", "invalid YAML in front matter"),
    (b"---\n- a\n- list\n---\nText", "front matter is not a mapping of fields"),
    (b"---\ntitle: T\nkind: news\nlanguage: en\n---\n\n   \n", "no text after the front matter"),
])
def test_broken_markdown_gets_a_clear_reason(tmp_path: Path, data: bytes, problem: str):
    with pytest.raises(DocumentError) as caught:
        read_document(write(tmp_path, "bad.md", data), "news/bad.md")
    assert caught.value.path == "news/bad.md" and problem in caught.value.problem


@pytest.mark.parametrize("ext", EXTENSIONS)
def test_empty_files_of_every_format_are_rejected(tmp_path: Path, ext: str):
    with pytest.raises(DocumentError, match="empty file"):
        read_document(write(tmp_path, "empty" + ext, b""), "empty" + ext)


@pytest.mark.parametrize(("sidecar_bytes", "problem"), [
    (b"", "sidecar x.txt.meta.yaml: empty file"),
    (b"\x00\x01\x02binary", "sidecar x.txt.meta.yaml: binary content"),
    (b"title: caf\xe9\n", "sidecar x.txt.meta.yaml: not valid UTF-8"),
    (b"title: T\nkind: news\n", "bad sidecar metadata: language: missing"),
])
def test_a_broken_sidecar_is_reported_under_its_document(tmp_path: Path, sidecar_bytes: bytes, problem: str):
    path = write(tmp_path, "x.txt", b"Some text.", meta=False)
    (tmp_path / "x.txt.meta.yaml").write_bytes(sidecar_bytes)
    with pytest.raises(DocumentError) as caught:
        read_document(path, "x.txt")
    assert caught.value.path == "x.txt" and problem in caught.value.problem


# -- front matter with wrong types ----------------------------------------------------------------------
NOT_TEXT = st.one_of(st.lists(st.integers(), min_size=1, max_size=3), st.dictionaries(st.text(max_size=5),
                     st.integers(), min_size=1, max_size=2), st.lists(st.lists(st.text(max_size=3), min_size=1)))
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=40),
                    st.dates().map(str), st.sampled_from(["2018-02-30", "2018-13", "12/11/2018", "", "en", "fr"]))


@FUZZ
@given(field=st.sampled_from(FIELDS), value=NOT_TEXT)
def test_front_matter_with_lists_or_mappings_names_the_field(field: str, value):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "doc.md"
        path.write_text(front_matter({**GOOD_META, field: value}), encoding="utf-8")
        with pytest.raises(DocumentError) as caught:
            read_document(path, "doc.md")
        assert caught.value.problem.startswith(f"bad front matter: {field}: ")


@FUZZ
@given(field=st.sampled_from(FIELDS), value=SCALARS)
def test_front_matter_with_any_scalar_is_read_or_names_the_field(field: str, value):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "doc.md"
        path.write_text(front_matter({**GOOD_META, field: value}), encoding="utf-8")
        try:
            doc = read_document(path, "doc.md")
        except DocumentError as err:
            assert err.path == "doc.md"
            assert err.problem.startswith(f"bad front matter: {field}: "), err.problem
            return
        meta = doc.meta.model_dump()
        assert all(v is None or isinstance(v, str) for v in meta.values())  # every field is text once read
        assert meta["language"] in ("en", "fr") and meta["title"] and meta["kind"]
        assert doc.meta.date is None or doc.meta.date_key() is not None


# -- text bodies: control characters, mixed scripts, odd whitespace -------------------------------------
@FUZZ
@given(body=st.text(min_size=1, max_size=4000), chunk_size=st.sampled_from([200, 900]))
@example(body="a\u2028b\u0085c\x0b\x0cd\r\ne\rf  \n\t\n# Heading\n\n" + "word " * 300, chunk_size=200)
@example(body="مرحبا Привет 你好 Bonjour " * 80 + "\n\n" + "\u200b\u200f\u202e" * 50, chunk_size=200)
def test_any_text_body_is_read_and_chunked_into_exact_spans(body: str, chunk_size: int):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "doc.md"
        path.write_bytes(front_matter(GOOD_META, body).encode("utf-8"))
        read_or_reject(path, "doc.md", chunk_size)


# -- PDFs: truncated and corrupted ----------------------------------------------------------------------
@FUZZ
@given(data=st.data())
def test_truncated_and_corrupted_pdfs_are_read_or_rejected(data):
    pdf = bytearray(sample_pdf())
    if data.draw(st.booleans(), label="truncate"):
        pdf = pdf[:data.draw(st.integers(0, len(pdf) - 1), label="cut")]
    else:
        for _ in range(data.draw(st.integers(1, 20), label="flips")):
            pdf[data.draw(st.integers(0, len(pdf) - 1))] = data.draw(st.integers(0, 255))
    with tempfile.TemporaryDirectory() as folder:
        read_or_reject(write(Path(folder), "r.pdf", bytes(pdf)), "reports/r.pdf")


def test_a_pdf_cut_in_half_or_without_text_is_skipped_with_the_reason(tmp_path: Path):
    pdf = sample_pdf()
    with pytest.raises(DocumentError, match=r"unreadable PDF|no extractable text"):
        read_document(write(tmp_path, "half.pdf", pdf[: len(pdf) // 2]), "half.pdf")
    write_pdf(tmp_path / "blank.pdf", [""])
    sidecar(tmp_path / "blank.pdf", **GOOD_META)
    with pytest.raises(DocumentError, match="no extractable text in the PDF"):
        read_document(tmp_path / "blank.pdf", "blank.pdf")


# -- sizes: gigantic lines and files ---------------------------------------------------------------------
@pytest.mark.parametrize("body", [
    "x" * 3_000_000,  # one 3 MB word
    "word " * 600_000,  # one 3 MB line of words
    ("\n" + " " * 200) * 20_000 + "\nThe last line has some words in it.",  # 4 MB of whitespace lines
    ("A sentence that ends. " * 40 + "\n") * 2_000,  # 1.8 MB of long paragraphs
], ids=["one-word", "one-line", "whitespace-lines", "long-paragraphs"])
def test_gigantic_lines_are_chunked_quickly_and_within_the_size_limit(tmp_path: Path, body: str):
    path = tmp_path / "big.md"
    path.write_text(front_matter(GOOD_META, body), encoding="utf-8")
    started = time.perf_counter()
    doc = read_or_reject(path, "big.md")
    assert time.perf_counter() - started < 10  # whitespace lines took 74 s before the chunker fix
    assert doc is not None


def test_a_file_over_the_size_limit_is_skipped_without_being_read(tmp_path: Path):
    path = tmp_path / "huge.md"
    with open(path, "wb") as handle:  # sparse: no disk space is used
        handle.truncate(MAX_FILE_BYTES + 1)
    with pytest.raises(DocumentError, match=f"file larger than {MAX_FILE_BYTES / 1e6:g} MB"):
        read_document(path, "huge.md")


def test_a_file_that_vanishes_while_the_corpus_is_read_is_skipped(tmp_path: Path):
    with pytest.raises(DocumentError, match="cannot be read .FileNotFoundError"):
        read_document(tmp_path / "gone.md", "gone.md")


# -- CSV and duplicated ids ----------------------------------------------------------------------------
CELL = st.text(alphabet="ab -/.,_éÉ'", min_size=1, max_size=6).filter(lambda s: s.strip(" ") == s and "," not in s)


@FUZZ
@given(rows=st.lists(st.tuples(st.text(alphabet="xyz", min_size=1, max_size=4), CELL, CELL),
                     min_size=2, max_size=30))
@example(rows=[("a", "United States", "x"), ("b", "United-States", "x"), ("c", "France", "y"), ("d", "France", "y")])
def test_registry_chunks_have_unique_ids_whatever_the_cell_values(rows):
    lines = ["name,country,category"] + [",".join(row) for row in rows]
    with tempfile.TemporaryDirectory() as folder:
        read_or_reject(write(Path(folder), "supporters.csv", ("\n".join(lines) + "\n").encode()), "supporters.csv")


@pytest.mark.parametrize(("data", "problem"), [
    (b'name,country\n"Microsoft\nCorp",USA\nFrance,FRA\n', "quoted cell spans lines"),
    (b'name,country\n"never closed,USA\n', "quoted cell spans lines"),
    (b"name,country\n" + b"x," + b"y" * 200_000 + b"\n", "field larger than field limit"),
    (b",,\n1,2,3\n", "CSV without a header row"),
    (b"name,country\n\n \n", "CSV has a header but no rows"),
])
def test_malformed_csv_gets_a_clear_reason(tmp_path: Path, data: bytes, problem: str):
    with pytest.raises(DocumentError) as caught:
        read_document(write(tmp_path, "s.csv", data), "s.csv")
    assert caught.value.path == "s.csv" and problem in caught.value.problem


def test_duplicated_documents_rows_and_values_index_with_unique_ids(hash_settings, mini_corpus: Path):
    from assistant.service import Services, index_corpus

    copy = (mini_corpus / "declaration" / "call-en.md").read_bytes()
    (mini_corpus / "declaration" / "call-en-copy.md").write_bytes(copy)  # the same document twice
    (mini_corpus / "declaration" / "CALL-EN.md").write_bytes(copy)  # ids differing only by case
    registry = mini_corpus / "supporters.csv"
    registry.write_text(registry.read_text() + "Microsoft,private-sector,Entreprise,USA,United States,2019-11-10\n"
                        "Acme,private sector,Entreprise,USA,United-States,2020-01-01\n", encoding="utf-8")
    summary = index_corpus(hash_settings, progress=False)
    assert summary.documents == 8 and not summary.skipped
    services = Services(hash_settings)
    snapshot = services.snapshot
    ids = [c.chunk_id for c in snapshot.chunks]
    assert len(ids) == len(set(ids)) == summary.chunks
    assert services.store.ids() == set(snapshot.embedded_ids)  # every chunk but the count tables
    hits = services.searcher.search("electoral processes", 8)
    copies = {"declaration/call-en.md", "declaration/call-en-copy.md", "declaration/CALL-EN.md"}
    assert len(copies & {h.chunk.doc_id for h in hits}) == 1  # found, and its copies dropped as near-duplicates


# -- the whole corpus: bad files skipped with their reason, the rest indexed ----------------------------
BAD_FILES = {
    "news/image.md": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
    "news/latin1.md": "---\ntitle: Café\nkind: news\nlanguage: fr\n---\nÉté.".encode("latin-1"),
    "news/typed.md": b"---\ntitle: [1, 2]\nkind: news\nlanguage: de\ndate: 2018-02-30\n---\nText of it.\n",
    "news/empty.md": b"",
    "news/empty.txt": b"   \n",
    "news/no-sidecar.txt": b"A text without its metadata.",
    "reports/truncated.pdf": None,  # filled with half a real PDF
    "news/quotes.csv": b'name,country\n"Microsoft\nCorp",USA\n',
    "news/script-only.html": b"<html><head><script>alert(1)</script></head><body><nav>Menu</nav></body></html>",
    "news/slides.pptx": b"PK\x03\x04 not a supported format",
}


def test_a_corpus_full_of_bad_files_indexes_the_rest(hash_settings, mini_corpus: Path, capsys):
    from assistant.cli import main

    for name, data in BAD_FILES.items():
        if data is None:
            data = sample_pdf()[:700]
        path = mini_corpus / name
        path.write_bytes(data)
        if name.endswith((".txt", ".pdf", ".csv", ".html")) and "no-sidecar" not in name:
            sidecar(path, **GOOD_META)
    (mini_corpus / "news" / "giant.md").write_text(front_matter(GOOD_META, "cyber " * 150_000), encoding="utf-8")
    assert main(["index", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "indexed 7 documents" in out  # the six good ones and the giant one
    for name in BAD_FILES:
        line = next((x for x in out.splitlines() if x.startswith(f"skipped {name}: ")), None)
        assert line is not None and len(line) > len(f"skipped {name}: ") + 5, (name, out)
    assert "Traceback" not in out
    assert main(["search", "electoral processes", "--json"]) == 0
    assert '"doc_id": "declaration/call-en.md"' in capsys.readouterr().out


def test_a_document_broken_later_keeps_its_indexed_version(hash_settings, mini_corpus: Path):
    from assistant.service import index_corpus
    from index.snapshot import Snapshot

    index_corpus(hash_settings, progress=False)
    before = [c.chunk_id for c in Snapshot.load(hash_settings.index_dir).chunks_of("news/us-2021.txt")]
    (mini_corpus / "news" / "us-2021.txt.meta.yaml").write_bytes(b"\x00\x00 binary junk")
    summary = index_corpus(hash_settings, progress=False)
    assert [e.path for e in summary.skipped] == ["news/us-2021.txt"] and "sidecar" in summary.skipped[0].problem
    assert summary.kept_previous == ["news/us-2021.txt"]
    assert [c.chunk_id for c in Snapshot.load(hash_settings.index_dir).chunks_of("news/us-2021.txt")] == before


def test_the_factory_corpus_reads_cleanly(tmp_path: Path):
    report = load_corpus(make_corpus(tmp_path / "c"))
    assert len(report.documents) == 6 and not report.skipped
