"""The `assistant` command. Errors of the `AssistantError` family become a clean message and exit code."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from assistant.settings import Settings, load_settings
from corpus.errors import AssistantError, ConfigError
from corpus.text import clean_text
from index.filters import Filters

EXAMPLE_QUESTION = "What are the nine principles of the Paris Call?"
COMMANDS: dict[str, Callable[[argparse.Namespace, Settings], int]] = {}


def command(name: str):
    def register(fn: Callable[[argparse.Namespace, Settings], int]):
        COMMANDS[name] = fn
        return fn
    return register


def add_filter_args(parser: argparse.ArgumentParser, language: bool = True) -> None:
    parser.add_argument("--kind", action="append", default=[], help="only this kind of document (repeatable)")
    if language:
        parser.add_argument("--language", action="append", default=[], choices=["en", "fr"],
                            help="only documents in this language")
    parser.add_argument("--publisher", action="append", default=[], help="only this publisher (repeatable)")
    parser.add_argument("--since", help="only documents dated on or after YYYY[-MM[-DD]]")
    parser.add_argument("--until", help="only documents dated on or before YYYY[-MM[-DD]]")


def filters_from(args: argparse.Namespace) -> Filters:
    languages = args.language if isinstance(args.language, list) else []
    return Filters(tuple(args.kind), tuple(languages), tuple(args.publisher), args.since, args.until)


def output_path(value: str, folder: bool = False) -> Path:
    """A path given with --out, checked before any work is done: it names the problem instead of failing at the
    end of the run (a missing folder, a file where a folder is expected, no permission)."""
    path = Path(value).expanduser()
    hint = "give --out a path in an existing folder you may write to"
    if not folder and path.is_dir():
        raise ConfigError(f"cannot write {path}: it is a folder, not a file", hint)
    if folder and path.exists() and not path.is_dir():
        raise ConfigError(f"cannot write into {path}: it is a file, not a folder", hint)
    parent = path if folder else path.parent
    while folder and not parent.exists() and parent != parent.parent:
        parent = parent.parent  # the folder is created: its nearest existing ancestor must be writable
    if parent.exists() and not parent.is_dir():
        raise ConfigError(f"cannot write {path}: {parent} is a file, not a folder", hint)
    if not parent.is_dir():
        raise ConfigError(f"cannot write {path}: the folder {parent} does not exist", hint)
    if not os.access(parent, os.W_OK):
        raise ConfigError(f"cannot write {path}: no permission to write in {parent}", hint)
    return path


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="assistant", description="The Paris Call assistant.")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("config", help="print the effective settings")
    p = sub.add_parser("index", help="index the corpus folder (incremental)")
    p.add_argument("--rebuild", action="store_true", help="start over: drop the index and embed everything")
    p.add_argument("--repair", action="store_true", help="check the index and rebuild it if it is damaged")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p = sub.add_parser("search", help="print the passages retrieved for a question")
    p.add_argument("question")
    p.add_argument("--k", type=int, default=None, help="how many passages")
    p.add_argument("--mode", choices=["hybrid", "dense", "lexical"], default="hybrid")
    p.add_argument("--json", action="store_true", help="print JSON")
    add_filter_args(p)
    p = sub.add_parser("ask", help="answer one question with cited sources")
    p.add_argument("question")
    p.add_argument("--json", action="store_true", help="print the whole Answer as JSON")
    p.add_argument("--backend", choices=["extractive", "openai", "ollama", "local"], default=None)
    add_filter_args(p)
    p = sub.add_parser("chat", help="a conversation in the terminal (keeps the history for follow-ups)")
    p.add_argument("--backend", choices=["extractive", "openai", "ollama", "local"], default=None)
    add_filter_args(p)
    p = sub.add_parser("serve", help="serve the chat page (127.0.0.1 by default)")
    p.add_argument("--port", type=int, default=None, help="port (default PCA_PORT)")
    p = sub.add_parser("brief", help="write a cited briefing on a topic")
    p.add_argument("topic")
    p.add_argument("--out", default=None, help="FILE.md or FILE.docx (default: print Markdown)")
    p.add_argument("--language", choices=["en", "fr"], default="en", help="language of the briefing")
    add_filter_args(p, language=False)
    p = sub.add_parser("feedback", help="export the feedback given on the chat page")
    p.add_argument("action", choices=["export"])
    p.add_argument("--out", default=None, help="JSON-lines file (default: standard output)")
    p = sub.add_parser("bench", help="measure indexing speed, query latency, cold start and memory")
    p.add_argument("--questions", default=None, help="question file (default: the benchmark)")
    p.add_argument("--skip-build", action="store_true", help="do not time a full index build")
    p = sub.add_parser("eval", help="score the assistant on a question file")
    p.add_argument("--questions", default=None, help="JSON-lines question file (default: the benchmark)")
    p.add_argument("--config", action="append", default=[], help="configuration to run (repeatable): "
                   "full, hybrid, dense, bm25, baseline; or the preset 'all'")
    p.add_argument("--backend", choices=["extractive", "openai", "ollama", "local"], default=None)
    p.add_argument("--split", choices=["dev", "test"], default=None, help="run one split of the file")
    p.add_argument("--out", required=True, help="folder for records.jsonl.gz, summary.json, report.md, plots")
    return parser


OWN_LOGGERS = {"assistant", "corpus", "index", "ui", "evals", "__main__"}


def console_handler(level: str) -> logging.Handler:
    """The stderr handler: the project's messages from `level` up; a library's only from WARNING up (bm25s
    sets its own logger to DEBUG when imported), unless PCA_LOG_LEVEL=DEBUG asks for everything."""
    handler = logging.StreamHandler()
    handler.setLevel(level)
    if level != "DEBUG":
        handler.addFilter(lambda record: record.levelno >= logging.WARNING
                          or record.name.split(".")[0] in OWN_LOGGERS)
    return handler


def main(argv: list[str] | None = None) -> int:
    for stream, errors in ((sys.stdin, "replace"), (sys.stdout, "backslashreplace"), (sys.stderr, "backslashreplace")):
        if hasattr(stream, "reconfigure"):  # bytes that are not UTF-8 are replaced or escaped, never a crash
            stream.reconfigure(errors=errors)
    args = build_parser().parse_args([clean_text(a) for a in (sys.argv[1:] if argv is None else argv)])
    try:
        settings = load_settings()
        logging.basicConfig(level=settings.log_level, handlers=[console_handler(settings.log_level)],
                            format="%(levelname)s %(name)s: %(message)s")
        return COMMANDS[args.command](args, settings)
    except AssistantError as err:
        print(f"error: {err.message}", file=sys.stderr)
        if err.hint:
            print(f"hint: {err.hint}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except OSError as exc:  # a path given on the command line or in a setting that cannot be read or written
        where = f": {exc.filename}" if exc.filename else ""
        print(f"error: {exc.strerror or exc}{where}", file=sys.stderr)
        print("hint: check that the path exists and that you may write there", file=sys.stderr)
        return 2


@command("config")
def run_config(args: argparse.Namespace, settings: Settings) -> int:
    for name, value, description in settings.describe():
        print(f"{name:24} = {value}\n{'':27}{description}")
    return 0


@command("index")
def run_index(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.service import index_corpus, inspect_index

    rebuild, repair = args.rebuild, False
    if args.repair and not rebuild:  # the store is read in a child process only: a crash there is a finding
        health = inspect_index(settings)
        for problem in health.problems:
            print(f"index damaged: {problem}; rebuilding it from the corpus")
        if not health.problems:
            print("index checked: snapshot and vector store are complete and in step")
        repair = bool(health.store_problem)
    summary = index_corpus(settings, rebuild=rebuild, repair=repair,
                           progress=not args.quiet and sys.stderr.isatty())
    if repair:
        print(f"repaired: the damaged store was moved aside unopened; {summary.restored_chunks} vectors restored "
              f"from the copy kept with the index, {summary.embedded_chunks} embedded again")
    print(f"indexed {summary.documents} documents ({summary.chunks} chunks) in {summary.seconds:.1f} s: "
          f"{len(summary.embedded_documents)} new or changed ({summary.embedded_chunks} chunks embedded"
          + (f", {summary.chunks_per_second:.0f} chunks/s" if summary.embedded_chunks else "")
          + f"), {summary.unchanged_documents} unchanged, {len(summary.removed_documents)} removed"
          + (f"; reader: {summary.annotated_chunks} passages annotated, {summary.embedded_sentences} sentences "
             "embedded" if summary.annotated_chunks or summary.embedded_sentences else ""))
    if summary.previous_problem:
        print(f"note: the previous index could not be used ({summary.previous_problem}); rebuilt")
    for doc_id in summary.kept_previous:
        print(f"kept the previously indexed version of {doc_id}")
    for doc_id, reason in summary.flagged.items():  # corpus.guard: its text is data, never quoted as an answer
        print(f"flagged {doc_id}: {reason}; indexed, never quoted")
    for err in summary.skipped:
        print(f"skipped {err.path}: {err.problem}")
    return 0 if summary.documents else 1


@command("search")
def run_search(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.service import Services
    from index.retriever import SearchConfig

    services = Services(settings)
    started = time.perf_counter()
    base = services.searcher.config
    config = SearchConfig(args.mode, base.dense_k, base.lexical_k, base.rrf_k, per_doc_cap=base.per_doc_cap)
    hits = services.searcher.search(args.question, args.k or settings.retrieve_k, filters_from(args), config)
    elapsed = (time.perf_counter() - started) * 1000
    if args.json:
        print(json.dumps([{"rank": h.rank, "chunk_id": h.chunk.chunk_id, "doc_id": h.chunk.doc_id,
                           "title": h.chunk.title, "page": h.chunk.page, "score": round(h.score, 5),
                           "text": h.chunk.text} for h in hits], ensure_ascii=False, indent=1))
        return 0
    for h in hits:
        page = f", p. {h.chunk.page}" if h.chunk.page else ""
        print(f"{h.rank:2}. [{h.score:.4f}] {h.chunk.doc_id}{page}  {h.chunk.title}")
        snippet = " ".join(h.chunk.text.split())
        print(f"    {snippet[:220]}{'…' if len(snippet) > 220 else ''}")
    print(f"({len(hits)} passages in {elapsed:.0f} ms)")
    return 0


def _assistant(settings: Settings, backend: str | None = None):
    from index.language import preload

    preload()  # overlaps with the imports below
    from assistant.chain import Assistant
    from assistant.service import Services

    return Assistant(Services(settings), backend=backend)


@command("ask")
def run_ask(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.terminal import format_answer

    answer = _assistant(settings, args.backend).ask(args.question, filters=filters_from(args))
    print(answer.model_dump_json(indent=1) if args.json else format_answer(answer))
    return 0


@command("chat")
def run_chat(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.terminal import chat_loop

    assistant = _assistant(settings, args.backend)
    filters = filters_from(args)
    return chat_loop(lambda question, history: assistant.ask(question, history, filters))


@command("serve")
def run_serve(args: argparse.Namespace, settings: Settings) -> int:
    from ui.app import launch

    if args.port is not None:
        settings = settings.model_copy(update={"port": args.port})
    launch(settings)
    return 0


@command("brief")
def run_brief_command(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.briefing.build import run_brief

    out = output_path(args.out) if args.out else None
    markdown = run_brief(_assistant(settings), args.topic, out, args.language,
                         filters_from(args))
    print(f"briefing written to {args.out}" if args.out else markdown)
    return 0


@command("feedback")
def run_feedback(args: argparse.Namespace, settings: Settings) -> int:
    from ui.store import ConversationStore

    out = output_path(args.out) if args.out else None
    store = ConversationStore(settings.db_path)
    if out:
        with open(out, "w", encoding="utf-8") as handle:
            count = store.export_feedback(handle)
        print(f"{count} feedback entries written to {args.out}")
    else:
        store.export_feedback(sys.stdout)
    return 0


@command("bench")
def run_bench(args: argparse.Namespace, settings: Settings) -> int:
    from evals.bench import run_benchmarks

    return run_benchmarks(settings, args.questions, build=not args.skip_build)


@command("eval")
def run_eval_command(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.presets import PRESETS
    from evals.harness import run_eval

    output_path(args.out, folder=True)
    configs = [c for name in (args.config or ["full"]) for c in (PRESETS if name == "all" else [name])]
    summary = run_eval(settings, args.questions, list(dict.fromkeys(configs)), Path(args.out), args.backend,
                       args.split, progress=sys.stderr.isatty())
    for name, result in summary["configs"].items():
        o = result["overall"]
        print(f"{name:9} accuracy {o['answer_accuracy']:.3f}  recall@5 {o['recall@5']:.3f}  "
              f"citation P/R {o['citation_precision']:.3f}/{o['citation_recall']:.3f}  refusal R "
              f"{o['refusal_recall']:.3f}  false refusals {o['false_refusal_rate']:.3f}  "
              f"lead P {'—' if o['lead_precision'] is None else format(o['lead_precision'], '.3f')}  "
              f"p50 {o['latency_p50_ms']:.0f} ms")
    print(f"report: {Path(args.out) / 'report.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
