"""Follow-up questions: a standalone query from the conversation when the question refers back to it.

Whether it does is read from the question's structure (`assistant.references`: an elliptic question, or a
pronoun with nothing in the question to point to), not from common words. "Where did he announce it?" after
"What did Brad Smith say about the Paris Call?" becomes a query that carries the earlier question. LLM
backends may instead use the condense prompt (`assistant.llm`).
"""

from __future__ import annotations

import re

from assistant.language import detect_language
from assistant.references import elliptic, may_refer_back, refers_back, warm_up
from index.countries import Country, countries_in
from index.glossary import NUMBERED, ORDINAL_PART, fold, numbered_parts

__all__ = ["elliptic", "needs_context", "names_in", "standalone_question", "warm_up"]


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
    if elliptic(question):
        context = [put_in_place(question, earlier) for earlier in context]
    return f"{question.rstrip()} ({'; '.join(context)})"


def put_in_place(question: str, earlier: str) -> str:
    """`earlier` with the working group, principle or country that an elliptic follow-up names in place of the
    one of the same kind it names: "and wg5?" after "who co-chairs wg6" asks who co-chairs working group 5, "et la
    chine ?" after "la russie a signé ?" whether China signed."""
    french = detect_language(earlier) == "fr"
    parts = numbered_parts(question)
    folded = fold(earlier)
    if len(parts) == 1 and len(folded) == len(earlier):  # spans of the folded text are the text's
        kind = "wg" if parts[0].startswith("wg") else "principle"
        words = {("wg", False): "working group", ("wg", True): "groupe de travail",
                 ("principle", False): "principle", ("principle", True): "principe"}[kind, french]
        named = f"{words} {parts[0][len(kind):]}"
        spans = [(m.start(), m.end()) for m in NUMBERED.finditer(folded) if bool(m.group(1)) == (kind == "wg")]
        spans += [(m.start(), m.end()) for m in ORDINAL_PART.finditer(folded) if bool(m.group(2)) == (kind == "wg")]
        for start, end in sorted(spans, reverse=True):
            earlier = earlier[:start] + named + earlier[end:]
    countries = countries_in(question)
    if len(countries) == 1:
        for other in countries_in(earlier):
            if other != countries[0]:
                earlier = _renamed(earlier, other, countries[0].french_bare() if french else countries[0].name)
    return earlier


def _renamed(text: str, old: Country, name: str) -> str:
    """`text` with each name of the country `old` replaced by `name`."""
    names = sorted(old.names, key=len, reverse=True)
    return re.sub(r"(?<!\w)(?:" + "|".join(re.escape(n) for n in names) + r")(?!\w)", name, text, flags=re.IGNORECASE)


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
