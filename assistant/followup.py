"""Follow-up questions: build a standalone query from the conversation (heuristics, no model needed).

"Where did he announce it?" after "What did Brad Smith say about the Paris Call?" becomes a query that
carries "Brad Smith" and "Paris Call". LLM backends may instead use the condense prompt (`assistant.llm`).
"""

from __future__ import annotations

import re

REFERRING = re.compile(
    r"\b(he|she|it|they|him|her|his|hers|its|their|them|this|that|these|those|there|then|the same|"
    r"il|elle|ils|elles|lui|leur|leurs|son|sa|ses|celui|celle|ceux|celles|cela|ça|ce|cet|cette|y)\b"
    r"|^\s*(and|what about|how about|et|mais|puis|ensuite|also|aussi)\b", re.IGNORECASE)
NAME = re.compile(r"\b([A-ZÀ-Ý][\w'’.-]+(?:\s+(?:of|de|du|des|la|le|the|and|et|for|pour)?\s*[A-ZÀ-Ý][\w'’.-]+)*)")
QUESTION_WORDS = {"What", "When", "Where", "Who", "Why", "How", "Which", "Is", "Are", "Did", "Does", "Do", "Was",
                  "Has", "Have", "Can", "Quand", "Qui", "Que", "Quel", "Quelle", "Quels", "Quelles", "Pourquoi",
                  "Comment", "Combien", "Où", "Est", "Et", "And", "In", "On", "Dans", "En", "Le", "La", "Les",
                  "The", "A", "Un", "Une", "Give", "Tell", "List", "Donne", "Donnez", "Cite", "Citez"}


def names_in(text: str) -> list[str]:
    """Capitalised name spans (not question words)."""
    out = []
    for match in NAME.finditer(text):
        words = match.group(1).split()
        while words and words[0] in QUESTION_WORDS:
            words = words[1:]
        if words:
            out.append(" ".join(words))
    return out


def needs_context(question: str) -> bool:
    words = question.split()
    if REFERRING.search(question):
        return True
    return len(words) <= 4 and not names_in(question)


def standalone_question(question: str, history: list[str]) -> str:
    """The question, completed with the subject of the conversation when it refers back to it."""
    if not history or not needs_context(question):
        return question
    return f"{question.rstrip()} ({history[-1].strip().rstrip(' ?')})"
