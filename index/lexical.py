"""The lexical index: BM25 (bm25s) over the same chunks as the vector store, one analyzer per language.

Two tokenizers live here:

- `tokenize`: the light, language-blind tokenizer of the answer side (citation verification, sentence
  scoring). Its behaviour is fixed: answers are checked with it. Besides words, it gives keys for numbered
  parts ("wg6") and for the domain's concepts ("=launch", `glossary.CONCEPTS`).
- `analyze(text, language)`: the BM25 analyzer. Words are lower-cased and accent-folded, the language's stop
  words (NLTK's lists, shipped with bm25s) dropped, then stemmed by the language's Snowball stemmer
  (PyStemmer). Folding comes before stemming so that "securite" and "sécurité" share a stem. A chunk is
  analyzed in its document's language, and also gets each word's first five letters as a language-neutral
  key ("~vulne"): truncation matches cognates across languages ("vulnérabilités", "vulnerabilities") that
  two stemmers cut differently. A question is analyzed in its own language, its glossary translations in
  theirs, and its keys at half weight (`query_weights`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from corpus.errors import IndexNotReadyError
from index.countries import NAME_WORDS, one_word_names
from index.filters import Filters
from index.glossary import CONCEPT_PHRASES, CONCEPT_SEARCH, CONCEPTS, fold, numbered_parts, translate

STOPWORDS = set(["a", "about", "above", "after", "again", "against", "all", "am", "an", "and", "any", "are", "as", "at", "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "could", "did", "do", "does", "doing", "down", "during", "each", "few", "for", "from", "further", "had", "has", "have", "having", "he", "her", "here", "hers", "herself", "him", "himself", "his", "how", "i", "if", "in", "into", "is", "it", "its", "itself", "just", "me", "more", "most", "my", "no", "nor", "not", "of", "off", "on", "once", "only", "or", "other", "our", "ours", "out", "over", "own", "same", "she", "should", "so", "some", "such", "than", "that", "the", "their", "theirs", "them", "then", "there", "these", "they", "this", "those", "through", "to", "too", "under", "until", "up", "very", "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with", "would", "you", "your", "yours", "also", "may", "might", "must", "shall", "us", "its", "via", "per", "au", "aux", "avec", "ce", "ces", "cet", "cette", "dans", "de", "des", "du", "elle", "elles", "en", "est", "et", "eux", "il", "ils", "je", "la", "le", "les", "leur", "leurs", "lui", "ma", "mais", "me", "meme", "mes", "moi", "mon", "ne", "nos", "notre", "nous", "on", "ou", "par", "pas", "pour", "qu", "que", "qui", "sa", "se", "ses", "son", "sur", "ta", "te", "tes", "toi", "ton", "tu", "un", "une", "vos", "votre", "vous", "c", "d", "j", "l", "m", "n", "s", "t", "y", "ete", "etre", "avoir", "ont", "sont", "ai", "as", "avons", "avez", "a", "ete", "plus", "ou", "dont", "quel", "quelle", "quels", "quelles", "comment", "quand", "pourquoi", "combien", "est-ce",
                 # a negation's auxiliary ("didn't", "doesn't"): "why didn't the US sign" is answered by "the US
                 # stayed out", which holds no "didn"
                 "didn", "doesn", "don", "isn", "wasn", "aren", "weren", "hasn", "haven", "hadn", "couldn", "wouldn",
                 "shouldn", "cannot"])

_SUFFIXES = ("ational", "ations", "ation", "ements", "ement", "ments", "ment", "ities", "ity", "ives", "ive",
             "ions", "ion", "ing", "ies", "ees", "ee", "es", "al", "s", "e")


def stem(word: str) -> str:
    """A deliberately light stemmer shared by English and French (answer side only)."""
    for suffix in _SUFFIXES:
        if len(word) - len(suffix) >= 4 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


TOKENIZER_VERSION = 10  # kept with what is computed from `tokenize` (the reader's term weights)
# The answer side's stem of each word of a concept (`glossary.CONCEPTS`) -> the concept's key ("=launch").
CONCEPT_STEMS = {stem(w): "=" + key for key, words in CONCEPTS.items() for w in " ".join(words).split()}


# The United States by its abbreviations in capitals ("us" is a pronoun), which "us" as a stop word and "U.S." as two
# letters would otherwise drop.
US_ABBREVIATION = re.compile(r"\bU\.S\.(?:A\.)?|\bU\.S\b|\b(?:USA|US)\b")


# A brand written with a one-letter prefix ("F-Secure", "e-mail", "X-Road") is one word: split, it would be
# "secure", "mail" (a one-letter word is dropped). Not "a-t-il", "c-à-d": the rest must be three letters or more.
INITIAL = re.compile(r"(?<![\w-])([a-z])-(?=[a-z0-9]{3})")


def joined_initials(folded: str) -> str:
    """Folded text with each one-letter prefix joined to its word ("f-secure" -> "fsecure")."""
    return INITIAL.sub(r"\1", folded) if "-" in folded else folded


SHORT_PART = re.compile(r"(wg|gt)\d*")  # a working group's short form as one word ("gt4", "wg", "gt")


def tokenize(text: str, stop: frozenset[str] = frozenset()) -> list[str]:
    """The answer side's tokens (see the module docstring), a key for each working group or principle
    named by number ("principle 8" -> "principle8", like BM25's, read from the whole text), and one for
    each concept a word names ("created", "lancé" -> "=launch"; `glossary.CONCEPTS`); a country's name is one
    word in either language ("la Russie", "Russia"; `countries.one_word_names`). BM25 uses `analyze`.
    `stop`: more words to leave out (accent-folded)."""
    folded = joined_initials(fold(US_ABBREVIATION.sub(" United States ", text) if "U" in text else text))
    raw = re.findall(r"[a-z0-9]+", folded)
    if not NAME_WORDS.isdisjoint(raw):
        raw = re.findall(r"[a-z0-9]+", one_word_names(folded))
    words = [stem(w) for w in raw
             if w not in STOPWORDS and w not in stop and len(w) > 1]
    # "whats", "thats": a stop word typed without its apostrophe; "gt4", "wg": a working group's short form, which
    # its key ("wg4") stands for
    words = [w for w in words if w not in STOPWORDS and not SHORT_PART.fullmatch(w)]
    concepts = [CONCEPT_STEMS[w] for w in words if w in CONCEPT_STEMS]
    return words + numbered_parts(text) + list(dict.fromkeys(concepts))


def concepts_named(text: str) -> list[str]:
    """The keys of the concepts a text names by a word or a phrase ("who came up with it": ["=launch"])."""
    return list(dict.fromkeys([t for t in tokenize(text) if t.startswith("=")] + list(concept_phrases(text))))


def concept_phrases(text: str) -> dict[str, str]:
    """The phrases of a question that name a concept without one of its words, by the concept's key ("who came
    up with it": {"=launch": "came up with"})."""
    folded = fold(text)
    return {"=" + key: m.group(0) for key, phrase in CONCEPT_PHRASES.items() if (m := phrase.search(folded))}


# ---- the BM25 analyzers ----------------------------------------------------------------------------------

ANALYZER_VERSION = 8  # stored with each lexical index: an index made by another analyzer is not used
# BM25's term saturation and length normalisation (bm25s' defaults are 1.5 and 0.75), chosen on the dev split's
# facts@5 with the fusion as it is: 0.748 at the defaults, 0.757 at 0.9 and 0.4 (0.7 and 0.3 too, with recall@5
# 0.908 against 0.913), 0.742-0.755 at eight other pairs; test 0.722 -> 0.730. Less length normalisation lets a
# one-line registry row or a short heading chunk outscore less often the passage that answers.
BM25_K1 = 0.9
BM25_B = 0.4
LANGUAGES = ("en", "fr")
_SNOWBALL = {"en": "english", "fr": "french"}
_WORD = re.compile(r"[a-z0-9]+")
KEY_LENGTH = 5  # letters of a cross-language key (4 and 6 measured worse on the dev split)


def _language(language: str | None) -> str:
    return language if language in LANGUAGES else "en"


@cache
def stop_words(language: str) -> frozenset[str]:
    """The language's stop words (NLTK's lists, as shipped with bm25s), accent-folded."""
    from bm25s.stopwords import STOPWORDS_EN_PLUS, STOPWORDS_FRENCH

    words = STOPWORDS_FRENCH if _language(language) == "fr" else STOPWORDS_EN_PLUS
    return frozenset(fold(w) for w in words)


@cache
def _stemmer(language: str):
    import Stemmer

    return Stemmer.Stemmer(_SNOWBALL[_language(language)])


def _words(text: str, stop: frozenset[str]) -> list[str]:
    return [w for w in _WORD.findall(joined_initials(fold(text))) if len(w) > 1 and w not in stop]


def analyze(text: str, language: str, stop: frozenset[str] | None = None) -> list[str]:
    """BM25 stems of `text` read as `language` ('en' or 'fr'; anything else reads as English)."""
    words = _words(text, stop_words(language) if stop is None else stop)
    return _stemmer(language).stemWords(words) if words else []


def cross_keys(text: str, stop: frozenset[str]) -> list[str]:
    """Language-neutral keys: each word's first letters, marked with '~' so they never meet a stem."""
    return ["~" + w[:KEY_LENGTH] for w in _words(text, stop)]


def analyze_passage(text: str, language: str) -> list[str]:
    """What a chunk is indexed under: its stems in its language, its cross-language keys, and a key for each
    working group or principle it names by number ("Working Group 6" -> "wg6", "Principe 8" -> "principle8")."""
    stop = stop_words(language)
    return analyze(text, language, stop) + cross_keys(text, stop) + numbered_parts(text)


TYPO_MIN_LENGTH = 5  # shorter words are a typo away from too many others
TYPO_LONG_LENGTH = 9  # from this length, two edits are still one word


@dataclass(frozen=True)
class QueryPlan:
    """How a question becomes weighted BM25 terms (the weights were chosen on the benchmark's dev split)."""

    other_language: float = 0.0  # its words stemmed as the other language (0.5 and 1 measured worse)
    translated: float = 1.0  # the glossary's translations of its terms, each in its language
    keys: float = 0.5  # its words' (and translations') cross-language keys (1.0 measured worse)
    concepts: float = 0.5  # the sources' words for a concept it names (`glossary.CONCEPT_SEARCH`: "who runs wg3": chaired)


@cache
def _source_terms(concept: str) -> tuple[tuple[str, ...], ...]:
    """The BM25 terms of the sources' words for a concept, one tuple per language of `LANGUAGES` (stop words of
    both left out, as of a question)."""
    stop = stop_words("en") | stop_words("fr")
    return tuple(tuple(analyze(words, language, stop)) for words, language in zip(CONCEPT_SEARCH[concept], LANGUAGES,
                                                                                   strict=True))


def query_weights(query: str, language: str, plan: QueryPlan = QueryPlan()) -> dict[str, float]:
    """Weighted BM25 terms for a question in `language`. Stop words of both languages are dropped (a
    question's "the" or "les" means nothing in either); a term keeps its highest weight."""
    own = _language(language)
    other = "fr" if own == "en" else "en"
    stop = stop_words("en") | stop_words("fr")
    translated = translate(query)
    parts = [(analyze(query, own, stop), 1.0), (analyze(query, other, stop), plan.other_language),
             (analyze(translated[own], own, stop), plan.translated),
             (analyze(translated[other], other, stop), plan.translated),
             (cross_keys(" ".join((query, translated["en"], translated["fr"])), stop), plan.keys)]
    asked = set(parts[0][0])
    for key in concepts_named(query):
        terms = _source_terms(key[1:])
        if asked.isdisjoint(t for language_terms in terms for t in language_terms):  # "co-chaired by": said
            parts += [(list(t), plan.concepts) for t in terms]
    weights: dict[str, float] = {}
    for terms, weight in parts:
        if weight <= 0:
            continue
        for term in terms:
            weights[term] = max(weights.get(term, 0.0), weight)
    return weights


def _idf(passages: np.ndarray | float, df: np.ndarray) -> np.ndarray:
    return np.log1p((passages - df + 0.5) / (df + 0.5))  # BM25's (Lucene's) IDF


def _language_local_ratio(per_language: np.ndarray, passages: np.ndarray) -> np.ndarray:
    """For each term (a column of `per_language`: its passages in each language), its IDF among the
    passages of the language most of them are in, over its IDF among all passages (1 where it has none)."""
    df = per_language.sum(axis=0)
    major = per_language.argmax(axis=0)
    own = _idf(passages[major], per_language[major, np.arange(per_language.shape[1])])
    overall = _idf(passages.sum(), df)
    return np.where((df > 0) & (overall > 0), own / np.where(overall > 0, overall, 1.0), 1.0)


class LexicalIndex:
    """BM25 scores over a fixed, ordered list of chunk ids, each chunk analyzed in its own language."""

    def __init__(self, ids: list[str], texts: list[str] | None = None, languages: list[str] | None = None,
                 plan: QueryPlan | None = None) -> None:
        import bm25s

        self.ids = ids
        self.plan = plan or QueryPlan()
        self.languages = languages  # each chunk's language (for the terms' language-local IDF)
        self._vocabulary: list[str] | None = None  # the indexed stems a typo may stand for, built on first use
        self._local_idf: np.ndarray | None = None
        self._bm25 = bm25s.BM25(k1=BM25_K1, b=BM25_B)
        if texts is not None:
            languages = languages or ["en"] * len(texts)
            tokens = [analyze_passage(t, lang) or ["_empty_"] for t, lang in zip(texts, languages, strict=True)]
            self._bm25.index(tokens, show_progress=False)

    def scores(self, weights: dict[str, float]) -> np.ndarray:
        """Each chunk's BM25 score for weighted terms (a term's score times its weight, summed); a term the
        passages never use counts as the one word they use that is a typo away from it ("hollywod")."""
        matrix = self._bm25.scores
        indptr, indices, data = matrix["indptr"], matrix["indices"], matrix["data"]
        vocab = self._bm25.vocab_dict
        local = self.local_idf()
        total = np.zeros(len(self.ids), dtype=np.float32)
        for term, weight in weights.items():
            column = vocab.get(term)
            if column is None:
                column = vocab.get(self._nearest_term(term))
            if column is not None and column + 1 < len(indptr):
                start, end = indptr[column], indptr[column + 1]
                total[indices[start:end]] += weight * local[column] * data[start:end]
        return total

    def local_idf(self) -> np.ndarray:
        """Per term, its IDF among the passages of its own language over its IDF among all passages.

        In a corpus mostly in one language, a word of the other is rare overall but common in its own
        passages: "appel" (in every French passage about the Call) outweighed "call" (in every English
        one, and in the registry's 1,222 rows), so English questions drew French passages. A term's language
        is that of most passages using it; IDF is BM25's (Lucene's). 1 for every term without languages."""
        if self._local_idf is None:
            starts = np.asarray(self._bm25.scores["indptr"])
            rows = np.asarray(self._bm25.scores["indices"])
            languages = self.languages or []
            codes = sorted(set(languages))
            self._local_idf = np.ones(max(len(starts) - 1, 0))
            if len(codes) > 1 and len(languages) == len(self.ids):
                chunk_codes = np.array([codes.index(language) for language in languages])
                per_code = []
                for code in range(len(codes)):  # each term's passages in that language
                    seen = np.concatenate([[0], np.cumsum(chunk_codes[rows] == code)])
                    per_code.append(seen[starts[1:]] - seen[starts[:-1]])
                passages = np.bincount(chunk_codes, minlength=len(codes)).astype(float)
                self._local_idf = _language_local_ratio(np.array(per_code, dtype=float), passages)
        return self._local_idf

    def _nearest_term(self, term: str) -> str | None:
        """The indexed stem one edit from `term` (two for long terms), when exactly one is nearest; None for
        short terms, cross-language keys and numbers, where an edit makes another word."""
        if len(term) < TYPO_MIN_LENGTH or term.startswith("~") or not term.isalpha():
            return None
        from rapidfuzz import process
        from rapidfuzz.distance import Levenshtein

        if self._vocabulary is None:
            self._vocabulary = [t for t in self._bm25.vocab_dict if t.isalpha() and len(t) >= TYPO_MIN_LENGTH - 1]
        limit = 1 if len(term) < TYPO_LONG_LENGTH else 2
        found = process.extract(term, self._vocabulary, scorer=Levenshtein.distance, score_cutoff=limit, limit=2)
        if not found or (len(found) > 1 and found[1][1] == found[0][1]):
            return None
        return found[0][0]

    def search(self, query: str, k: int, allowed: np.ndarray | None = None,
               language: str | None = None) -> list[tuple[str, float]]:
        """Top chunk ids by BM25 score; `allowed` is an optional boolean mask over `ids`; `language` is the
        question's (detected when not given)."""
        if not self.ids:
            return []
        if language is None:
            from index.language import detect_language

            language = detect_language(query)
        scores = self.scores(query_weights(query, language, self.plan))
        if allowed is not None:
            scores = np.where(allowed, scores, 0.0)
        top = np.argsort(-scores, kind="stable")[:k]
        return [(self.ids[i], float(scores[i])) for i in top if scores[i] > 0]

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self._bm25.save(str(folder), show_progress=False)
        (folder / "ids.json").write_text(json.dumps(self.ids), encoding="utf-8")
        (folder / "analyzer.json").write_text(json.dumps({"version": ANALYZER_VERSION}), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex:
        import bm25s

        try:
            version = json.loads((folder / "analyzer.json").read_text(encoding="utf-8")).get("version")
        except FileNotFoundError:
            version = 1
        if version != ANALYZER_VERSION:
            raise IndexNotReadyError(f"the lexical index in {folder} was made by another analyzer (version "
                                     f"{version}, this one is {ANALYZER_VERSION})",
                                     hint="run `assistant index`: it rebuilds the lexical index (nothing is "
                                          "embedded again)")
        index = cls(json.loads((folder / "ids.json").read_text(encoding="utf-8")))
        index._bm25 = bm25s.BM25.load(str(folder))
        return index


def filter_mask(metadatas: list[dict], filters: Filters | None) -> np.ndarray | None:
    if filters is None or filters.is_empty():
        return None
    return np.array([filters.matches(m) for m in metadatas], dtype=bool)
