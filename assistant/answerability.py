"""Whether the retrieved passages can answer a question, and whether a question is a prompt injection.

Signals, thresholds tuned on the benchmark's dev split (settings `refusal_support`, `refusal_dense`):
- the best single sentence covers enough of the question's weighted words, or the best passage's vector
  similarity is high enough;
- the top passages together cover enough of the question's words (off-topic questions share almost none);
- a year later than every document of the corpus means the sources cannot know.
"""

from __future__ import annotations

import re

from assistant.answer import Passage
from assistant.settings import Settings
from assistant.support import TermWeights, coverage, quote_tokens
from index.glossary import fold
from index.lexical import tokenize

INJECTION = re.compile(
    r"\b(ignore|disregard|forget)\b.{0,40}\b(instructions?|prompt|rules|previous|documents?|sources?)\b"
    r"|\b(system override|developer mode|jailbreak|system prompt|hidden prompt|your (hidden|secret) (rules|instructions))\b"
    r"|\b(oublie|ignore|ignorez|oubliez)\b.{0,40}\b(consignes?|instructions?|regles|documents?|sources?)\b"
    r"|\b(mode developpeur|invite systeme|prompt systeme)\b"
    r"|\b(je t'ordonne|i order you|you are now)\b", re.IGNORECASE)
YEAR = re.compile(r"\b(19\d\d|20\d\d)\b")
OFF_TOPIC_COVERAGE = 0.3  # the top three passages together hold less than this share of the question's words
OFF_TOPIC_DENSE = 0.862



def is_injection(question: str) -> bool:
    return bool(INJECTION.search(fold(question)))


def answerable(question: str, passages: list[Passage], weights: TermWeights, lexical: float, dense: float,
               settings: Settings, latest_year: int) -> bool:
    if any(int(y) > latest_year for y in YEAR.findall(question)):
        return False
    union: set[str] = set()
    for passage in passages[:3]:
        union |= quote_tokens(passage.text) | set(tokenize(passage.title))
    if coverage(tokenize(question), union, weights) < OFF_TOPIC_COVERAGE and dense < OFF_TOPIC_DENSE:
        return False
    return lexical >= settings.refusal_support or dense >= settings.refusal_dense
