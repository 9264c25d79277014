from pathlib import Path

from corpus.loader import load_corpus
from index.chunking import chunk_document, split_sentences


def _docs(corpus: Path):
    return {d.doc_id: d for d in load_corpus(corpus).documents}


def test_prose_chunks_are_exact_spans_with_headings(mini_corpus: Path):
    doc = _docs(mini_corpus)["declaration/call-en.md"]
    chunks = chunk_document(doc)
    for chunk in chunks:
        assert doc.text[chunk.start:chunk.end] == chunk.text
        assert chunk.metadata["title"] == "Test Call for Trust" and chunk.metadata["date_key"] == 20181112
    headings = [c.metadata.get("heading") for c in chunks]
    assert "Principle 3: Defend electoral processes" in headings
    assert chunk_document(doc)[0].chunk_id == chunks[0].chunk_id  # stable ids
    assert chunks[0].chunk_id.startswith("declaration/call-en.md#0@")


def test_chunks_fit_the_window(mini_corpus: Path):
    doc = _docs(mini_corpus)["declaration/call-en.md"]
    doc.text = doc.text + "\n\n" + " ".join(["A sentence about cyber norms and trust."] * 200)
    chunks = chunk_document(doc, max_chars=300)
    assert all(len(c.text) <= 300 for c in chunks)
    assert all(doc.text[c.start:c.end] == c.text for c in chunks)


def test_pdf_chunks_carry_pages(mini_corpus: Path):
    chunks = chunk_document(_docs(mini_corpus)["reports/wg5.pdf"])
    assert {c.page for c in chunks} == {1, 2}
    assert all("#p" in c.chunk_id for c in chunks)


def test_registry_rows_are_one_chunk_each(mini_corpus: Path):
    doc = _docs(mini_corpus)["supporters.csv"]
    chunks = [c for c in chunk_document(doc) if "row" in c.metadata]
    assert len(chunks) == 5
    hitachi = chunks[3]
    assert hitachi.doc_id == "supporters.csv" and hitachi.chunk_id.startswith("supporters.csv#row-4@")
    assert "name: Hitachi" in hitachi.text and "country: Japan" in hitachi.text
    assert hitachi.metadata["row"] == 4 and doc.text[hitachi.start:hitachi.end].startswith("Hitachi,")


def test_content_change_changes_ids(mini_corpus: Path):
    path = mini_corpus / "declaration" / "call-en.md"
    before = chunk_document(_docs(mini_corpus)["declaration/call-en.md"])[0].chunk_id
    path.write_text(path.read_text() + "\nOne more line.\n")
    after = chunk_document(_docs(mini_corpus)["declaration/call-en.md"])[0].chunk_id
    assert before != after and before.split("@")[0] == after.split("@")[0]


def test_tables_get_computed_count_chunks(mini_corpus: Path):
    doc = _docs(mini_corpus)["supporters.csv"]
    counts = {c.metadata["heading"]: c.text for c in chunk_document(doc) if c.metadata.get("computed")}
    assert "Rows by category: private-sector 2, state 2, civil-society 1." in counts["counts (all-0)"]
    # nature groups rows exactly as category does here, and country_code as country: one of each is kept
    assert counts["counts (country=Japan)"].endswith("rows with country Japan: 2; by category: private-sector 1, "
                                                      "state 1.")
    assert not any("country_code" in heading or "name=" in heading for heading in counts)
    assert "Rows by year of listed_since: 2019 5." in " ".join(counts.values())


def test_chunk_size_is_part_of_the_id(mini_corpus: Path):
    doc = _docs(mini_corpus)["declaration/call-en.md"]
    assert chunk_document(doc, 900)[0].chunk_id != chunk_document(doc, 400)[0].chunk_id



def test_a_title_or_an_initial_before_a_name_ends_no_sentence():
    text = 'The article spells it "Mr. Le Diran". M. Macron spoke. Ehud E. Levite wrote. It joined the U.S. It grew.'
    assert [text[s:e] for s, e in split_sentences(text)] == [
        'The article spells it "Mr. Le Diran".', "M. Macron spoke.", "Ehud E. Levite wrote.", "It joined the U.S.",
        "It grew."]
