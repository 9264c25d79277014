"""The benchmark's questions with a typo in each: how well the assistant reads people who type fast.

`python -m evals.typos --split test --out FILE` writes every question of the split (follow-ups aside) with one
typo in one of its words of six letters or more, drawn with a fixed seed: a letter left out (40%), two
adjacent letters swapped (25%), a letter's neighbour on a QWERTY keyboard struck for it (20%; doubled when
it has none, "é"), or a letter struck twice (15%). Answering them with the typo correction on and off (`PCA_CORRECT_TYPOS=false`) measures
what `assistant.spelling` is worth:

    python -m evals.typos --split test --out /tmp/typos.jsonl
    assistant eval --questions /tmp/typos.jsonl --split test --config full --out DIR

`--style informal` writes the questions instead as people type them in a chat box, without a typo: in lower
case, without accents, an English contraction without its apostrophe ("didnt", "whats"), no final question mark
("why didnt the us sign in 2018", "pourquoi les etats-unis ont rejoint l'appel en 2021").
"""

from __future__ import annotations

import argparse
import json
import random
import re
from pathlib import Path

from corpus.guard import fold
from evals.questions import DEFAULT_QUESTIONS

ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
LONG_WORD = re.compile(r"[^\W\d_]{6,}")
SEED = 7
CONTRACTION = re.compile(r"\b(\w+)['’](t|s|re|ve|ll|m|d)\b", re.IGNORECASE)  # "didn't", "what's" (not "l'appel")


def neighbour(letter: str, rng: random.Random) -> str:
    """A key beside `letter` on its QWERTY row (the letter itself when it is no letter of the rows)."""
    for row in ROWS:
        at = row.find(letter.lower())
        if at >= 0:
            return rng.choice([row[i] for i in (at - 1, at + 1) if 0 <= i < len(row)])
    return letter


def misspell(word: str, rng: random.Random) -> str:
    """`word` with one typo."""
    draw = rng.random()
    if draw < 0.4:
        i = rng.randrange(1, len(word) - 1)
        return word[:i] + word[i + 1:]
    if draw < 0.65:
        i = rng.randrange(0, len(word) - 2)
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    i = rng.randrange(1, len(word))
    key = neighbour(word[i], rng) if draw < 0.85 else word[i]
    if key != word[i]:
        return word[:i] + key + word[i + 1:]
    return word[:i] + word[i] + word[i:]  # a letter struck twice (also for one with no neighbour: "é")


def with_typos(questions: list[dict], seed: int = SEED) -> list[dict]:
    """The questions (follow-ups aside: their conversation would keep its spelling) with a typo in one long
    word each; those without a long word are left out."""
    rng = random.Random(seed)
    out = []
    for question in questions:
        words = list(LONG_WORD.finditer(question["question"]))
        if question.get("history") or not words:
            continue
        chosen = rng.choice(words)
        text = question["question"]
        out.append({**question, "question": text[:chosen.start()] + misspell(chosen.group(0), rng)
                    + text[chosen.end():]})
    return out


def informal(text: str) -> str:
    """`text` as typed in a hurry: lower case, no accents, no apostrophe in an English contraction, no final
    question mark."""
    return fold(CONTRACTION.sub(r"\1\2", text)).rstrip(" ?!.")


def informally(questions: list[dict]) -> list[dict]:
    """The questions (follow-ups aside, like `with_typos`) written `informal`ly; those it leaves unchanged are
    left out."""
    return [{**q, "question": informal(q["question"])} for q in questions
            if not q.get("history") and informal(q["question"]) != q["question"]]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", default=str(DEFAULT_QUESTIONS), help="benchmark questions (JSONL)")
    parser.add_argument("--split", default="test", help="split to take the questions from (default: test)")
    parser.add_argument("--seed", type=int, default=SEED, help="seed of the typos drawn")
    parser.add_argument("--style", choices=("typo", "informal"), default="typo",
                        help="one typo per question (default), or the question written informally")
    parser.add_argument("--out", required=True, help="where to write the questions (JSONL)")
    args = parser.parse_args(argv)
    lines = Path(args.questions).read_text(encoding="utf-8").splitlines()
    questions = [q for q in (json.loads(line) for line in lines if line.strip()) if q.get("split") == args.split]
    typed = with_typos(questions, args.seed) if args.style == "typo" else informally(questions)
    Path(args.out).write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in typed), encoding="utf-8")
    what = "one typo each" if args.style == "typo" else "written informally"
    print(f"{len(typed)} questions of the {args.split} split, {what}: {args.out}")


if __name__ == "__main__":
    main()
