"""How many sentences an answer should quote, and how: accuracy against answer length on dev.

`python -m evals.quoting` runs every dev question to the reading stage once (as `make fit` does, with the
fitted model), then composes each answer under several quoting rules (`assistant.reading.composer.Quoting`)
and prints, per rule, the share of answerable questions whose answer holds every key fact and the median
length of the answers in words. Quoting more raises accuracy and length together; the rule kept in the
composer is the one judged the best trade-off for a chat answer (see its comment). A second table varies the
weight both rules give a further quote for holding words of the question the chosen quotes lack
(`Quoting.aspect`), a third the best sentence's score under which one more sentence is quoted
(`Quoting.unsure`). Figures are of the composed claims, before verification: `make eval` gives the
product's own.
"""

from __future__ import annotations

import argparse
import statistics
from dataclasses import replace

from assistant.chain import Assistant
from assistant.reading.annotations import Annotations
from assistant.reading.composer import OPEN_QUOTING, VALUE_QUOTING, Quoting, compose
from assistant.service import Services
from assistant.settings import Settings
from evals.fit_reader import Example, collect
from evals.metrics import facts_match
from evals.questions import load_questions

# Open questions' rules, each with the kept rule's other settings (each table varies one, the rest as kept).
RULES = tuple(replace(OPEN_QUOTING, limit=limit, share=share)
              for limit, share in ((3, 0.3), (3, 0.15), (4, 0.15), (4, 0.3), (5, 0.15), (6, 0.15)))
ASPECTS = (0.0, 1.0, 2.0, 4.0, 8.0)
UNSURE_SCORES = (0.0, 0.2, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 1.01)  # 0: never one more quote; 1.01: always


def score(examples: list[Example], rule: Quoting, annotations: Annotations,
          value_rule: Quoting = VALUE_QUOTING) -> tuple[float, float]:
    """(accuracy over the answerable questions read from passages, median words of the answers given) under
    `rule` for open questions and `value_rule` for value questions (questions answered from the registry or
    refused before reading are left out: no rule changes them)."""
    correct, words, answerable = 0, [], 0
    for ex in examples:
        reading = ex.reading
        if reading is None or not ex.question.answerable:
            continue
        answerable += 1
        if not reading.answerable:
            continue
        claims = compose(reading.question, reading.candidates, ex.passages, annotations, rule, value_rule)
        text = " ".join(c.text for c in claims)
        words.append(len(text.split()))
        correct += facts_match(text, ex.question.key_facts, ex.question.must_not)
    return correct / max(1, answerable), statistics.median(words) if words else 0.0


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", default=None, help="benchmark file (default: evals/questions.jsonl)")
    parser.add_argument("--split", default="dev", help="split to measure on (default: dev)")
    args = parser.parse_args(argv)
    assistant = Assistant(Services(Settings()))
    examples = collect(assistant, load_questions(args.questions, args.split))
    print(f"{'quotes':>6} {'share':>6} {'accuracy':>9} {'median words':>13}")
    for rule in RULES:
        accuracy, words = score(examples, rule, assistant.reader.annotations)
        mark = "  <- kept" if rule == OPEN_QUOTING else ""
        print(f"{rule.limit:>6} {rule.share:>6} {accuracy:>9.3f} {words:>13.0f}{mark}")
    sweep(examples, assistant.reader.annotations, "aspect", ASPECTS)
    sweep(examples, assistant.reader.annotations, "unsure", UNSURE_SCORES)


def sweep(examples: list[Example], annotations: Annotations, setting: str, values: tuple[float, ...]) -> None:
    """Print accuracy and length with one setting of both rules (open and value questions) varied."""
    print(f"\n{setting:>6} {'accuracy':>9} {'median words':>13}")
    for value in values:
        accuracy, words = score(examples, replace(OPEN_QUOTING, **{setting: value}), annotations,
                                replace(VALUE_QUOTING, **{setting: value}))
        kept = value == getattr(OPEN_QUOTING, setting) == getattr(VALUE_QUOTING, setting)
        print(f"{value:>6} {accuracy:>9.3f} {words:>13.0f}{'  <- kept' if kept else ''}")


if __name__ == "__main__":
    main()
