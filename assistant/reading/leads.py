"""Reading, stage 3 (part): the direct answer that leads a value question's answer.

When the question asks for a date, a number, a person, an organisation or a place and the sentence chosen
for it holds one, a short first sentence states it ("12 November 2018.", "Emmanuel Macron."): the date
given most fully (with the year its document's date implies, months in the asker's language), the count of
what is asked (a sentence close to the best may give it), or the first new name of the asked kind.
`assistant.reading.composer` picks the quotes and puts this lead before them.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.answer import Passage
from assistant.prompts import LEAD
from assistant.reading.annotations import Annotations
from assistant.reading.features import Candidate
from assistant.reading.questions import YEAR, Question
from assistant.reading.values import DATE, asked_count, is_new_name
from assistant.verify import Claim
from index.glossary import MONTHS, fold, translate
from index.lexical import tokenize

NAMED_LEAD_CONFIDENCE = 0.5  # a name is put first only when the sentence it comes from is probably the answer
LISTED_NAMES = 3  # a sentence naming this many of the asked kind lists them ("Beijing, Moscow and Washington")
# A date, only when its sentence is probably the answer (not a date of another event): over the dev split's 28 date leads
# (`make eval`), right/wrong 11/6 at 0.2, 9/3 at 0.5, 8/1 at 0.6 and 0.7; test 5/6 -> 3/1 at 0.6.
DATED_LEAD_CONFIDENCE = 0.6
# A sentence of the pool (not chosen for quoting) may lead with a count or a date when it scores this share of the
# best one.
POOL_LEAD_SHARE = 0.5
NAME_TAIL = re.compile(r"(?:[A-Z][a-z]+ (?:and |& |of |for |the )*){2,}(?:in|for|of|on) $")
# What sets a place as where something happens: "launched at UNESCO's Internet Governance Forum", "held in Lille",
# "réunis à Paris", "lancé à l'Unesco". A place named otherwise ("Canada is to be one of the leading participants")
# is an actor of the sentence, not the place it asks about: no lead (the quote is still shown).
LOCATIVE = re.compile(r"\b(?:in|at|to|from|near|inside|within|à|au|aux|en|dans|depuis|vers|chez|sur)\s+"
                      r"(?:the\s+|l[’']|la\s+|le\s+|les\s+)?$", re.IGNORECASE)
AT_START = re.compile(r"\b(at (its |the )?(launch|start|outset|beginning)|initially|originally|at first|in the "
                      r"beginning|au (lancement|debut|depart)|lors du lancement|a l'origine|initialement|"
                      r"des le (debut|depart|lancement))\b")  # a question about the Call's first days
HELD_SHARE = 0.5  # a dated sentence is about the asked event when it holds this share of what the best one holds
DATE_WORDS = frozenset(tokenize("day date year month jour date année mois"))  # what a date question asks with
SPAN_END = re.compile(r"\b\d{1,2}(?:er)?\s*(?:to|-|–|au|et|and)\s*$", re.IGNORECASE)  # "12 to " before "14 November"
POSSESSIVE = re.compile(r"['’]s?$")
ELIDED = re.compile(r"['’](?!s\b)\w")  # the rest of a word after its elision: "Jusqu’à", not "Macron's"
PARTICLE_END = re.compile(r"\s[a-z]{1,3}$")  # a name ending in a particle ("von", "de") was cut short
NAME_REST = re.compile(r"(?:\s+[a-z]{1,3})*\s+[A-ZÀ-Þ][\w-]+")  # further particles and the name they lead to
# Where a source's report of what happened begins ("In a piece signed by its editor, Clare Christopher, the site
# reports that Macron announced..."): the names before it are who reports, not what is reported.
REPORTED = re.compile(r"\b(?:reports?|reported|says?|said|writes?|wrote|argues?|argued|notes?|noted|explains?|"
                      r"explained|recalls?|states?|stated|adds?|added|observes?|stresses?|announces?|announced|"
                      r"rapporte|indique|explique|estime|souligne|rappelle|[eé]crit|affirme|annonce|pr[eé]cise|"
                      r"a (?:expliqu|indiqu|estim|soulign|d[eé]clar|affirm|annonc|pr[eé]cis)[eé]|a [eé]crit)\s+"
                      r"(?:that|que|qu)\b", re.IGNORECASE)
# A question about who reports or says something asks for that frame's names.
ASKS_SOURCE = re.compile(r"\b(?:wr[oi]te|written|writing|authors?|say|says|said|report(?:s|ed)?|quoted|quote[sd]?|"
                         r"according to whom|ecrit|auteur|dit|rapporte|cite|selon qui)\b")
MONTHS_FR = {"january": "janvier", "february": "février", "march": "mars", "april": "avril", "may": "mai",
             "june": "juin", "july": "juillet", "august": "août", "september": "septembre", "october": "octobre",
             "november": "novembre", "december": "décembre"}
# A month name, English or French, as the asker's language writes it.
_MONTH_NAMES = {"fr": MONTHS_FR,
                "en": {fr: en.capitalize() for en, fr in MONTHS_FR.items()} | {en: en.capitalize() for en in MONTHS_FR}}
DAY_AFTER_MONTH = re.compile(r"\b(" + "|".join(MONTHS_FR.values()) + r") (\d{1,2})(?:st|nd|rd|th)?\b,?( \d{4})?")
_MONTH_PATTERN = {language: re.compile(r"\b(" + "|".join(names) + r")\b", re.IGNORECASE)
                  for language, names in _MONTH_NAMES.items()}


def _completeness(date: str | None) -> tuple[int, bool]:
    """How much of a date is given: its parts (day, month, year), and whether the year is among them."""
    return (len(re.findall(r"\d+|[^\W\d]+", date)), bool(re.search(r"\d{4}", date))) if date else (0, False)


def fullest_date(text: str, asked: str) -> str | None:
    """The most complete date of a sentence (day, month and year before a bare year), not one the question
    gives, nor the end of a span ("from 12 to 14 November 2018": the span's last day, no event's)."""
    found = [m.group(0) for m in DATE.finditer(text)
             if m.group(0).lower() not in asked.lower() and not SPAN_END.search(text, 0, m.start())]
    return max(found, key=_completeness, default=None)


def dated(question: Question, chosen: list[Candidate], pool: list[Candidate], passages: list[Passage]) -> Candidate:
    """The sentence the date lead comes from. Of the chosen sentences that hold at least `HELD_SHARE` of what
    the best one holds of the question (a date in a sentence about something else is another event's:
    "...endorsed the Call on September 21, 2021" under "...was launched the day before"), the one whose date
    is the fullest ("12 November 2018" over "12 November"), best first; none of them dated, the best-scored
    sentence of the pool that holds as much, gives a date and scores at least `POOL_LEAD_SHARE` of the best.
    When that date has no year, the sentence of the pool that gives the same day with the year the pool's
    sentences agree on most (their scores summed per year)."""
    holds = _holding(question, chosen[0], passages)
    about = [c for c in chosen if holds(c) and fullest_date(c.text, question.text)]
    if not about:
        floor = POOL_LEAD_SHARE * chosen[0].score
        about = sorted((c for c in pool if c.score >= floor and holds(c)
                        and fullest_date(c.text, question.text)), key=lambda c: -c.score)[:1]
    if not about:
        return chosen[0]
    best = max(about, key=lambda c: _completeness(fullest_date(c.text, question.text)))  # first of equals
    date = fullest_date(best.text, question.text)
    if not date:
        return best
    if _completeness(date)[1]:
        return _completed(date, best, question, pool, holds, POOL_LEAD_SHARE * chosen[0].score)
    day = in_language(date, "en").lower()
    same_day: dict[str, list[Candidate]] = {}
    for c in pool:
        fuller = fullest_date(c.text, question.text)
        year = re.search(r"\d{4}", fuller or "")
        if year and day in in_language(fuller, "en").lower():
            same_day.setdefault(year.group(0), []).append(c)
    if not same_day:
        return best
    agreed = max(same_day.values(), key=lambda group: sum(c.score for c in group))
    return max(agreed, key=lambda c: c.score)


def _completed(date: str, best: Candidate, question: Question, pool: list[Candidate],
               holds: Callable[[Candidate], bool], floor: float) -> Candidate:
    """`best`, or, when its date lacks the day ("lancé en 2018"), the best-scored sentence of the pool that holds
    the question, scores at least `floor` and gives the same date in full ("launched … on 12 November 2018")."""
    if _completeness(date)[0] >= 3:
        return best
    same = in_language(date, "fr").lower()
    fuller = [c for c in pool if c.score >= floor and holds(c)
              and _completeness(full := fullest_date(c.text, question.text))[0] > _completeness(date)[0]
              and same in in_language(full or "", "fr").lower()]
    return max(fuller, key=lambda c: c.score, default=best)


def _holding(question: Question, best: Candidate, passages: list[Passage]) -> Callable[[Candidate], bool]:
    """Whether a sentence is about what the question asks the date of: it holds at least `HELD_SHARE` of what
    the best sentence holds of the question; a sentence in another language than the question's, which shares
    few of its words, must also hold every word of the question's glossary translation into its language
    ("en quelle annee l'appel a ete lance": "call", "launched"; "...since its 2019 launch" is another's)."""
    held = HELD_SHARE * _held(best)
    translated = {language: set(tokenize(words)) - DATE_WORDS for language, words in translate(question.text).items()}

    def holds(c: Candidate) -> bool:
        language = passages[c.passage].language or question.language
        return _held(c) >= held and (language == question.language or translated.get(language, set()) <= c.tokens)
    return holds


def _held(candidate: Candidate) -> float:
    """The share of the question's weight a sentence holds (`Candidate.asked`), the words that ask for a date
    ("what day", "quelle année") aside, to 3 decimals (sums in another order are equal)."""
    return round(sum(share for word, share in candidate.asked.items() if word not in DATE_WORDS), 3)


def counting(question: Question, chosen: list[Candidate], pool: list[Candidate], passages: list[Passage]
             ) -> Candidate:
    """The sentence a "how many" answer's lead comes from: the best chosen one when it gives a count of what
    is counted; otherwise the best-scored sentence of the pool that gives one and scores at least
    `POOL_LEAD_SHARE` of the best ("The six Paris Call Working Groups..." under a sentence on the nine
    principles). A question about the start ("how many signed at launch", "combien au début") takes the count
    of the earliest dated source that gives one, not the latest's "1,200 supporters"."""
    best = chosen[0]
    floor = POOL_LEAD_SHARE * best.score
    if AT_START.search(fold(question.text)):
        dated_counts = [c for c in [*chosen, *pool] if (c is best or c.score >= floor)
                        and passages[c.passage].date and asked_count(question.text, c.text)]
        if dated_counts:
            return min(dated_counts, key=lambda c: (passages[c.passage].date, -c.score))
    if asked_count(question.text, best.text):
        return best
    giving = [c for c in pool if c.score >= floor and asked_count(question.text, c.text)]
    return max(giving, key=lambda c: c.score, default=best)


def with_year(date: str, published: str | None) -> str:
    """A day and month without a year ("on 12 November") in a document published later that year
    ("2018-11-29") took place that year: the lead says so ("12 November 2018"). Otherwise unchanged."""
    month = next((MONTHS[w] for w in re.findall(r"[^\W\d]+", fold(date)) if w in MONTHS), None)
    found = re.match(r"(\d{4})-(\d{2})", published or "")
    if _completeness(date)[1] or month is None or not found or month > int(found.group(2)):
        return date
    return f"{date} {found.group(1)}"


def in_language(value: str, language: str) -> str:
    """Month names in the asker's language: capitalised in English, lower-case in French, where the day comes
    first ("September 21, 2021" -> "21 septembre 2021", not "septembre 21, 2021")."""
    names = _MONTH_NAMES[language]
    value = _MONTH_PATTERN[language].sub(lambda m: names[m.group(0).lower()], value)
    return DAY_AFTER_MONTH.sub(r"\2 \1\3", value) if language == "fr" else value


def whole_name(text: str, start: int, end: int) -> str | None:
    """The name an entity span of `text` stands for: without a possessive ("Emmanuel Macron's initiative"),
    completed when the tagger cut it after a particle ("Ursula von der" of "Ursula von der Leyen"), and
    None for a word cut at its elision ("Jusqu’à présent", tagged "Jusqu’" or "Jusqu")."""
    apostrophe = end - 1 if text[end - 1:end] in ("'", "’") else end
    if ELIDED.match(text, apostrophe):
        return None
    if PARTICLE_END.search(text, start, end):
        rest = NAME_REST.match(text, end)
        if rest is None:
            return None
        end = rest.end()
    return POSSESSIVE.sub("", text[start:end])


def asks_reporter(question: str, reporting: str) -> bool:
    """Whether a question asks who wrote, said or reported, or asks the very verb a sentence reports with ("who
    announced it" of "...von der Leyen announced that..."): then the names before it are the answer."""
    folded = fold(question)
    verb = fold(reporting).split()[1 if reporting.lower().startswith("a ") else 0]
    return bool(ASKS_SOURCE.search(folded)) or verb[:5] in folded


def direct_answer(question: Question, top: Candidate, passage: Passage, annotations: Annotations) -> Claim | None:
    """A short first sentence stating the date, number, person, organisation or place asked for; never a name
    the question holds ("Paris." would echo "where was the Paris Call launched", though Paris is a new value of
    the sentence's: `is_new_name`)."""
    span = {top.passage: (top.start, top.end)}
    value = None
    if question.kind == "number":
        value = asked_count(question.text, top.text)
    elif question.kind == "date" and top.score >= DATED_LEAD_CONFIDENCE:
        value = fullest_date(top.text, question.text)
    elif question.kind in ("person", "organisation", "place") and top.score >= NAMED_LEAD_CONFIDENCE:
        names = annotations.spans_between(passage.chunk_id, passage.text, top.start, top.end, question.kind)
        if len(names) >= LISTED_NAMES:  # a list is quoted whole, not led by its first name
            names = []
        reported = REPORTED.search(top.text)  # on the text itself: its offsets are the sentence's
        if reported and not asks_reporter(question.text, reported.group()):  # who reports is not who did
            names = [(start, end) for start, end in names if start >= top.start + reported.start()]
        for start, end in names:
            if question.kind == "place" and (NAME_TAIL.search(passage.text, max(0, start - 80), start)
                                             or not LOCATIVE.search(passage.text, max(0, start - 12), start)):
                continue  # the end of a longer name ("...Trust and Security in Cyberspace"), or no place of the event
            name = whole_name(passage.text, start, end)
            if question.kind == "person" and name and len(name.split()) < 2:
                continue  # a lone word tagged as a person is mostly part of another name ("...Peace Forum" tagged "Forum")
            if name and len(name) > 2 and is_new_name(name, question) and fold(name) not in question.folded:
                value = name
                break
    if not value:
        return None
    value_dated = with_year(value, passage.date) if question.kind == "date" else value
    asked_years = set(YEAR.findall(question.text))
    if question.kind == "date" and asked_years and not asked_years & set(YEAR.findall(value_dated)):
        return None  # the question dates the event it asks about ("le forum de 2019"): another year is another event's
    shown = in_language(value_dated, question.language)
    return Claim(LEAD[question.language].format(value=shown[0].upper() + shown[1:]), [top.passage], span,
                 value=value)
