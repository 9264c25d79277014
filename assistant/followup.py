"""Follow-up questions: a standalone query from the conversation when the question refers back to it.

Whether it does is read from the question's structure (`assistant.references`: an elliptic question, or a
pronoun with nothing in the question to point to), not from common words. "Where did he announce it?" after
"What did Brad Smith say about the Paris Call?" becomes a query that carries the earlier question. LLM
backends may instead use the condense prompt (`assistant.llm`).
"""

from __future__ import annotations

import re

from assistant.references import may_refer_back, refers_back, warm_up

__all__ = ["needs_context", "names_in", "standalone_question", "warm_up"]


def needs_context(question: str) -> bool:
    """Whether the question refers back to the conversation."""
    return refers_back(question)


def standalone_question(question: str, history: list[str], subject: str = "") -> str:
    """The question, completed with the conversation's subject when it refers back to it: the last earlier
    question that stands on its own, and the follow-ups asked since; with no earlier question, `subject`
    (what the documents are about: "who criticized it" asks who criticized the Paris Call)."""
    if not history:  # a first question's words tell first whether it can refer back at all (no parse)
        refers = bool(subject) and may_refer_back(question) and needs_context(question)
        return f"{question.rstrip()} ({subject})" if refers else question
    if not needs_context(question):
        return question
    context: list[str] = []
    for earlier in reversed(history[-3:]):
        context.insert(0, earlier.strip().rstrip(" ?"))
        if not needs_context(earlier):
            break
    return f"{question.rstrip()} ({'; '.join(context)})"


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
