"""The benchmark's questions with a typo each (`evals.typos`): one edit of one long word, the same every run."""

from __future__ import annotations

import json
import random

from rapidfuzz.distance import DamerauLevenshtein

from evals.typos import main, misspell, with_typos

QUESTIONS = [{"id": "q1", "question": "When was the Paris Call launched?", "split": "test", "history": []},
             {"id": "q2", "question": "And then?", "split": "test", "history": ["When was it launched?"]},
             {"id": "q3", "question": "Who is it?", "split": "test", "history": []}]


def test_a_typo_is_one_edit_of_the_word():
    rng = random.Random(0)
    for word in ("launched", "créé", "électoral"):  # a letter with no neighbour on the rows ("é") too
        for _ in range(200):
            typed = misspell(word, rng)
            assert typed != word and DamerauLevenshtein.distance(typed, word) == 1


def test_each_question_gets_one_typo_in_a_long_word_the_same_every_run():
    typed = with_typos(QUESTIONS)
    assert [q["id"] for q in typed] == ["q1"]  # a follow-up and a question without a long word are left out
    changed = [(a, b) for a, b in zip(QUESTIONS[0]["question"].split(), typed[0]["question"].split(), strict=True)
               if a != b]
    assert len(changed) == 1 and len(changed[0][0]) >= 6
    assert with_typos(QUESTIONS) == typed  # a fixed seed


def test_the_file_written_is_the_split_with_typos(tmp_path):
    source, out = tmp_path / "questions.jsonl", tmp_path / "typos.jsonl"
    source.write_text("".join(json.dumps(q) + "\n" for q in QUESTIONS + [{**QUESTIONS[0], "id": "d1", "split": "dev"}]))
    main(["--questions", str(source), "--split", "test", "--out", str(out)])
    written = [json.loads(line) for line in out.read_text().splitlines()]
    assert [q["id"] for q in written] == ["q1"] and written[0]["question"] != QUESTIONS[0]["question"]


def test_informal_questions_are_lower_case_without_accents_apostrophes_of_contractions_or_question_mark(tmp_path):
    from evals.typos import informal, informally

    assert informal("Why didn't the US sign it in 2018?") == "why didnt the us sign it in 2018"
    assert informal("Pourquoi les États-Unis ont-ils rejoint l'Appel ?") == "pourquoi les etats-unis ont-ils rejoint l'appel"
    assert [q["id"] for q in informally(QUESTIONS + [{"id": "q4", "question": "who is it", "history": []}])] == ["q1", "q3"]
    source, out = tmp_path / "questions.jsonl", tmp_path / "informal.jsonl"
    source.write_text("".join(json.dumps(q) + "\n" for q in QUESTIONS))
    main(["--questions", str(source), "--split", "test", "--style", "informal", "--out", str(out)])
    assert [json.loads(line)["question"] for line in out.read_text().splitlines()] == ["when was the paris call launched",
                                                                                    "who is it"]
