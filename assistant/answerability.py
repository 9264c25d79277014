"""Whether a question is a prompt injection ("ignore your instructions..."): refused with a notice.

Whether the passages can answer a question is the reader's calibrated score (`assistant.reading`).
"""

from __future__ import annotations

from corpus.guard import is_instruction


def is_injection(question: str) -> bool:
    """Whether the question carries instructions aimed at the assistant (the same guard as for documents)."""
    return is_instruction(question)
