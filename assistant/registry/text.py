"""How registry answers name things, in the asker's language: supporters, countries, categories, natures,
dates, numbers and the description of a counted group ("private-sector supporters based in Canada").
"""

from __future__ import annotations

from assistant.prompts import REGISTRY
from assistant.registry import words as W
from assistant.registry.data import Row, norm
from assistant.registry.query import Selection
from assistant.registry.regions import by_key
from index.countries import BY_NAME

_MONTHS = {"en": "January February March April May June July August September October November December",
           "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"}
MONTH_NAMES = {language: names.split() for language, names in _MONTHS.items()}
THE = {"United States", "United Kingdom", "Netherlands", "Philippines", "Czech Republic", "Dominican Republic",
       "Central African Republic", "United Arab Emirates", "Vatican", "European Union"}
EU_FR = "l'Union européenne"


def date_text(iso: str, language: str) -> str:
    """"2019-11-10" -> "10 November 2019" / "10 novembre 2019" (partial dates as far as they go)."""
    parts = iso.split("-")
    if len(parts) < 2 or not all(p.isdigit() for p in parts):
        return iso
    month = MONTH_NAMES[language][int(parts[1]) - 1]
    if len(parts) == 2:
        return f"{month} {parts[0]}"
    day = int(parts[2])
    return f"{'1er' if language == 'fr' and day == 1 else day} {month} {parts[0]}"


def number(n: int, language: str) -> str:
    text = f"{n:,}"
    return text.replace(",", "\u202f") if language == "fr" else text


def country_name(name: str, language: str, article: bool = False) -> str:
    """A country in the answer's language: "Germany", "the United States"; "Allemagne", "l'Allemagne"."""
    if language == "fr":
        country = BY_NAME.get(name)
        if country is None:
            return name
        return country.french if article else country.french_bare()
    return f"the {name}" if article and name in THE else name


def country_in(name: str, language: str) -> str:
    """"in Germany" as the answers need it: "the United States", "en Allemagne", "aux États-Unis"."""
    if language == "fr":
        country = BY_NAME.get(name)
        return country.french_in() if country else f"pays : {name}"
    return country_name(name, language, article=True)


def row_name(row: Row, language: str, start: bool = False, bare: bool = False) -> str:
    """A supporter's name; states and the EU in the answer's language (with their article unless `bare`)."""
    name = row.name
    if row.get("category") == "state" and name in BY_NAME:
        name = country_name(name, language, article=not bare)
    elif norm(name) == "european union" and not bare:
        name = EU_FR if language == "fr" else "the European Union"
    elif norm(name) == "european union":
        name = "Union européenne" if language == "fr" else name
    return name[:1].upper() + name[1:] if start else name


def subject_name(text: str, country: str | None, language: str, start: bool = False) -> str:
    name = country_name(country, language, article=True) if country else text
    return name[:1].upper() + name[1:] if start else name


def category_label(category: str | None, language: str, plural: bool) -> str:
    return W.CATEGORY_LABELS.get(category, W.CATEGORY_LABELS[None])[language][int(plural)]


def category_name(category: str, language: str) -> str:
    return W.CATEGORY_NAMES.get(category, {}).get(language, category)


def nature_label(value: str, language: str, plural: bool = False) -> str:
    """A nature (the registry writes them in French) in the answer's language."""
    key = W.NATURE_ALIASES.get(norm(value), norm(value))
    entry = W.NATURES.get(key)
    if entry is None:
        return value
    return (entry[1] if language == "en" else entry[2])[int(plural)]


def describe(selection: Selection, language: str, count: int = 2) -> str:
    """The counted group: "private-sector supporters based in Canada with a listing date in 2021"."""
    words = REGISTRY[language]
    plural = count != 1
    noun = (nature_label(selection.nature, language, plural) if selection.nature
            else category_label(selection.category, language, plural))
    if selection.country == "":
        noun += words["where_none"]
    elif selection.country:
        noun += words["where"].format(country=country_in(selection.country, language))
    if selection.region:
        noun += " " + by_key()[selection.region].located(language)
    if selection.month:
        noun += words["when_month"].format(month=date_text(selection.month, language))
    elif len(selection.years) == 1:
        noun += words["when_year"].format(year=selection.years[0])
    elif selection.years:
        noun += words["when_years"].format(first=selection.years[0], last=selection.years[-1])
    return noun


def de(text: str, language: str) -> str:
    """French "de" before a noun group ("d'entreprises", "de soutiens"); English unchanged."""
    if language != "fr":
        return text
    return ("d'" if text[:1].lower() in "aeiouyhéèêàâîôû" else "de ") + text


def row_details(row: Row, language: str, with_date: bool) -> str:
    category = row.get("category")
    parts = [category_name(category, language) if category else W.CATEGORY_NAMES[""][language]]
    if category != "state":
        country = row.get("country")
        parts.append(country_name(country, language) if country else REGISTRY[language]["no_country_short"])
    if with_date and row.get("listed_since"):
        parts.append(date_text(row.get("listed_since"), language))
    return ", ".join(parts)


def tally_text(segment: str, column: str, language: str, limit: int | None = None) -> str:
    """A count table's tally ("private-sector 8, civil-society 5") in the answer's language."""
    items = [item.rsplit(" ", 1) for item in segment.split(", ")][:limit]
    out = []
    for value, count in items:
        value = "" if value == "(blank)" else value
        if column == "category":
            label = category_name(value, language)
        elif column == "country":
            label = country_name(value, language) if value else REGISTRY[language]["no_country_short"]
        elif column == "nature":
            label = nature_label(value, language) if value else "—"
        else:
            label = value
        out.append(f"{label} {number(int(count), language)}")
    return ", ".join(out)


def meaning_label(value: str, language: str) -> str:
    """What a typo was understood as (a country, a category key, a nature key or a name), for the asker."""
    if value in BY_NAME:
        return country_name(value, language)
    if value in W.CATEGORY_NAMES:
        return category_name(value, language)
    if value in W.NATURES:
        return nature_label(value, language)
    return value
