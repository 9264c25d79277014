"""Sources a question names: "d'après ICTjournal", "axios says...", "what does the register say about...".

A question that names where it read something wants that source's passages, though its other words may match
other documents better. The names come from the documents' own `publisher` field (any folder of documents
gets its own): the name before a parenthesis and the name of its web domain ("ICTjournal (ictjournal.ch)":
"ictjournal"). A name is kept only when it picks out its source: it is not a common word of the corpus's
text (at most `MAX_OTHER_DOCUMENTS` other documents use it), and it names no more than `MAX_DOCUMENTS`
documents (a publisher of 31 pages says nothing about which one is meant).
"""

from __future__ import annotations

import re
from collections import defaultdict

from index.chunking import Chunk
from index.glossary import fold

MAX_DOCUMENTS = 4
MAX_OTHER_DOCUMENTS = 2
MIN_LENGTH = 4  # shorter names ("RFI", "UPI") are kept only as written in capitals in the question
DOMAIN = re.compile(r"\b([a-z0-9][a-z0-9-]{2,})\.(?:org|com|fr|ch|de|net|gov|co\.za|ca|io|int|info|eu|be|uk|za)\b")
SPLIT = re.compile(r"\s+[–—-]\s+|[,;/(]|\bas (?:stored|published|distributed|republished) by\b|"
                   r"\brepublished by\b|\bvia\b")


# A question about what the declaration itself says ("what does the paris call say about elections", "does the
# call mention hospitals", "que dit l'appel sur le hack back", "dans le texte de l'appel", "l'appel parle des normes
# de l'onu ?"): most passages that match its words are others' accounts of the Call, so the documents of kind
# `DECLARATION` are searched as a named source is (on the accent-folded, lower-case question). Not when the
# Call's website or a page of it is what speaks ("le site de l'appel dit quoi"), nor when someone says
# something about the Call ("what did microsoft say about the paris call").
DECLARATION = "declaration"
_THE_TEXT = (r"(?<!site of )(?<!site de )(?<!page de )(?:the (?:paris )?call|the (?:call'?s )?(?:text|declaration)(?: of the "
             r"(?:paris )?call)?|l'appel(?: de paris)?|le texte(?: de l'appel)?|la declaration)")
_SAYS = (r"(?:says?|said|mentions?|talks?|covers?|address(?:es)?|wants?|asks?|calls? (?:on|for)|contains?|states?|"
         r"includes?|commits?|promises?|do about|dit|disent|parle|mentionne|evoque|prevoit|demande|veut|contient|"
         r"affirme|aborde|propose|engage)")
ASKS_THE_TEXT = re.compile(
    rf"\b{_THE_TEXT}\b(?! (?:web)?site| page| community| working)(?: itself| lui[- ]meme)?\W+(?:\w+\W+){{0,2}}?{_SAYS}\b|"
    rf"\b(?:what|que|qu'est[- ]ce qu'?|quoi)\W+(?:does|do|did|dit|disent|prevoit|demande)\W+{_THE_TEXT}\b"
    rf"(?! (?:web)?site| page)|\b(?:in|of|dans|selon|d'apres) {_THE_TEXT}(?:'s)? (?:itself|text|lui[- ]meme)\b|"
    rf"\b(?:in|dans|selon|d'apres) (?:the text|le texte|the declaration|la declaration)\b")


def asks_the_text(question: str) -> bool:
    """Whether the question asks what the declaration itself says (see `ASKS_THE_TEXT`)."""
    return bool(ASKS_THE_TEXT.search(fold(question).lower()))


def _normal(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", fold(text)))


def names_of(publisher: str) -> set[str]:
    """The names a question may call `publisher` by: its name(s) before any parenthesis and its domains."""
    names = {_normal(part) for part in SPLIT.split(publisher.split("(")[0])}
    names |= {_normal(domain.replace("-", " ")) for domain in DOMAIN.findall(publisher.lower())}
    return {n for n in names if n and len(n) >= 3}


class SourceNames:
    """Which publishers' documents a question names."""

    def __init__(self, chunks: list[Chunk]) -> None:
        documents: dict[str, set[str]] = defaultdict(set)  # publisher -> its documents
        texts: dict[str, list[str]] = defaultdict(list)
        for chunk in chunks:
            publisher = chunk.metadata.get("publisher")
            if publisher and "row" not in chunk.metadata:
                documents[publisher].add(chunk.doc_id)
            texts[chunk.doc_id].append(chunk.text)
        corpus = {doc_id: " " + _normal(" ".join(parts)) + " " for doc_id, parts in texts.items()}
        self.names: dict[str, str] = {}  # name -> publisher
        for publisher, docs in documents.items():
            if len(docs) > MAX_DOCUMENTS:
                continue
            for name in names_of(publisher):
                others = sum(f" {name} " in text for doc_id, text in corpus.items() if doc_id not in docs)
                if others <= MAX_OTHER_DOCUMENTS:
                    self.names[name] = publisher
        self._pattern = (re.compile(r"\b(" + "|".join(sorted(map(re.escape, self.names), key=len, reverse=True))
                                    + r")\b") if self.names else None)

    def mentioned(self, question: str) -> tuple[str, ...]:
        """The publishers the question names, in the order it names them."""
        if self._pattern is None:
            return ()
        text = _normal(question)
        found = dict.fromkeys(self.names[m.group(1)] for m in self._pattern.finditer(text)
                              if len(m.group(1)) >= MIN_LENGTH or m.group(1).upper() in question)
        return tuple(found)
