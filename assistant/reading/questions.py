"""What a question asks for: its answer type, detected in English and French, typed as people type.

The patterns run on the accent-folded, lower-cased question, so "quand a ete lance", "c est quoi" and
"why didnt" are recognised as well as their careful spellings. A question that opens with its question word
("why does dig watch think the number of signatories matters", "who pays for it, how is it funded") asks
what that word asks; otherwise the first type whose pattern matches wins, in the order of `ANSWER_TYPES` (a
"... how many ... when" question asks for a number). Informal French, and chat English, put the question
word last ("il est né où", "ils ont ouvert quand", "it was launched by who"), and a question with no question word at all is a yes/no question ("israel
est dans la liste ?", "la suisse a signé ou pas"). `Question` is the question as the reader reads it: its words,
its type, and its subject.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

from index.glossary import fold, translate, without_places_in_names
from index.lexical import CONCEPT_STEMS, concept_phrases, tokenize

ANSWER_TYPES = ("number", "date", "reason", "manner", "person", "place", "organisation", "comparison",
                "definition", "yesno", "list", "other")
VALUE_TYPES = ("date", "number", "person", "organisation", "place")  # answers that are a value
LEADING = ("number", "date", "reason", "manner", "person", "place")  # what a question word opening it decides
# An English question opening with its verb asks yes or no, whatever follows ("did the us sign it when...").
YES_NO_OPENING = re.compile(r"^(is|are|was|were|did|does|do|has|have|had|can|could|will|would|should)\b")
OPENING = re.compile(r"^\s*(?:(?:and|et|so|ok|okay|alors|mais|but|donc|du coup)\W+)*")

# How the asker wants the answer put, not what it is about ("explain it in simple words", "résume en deux mots",
# "briefly", "stp"), and a request opening it ("explain", "tell me about", "explique-moi"): no passage holds
# these words ("It explains that..." is no better an answer; nor do the "or nah", "ou pas", "lol" of a question
# typed as people chat), and a question that has them should read as the same question without them. Matched on
# the accent-folded question.
STYLE = re.compile(
    r"(,\s*)?\b(in (simple|plain|easy|basic|layman'?s?|everyday|a few|short|few) (words|terms|english|language|"
    r"sentences|lines)|in a (few|couple of) (words|sentences|lines)|in a nutshell|in short|briefly|quickly|simply|"
    r"for (a|an) (kid|child|beginner|dummy|dummies|non[- ]expert|layman|layperson|5 year old|five year old)|"
    r"like i'?m (5|five|a child|a kid)|eli5|tl;? ?dr|please|pls|plz|or (nah|naw|nope|not)|ou (pas|non)|lol|mdr|tbh|idk|"
    r"en (termes|mots) (simples|clairs)|simplement|en quelques (mots|lignes|phrases)|en (deux|2|trois|3) mots|"
    r"en bref|brievement|rapidement|en resume|s'il (te|vous) plait|stp|svp|pour (un|une) (enfant|debutante?|"
    r"nul|nulle)|comme si j'avais (5|cinq) ans)\b|"
    r"^\W*((can|could|would) you |pls |please )?(explain|describe|tell me( about)?|give me( an overview of)?|"
    r"summari[sz]e)( to me)?\b|^\W*(explique|expliquez|decris|decrivez|dis|dites|resume|resumez)[- ]?(moi|nous)?\b",
    re.IGNORECASE)


def without_style(question: str) -> str:
    """The question without how the asker wants the answer put ("explain the paris call in simple words" ->
    "explain the paris call"); the question itself when that is all it says."""
    folded = fold(question)
    if not STYLE.search(folded):
        return question
    if len(folded) != len(question):  # folding changed the length ("œ"): match as typed
        stripped = STYLE.sub(" ", question)
    else:
        spans = [m.span() for m in STYLE.finditer(folded)]
        stripped = question
        for start, end in reversed(spans):
            stripped = stripped[:start] + " " + stripped[end:]
    stripped = re.sub(r"\s+([.,])", r"\1", re.sub(r"\s{2,}", " ", stripped)).strip(" ,")
    if not re.search(r"\s[?!]", question):  # "...please?": no space before the mark, as typed ("... bref ?" keeps it)
        stripped = re.sub(r"\s+([?!])", r"\1", stripped)
    return stripped if re.search(r"\w{3,}", stripped) else question


_PATTERNS: dict[str, str] = {
    "number": r"\bhow (many|much|old)\b|\bcombien\b|\bnumber of\b|\bnombre (de|d)\b|\bwhat percentage\b|"
              r"\bquel pourcentage\b|\bhow big\b|\bhow large\b|\bcount\b|\b(quel|what) age\b|\bchiffres?\b|"
              r"\bhw (many|much)\b",
    "date": r"^(when|wen)\b|\b(when|wen) (was|were|did|does|is|will|has|had|do)\b|"
            r"\b(what|which|wat) (years?|dates?|days?|months?)\b|\bsince when\b|\bquand\b|\bdepuis quand\b|"
            r"\b(en|a) quelles? (annees?|dates?)\b|\bquelles? (annees?|dates?)\b|\bquels? jours?\b|\bdate (of|de|du)\b|"
            r"\bin what year\b|\b(kan|qd)\b|\bwhen\s*\??$",
    "reason": r"\bwhy\b|\bwhy'?d\b|\bpourquoi\b|\bpk\b|\bpq\b|\bp(our)?koi\b|"
              r"^y (did|do|does|is|are|was|were)\b|\bhow come\b|\bfor what reason\b|\breasons?\b|"
              r"\braisons?\b|\bwhat (led|motivated|caused)\b|"
              r"\bqu'?est-ce qui a (pousse|motive)\b",
    "manner": r"^h(o)?w\b|\bcmt\b|\bcomment\b|"
              r"\bhow (does|do|did|is|are|was|were|can|could|will|should|would)\b|"
              r"\bin what way\b|\bde quelle (maniere|facon)\b|\bby what means\b",
    "person": r"^(who|whom|whose|qui|ki)\b|\bc'?(est|etait) ki\b|\bki (a|est|etait)\b|"
              r"\b(who|whom) (is|was|are|were|did|does|launched|signed|said|wrote|leads?|chairs?)\b|"
              r"\b(par|avec|de|a) qui\b|\bc'?(est|etait) qui\b|\bqui\s*\??$|\bc (qui|ki)\b|\bwho(m)?\s*\??$|"
              r"\b(which|what) (minister|person|official|ceo|president|ambassador|director)\b|"
              r"\bquel(le)?s? (ministre|personne|president\w*|ambassad\w*|directeur|directrice|pdg|"
              r"dirigeant\w*)\b",
    "place": r"^(where|ou)\b|\bwhere\b|\bou (a|est|etait|se|sont|ont)\b|\bou\s*\??$|\bc(?:'est)? ou\b(?! pas| non)|"
             r"\bquel(le)? (ville|pays|lieu|endroit|region)\b|"
             r"\b(which|what) (city|country|place|venue|region)\b",
    "organisation": r"\b(which|what) (organi[sz]ations?|compan(y|ies)|ngos?|groups?|bod(y|ies)|institutions?|"
                    r"forum|firms?)\b|\bquel(le)?s? (organisations?|entreprises?|institutions?|ong|organismes?)\b",
    "comparison": r"\bcompar\w*|\bdifferen\w*|\bdiff\b|\bdiffer\b|\bversus\b|\bvs\.?\b|\bsimilar\w*|"
                  r"\bbetween\b.*\band\b|\bentre\b.*\bet\b|\bplus (que|de)\b|\bmore than\b|\bless than\b",
    "definition": r"^(what|wat) ?(is|'s|s|are)\b|\bc'?(est)? ?(quoi|koi)\b|\bkesako\b|\bqu'?est[- ]ce que?\b|"
                  r"\bque (signifie|veut dire)\b|\bwhat does .* mean\b|\bdefin(e|ition|itions)\b|"
                  r"\bmeaning of\b|\bexplain\b|\bexplique\w*",
    "list": r"\blist\b|\bliste[rz]?\b|\b(name|names|nomme[rz]?|cite[rz]?)\b|\bwhat are the\b|\bwhich are\b|"
            r"\bquel(le)?s sont\b|\blesquel(le)?s\b|\benumer\w*",
    "yesno": r"^(is|are|was|were|did|does|do|has|have|had|can|could|will|would|should|est-ce|y a-t-il)\b|"
             r"\best[- ]ce que?\b|[- ]t[- ](il|elle|on)\b|\b(a|est|sont|ont|etait|peut|doit)[- ](il|elle|ils|elles)\b|"
             r"\b(ou pas|or not)\b|\?$|,\s*(right|correct|true|no|yes|yeah|isn'?t (it|that)|non|hein|vrai|oui|"
             r"n'est-ce pas|c'est (bien )?(ca|vrai)|pas vrai)\s*\??$",  # a tag ("launched by Merkel, right")
}
# Words that make a question more than a yes/no one ("Que s'est-il passé ?", "sous quel nom figure-t-il ?").
QUESTION_WORDS = re.compile(r"\b(what|whats|which|who|whom|whose|where|when|why|how|quel\w*|lequel\w*|"
                            r"laquelle|quoi|koi|qui|ki|quand|kan|pourquoi|pk|pkoi|comment|cmt|combien)\b|"
                            r"^(que|qu'|ou)\b|\bou\s*\??$")
_COMPILED = {name: re.compile(pattern) for name, pattern in _PATTERNS.items()}
# "What is X's budget", "c'est quoi l'adresse", "quel est le salaire de...": a what-question about a noun that
# names a value asks for that value, not a definition (not "what does the budget section say").
_WHAT = (r"^(?:what|whats|wat|which|quel\w*|c'?(?:est|etait) (?:quoi|koi)|c (?:quoi|koi)|qu'?est[- ]ce que?)\b"
         r"(?:\W+(?!(?:do|does|did|dit|disent)\b)[\w']+){0,5}?\W+")  # up to five words before the noun, no verb
VALUE_NOUNS = {
    "number": re.compile(_WHAT + r"(?:budgets?|costs?|couts?|prix|price|tarifs?|turnover|revenues?|chiffre d'affaires|"
                         r"salary|salaire|population|score|percentage|pourcentage|rate|taux|amount|montant|"
                         r"headcount|effectifs?|phone|telephone|tel|numero de tel\w*)\b"),
    "place": re.compile(_WHAT + r"(?:address|adresse|location|localisation)\b"),
    "date": re.compile(_WHAT + r"(?:(?:opening )?hours|horaires|deadline|date limite)\b"),
}


# "When" opening a clause ("...pourquoi la france et les usa y arrivent quand ils bossent ensemble", "la france a
# reagi comment quand les usa ont rejoint"): after another question word, it dates what is asked about, not the answer.
WHEN_CLAUSE = re.compile(r"\b(?:quand|when|lorsque|lorsqu')\s*(?=(?:il|elle|ils|elles|on|je|j'|tu|nous|vous|le|la|les|"
                         r"l'|un|une|des|ce|cette|ces|son|sa|ses|leur|leurs|the|a|an|they|he|she|it|we|you|i|its|"
                         r"their|his|her|our)\b)")
ASKING_FIRST = ("number", "reason", "manner", "person", "place")


def _without_when_clauses(text: str) -> str:
    """`text` without the "when" of each clause it opens after another question word (`WHEN_CLAUSE`)."""
    for found in reversed(list(WHEN_CLAUSE.finditer(text))):
        if any(_COMPILED[name].search(text[:found.start()]) for name in ASKING_FIRST):
            text = text[:found.start()] + text[found.end():]
    return text


@lru_cache(maxsize=2048)
def answer_type(question: str) -> str:
    """One of `ANSWER_TYPES` ("other" when nothing matches)."""
    text = OPENING.sub("", fold(question).strip())
    for name in LEADING:
        found = _COMPILED[name].search(text)
        if found and found.start() == 0:
            return name
    if YES_NO_OPENING.match(text):
        return "yesno"
    text = _without_when_clauses(text)
    for name, noun in VALUE_NOUNS.items():
        if noun.search(text):
            return name
    for name in ANSWER_TYPES[:-1]:
        if name == "yesno":
            if _COMPILED[name].search(text) and not QUESTION_WORDS.search(text):
                return name
            continue
        if _COMPILED[name].search(text):
            return name
    return "other"


# A departure the question takes for granted: someone leaving the Call, a working group or a role ("why did spain
# pull out of the paris call", "pourquoi google a quitté l'appel", "why was kaspersky kicked out of wg6", "f-secure
# a laché la coprésidence"). Matched on the accent-folded text of a question and of the passages read: when no
# passage read reports one, the sources cannot say why or when it happened (`Reader.read`). "Left" and "leave"
# count only before what is left ("left the paris call", not "left to users" or "what did it leave for later").
DEPARTURE = re.compile(
    r"\b(?:(?:left|leave|leaves|leaving|quit|quits|quitting|exit|exited|exits|exiting)\s+(?:from\s+)?"
    r"(?:the\s+|its\s+|their\s+|this\s+)?(?:paris\s+call|call|pledge|appeal|initiative|coalition|working\s+group|"
    r"wg\s?\d|group|principle|co-?chair\w*|chair\w*)|withdr[a-z]*|"
    r"pull(?:ed|s|ing)?\s+(?:\w+\s+)?out|pull(?:ed|s|ing)?\s+(?:its|their|his|her)\s+(?:support|signature|name|backing)|"
    r"(?:drop|dropped|drops|back|backed|backs)\s+out|(?:step|stepped|steps|stepping)\s+down|"
    r"kick(?:ed|s)?\s+(?:\w+\s+)?out|expel\w*|"
    r"quitt\w*|(?:s'?\s?est|se\s+sont|s'?\s?etai(?:t|ent)|se)\s+retir\w*|retrait\s+(?:de|du|des)|"
    r"a\s+lache\w*|lache\w*\s+(?:le|la|les|l')|claqu\w*\s+la\s+porte|expuls\w*)\b")


YEAR = re.compile(r"\b(19\d\d|20\d\d)\b")

ELLIPTIC_WORDS = 3  # a follow-up this short ("and wg4?", "et en 2021 ?") asks what the one before it asked


@dataclass
class Question:
    """The question as the reader sees it."""

    text: str
    language: str
    tokens: list[str]
    kind: str

    @classmethod
    def of(cls, text: str, language: str, asked: str | None = None) -> Question:
        """`text` as the reader reads it; `asked`, when `text` completes a follow-up with its conversation
        ("who announced it (when did the eu join)"), the asker's own words, whose answer type wins ("who"
        here, not the earlier question's "when"). Only a follow-up of a few words ("and wg4?") takes the
        conversation's type."""
        if asked is None:
            return cls(text, language, question_tokens(text), answer_type(text))
        kind = answer_type(asked)
        elliptic = kind in ("other", "yesno") and len(asked.split()) <= ELLIPTIC_WORDS
        return cls(text, language, question_tokens(text), answer_type(text) if elliptic else kind)

    @cached_property
    def folded(self) -> str:
        """The text lower-cased and accent-folded (`index.glossary.fold`)."""
        return fold(self.text)

    @cached_property
    def departure(self) -> bool:
        """Whether it takes someone's leaving for granted (`DEPARTURE`)."""
        return DEPARTURE.search(self.folded) is not None

    @cached_property
    def unplaced(self) -> str:
        """The folded text without the place in the collection's names (`without_places_in_names`)."""
        return without_places_in_names(self.text)

    @cached_property
    def subject(self) -> frozenset[str]:
        """Its words and their glossary translations, less the place in the collection's names (`is_new_name`)."""
        return frozenset(tokenize(without_places_in_names(f"{self.text} {' '.join(translate(self.text).values())}")))


HOW_MANY = re.compile(r"\b(?:how|hw|so)\s+(many|much)\b", re.IGNORECASE)
# A noun that names the kind of value asked for ("in what year", "which day", "en quelle année", "à quelle date",
# "ça date de quand"): the answer is a year, not a sentence that says "year".
ASKING_NOUN = re.compile(r"\b(?:what|which|wat|wich|quel|quelle|quels|quelles)\s+(years?|dates?|days?|months?|"
                         r"ann[ée]es?|jours?|mois)\b|\b(dates?|datent)\s+de\s+(?:quand|quelle)\b", re.IGNORECASE)


WHEN_NOUN = re.compile(r"\b(?:(?:in|on|at|en|a|à)\s+)?(what|which|wat|wich|quel|quelle)\s+(?:year|date|day|month|"
                       r"ann[ée]e|jour|mois)\b", re.IGNORECASE)


def as_searched(text: str) -> str:
    """The question as the index is searched with it: a noun naming the kind of date asked for is a question
    word there ("what year was the paris call": "when was the paris call"), not a word of the answer ("year"
    finds "the previous year's forum", "the first quarter of 2020")."""
    return WHEN_NOUN.sub(lambda m: "quand" if m.group(1).lower().startswith("quel") else "when", text)


def question_tokens(text: str) -> list[str]:
    """The words a question asks about: "many" and "much" of "how many", "how much" ask for a count, and a
    sentence saying "many of the findings..." holds nothing of "how many working groups are there"; "year" of
    "in what year" asks for a year (`ASKING_NOUN`). A word of a concept counts as its concept only ("who
    created the Call" asks who launched it, and "Created in 1970, Cigref..." is no answer), and so does a
    phrase naming one ("who came up with it")."""
    asking = {m.group(1).lower() for m in HOW_MANY.finditer(text)}
    asking |= {t for m in ASKING_NOUN.finditer(text) for t in tokenize(m.group(1) or m.group(2))}
    return concept_tokens(text, asking=frozenset(asking))


def concept_tokens(text: str, stop: frozenset[str] = frozenset(), asking: frozenset[str] = frozenset()) -> list[str]:
    """`text`'s tokens, its `stop` words and `asking` tokens aside, each concept it names by a word or a phrase
    counted as the concept's key only ("who came up with it": "=launch"; "what's wrong with it": "=criticism",
    not "wrong")."""
    phrases = concept_phrases(text)
    left_out = asking | {t for phrase in phrases.values() for t in tokenize(phrase)}
    tokens = [t for t in tokenize(text, stop) if t not in left_out and t not in CONCEPT_STEMS]
    return tokens + [key for key in phrases if key not in tokens]
