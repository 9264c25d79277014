"""The terminal's answers: text, then numbered references with where each quote stands."""

from assistant.answer import Answer, Citation
from assistant.terminal import format_answer


def _citation(marker: int, quote: str, **meta) -> Citation:
    return Citation(marker=marker, doc_id="reports/wg4.pdf", chunk_id="reports/wg4.pdf#p16-1@x", title="WG4 report",
                    quote=quote, start=0, end=len(quote), passage=quote, **meta)


def test_references_name_the_page_and_the_section_a_quote_does_not_show():
    answer = Answer(question="q", text="CVD is key.[1] Headings too.[2]", citations=[
        _citation(1, "CVD is a key aspect of non-proliferation.", page=16, publisher="Paris Call",
                  heading="Paris Call Principle #5 Non-proliferation", url="https://example.org/wg4.pdf"),
        _citation(2, "Paris Call Principle #5 Non-proliferation Digital transformation…",
                  heading="Paris Call Principle #5 Non-proliferation")])
    lines = format_answer(answer).splitlines()
    assert lines[0] == "CVD is key.[1] Headings too.[2]"
    assert lines[2] == ("[1] WG4 report — Paris Call, p. 16, § Paris Call Principle #5 Non-proliferation"
                        "  (reports/wg4.pdf)")
    assert lines[3] == "    https://example.org/wg4.pdf" and lines[4] == "    “CVD is a key aspect of non-proliferation.”"
    assert lines[5] == "[2] WG4 report  (reports/wg4.pdf)"  # its quote opens with the heading
