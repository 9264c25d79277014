"""World regions and groups of states: their words, their members, and what they leave to country names."""

from __future__ import annotations

from assistant.registry.data import words
from assistant.registry.regions import by_key, holds, regions
from index.countries import COUNTRY_LIST


def test_every_region_has_words_in_both_languages_and_a_membership_or_none_on_purpose():
    for region in regions():
        assert region.words and region.english and region.french.split()[0] in ("en", "dans", "au", "aux")
        if region.key in ("middle-east", "gulf", "maghreb", "balkans", "nordic", "baltic", "sahel"):
            assert not region.codes  # no standard membership: left to the documents
        else:
            assert region.codes and all(len(code) == 3 and code.isupper() for code in region.codes)


def test_subregions_lie_within_their_continent():
    for sub, whole in (("north-africa", "africa"), ("west-africa", "sub-saharan-africa"), ("south-america",
                       "latin-america"), ("latin-america", "americas"), ("east-asia", "asia"),
                       ("eastern-europe", "europe")):
        assert by_key()[sub].codes < by_key()[whole].codes, sub


def test_a_row_is_placed_by_its_code_or_by_its_country_name():
    europe, asia = by_key()["europe"], by_key()["asia"]
    assert holds(europe, "FRA", "France") and not holds(asia, "FRA", "France")
    assert holds(europe, "ROM", "Romania")  # the registry's older code: placed by name
    assert not holds(europe, "", "")


def test_region_words_do_not_take_a_country_word():
    """"american" is the United States, "emirats arabes unis" a country, not the Americas or the Arab group."""
    country_words = {tuple(words(w)) for c in COUNTRY_LIST for w in c.words}
    region_words = {tuple(words(w)) for r in regions() for w in r.words}
    assert not country_words & region_words
    assert by_key()["g7"].codes >= {"FRA", "USA", "JPN"} and "CHN" in by_key()["g20"].codes
