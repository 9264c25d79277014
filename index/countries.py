"""Country names in both languages: the registry's English name, the French name with its article, and what
people type for it (English and French names, abbreviations, demonyms). Read by the registry's questions and
answers, and by BM25, which searches a question naming a country ("soutiens indiens", "les etats unis") under
the country's name in both languages (`countries_in`).

One line per country: `registry name | French name | English aliases | French aliases`; an alias marked
`*` is another name of the country ("*usa"), the others are demonyms. English demonyms also match with a
plural -s; French ones are stems that also match their feminine and plural forms ("allemand" matches
allemande, allemands, allemandes; "canadien" canadienne(s)). Countries outside the
registry are listed too, so that "Iranian supporters" is understood and answered with "none".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from corpus.guard import fold

COUNTRIES = """
Albania|l'Albanie|albanian|albanais
Andorra|l'Andorre|andorran|andorran
Argentina|l'Argentine|argentine,argentinian,argentinean|argentin
Armenia|l'Arménie|armenian|arménien
Australia|l'Australie|australian,aussie|australien
Austria|l'Autriche|austrian|autrichien
Azerbaijan|l'Azerbaïdjan|azerbaijani,azeri|azerbaïdjanais
Belgium|la Belgique|belgian|belge
Benin|le Bénin|beninese|béninois
Bolivia|la Bolivie|bolivian|bolivien
Bosnia-Herzegovina|la Bosnie-Herzégovine|*bosnia,*bosnia and herzegovina,bosnian|*bosnie,bosnien
Brazil|le Brésil|brazilian|brésilien
Bulgaria|la Bulgarie|bulgarian|bulgare
Burkina-Faso|le Burkina Faso|*burkina faso,*burkina,burkinabe|*burkina,burkinabé
Cambodia|le Cambodge|cambodian|cambodgien
Cameroon|le Cameroun|cameroonian|camerounais
Canada|le Canada|canadian|canadien
Central African Republic|la République centrafricaine|central african|*centrafrique,centrafricain
Chile|le Chili|chilean|chilien
China|la Chine|chinese,prc|chinois
Colombia|la Colombie|colombian|colombien
Congo|le Congo|congolese|congolais
Costa Rica|le Costa Rica|costa rican|costaricien,costaricain
Croatia|la Croatie|croatian,croat|croate
Cyprus|Chypre|cypriot|chypriote,cypriote
Czech Republic|la République tchèque|czech,*czechia|*tchequie,tchèque
Côte d’Ivoire|la Côte d'Ivoire|*ivory coast,ivorian|ivoirien
Denmark|le Danemark|danish,dane|danois
Dominican Republic|la République dominicaine|dominican|dominicain
Ecuador|l'Équateur|ecuadorian,ecuadorean|équatorien
Egypt|l'Égypte|egyptian|égyptien
El Salvador|le Salvador|salvadoran,salvadorian|salvadorien
Estonia|l'Estonie|estonian|estonien
Finland|la Finlande|finnish,finn|finlandais
France|la France|french|français
Gabon|le Gabon|gabonese|gabonais
Georgia|la Géorgie|georgian|géorgien
Germany|l'Allemagne|german|allemand
Ghana|le Ghana|ghanaian|ghanéen
Greece|la Grèce|greek|grec,grecque
Guatemala|le Guatemala|guatemalan|guatémaltèque
Guinea|la Guinée|guinean|guinéen
Haiti|Haïti|haitian|haïtien
Honduras|le Honduras|honduran|hondurien
Hungary|la Hongrie|hungarian|hongrois
Iceland|l'Islande|icelandic,icelander|islandais
India|l'Inde|indian|indien
Indonesia|l'Indonésie|indonesian|indonésien
Ireland|l'Irlande|irish|irlandais
Italy|l'Italie|italian|italien
Japan|le Japon|japanese|japonais
Kazakhstan|le Kazakhstan|kazakh,kazakhstani|kazakh
Kenya|le Kenya|kenyan|kényan
Kuwait|le Koweït|kuwaiti|koweïtien
Laos|le Laos|laotian|laotien
Latvia|la Lettonie|latvian|letton
Lebanon|le Liban|lebanese|libanais
Liechtenstein|le Liechtenstein|liechtensteiner|liechtensteinois
Lithuania|la Lituanie|lithuanian|lituanien
Luxembourg|le Luxembourg|luxembourgish,luxembourger|luxembourgeois
Malaysia|la Malaisie|malaysian|malaisien,malaysien
Malta Republic|Malte|malta,maltese|maltais
Mauritania|la Mauritanie|mauritanian|mauritanien
Mauritius|Maurice|mauritian|mauricien
Mexico|le Mexique|mexican|mexicain
Moldova|la Moldavie|moldovan,moldavian|moldave
Monaco|Monaco|monegasque|monégasque
Mongolia|la Mongolie|mongolian|mongol
Montenegro|le Monténégro|montenegrin|monténégrin
Morocco|le Maroc|moroccan|marocain
Netherlands|les Pays-Bas|dutch,*holland,*the netherlands|*pays bas,néerlandais,hollandais
New Zealand|la Nouvelle-Zélande|new zealander|néo-zélandais,neo zelandais
Nigeria|le Nigeria|nigerian|nigérian,*nigeria
North Macedonia|la Macédoine du Nord|*macedonia,macedonian|*macédoine,macédonien
Norway|la Norvège|norwegian|norvégien
Pakistan|le Pakistan|pakistani|pakistanais
Panama|le Panama|panamanian|panaméen
Papua New Guinea|la Papouasie-Nouvelle-Guinée|*papua|*papouasie
Paraguay|le Paraguay|paraguayan|paraguayen
Peru|le Pérou|peruvian|péruvien
Philippines|les Philippines|filipino,philippine|philippin
Poland|la Pologne|polish|polonais
Portugal|le Portugal|portuguese|portugais
Qatar|le Qatar|qatari|qatarien
Romania|la Roumanie|romanian|roumain
Russia|la Russie|russian,*russian federation|russe
Rwanda|le Rwanda|rwandan|rwandais
San Marino|Saint-Marin|sammarinese|*saint marin
Senegal|le Sénégal|senegalese|sénégalais
Serbia|la Serbie|serbian,serb|serbe
Singapore|Singapour|singaporean|singapourien
Slovakia|la Slovaquie|slovak,slovakian|slovaque
Slovenia|la Slovénie|slovenian,slovene|slovène
South Africa|l'Afrique du Sud|south african|sud africain
South Korea|la Corée du Sud|*korea,korean,south korean,*republic of korea|*corée,coréen,sud coréen
Spain|l'Espagne|spanish|espagnol
Suriname|le Suriname|surinamese|surinamais
Sweden|la Suède|swedish,swede|suédois
Switzerland|la Suisse|swiss|*suisse,suisse,helvétique
Taiwan|Taïwan|taiwanese|taïwanais
Thailand|la Thaïlande|thai|thaïlandais
Tunisia|la Tunisie|tunisian|tunisien
Turkey|la Turquie|turkish,turkiye|turc,turque
United Arab Emirates|les Émirats arabes unis|*uae,*emirates,emirati|*émirats,émirati
United Kingdom|le Royaume-Uni|*uk,*britain,*great britain,british,*england|*royaume uni,britannique,*grande bretagne,*angleterre
United States|les États-Unis|*usa,*u.s.,*u.s.a.,*the us,*america,american,*united states of america|*états unis,*usa,*les us,américain,*amérique
Uruguay|l'Uruguay|uruguayan|uruguayen
Uzbekistan|l'Ouzbékistan|uzbek,uzbekistani|ouzbek
Vatican|le Vatican|*holy see,*vatican city|*saint siège
Vietnam|le Viêt Nam|*viet nam,vietnamese|*viêt nam,*vietnam,vietnamien
Zambia|la Zambie|zambian|zambien
Zimbabwe|le Zimbabwe|zimbabwean|zimbabwéen
Iran|l'Iran|iranian|iranien
Israel|Israël|israeli|israélien
Ukraine|l'Ukraine|ukrainian|ukrainien
Saudi Arabia|l'Arabie saoudite|saudi|saoudien
North Korea|la Corée du Nord|north korean,dprk|nord coréen
Belarus|la Biélorussie|belarusian|biélorusse
Venezuela|le Venezuela|venezuelan|vénézuélien
Cuba|Cuba|cuban|cubain
Syria|la Syrie|syrian|syrien
Algeria|l'Algérie|algerian|algérien
Ethiopia|l'Éthiopie|ethiopian|éthiopien
Bangladesh|le Bangladesh|bangladeshi|bangladais
Sri Lanka|le Sri Lanka|sri lankan|sri lankais
Iraq|l'Irak|iraqi|irakien
Afghanistan|l'Afghanistan|afghan|afghan
Uganda|l'Ouganda|ugandan|ougandais
Tanzania|la Tanzanie|tanzanian|tanzanien
Angola|l'Angola|angolan|angolais
Mali|le Mali|malian|malien
Niger|le Niger|nigerien|nigérien
Jordan|la Jordanie|jordanian|jordanien
Bahrain|Bahreïn|bahraini|bahreïni
Oman|Oman|omani|omanais
Jamaica|la Jamaïque|jamaican|jamaïcain
Nicaragua|le Nicaragua|nicaraguan|nicaraguayen
Myanmar|la Birmanie|*burma,burmese|birman,*myanmar
Nepal|le Népal|nepalese,nepali|népalais
Libya|la Libye|libyan|libyen
Sudan|le Soudan|sudanese|soudanais
Madagascar|Madagascar|malagasy|malgache
Mozambique|le Mozambique|mozambican|mozambicain
Togo|le Togo|togolese|togolais
"""


@dataclass(frozen=True)
class Country:
    """A country: its name in the registry (English), its French name, and the words that name it."""

    name: str
    french: str  # with its article: "l'Allemagne", "le Japon", "les États-Unis", "Singapour"
    words: tuple[str, ...] = field(default=())  # every form that points to it (names, demonyms, inflections)
    names: tuple[str, ...] = field(default=())  # the forms that name the country itself (not its demonyms)

    def french_bare(self) -> str:
        """The French name without its article ("Allemagne"), for lists and tables."""
        for article in ("l'", "la ", "le ", "les "):
            if self.french.startswith(article):
                return self.french[len(article):]
        return self.french

    def french_in(self) -> str:
        """"en Allemagne", "au Japon", "aux États-Unis", "à Singapour"."""
        if self.french.startswith(("l'", "la ")):
            return "en " + self.french_bare()
        if self.french.startswith("le "):
            return "au " + self.french_bare()
        if self.french.startswith("les "):
            return "aux " + self.french_bare()
        return ("en " if self.french[:1] in "AEIOUÉÈÊHaeiouéh" else "à ") + self.french


def english_forms(word: str) -> list[str]:
    return [word] if word.endswith(("s", "sh", "ese", "ch", "i")) or " " in word else [word, word + "s"]


def french_forms(stem: str) -> list[str]:
    if stem.endswith("e"):
        return [stem, stem + "s"]
    forms = [stem, stem + "e", stem + "es"] + ([] if stem.endswith(("s", "x")) else [stem + "s"])
    if stem.endswith(("en", "on")):
        forms += [stem + "ne", stem + "nes"]
    return forms


def _parse() -> list[Country]:
    countries = []
    for line in COUNTRIES.strip().splitlines():
        name, french, english, french_words = (part.strip() for part in line.split("|"))
        bare = Country(name, french).french_bare()
        aliases = [w.strip() for w in f"{english},{french_words}".split(",") if w.strip()]
        names = [name, bare, *(w[1:] for w in aliases if w.startswith("*"))]
        english_words = [f for w in english.split(",") if w and not w.startswith("*") for f in english_forms(w)]
        french_inflected = [f for w in french_words.split(",") if w and not w.startswith("*") for f in french_forms(w)]
        countries.append(Country(name, french, tuple(dict.fromkeys([*names, *english_words, *french_inflected])),
                                 tuple(dict.fromkeys(names))))
    return countries


COUNTRY_LIST = _parse()
BY_NAME = {c.name: c for c in COUNTRY_LIST}


def _key(text: str) -> str:
    """Lower case, no accents, hyphens as spaces ("États-Unis" -> "etats unis")."""
    return fold(text).replace("-", " ")


_BY_WORD = {_key(word): country for country in COUNTRY_LIST for word in country.words}
_WORDS = re.compile(r"(?<!\w)(" + "|".join(re.escape(w) for w in sorted(_BY_WORD, key=len, reverse=True)) + r")(?!\w)")


def countries_in(text: str) -> list[Country]:
    """The countries `text` names, by any of their names or demonyms in either language, in order."""
    return list(dict.fromkeys(_BY_WORD[m] for m in _WORDS.findall(_key(text))))


# Each name of a country, in either language, and the one word it is read as: its English name's letters.
_ONE_WORD = {_key(name): re.sub(r"\W", "", country.name.lower()) for country in COUNTRY_LIST for name in country.names}
_NAMES = _ONE_WORD.keys()
# The words a country's name can start with ("the" aside, "us" of "the us" instead): text holding none of them
# names no country (cheaper to tell than to search for every name).
NAME_WORDS = frozenset(re.findall(r"[a-z0-9]+", " ".join(name.split()[0] for name in _NAMES))) - {"the"} | {"us"}
_NAME_PATTERN = re.compile(r"(?<!\w)(" + "|".join(re.escape(w) for w in sorted(_NAMES, key=len, reverse=True))
                           + r")(?!\w)")


def one_word_names(folded: str) -> str:
    """Folded text (lower case, no accents) with each country's name, in either language, as one word of its
    English name ("la russie", "russia" -> "russia"; "les etats unis", "the usa" -> "unitedstates"): what the
    reader's words match across languages."""
    return _NAME_PATTERN.sub(lambda m: _ONE_WORD[m.group(0)], folded.replace("-", " "))


_ARTICLE = re.compile(r"^(?:the|les|la|le|l')\b ?")  # not the start of "Lesotho"


def is_demonym(text: str) -> bool:
    """Whether `text` is one country's nationality ("French", "the Americans", "allemande"), not its name."""
    key = _ARTICLE.sub("", _key(text).strip())
    return key in _BY_WORD and key not in _NAMES


# Before "us" typed in lower case for the United States, not the pronoun ("the us", "did us sign", "and us?"); a
# question opening with it means the country too ("us joined?"). Not "tell us", "let us", "for us".
US_BEFORE = frozenset({"the", "did", "does", "do", "has", "have", "had", "is", "was", "will", "would", "didnt",
                       "didn't", "doesnt", "doesn't", "hasnt", "hasn't", "havent", "haven't", "isnt", "isn't", "wasnt",
                       "wasn't", "and", "or", "vs", "versus"})
_TYPED_US = re.compile(r"(?<![\w'’.-])us(?![\w'’-])", re.IGNORECASE)


def typed_us(text: str) -> str:
    """`text` with each "us" that stands for the United States written "US" ("why didnt the us sign")."""
    def country(match: re.Match[str]) -> str:
        before = text[:match.start()].split()
        return "US" if not before or before[-1].lower() in US_BEFORE else match.group(0)
    return _TYPED_US.sub(country, text)
