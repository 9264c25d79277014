"""Which language a text is in, English or French, by `py3langid` restricted to those two languages.

py3langid is a maintained naive-Bayes identifier over byte n-grams (langid.py's model). Restricted to
English and French it reads short, informal and accent-less questions well ("pk israel a pas signe ?",
"c quoi la paris digital week"); measured on the benchmark's questions in the README. A country whose name
is spelled alike in both languages says nothing of the language and is left out of what is classified:
"has ukraine signed" read as French for its "-aine" before. A text without a letter (empty, digits,
punctuation) is English, the default of the assistant.
"""

from __future__ import annotations

import re
import threading
from typing import Literal

from corpus.guard import fold
from index.countries import COUNTRY_LIST

Language = Literal["en", "fr"]
LANGUAGES: tuple[Language, ...] = ("en", "fr")
_LETTER = re.compile(r"[^\W\d_]")
_identifier = None
# Country names spelled alike in English and French (accents aside): "Ukraine", "Canada", "Israël".
_NEUTRAL = re.compile(r"(?<!\w)(" + "|".join(sorted(
    {re.escape(name) for c in COUNTRY_LIST if fold(c.name) == fold(c.french_bare())
     for name in (c.name, c.french_bare())}, key=len, reverse=True)) + r")(?!\w)", re.IGNORECASE)
_lock = threading.Lock()


def _load():
    global _identifier
    with _lock:
        if _identifier is None:
            from py3langid.langid import MODEL_FILE, LanguageIdentifier

            identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
            identifier.set_languages(list(LANGUAGES))
            _identifier = identifier
    return _identifier


def preload() -> None:
    """Start loading the model in a background thread (its LZMA decompression runs beside other start-up work,
    e.g. importing the vector store, instead of delaying the first question)."""
    if _identifier is None:
        threading.Thread(target=_load, name="langid-load", daemon=True).start()


def detect_language(text: str) -> Language:
    """'en' or 'fr' (English for a text without letters)."""
    if not _LETTER.search(text):
        return "en"
    return "fr" if _load().classify(_telling(text))[0] == "fr" else "en"


def _telling(text: str) -> str:
    """`text` without the country names spelled alike in both languages, unless nothing else is left."""
    rest = _NEUTRAL.sub(" ", text)
    return rest if _LETTER.search(rest) else text


def language_probability(text: str, language: Language) -> float:
    """How likely `text` is in `language` (0..1, English and French only); 0.5 for a text without letters."""
    if not _LETTER.search(text):
        return 0.5
    return float(dict(_load().rank(text)).get(language, 0.0))
