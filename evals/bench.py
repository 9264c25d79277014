"""`assistant bench`: retrieval quality per mode, index build speed, query latency, cold start, memory.

Every figure printed is measured in this run on this machine.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from corpus.loader import load_corpus
from evals.metrics import percentile
from evals.questions import load_questions
from evals.retrieval import evaluate_retrieval, format_table, mode_configs, retrieval_questions
from index.builder import EMBED_BATCH, build_index
from index.chunking import chunk_document
from index.snapshot import Snapshot
from index.store import ChromaStore


def bench_build(settings) -> dict[str, float]:
    """Time a first-run index from scratch into a temporary folder (the index, then what the reader stores:
    entity annotations and sentence vectors), and the raw model on the same chunks, in the same run."""
    from assistant.reading.reader import prepare_reading
    from assistant.service import Services

    embedder = Services(settings).embedder
    report = load_corpus(settings.corpus_dir)
    with tempfile.TemporaryDirectory() as tmp:
        store = ChromaStore(embedder, path=Path(tmp) / "chroma")
        started, cpu = time.perf_counter(), time.process_time()
        summary = build_index(report, store, embedder, Path(tmp) / "index", settings.chunk_size, progress=False)
        build_seconds, build_cpu = time.perf_counter() - started, time.process_time() - cpu
        chunks = Snapshot.load(Path(tmp) / "index").chunks
        started = time.perf_counter()
        prepare_reading(Path(tmp) / "reading", chunks, embedder)
        reader_seconds = time.perf_counter() - started
    texts = [c.context_text() for d in report.documents for c in chunk_document(d, settings.chunk_size)
             if c.embedded]
    started, cpu = time.perf_counter(), time.process_time()
    for i in range(0, len(texts), EMBED_BATCH):
        embedder.embed_documents(texts[i:i + EMBED_BATCH])
    raw_seconds, raw_cpu = time.perf_counter() - started, time.process_time() - cpu
    return {"chunks": summary.chunks, "embedded": summary.embedded_chunks, "build_s": build_seconds,
            "build_rate": summary.embedded_chunks / build_seconds, "build_cpu": build_cpu,
            "raw_s": raw_seconds, "raw_rate": len(texts) / raw_seconds, "raw_cpu": raw_cpu,
            "reader_s": reader_seconds}


def bench_cold_start(question: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "assistant.cli", "search", question, "--k", "5"],
                   check=True, capture_output=True)
    return time.perf_counter() - started


def bench_briefing(services) -> float:
    from statistics import median

    from assistant.briefing.build import build_briefing
    from assistant.chain import Assistant

    assistant = Assistant(services)
    assistant.warm_up()
    seconds = []
    for topic in ("The United States and the Paris Call", "Working groups", "Kaspersky", "Election interference",
                  "Les principes de l'Appel de Paris"):
        started = time.perf_counter()
        build_briefing(assistant, topic)
        seconds.append(time.perf_counter() - started)
    return median(seconds)


def run_benchmarks(settings, questions_path: str | None, build: bool = True) -> int:
    from assistant.service import Services

    questions = load_questions(questions_path)
    services = Services(settings)
    searcher = services.searcher
    print(f"# Benchmarks ({settings.embedder} embedder, {len(searcher.snapshot.chunks)} chunks)\n")
    print(f"## Retrieval ({len(retrieval_questions(questions))} questions with gold documents)\n")
    results = [evaluate_retrieval(searcher, questions, name, cfg)
               for name, cfg in mode_configs(searcher.config).items()]
    print(format_table(results) + "\n")
    latencies = []
    for q in retrieval_questions(questions):
        started = time.perf_counter()
        searcher.search(q.question, settings.retrieve_k)
        latencies.append((time.perf_counter() - started) * 1000)
    print("## Speed\n")
    print(f"- warm retrieval latency: p50 {percentile(latencies, 0.5):.1f} ms, "
          f"p95 {percentile(latencies, 0.95):.1f} ms ({len(latencies)} queries)")
    cold = bench_cold_start(questions[0].question if questions else "Paris Call")
    print(f"- cold start of `assistant search` (new process, model load, search): {cold:.2f} s")
    if build:
        f = bench_build(settings)
        print(f"- encode rate, same run, same {f['embedded']:.0f} chunks: raw model {f['raw_rate']:.1f} chunks/s "
              f"({f['raw_s']:.1f} s, {f['raw_cpu']:.0f} CPU s) | index build {f['build_rate']:.1f} chunks/s "
              f"({f['build_s']:.1f} s, {f['build_cpu']:.0f} CPU s) | ratio {f['build_rate'] / f['raw_rate']:.2f}")
        print(f"- first-run index: {f['build_s'] + f['reader_s']:.1f} s ({f['build_s']:.1f} s index of "
              f"{f['chunks']:.0f} chunks + {f['reader_s']:.1f} s for what the reader stores)")
    print(f"- briefing (extractive, warm): median {bench_briefing(services):.2f} s over 5 topics")
    peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
               resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    print(f"- peak memory (RSS): {peak:.0f} MB")
    return 0
