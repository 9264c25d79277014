"""Answers for the terminal: `assistant ask` and the `assistant chat` conversation."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TextIO

from assistant.answer import Answer, section_mark
from assistant.prompts import RELATED_INTRO
from corpus.errors import AssistantError


def format_answer(answer: Answer) -> str:
    """The answer text, then its numbered references with the quoted passage."""
    lines = [answer.text]
    if answer.notice:
        lines += ["", f"({answer.notice})"]
    if answer.citations:
        lines.append("")
        for c in answer.citations:
            where = ", ".join(x for x in (c.publisher, c.date, f"p. {c.page}" if c.page else None,
                                          section_mark(c.heading, c.quote)) if x)
            lines.append(f"[{c.marker}] {c.title}" + (f" — {where}" if where else "") + f"  ({c.doc_id})")
            if c.url:
                lines.append(f"    {c.url}")
            lines.append(f"    “{' '.join(c.quote.split())[:300]}”")
    if answer.refused and answer.related:
        lines += ["", RELATED_INTRO[answer.language]]
        lines += [f"- {p.title} ({p.doc_id})" for p in answer.related]
    return "\n".join(lines)


def chat_loop(ask: Callable[[str, list[str]], Answer], read: Callable[[str], str] = input,
              out: TextIO = sys.stdout) -> int:
    """A conversation that keeps its history; an empty line, `exit` or end of input quits."""
    history: list[str] = []
    print("Ask about the Paris Call (empty line to quit).", file=out)
    while True:
        try:
            question = read("> ").strip()
        except EOFError:
            break
        if question.lower() in ("", "exit", "quit"):
            break
        try:
            answer = ask(question, history)
        except AssistantError as err:
            print(err.message, file=out)
            continue
        history.append(question)
        print(format_answer(answer) + "\n", file=out)
    return 0
