"""The benchmark question file: JSON lines, one question per line (see README, "Evaluation")."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from corpus.errors import ConfigError

QUESTION_TYPES = ("factual", "registry", "statement", "multi-hop", "contradiction", "followup",
                  "unanswerable", "adversarial", "briefing")
DEFAULT_QUESTIONS = Path(__file__).resolve().parent / "questions.jsonl"


class Question(BaseModel):
    """One benchmark question. Unknown extra fields are ignored."""

    model_config = ConfigDict(extra="ignore")

    id: str
    question: str
    language: Literal["en", "fr"] = "en"
    answerable: bool = True
    type: str = "factual"
    key_facts: list[str] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)
    history: list[str] = Field(default_factory=list)
    must_not: list[str] = Field(default_factory=list)
    split: Literal["dev", "test"] | None = None

    @field_validator("key_facts", "must_not")
    @classmethod
    def _regexes(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            re.compile(pattern, re.IGNORECASE)
        return patterns


def load_questions(path: Path | str | None = None, split: str | None = None) -> list[Question]:
    """Read a question file; `split` keeps one split (a file without splits runs whole)."""
    path = Path(path) if path else DEFAULT_QUESTIONS
    if not path.is_file():
        raise ConfigError(f"question file not found: {path}")
    questions = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            questions.append(Question.model_validate(json.loads(line)))
        except (ValueError, ValidationError, re.error) as exc:
            raise ConfigError(f"{path}:{number}: not a valid question ({str(exc).splitlines()[0]})") from None
    if split and any(q.split for q in questions):
        questions = [q for q in questions if q.split == split]
    return questions
