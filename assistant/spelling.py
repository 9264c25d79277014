"""Typos in a question, fixed against the collection's own words ("when was the paris call lanched").

A question's misspelt word matched nothing: BM25 forgave it (`index.lexical`), but the reader found a word
of the question in no passage and refused, the supporters registry took it for a name, and "wat r the
principels" was no request for the principles. So the question is corrected before anything reads it, and
the answer says what was understood ("I read “lanched” as “launched”.").

A word is corrected when it is a common typo of a word of the indexed collection, inside that word: a letter
left out ("lanched", "contries"), two letters swapped ("principels"), a letter struck twice, or a key beside
a letter struck for it (QWERTY or AZERTY), in a word of at least `MIN_TYPED` letters. Never a word of the
collection, nor one of English or French (pyspellchecker's word lists, accents aside: "hopital" is no
"hospital" typed wrong, "grece" no "greece"), nor a word short of its first or last letters ("arent",
"appli"); a typo two words of the collection could stand for is corrected to the commoner only when it is
at least twice as common. A letter added or changed for one not beside it is not corrected: that is how
other words are made ("coute", "eurovision" would have become "cote", "provision").

What this needs is gathered when the collection is indexed (`prepare_reading`) and kept with the reader's
other files: the collection's words, and those of their typos that are English or French words. Answering
loads neither word list; a typed word unknown to the collection is looked up among the words a letter put
in, taken out, swapped or changed would make of it.

Chat shorthand is written out first, in the question's language ("hw many countries r in it", "pk la
russie a pas signé"), silently: every later stage reads the words it knows.
"""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from assistant.support import keep, kept_for
from corpus.guard import fold
from index.chunking import Chunk
from index.countries import typed_us

SPELLING_VERSION = 2  # bump when the rules change: a kept map is rebuilt
MIN_TYPED = 5  # letters a typed word needs to be corrected (shorter ones are a typo away from many words)
MIN_WORD = MIN_TYPED + 1  # a collection word's letters for its one-letter-short variants
DOMINANCE = 2.0  # how much commoner one of two words a typo may stand for must be
WORD = re.compile(r"[^\W\d_]+")
SHORTHAND = {  # chat shorthand, by the question's language (data, not rules: a word typed for another)
    "en": {"hw": "how", "wat": "what", "wot": "what", "wen": "when", "wher": "where", "wich": "which",
           "whch": "which", "r": "are", "u": "you", "ur": "your", "pls": "please", "plz": "please", "ppl": "people",
           "ppls": "people's",
           "govt": "government", "intl": "international", "thru": "through", "tho": "though", "abt": "about",
           "bc": "because", "cuz": "because", "coz": "because", "b4": "before",
           # a word cut short, as typed in a chat box ("biden admin", "govts and companies", "stockpiling vulns")
           "govts": "governments", "gov": "government", "govs": "governments", "org": "organisation",
           "orgs": "organisations", "admin": "administration", "diff": "difference", "info": "information",
           "vuln": "vulnerability", "vulns": "vulnerabilities", "univ": "university", "univs": "universities",
           "disinfo": "disinformation", "cybersec": "cybersecurity", "dept": "department",
           # a contraction typed without its apostrophe
           "didnt": "didn't", "doesnt": "doesn't", "dont": "don't", "isnt": "isn't", "wasnt": "wasn't",
           "arent": "aren't", "werent": "weren't", "hasnt": "hasn't", "havent": "haven't", "hadnt": "hadn't",
           "cant": "can't", "couldnt": "couldn't", "wouldnt": "wouldn't", "shouldnt": "shouldn't", "wont": "won't",
           "whats": "what's", "whos": "who's", "wheres": "where's", "hows": "how's", "thats": "that's",
           # an ordinal in figures, as the sources write it in words ("the 2nd paris peace forum": "Second")
           "1st": "first", "2nd": "second", "3rd": "third", "4th": "fourth", "5th": "fifth", "6th": "sixth",
           "7th": "seventh", "8th": "eighth", "9th": "ninth", "10th": "tenth"},
    "fr": {"pk": "pourquoi", "pq": "pourquoi", "pcq": "parce que", "koi": "quoi", "cb": "combien", "qd": "quand",
           "ds": "dans", "bcp": "beaucoup", "pr": "pour", "tt": "tout", "svt": "souvent", "qqn": "quelqu'un",
           "qqch": "quelque chose", "ajd": "aujourd'hui", "auj": "aujourd'hui", "gvt": "gouvernement",
           "gouv": "gouvernement", "tjrs": "toujours", "tjs": "toujours", "pb": "problème", "asso": "association",
           "assos": "associations", "orga": "organisation", "orgas": "organisations", "secu": "sécurité",
           "cybersecu": "cybersécurité", "diff": "différence", "admin": "administration", "info": "information",
           "infos": "informations", "appli": "application", "applis": "applications", "nb": "nombre",
           "bosser": "travailler", "bosse": "travaille", "bossent": "travaillent",
           "1er": "premier", "1ere": "première", "1re": "première", "2e": "deuxième", "2eme": "deuxième",
           "2nd": "second", "2nde": "seconde", "3e": "troisième", "3eme": "troisième", "4e": "quatrième",
           "4eme": "quatrième", "5e": "cinquième", "5eme": "cinquième", "6e": "sixième", "6eme": "sixième"},
}
KEYBOARDS = (("qwertyuiop", "asdfghjkl", "zxcvbnm"), ("azertyuiop", "qsdfghjklm", "wxcvbn"))
# A possessive typed without its apostrophe ("canadas role", "wg6s report"): a word ending in "s" that the
# collection only knows without it.
POSSESSIVE = re.compile(r"\b([^\W_]{3,}?)s\b")
# A word alone ("r", not "r&d"), or after a French elision ("l'asso", "d'orgas")
SHORT = re.compile(r"(?:(?<![\w'’&./@-])|(?<=\b[dlj]['’]))[a-z0-9]+(?![\w'’&./@-])", re.IGNORECASE)


def written_out(text: str, language: str) -> str:
    """`text` with the chat shorthand of `language` written out ("c koi le hack back" -> "c quoi le hack back")."""
    shorthand = SHORTHAND.get(language, {})
    return SHORT.sub(lambda m: shorthand.get(m.group(0).lower(), m.group(0)), text)


def _neighbours() -> dict[str, str]:
    """Each letter's neighbours on a QWERTY or an AZERTY keyboard (left, right, above, below)."""
    near: dict[str, set[str]] = {}
    for rows in KEYBOARDS:
        for r, row in enumerate(rows):
            for i, key in enumerate(row):
                around = {row[j] for j in (i - 1, i + 1) if 0 <= j < len(row)}
                around |= {rows[s][j] for s in (r - 1, r + 1) if 0 <= s < len(rows)
                           for j in (i, i + 1 if s < r else i - 1) if 0 <= j < len(rows[s])}
                near.setdefault(key, set()).update(around)
    return {key: "".join(sorted(keys)) for key, keys in near.items()}


def variants(word: str) -> set[str]:
    """The typos of `word` that are corrected back to it, inside the word: one letter left out, two adjacent
    letters swapped, a letter struck twice, or a letter's neighbour on the keyboard struck for it. Its first
    and last letters stay: a word short of its last letters is abbreviated ("appli", "methodo") or another
    form of it ("principle", "summarise" for "summaries"), and one short of its first is another word ("arent"
    for "parent")."""
    out = set()
    inside = range(1, len(word) - 1)
    if len(word) >= MIN_WORD:
        out |= {word[:i] + word[i + 1:] for i in inside}
    if len(word) >= MIN_TYPED - 1:
        out |= {word[:i] + word[i] + word[i:] for i in inside}
    if len(word) >= MIN_TYPED:
        out |= {word[:i] + word[i + 1] + word[i] + word[i + 2:] for i in range(len(word) - 2)
                if word[i] != word[i + 1]}
        out |= {word[:i] + key + word[i + 1:] for i in inside for key in NEIGHBOURS.get(word[i], "")
                if {key, word[i]} != {"s", "z"}}  # "summarise" is British, not "summarize" typed wrong
    return out - {word}


@cache
def dictionary_words() -> frozenset[str]:
    """English and French words, lower case without accents (pyspellchecker's word lists; read once)."""
    from importlib.resources import files

    words: set[str] = set()
    for language in ("en", "fr"):
        data = files("spellchecker").joinpath("resources", f"{language}.json.gz").read_bytes()
        listed = json.loads(gzip.decompress(data).decode("utf-8"))
        words |= set(fold("\n".join(listed).lower()).split("\n"))
    return frozenset(words)


NEIGHBOURS = _neighbours()


def sources(typed: str) -> set[str]:
    """Every word `typed` may be a typo of (a superset: a letter put in, taken out, swapped or changed)."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    out = {typed[:i] + c + typed[i:] for i in range(1, len(typed)) for c in letters}
    out |= {typed[:i] + typed[i + 1:] for i in range(1, len(typed) - 1)}
    out |= {typed[:i] + typed[i + 1] + typed[i] + typed[i + 2:] for i in range(len(typed) - 1)}
    out |= {typed[:i] + c + typed[i + 1:] for i in range(1, len(typed) - 1) for c in letters}
    return out


@dataclass
class Spelling:
    """A collection's words (accents aside, each with its commonest written form and how often it is written)
    and the typos of them that are words of English or French (never corrected)."""

    words: dict[str, tuple[str, int]] = field(default_factory=dict)
    protected: frozenset[str] = frozenset()

    @classmethod
    def of(cls, texts: Iterable[str], known: frozenset[str] | set[str] | None = None) -> Spelling:
        """The words of the collection of `texts`; `known`: the words never corrected besides the collection's
        own (English and French by default)."""
        forms: Counter[str] = Counter()  # as written (lower case), accents kept
        for text in texts:
            forms.update(WORD.findall(text.lower()))
        words: dict[str, tuple[str, int]] = {}
        for form, count in forms.most_common():  # the commonest written form first
            key = fold(form)
            written, seen = words.get(key, (form, 0))
            words[key] = (written, seen + count)
        known = dictionary_words() if known is None else known
        protected = {typo for word in words if word.isascii() for typo in variants(word)
                     if typo in known and typo not in words}
        return cls(words, frozenset(protected))

    @classmethod
    def cached(cls, path: Path, chunks: list[Chunk]) -> Spelling:
        """The words of these chunks, read from `path` when it was written for the same chunks, else gathered
        and written there."""
        key, data = kept_for(path, f"spelling {SPELLING_VERSION}", chunks)
        if data is not None:
            try:
                return cls({word: (written, count) for word, (written, count) in data["words"].items()},
                           frozenset(data["protected"]))
            except (KeyError, TypeError, ValueError, AttributeError):
                pass
        spelling = cls.of(c.text for c in chunks)
        keep(path, key, {"words": spelling.words, "protected": sorted(spelling.protected)}, "collection's words")
        return spelling

    def meant(self, typed: str) -> str | None:
        """The collection's word `typed` (lower case, accents aside) is a typo of, as the collection writes
        it; None when it is a word, is too short, or could stand for two words about as common."""
        if len(typed) < MIN_TYPED or typed in self.words or typed in self.protected:
            return None
        found = [w for w in sources(typed) if w in self.words and w.isascii() and typed in variants(w)]
        ranked = sorted(found, key=lambda w: (-self.words[w][1], w))
        if not ranked or (len(ranked) > 1 and self.words[ranked[0]][1] < DOMINANCE * self.words[ranked[1]][1]):
            return None
        return self.words[ranked[0]][0]

    def _possessive(self, match: re.Match[str]) -> str:
        """ "canadas" -> "canada's", "wg6s" -> "wg6's": the word without its "s" is the collection's (a working
        group's short form always is), the word with it is not."""
        word, stem = fold(match.group(0)).lower(), fold(match.group(1)).lower()
        known = stem in self.words or bool(re.fullmatch(r"(?:wg|gt)\d", stem))
        return f"{match.group(1)}'s" if known and word not in self.words and word not in self.protected else match.group(0)

    def correct(self, text: str, language: str = "en") -> tuple[str, list[tuple[str, str]]]:
        """`text` (in `language`) with its shorthand written out, "us" for the United States written "US"
        (`index.countries.typed_us`), and its typos corrected, and each typo corrected as (typed, meant)."""
        text = typed_us(written_out(text, language))
        if language == "en":
            text = POSSESSIVE.sub(self._possessive, text)
        changes: list[tuple[str, str]] = []

        def fix(match: re.Match[str]) -> str:
            typed = match.group(0)
            meant = None if typed.isupper() else self.meant(fold(typed).lower())  # an acronym ("OCDE") is no typo
            if meant is None:
                return typed
            meant = meant[:1].upper() + meant[1:] if typed[:1].isupper() else meant
            changes.append((typed, meant))
            return meant
        return WORD.sub(fix, text), changes
