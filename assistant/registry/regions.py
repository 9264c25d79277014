"""World regions and country groups in supporter questions ("any african countries?", "combien
d'entreprises européennes", "which G7 countries signed"): the words that name them in both languages, how
answers name them, and which countries they hold.

Membership comes from `countrygroups` (CC0), which keeps the UN Statistics Division's geographic regions
(M49) and the membership of the EU, G7, G20, OECD and Arab Group as ISO 3166 alpha-3 codes; a registry
row is in a region by its `country_code`, or, where the registry writes an older code ("ROM" for Romania),
by its country's name. Regions people name without a standard membership ("the Gulf", "the Middle East")
are listed without one (no path): a question naming one is left to the documents rather than answered with a
guessed list, or with "not in the registry".

One line per region: `key | English, after "in" | French, after "en/dans" | English words | French words |
countrygroups path`. A word marked `*` names the region itself and is matched as written; the others are
adjectives: English ones also match with a plural -s ("africans"), French ones are stems that also match their
feminine and plural forms ("africain" matches africaine, africains, africaines).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from index.countries import english_forms, french_forms

REGIONS = """
africa|Africa|en Afrique|*africa,african|*afrique,africain,*continent africain|AFRICA
north-africa|North Africa|en Afrique du Nord|*north africa,*northern africa,north african|*afrique du nord,nord africain|AFRICA.NORTHERN_AFRICA
sub-saharan-africa|sub-Saharan Africa|en Afrique subsaharienne|*sub saharan africa,*subsaharan africa,*sub saharan|*afrique subsaharienne,subsaharien,*afrique sub saharienne|AFRICA.SUB_SAHARAN_AFRICA
west-africa|West Africa|en Afrique de l'Ouest|*west africa,*western africa,west african|*afrique de l'ouest,ouest africain|AFRICA.SUB_SAHARAN_AFRICA.WESTERN_AFRICA
americas|the Americas|dans les Amériques|*americas|*ameriques,*continent americain|AMERICAS
latin-america|Latin America and the Caribbean|en Amérique latine et dans les Caraïbes|*latin america,latin american,*latam|*amerique latine,latino americain|AMERICAS.LATIN_AMERICA_AND_THE_CARIBBEAN
south-america|South America|en Amérique du Sud|*south america,south american|*amerique du sud,sud americain|AMERICAS.LATIN_AMERICA_AND_THE_CARIBBEAN.SOUTH_AMERICA
central-america|Central America|en Amérique centrale|*central america,central american|*amerique centrale,centramericain,centre americain|AMERICAS.LATIN_AMERICA_AND_THE_CARIBBEAN.CENTRAL_AMERICA
caribbean|the Caribbean|dans les Caraïbes|*caribbean|*caraibes,*antilles,caribeen|AMERICAS.LATIN_AMERICA_AND_THE_CARIBBEAN.CARIBBEAN
north-america|North America|en Amérique du Nord|*north america,north american|*amerique du nord,nord americain|AMERICAS.NORTHERN_AMERICA
asia|Asia|en Asie|*asia,asian|*asie,asiatique|ASIA
east-asia|East Asia|en Asie de l'Est|*east asia,*eastern asia,east asian|*asie de l'est,*asie orientale,*extreme orient|ASIA.EASTERN_ASIA
south-east-asia|South-East Asia|en Asie du Sud-Est|*south east asia,*southeast asia,south east asian,southeast asian|*asie du sud est|ASIA.SOUTH_EASTERN_ASIA
south-asia|South Asia|en Asie du Sud|*south asia,*southern asia,south asian|*asie du sud|ASIA.SOUTHERN_ASIA
central-asia|Central Asia|en Asie centrale|*central asia,central asian|*asie centrale|ASIA.CENTRAL_ASIA
western-asia|Western Asia|en Asie occidentale|*western asia,*west asia|*asie occidentale,*asie de l'ouest|ASIA.WESTERN_ASIA
europe|Europe|en Europe|*europe,european|*europe,europeen,*continent europeen|EUROPE
eastern-europe|Eastern Europe|en Europe de l'Est|*eastern europe,*east europe,eastern european,east european|*europe de l'est,*europe orientale,est europeen|EUROPE.EASTERN_EUROPE
western-europe|Western Europe|en Europe de l'Ouest|*western europe,*west europe,western european|*europe de l'ouest,*europe occidentale|EUROPE.WESTERN_EUROPE
northern-europe|Northern Europe|en Europe du Nord|*northern europe,*north europe,northern european|*europe du nord,*europe septentrionale|EUROPE.NORTHERN_EUROPE
southern-europe|Southern Europe|en Europe du Sud|*southern europe,*south europe,southern european|*europe du sud,*europe meridionale|EUROPE.SOUTHERN_EUROPE
oceania|Oceania|en Océanie|*oceania,oceanian|*oceanie,oceanien|OCEANIA
g7|the G7|dans le G7|*g7,*g 7|*g7,*g 7|G7
g20|the G20|dans le G20|*g20,*g 20|*g20,*g 20|G20
oecd|the OECD|dans l'OCDE|*oecd|*ocde|OECD
arab-group|the Arab Group at the UN|dans le Groupe arabe de l'ONU|arab,*arab world,*arab countries,*arab states|arabe,*monde arabe,*pays arabes|ARAB_GROUP
middle-east|the Middle East|au Moyen-Orient|*middle east,middle eastern,*mideast|*moyen orient,*proche orient|
gulf|the Gulf|dans le Golfe|*gulf,*persian gulf,*gulf states|*golfe,*pays du golfe,*etats du golfe|
maghreb|the Maghreb|au Maghreb|*maghreb|*maghreb,maghrebin|
balkans|the Balkans|dans les Balkans|*balkans,balkan|*balkans,balkanique|
nordic|the Nordic countries|dans les pays nordiques|nordic,*scandinavia,scandinavian|nordique,*scandinavie,scandinave|
baltic|the Baltic states|dans les pays baltes|baltic,*baltics|balte|
sahel|the Sahel|au Sahel|*sahel|*sahel,sahelien|
"""


@dataclass(frozen=True)
class Region:
    key: str
    english: str  # "Africa", "the G7"
    french: str  # "en Afrique", "dans le G7"
    words: tuple[str, ...]  # every form that names it, as typed (accents folded by the lexicon)
    codes: frozenset[str]  # ISO 3166 alpha-3 codes of its countries
    geographic: bool  # one of the UN's geographic regions (not a group of states such as the G7)

    def located(self, language: str) -> str:
        """"in Africa" / "en Afrique"."""
        return self.french if language == "fr" else f"in {self.english}"


def _groups():  # noqa: ANN202 (the `countrygroups` module, imported when first needed)
    import countrygroups

    return countrygroups


def _codes(path: str) -> frozenset[str]:
    """The alpha-3 codes of a `countrygroups` group: a top-level group ("G7") or a path in the UN's
    geographic tree ("AFRICA.NORTHERN_AFRICA")."""
    if not path:
        return frozenset()
    head, *rest = path.split(".")
    group = getattr(_groups(), head, None)
    if group is None:
        group, rest = _groups().UNSTATS_GEOGRAPHICAL_REGIONS, [head, *rest]
    for part in rest:
        group = getattr(group, part)
    return frozenset(code for code in group if len(code) == 3)


@cache
def regions() -> tuple[Region, ...]:
    out = []
    for line in REGIONS.strip().splitlines():
        key, english, french, english_words, french_words, path = (part.strip() for part in line.split("|"))
        forms = [form for words, inflect in ((english_words, english_forms), (french_words, french_forms))
                 for w in (w.strip() for w in words.split(",")) for form in ([w[1:]] if w[:1] == "*" else inflect(w))]
        geographic = bool(path) and not hasattr(_groups(), path.split(".")[0])
        out.append(Region(key, english, french, tuple(dict.fromkeys(forms)), _codes(path), geographic))
    return tuple(out)


@cache
def by_key() -> dict[str, Region]:
    return {region.key: region for region in regions()}


@cache
def _code_by_name() -> dict[str, str]:
    """ISO alpha-3 code by the country's short English name, for registry rows written with an older code."""
    from shortcountrynames import names

    return {name.casefold(): code for code, name in names.items() if len(code) == 3}


def holds(region: Region, code: str, country: str) -> bool:
    """Whether a registry row with this `country_code` and `country` name lies in `region`."""
    return code in region.codes or _code_by_name().get(country.casefold(), "") in region.codes
