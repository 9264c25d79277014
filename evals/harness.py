"""`assistant eval`: run questions through one or more configurations and write records, summary, report.

Drives the assistant from outside, exactly as a user would: each question (after its history, asked
first in the same conversation) goes through `Assistant.ask`. A failure is recorded and the run goes on.
"""

from __future__ import annotations

import gzip
import json
import time
from pathlib import Path
from typing import Any

from assistant.chain import Assistant
from assistant.presets import get_preset
from assistant.service import Services
from assistant.settings import Settings
from evals.questions import Question, load_questions
from evals.report import write_report
from evals.scoring import breakdown, reader_ceiling, score_record, summarise


def run_question(assistant: Assistant, q: Question) -> dict[str, Any]:
    record: dict[str, Any] = {"id": q.id, "question": q.question, "answer": "", "refused": False,
                              "citations": [], "retrieved": [], "latency_ms": 0.0}
    started = time.perf_counter()
    try:
        answer = assistant.ask(q.question, history=q.history)
        record.update(answer=answer.text, lead=answer.lead, refused=answer.refused,
                      citations=[{"marker": c.marker, "doc_id": c.doc_id, "chunk_id": c.chunk_id, "page": c.page,
                                  "quote": c.quote} for c in answer.citations],
                      retrieved=[p.doc_id for p in answer.passages],
                      ceiling=reader_ceiling(q, [p.text for p in answer.passages]))
    except Exception as exc:  # recorded, and the run goes on
        record["error"] = f"{type(exc).__name__}: {exc}"
    record["latency_ms"] = (time.perf_counter() - started) * 1000
    return record


RECORDS = "records.jsonl.gz"  # every answer of every configuration: 2,660 answers of the test split are 6.6 MB as text


def write_records(path: Path, records: list[dict[str, Any]]) -> None:
    """The records as gzip-compressed JSON lines, with no timestamp in the header, so that the same records give
    the same bytes (`gzip.open(path, "rt")` reads them back)."""
    lines = "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)
    path.write_bytes(gzip.compress(lines.encode("utf-8"), mtime=0))


def run_eval(settings: Settings, questions_path: str | None, configs: list[str], out: Path,
             backend: str | None = None, split: str | None = None, progress: bool = True) -> dict[str, Any]:
    questions = load_questions(questions_path, split)
    services = Services(settings)
    out.mkdir(parents=True, exist_ok=True)
    summary: dict[str, Any] = {"questions_file": str(questions_path or "evals/questions.jsonl"), "split": split,
                               "count": len(questions), "backend": backend or settings.backend,
                               "embedder": settings.embedder, "configs": {}}
    all_records = []
    for name in configs:
        assistant = Assistant(services, backend=backend, preset=get_preset(name))
        assistant.warm_up()
        rows, records = [], []
        for q in _progress(questions, name, progress):
            record = run_question(assistant, q)
            record["config"] = name
            records.append(record)
            rows.append(score_record(q, record))
        all_records.extend(records)
        summary["configs"][name] = {"overall": summarise(rows), "by_type": breakdown(rows, "type"),
                                    "by_language": breakdown(rows, "language"),
                                    "latencies": [r["latency_ms"] for r in rows],
                                    "failures": [r["id"] for r in rows if not r["correct"]],
                                    "misses": {r["id"]: r["miss"] for r in rows if r["miss"]}}
    write_records(out / RECORDS, all_records)
    (out / "summary.json").write_text(json.dumps(summary, indent=1, ensure_ascii=False), encoding="utf-8")
    write_report(summary, out)
    return summary


def _progress(questions: list[Question], name: str, enabled: bool):
    if not enabled:
        return questions
    from tqdm import tqdm

    return tqdm(questions, desc=f"eval {name}", unit="q")
