"""The evaluation harness's output: the records of every answer."""

from __future__ import annotations

import gzip
import json

from evals.harness import write_records


def test_eval_records_are_written_compressed_and_read_back_the_same(tmp_path) -> None:
    """`make eval` keeps every answer of every configuration (6.6 MB as text for the test split): gzip, with the
    same bytes for the same records."""
    records = [{"id": "q1", "answer": "Émis le 12 novembre 2018.[1]", "refused": False}, {"id": "q2", "refused": True}]
    write_records(tmp_path / "a.jsonl.gz", records)
    write_records(tmp_path / "b.jsonl.gz", records)
    assert (tmp_path / "a.jsonl.gz").read_bytes() == (tmp_path / "b.jsonl.gz").read_bytes()
    with gzip.open(tmp_path / "a.jsonl.gz", "rt", encoding="utf-8") as handle:
        assert [json.loads(line) for line in handle] == records
