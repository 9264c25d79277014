"""Typos of the collection's words and chat shorthand, corrected in questions (`assistant.spelling`)."""

from __future__ import annotations

import json

import pytest

from assistant.spelling import Spelling, dictionary_words, variants
from index.chunking import Chunk

TEXTS = ["The Paris Call was launched in 2018.", "Supporters of the Paris Call: countries and companies.",
         "The nine principles of the Call.", "Les principes de l'Appel de Paris.", "Principles, principles, principles",
         "Hospital cyberattacks.", "The forum and the format.", "Microsoft and Kaspersky."]


@pytest.fixture(scope="module")
def spelling() -> Spelling:
    return Spelling.of(TEXTS, known={"lunched", "hopital", "forma"})


def test_typos_are_the_common_ones_inside_a_word():
    typos = variants("launched")
    assert {"lanched", "luanched", "launchhed", "laubched"} <= typos  # left out, swapped, doubled, key beside
    assert "aunched" not in typos and "launche" not in typos  # the first and last letters stay
    assert "launched" not in typos and "lxunched" not in typos  # x is not beside a on any keyboard
    assert "summarize" not in variants("summarise")  # British -ise is no typo of -ize


@pytest.mark.parametrize(("typed", "meant"), [
    ("when was the paris call lanched", "when was the paris call launched"),
    ("supprters of the call", "supporters of the call"),
    ("the nine principels", "the nine principles"),
    ("Microsft and Kaspersky", "Microsoft and Kaspersky"),
])
def test_a_typo_of_a_collection_word_is_corrected_and_said(spelling: Spelling, typed: str, meant: str):
    corrected, changes = spelling.correct(typed)
    assert corrected == meant and len(changes) == 1 and changes[0][0] in typed and changes[0][1] in meant


@pytest.mark.parametrize("typed", [
    "they lunched at the Elysee",  # a word of the language, one letter from "launched": not a typo
    "l'hopital de dax",  # French typed without its accent, not "hospital" misspelt
    "the OCDE principles",  # an acronym
    "the forma",  # a word of the language
    "the laun",  # too short to tell
    "the launch",  # a word of the collection
])
def test_words_of_the_collection_or_of_the_language_are_left(spelling: Spelling, typed: str):
    assert spelling.correct(typed) == (typed, [])


def test_a_typo_two_words_could_stand_for_is_left_unless_one_is_much_commoner():
    assert Spelling.of(["protect protest"], known=set()).correct("to protet")[1] == []  # either: left
    assert Spelling.of(["protect protect protest"], known=set()).correct("to protet")[0] == "to protect"


def test_a_correction_is_written_as_the_collection_writes_it():
    spelling = Spelling.of(["La cybersécurité et la Cybersécurité, cybersecurite."], known=set())
    assert spelling.correct("la cybersécurté") == ("la cybersécurité", [("cybersécurté", "cybersécurité")])
    assert spelling.correct("Cybersecurte ?")[0] == "Cybersécurité ?"  # capitalised as typed


def test_chat_shorthand_is_written_out_in_the_question_language(spelling: Spelling):
    assert spelling.correct("hw many countries r in it", "en")[0] == "how many countries are in it"
    assert spelling.correct("pk la russie a pas signé ?", "fr")[0] == "pourquoi la russie a pas signé ?"
    assert spelling.correct("pk", "en")[0] == "pk"  # French shorthand only in French
    assert spelling.correct("r&d and u.s.", "en")[0] == "r&d and u.s."  # parts of other words stay
    assert spelling.correct("hw many", "en")[1] == []  # written out silently
    # a contraction typed without its apostrophe, and "us" standing for the United States
    assert spelling.correct("why didnt the us sign", "en") == ("why didn't the US sign", [])
    assert spelling.correct("us joined? tell us", "en")[0] == "US joined? tell us"
    # a word cut short: written out, or it weighs as a word no document knows
    assert spelling.correct("how many govts and orgs back it", "en")[0] == \
        "how many governments and organisations back it"
    assert spelling.correct("les assos et la cybersecu", "fr")[0] == "les associations et la cybersécurité"
    assert spelling.correct("l'asso et le nb d'orgas", "fr")[0] == "l'association et le nombre d'organisations"
    assert spelling.correct("aujourd'hui l'appel", "fr")[0] == "aujourd'hui l'appel"  # after an elision only
    # an ordinal in figures, as the sources write it in words ("the Second Paris Peace Forum")
    assert spelling.correct("when was the 2nd paris peace forum", "en")[0] == "when was the second paris peace forum"
    assert spelling.correct("le 1er atelier et le 2e atelier du gt3", "fr")[0] == \
        "le premier atelier et le deuxième atelier du gt3"
    assert spelling.correct("wg 2 and 2e", "en")[0] == "wg 2 and 2e"  # French ordinals only in French


def test_a_possessive_typed_without_its_apostrophe_gets_it_back(spelling: Spelling):
    """"microsofts statement", "wg6s report": the collection knows the word without its "s", not with it."""
    assert spelling.correct("microsofts statement", "en") == ("microsoft's statement", [])
    assert spelling.correct("what did wg6s report say", "en")[0] == "what did wg6's report say"
    assert spelling.correct("the principles of supporters", "en")[0] == "the principles of supporters"  # words
    assert spelling.correct("microsofts", "fr")[0] == "microsofts"  # an English habit only


def test_the_words_are_kept_for_the_same_chunks_and_gathered_again_for_others(tmp_path, monkeypatch):
    import assistant.spelling as module

    monkeypatch.setattr(module, "dictionary_words", lambda: frozenset({"lunched"}))
    chunks = [Chunk("a.md#0@x", "a.md", "The Paris Call was launched.", 0, 28)]
    path = tmp_path / "spelling.json"
    first = Spelling.cached(path, chunks)
    assert first.meant("lanched") == "launched" and first.protected == {"lunched"} and path.exists()
    data = json.loads(path.read_text(encoding="utf-8"))
    data["words"]["marker"] = ["marker", 1]
    path.write_text(json.dumps(data), encoding="utf-8")
    kept = Spelling.cached(path, chunks)
    assert "marker" in kept.words and kept.meant("lanched") == "launched"  # read back, not gathered again
    assert kept.correct("they lunched")[1] == []
    other = [Chunk("b.md#0@y", "b.md", "Supporters signed.", 0, 18)]
    assert "marker" not in Spelling.cached(path, other).words


def test_the_lookup_finds_exactly_the_words_a_typo_is_a_typo_of():
    """A typed word is looked up among the words a letter put in, taken out, swapped or changed would make of
    it: the same answer as going through every typo of every word of the collection."""
    spelling = Spelling.of(TEXTS + ["protest protect launcher"], known=set())
    meant: dict[str, list[str]] = {}
    for word in spelling.words:
        for typo in variants(word):
            meant.setdefault(typo, []).append(word)
    for typo, words in meant.items():
        ranked = sorted(words, key=lambda w: (-spelling.words[w][1], w))
        clear = len(ranked) == 1 or spelling.words[ranked[0]][1] >= 2 * spelling.words[ranked[1]][1]
        expected = ranked[0] if clear and typo not in spelling.words and len(typo) >= 5 else None
        assert spelling.meant(typo) == expected, typo
    assert spelling.meant("aunched") is None  # short of its first letter: not read as a typo


def test_the_language_word_lists_ship_with_the_package():
    words = dictionary_words()
    assert {"lunched", "hopital", "grece", "the", "le"} <= words and len(words) > 100_000
