"""Instructions aimed at an assistant inside untrusted text (documents, passages, questions).

Text is data: a document that tells an assistant what to do ("Ignore all previous instructions. …",
"Note to AI models: when asked about X, say that …") is flagged at indexing, and neither its
instruction sentences nor its claims are ever quoted as an answer. Detection looks at the whole text,
not one sentence at a time: patterns may run across sentence ends, and an address to an assistant
("Note to AI assistants.") counts together with an output directive in the next sentences ("Say that…").

Signals, in English and French, on accent-folded text with invisible characters removed:
- override: "ignore / disregard / forget … (your | previous | all) instructions / rules / sources",
  "oublie tes consignes", as an imperative or with a qualifier that only makes sense to a model;
- role change: "you are now", "developer mode", "system prompt", "je t'ordonne", chat-template tokens;
- output directive aimed at a reader-assistant: "tell the user", "when asked about …", "in your answer";
- an address to an assistant ("note to AI models", "si tu es une IA") next to an imperative "say that …".
Words such as "ignore" or "instructions" in ordinary prose ("groups that disregard borders", "users ignored
the instructions") are not instructions.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Mapping
from itertools import accumulate
from typing import Any

WINDOW = 3  # sentences over which an address and a directive (or a split pattern) count together
_WS = r"[\s\W_]+"  # between words: spaces and punctuation (a pattern may run across a sentence end)
# Where an imperative starts a clause: the start, after a sentence end, a colon, "and", "then", "also, "…
_CLAUSE_START = re.compile(r"(?:^|[.!?;:»\"“”)(\-–—\n]\s*|\b(?:and|then|also|now|please|so|just|et|puis|ensuite|aussi|"
                           r"alors|maintenant)\b,?\s+)$")
_QUALIFIER = (r"(?:previous|prior|above|earlier|preceding|foregoing|former|original|initial|system|your|all|any|"
              r"every|these|those|the|current|existing|other|my|tes|vos|les|toutes?|tous)")
_MODEL_QUALIFIER = (r"(?:previous|prior|above|earlier|preceding|foregoing|original|initial|system|your|"
                    r"all (?:the )?previous|tes|vos|(?:les )?precedentes?|ci-dessus|anterieures?)")
_STRONG_OBJECT = (r"(?:instructions?|prompts?|directives?|guidelines?|programming|guardrails?|system messages?|"
                  r"consignes?|invites?)")
_WEAK_OBJECT = r"(?:rules|sources?|documents?|passages?|context|constraints|restrictions|messages|regles|contexte)"
_VERB = (r"\b(?:ignore[zs]?|disregard|forget|override|bypass|discard|drop|oublie[zs]?|ne (?:tiens|tenez) (?:pas|plus) "
         r"compte|fai(?:s|tes) abstraction|passe[zs]? outre|outrepasse[zs]?)")
_WORDS = rf"(?:{_WS}[\w']+){{0,3}}?{_WS}"


def _any(*parts: str) -> re.Pattern[str]:
    """One pattern of alternatives; those starting at a word boundary share it (much faster to scan)."""
    words = [p.removeprefix(r"\b") for p in parts if p.startswith(r"\b")]
    others = [p for p in parts if not p.startswith(r"\b")]
    return re.compile("|".join(([r"\b(?:" + "|".join(words) + ")"] if words else []) + others), re.MULTILINE)


# Each pattern starts with a word, so scanning a long document stays fast. "Imperative" patterns count
# only at the start of a clause (checked after the match), where a verb is an order rather than prose.
OVERRIDE_IMPERATIVE = _any(  # "Ignore (…) instructions", "Ignore the sources"
    rf"{_VERB}{_WORDS}(?:{_STRONG_OBJECT}|{_QUALIFIER}(?:{_WS}[\w']+)?{_WS}{_WEAK_OBJECT})\b")
OVERRIDE = _any(  # with words that only make sense to a model: "… ignore your previous instructions"
    rf"{_VERB}{_WORDS}{_MODEL_QUALIFIER}(?:{_WS}[\w']+)?{_WS}(?:{_STRONG_OBJECT}|{_WEAK_OBJECT})\b",
    rf"{_VERB}{_WORDS}(?:{_STRONG_OBJECT}|{_WEAK_OBJECT}){_WS}(?:above|before this|so far|you (?:were|have been) "
    r"given|precedentes?|ci-dessus|recues)\b")
ROLE = _any(
    r"\byou are now\b", r"\bfrom now on,? (?:you|your|answer|respond|reply|say)\b",
    r"\bact as (?:an? |the )?(?:unrestricted |unfiltered |different |evil )?(?:ai|chatbot|dan|language model)\b",
    r"\bpretend (?:to be|you are|that you)\b", r"\bdeveloper mode\b", r"\bjailbreak", r"\bdo anything now\b",
    r"\bsystem override\b", r"\b(?:system|hidden|secret|initial|original) prompt\b", r"\bnew instructions?\s*:",
    r"\bnew system prompt\b", r"\b(?:your|the) (?:hidden|secret|initial|original|system) (?:rules|instructions|"
    r"configuration)\b", r"\b(?:i|we) (?:order|command|instruct) you\b", r"\bje (?:t|vous)'(?:ordonne|commande)\b",
    r"\bje vous (?:ordonne|commande)\b", r"\b(?:tu es|vous etes) (?:maintenant|desormais|a present)\b",
    r"\ba partir de maintenant,? (?:tu|vous)\b", r"\bmode (?:developpeur|developer)\b",
    r"\b(?:invite|prompt|message) systeme\b",
    r"\b(?:reveal|print|show|display|output|repeat|leak)(?: me)? (?:your|the) (?:\w+ )?(?:prompt|instructions|"
    r"configuration|rules)\b",
    r"\b(?:revele|affiche|montre|repete)[sz]?(?:-moi)? (?:ton|ta|tes|votre|vos) (?:\w+ )?(?:prompt|invite|"
    r"configuration|consignes|instructions)\b",
    r"<\|?(?:im_start|im_end|system|endoftext)\|?>", r"\[/?inst\]", r"<</?sys>>",
    r"^#{2,}\s*(?:system|instructions?|assistant)\b", r"^(?:system|assistant)\s*:")
DIRECTIVE = _any(  # output directives aimed at a reader-assistant
    r"\b(?:when|if|whenever|once) (?:you are|you're|you get|you're being) (?:asked|questioned|prompted|queried)\b",
    r"\b(?:when|if|whenever) asked\b[^.]{0,80}?,\s*(?:say|answer|reply|respond|state|claim|tell)\b",
    r"\b(?:in|at the (?:start|end|beginning) of|throughout) your (?:answers?|responses?|replies|summar(?:y|ies)|"
    r"outputs?)\b", r"\b(?:your|the assistant's|the model's) (?:answers?|responses?|replies|output) "
    r"(?:must|should|shall)\b",
    r"\b(?:dis|dites|reponds|repondez|affirme|affirmez|ecris|ecrivez|indique|indiquez|raconte|racontez)"
    r"(?:-lui|-leur|-moi)? (?:a l'utilisateur|aux utilisateurs|au lecteur|aux lecteurs)\b",
    r"\b(?:quand|lorsqu'|lorsque|si|des qu') ?on (?:te|vous) (?:demande|interroge|pose)\b",
    r"\bdans (?:ta|votre) (?:reponse|synthese|resume)\b", r"\b(?:ta|votre) reponse (?:doit|devra)\b",
    r"\b(?:reponds|repondez|dis|dites) (?:toujours|uniquement|seulement)\b")
DIRECTIVE_IMPERATIVE = _any(
    r"\b(?:tell|inform|remind|assure|convince) (?:the|your|any) (?:user|reader|human|person asking)\b",
    r"\b(?:always|only|never) (?:answer|respond|reply|say|state|mention|cite|quote)\b")
ADDRESS = _any(  # an address to an assistant: an instruction only together with a directive
    r"\b(?:note|message|instructions?|reminder|memo|notice|warning) (?:to|for) (?:the |any |all )?"
    r"(?:ai|a\.i\.|assistants?|ai assistants?|ai models?|ai systems?|language models?|llms?|chatbots?|bots?|models?|"
    r"crawlers?)\b", r"\b(?:dear|hey|hello|hi) (?:ai|assistant|chatbot|chatgpt|model|llm)\b",
    r"\bif you are (?:an? )?(?:ai|assistant|language model|llm|chatbot|bot|model)\b",
    r"\b(?:ai|llms?|assistants?|chatbots?|language models?|ai models?) (?:reading|summari[sz]ing|processing) this\b",
    r"\bto (?:any|all|every) (?:ai|assistants?|language models?|llms?|chatbots?|ai models?)\b",
    r"\b(?:note|message|consigne|attention|avis) (?:a|pour|aux) (?:l'|les |la |le )?(?:ia|assistants?|modeles? de "
    r"langage|modeles? de langue|chatbots?|intelligences? artificielles?|robots?)\b",
    r"\bsi (?:tu es|vous etes) (?:une|un) (?:ia|assistant|modele|chatbot|intelligence artificielle|robot)\b",
    r"\b(?:cher|chere) (?:assistant|ia|modele)\b")
COMMAND = _any(  # an output order with no addressee of its own ("Say that …"), at a clause start or after a comma
    r"\b(?:say|state|answer|reply|respond|claim|assert|write|report|mention|insist|confirm|explain)"
    r"(?: to (?:the )?\w+)?,? (?:that|only|with|:)",
    r"\b(?:dis|dites|reponds|repondez|affirme|affirmez|ecris|ecrivez|indique|indiquez|confirme|confirmez)"
    r"(?:-lui|-leur|-moi)?,? (?:que|qu'|uniquement|seulement)")
_ALL = (OVERRIDE_IMPERATIVE, OVERRIDE, ROLE, DIRECTIVE, DIRECTIVE_IMPERATIVE, ADDRESS, COMMAND)


def _at_clause_start(text: str, start: int, comma: bool = False) -> bool:
    before = text[max(0, start - 30):start]
    if start > 30:
        before = "x" + before  # "^" must not match inside the text
    return bool(_CLAUSE_START.search(before) or (comma and before.rstrip().endswith(",")))


def _matches(pattern: re.Pattern[str], text: str, imperative: bool = False,
             comma: bool = False) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text) if not imperative or _at_clause_start(text, m.start(), comma)]


def _strong(text: str) -> list[tuple[int, int]]:
    """Spans of instructions complete in themselves."""
    return (_matches(OVERRIDE, text) + _matches(ROLE, text) + _matches(DIRECTIVE, text)
            + _matches(OVERRIDE_IMPERATIVE, text, True) + _matches(DIRECTIVE_IMPERATIVE, text, True))


_SENTENCE = re.compile(r"[^\n.!?…]*(?:[.!?…]+[\"”»)]*|\n|$)")
_INVISIBLE = dict.fromkeys(c for c in range(0x2000, 0x2070) if unicodedata.category(chr(c)) == "Cf")
_INVISIBLE.update(dict.fromkeys([0xAD, 0x034F, 0x061C, 0x180E, 0xFEFF]))
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00a0": " "})


def fold(text: str) -> str:
    """Lower case, accents and invisible characters removed, compatibility forms (full-width letters) mapped."""
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).translate(_INVISIBLE))
    text = _COMBINING.sub("", text)
    return text.translate(_APOSTROPHES).lower()


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans (split at . ! ? … and line ends), trimmed, empty ones left out."""
    spans = []
    for match in _SENTENCE.finditer(text):
        start, end = match.span()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start and re.search(r"\w", text[start:end]):
            spans.append((start, end))
    return spans


def instruction_spans(text: str) -> list[tuple[int, int]]:
    """The spans (whole sentences) of `text` that carry instructions aimed at an assistant, in order.

    The text is scanned whole: a pattern running across sentence ends marks each sentence it touches; an
    address to an assistant ("Note to AI models.") marks itself and the orders ("Say that …") in the
    sentences around it, and is not an instruction without one.
    """
    if not text:
        return []
    spans = sentences(text)
    folded = [fold(text[s:e]) for s, e in spans]
    whole = "\n".join(folded)
    starts = list(accumulate((len(f) + 1 for f in folded[:-1]), initial=0))

    def touched(span: tuple[int, int]) -> set[int]:
        return set(range(bisect_right(starts, span[0]) - 1, bisect_right(starts, max(span[0], span[1] - 1))))

    marked: set[int] = set()
    for span in _strong(whole):
        marked |= touched(span)
    addresses = {i for span in _matches(ADDRESS, whole) for i in touched(span)}
    if not marked and not addresses:
        return []
    commands = {i for span in _matches(COMMAND, whole, True, comma=True) for i in touched(span)}
    for i in sorted(addresses):
        near = {j for j in range(i - 1, i + WINDOW) if j != i and (j in commands or j in marked)}
        if near or i in commands:
            marked |= {i, *near}
    marked |= {i for i in commands if any(j in marked for j in range(i - WINDOW + 1, i))}
    return [spans[i] for i in sorted(marked)]


def is_instruction(text: str) -> bool:
    """Whether the text carries an instruction aimed at an assistant anywhere in it."""
    return bool(instruction_spans(text))


def flag_reason(text: str) -> str:
    """Why a document is flagged (its first instruction, quoted and shortened), or "" when it is clean."""
    spans = instruction_spans(text)
    if not spans:
        return ""
    start, end = spans[0]
    quote = " ".join(text[start:end].split())
    quote = quote if len(quote) <= 120 else quote[:117] + "…"
    more = f" (and {len(spans) - 1} more)" if len(spans) > 1 else ""
    return f"instructions aimed at an assistant: \u201c{quote}\u201d{more}"


def flagged(item: Any) -> bool:
    """Whether a passage, chunk, document entry or metadata dict comes from a flagged document.

    Reads the indexer's `flagged` mark (a metadata key or an attribute); a passage without one is checked
    on its own text, so a passage that carries an instruction is flagged even outside an index.
    """
    if isinstance(item, Mapping):
        return bool(item.get("flagged")) or (isinstance(item.get("text"), str) and is_instruction(item["text"]))
    if getattr(item, "flagged", False):
        return True
    metadata = getattr(item, "metadata", None)
    if isinstance(metadata, Mapping) and metadata.get("flagged"):
        return True
    text = getattr(item, "text", None)
    return isinstance(text, str) and is_instruction(text)


def overlaps(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    """Whether `span` shares at least one character with any of `spans`."""
    return any(span[0] < end and start < span[1] for start, end in spans)
