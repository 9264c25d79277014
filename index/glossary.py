"""A small French-English glossary of the domain, for cross-lingual lexical search, and the domain's concepts
that people and the sources name in different words (`CONCEPTS`).

BM25 cannot match "groupe de travail" with "working group"; the multilingual vectors can, but not always.
A query is expanded with the translations of the glossary terms it contains (both directions), the
classic dictionary-based query translation. Terms are accent-folded and lower-cased.
"""

from __future__ import annotations

import re
import unicodedata

from index.countries import countries_in

FR_EN = {
    "groupe de travail": "working group", "groupes de travail": "working groups", "rapport": "report",
    "etude": "study", "principe": "principle", "principes": "principles", "etats": "states", "etat": "state",
    "pays": "countries", "soutien": "supporter support", "soutiens": "supporters", "soutient": "supports",
    "soutiennent": "support", "soutenaient": "supported", "signataire": "signatory", "signataires": "signatories",
    "entreprise": "company", "entreprises": "companies", "secteur prive": "private sector",
    "societe civile": "civil society", "autorites publiques": "public authorities", "registre": "registry",
    "liste": "listed", "appel": "call", "elections": "elections", "electoral": "electoral",
    "electoraux": "electoral", "ingerence": "interference", "ingerences": "interference",
    "propriete intellectuelle": "intellectual property", "chaine d'approvisionnement": "supply chain",
    "securite": "security", "confiance": "trust", "cyberespace": "cyberspace", "cybersecurite": "cybersecurity",
    "logiciels malveillants": "malicious software malware", "hygiene": "hygiene", "piratage": "hacking",
    "normes": "norms", "droit international": "international law", "nations unies": "united nations",
    "onu": "un united nations", "lancement": "launch", "lance": "launched", "annonce": "announced",
    "rejoint": "joined", "rejoindre": "join", "adhesion": "joining", "union europeenne": "european union",
    "indice": "index", "stabilite": "stability", "cyberstabilite": "cyberstability",
    "multipartite": "multistakeholder", "multi-acteurs": "multistakeholder", "coprésidents": "co-chairs",
    "copresidents": "co-chairs", "coprésident": "co-chair", "copresident": "co-chair", "victimes": "victims",
    "infrastructures critiques": "critical infrastructure", "vulnerabilites": "vulnerabilities",
    "divulgation": "disclosure", "cycle de vie": "lifecycle", "acteurs non etatiques": "non-state actors",
    "recommandations": "recommendations", "facteurs": "factors", "mesures de confiance": "confidence-building measures",
    "forum de paris sur la paix": "paris peace forum", "gouvernance de l'internet": "internet governance",
    "anniversaire": "anniversary", "vice-presidente": "vice president", "president": "president",
    "ministre": "minister", "ministere": "ministry", "affaires etrangeres": "foreign affairs",
    "agences gouvernementales": "government agencies", "organisations": "organizations",
    "premiere fois": "first time", "points": "points", "huit": "eight", "neuf": "nine", "six": "six",
    "annee": "year", "novembre": "november", "declaration": "declaration", "defendre": "defend",
    "proteger": "protect", "protection": "protection", "attaques": "attacks", "cyberattaques": "cyberattacks",
    "menaces": "threats", "espionnage": "espionage", "vol": "theft", "secrets commerciaux": "trade secrets",
    "capacites": "capacity capabilities", "renforcer": "strengthen", "semaine numerique": "digital week",
    "premier": "first", "premiere": "first", "deuxieme": "second", "troisieme": "third", "quatrieme": "fourth",
    "cinquieme": "fifth", "sixieme": "sixth",
}
EN_FR = {}
for _fr, _en in FR_EN.items():
    EN_FR.setdefault(_en, _fr)

# Concepts that people and the sources name in different words: an event's verbs ("who created / started the
# Call" asks who launched it; "who runs / heads / chairs wg5", "qui pilote le gt6", who leads it), what the Call is
# for, what is held against it, whether it binds. Words in both languages, inflected as typed (accent-folded).
# The answer side's tokenizer gives a sentence holding one of them the concept's key ("=launch": not a word,
# `index.lexical.tokenize`); a question keeps the key instead of its own word (`assistant.reading.features.
# question_tokens`), and BM25 also searches the sources' words for it (`CONCEPT_SEARCH`).
# Left out: words with another sense the light stemmer would merge ("found" of "find", the "initiative" that
# names the Call, "à propos", "fonds", "coordination") or everyday ones ("leaders" of the world, "president").
CONCEPTS = {  # key: (English words, French words)
    "launch": ("launch launched launches launching start started starting create created creates creating creation "
               "founded founder unveil unveiled",
               "lancer lance lancee lances lancent lancement creer cree creee crees creation devoiler devoile"),
    "lead": ("lead leads led leading colead coled chair chairs chaired chairing cochair cochairs cochaired "
             "head heads headed run runs ran running",
             "diriger dirige dirigent dirigeait dirigee diriges pilote piloter pilotait pilotent presider preside "
             "presidait presidee copresider copreside copresident copresidents"),
    # what it is for: "what's the point / goal / aim", "c'est quoi le but", "à quoi ça sert"
    "purpose": ("purpose purposes aim aims aimed goal goals objective objectives intended mission",
                "objectif objectifs vise visent viser visant finalite"),
    # what is held against it: "who criticized it", "what's wrong with it", "les critiques" (not "critical" nor
    # "infrastructures critiques", which the light stemmer merges with "critics" and "critiqué": a question's
    # phrase names these)
    "criticism": ("criticism criticisms criticize criticized criticizes criticise criticised criticises pointless "
                  "fluff snubbed platitudes vague skeptical sceptical skeptics sceptics toothless shortcomings",
                  "critiquent reproche reproches reprochent sceptique sceptiques"),
    # whether the Call binds: "is it a treaty / law / mandatory", "est-ce contraignant / obligatoire"
    "binding": ("binding nonbinding treaty enforceable mandatory obligation obligations voluntary",
                "contraignant contraignante contraignants obligatoire obligatoires volontaire"),
}
# What a question says with a phrase rather than one of those words ("who came up with it", "qui est à
# l'origine", "un traité": the noun, not "il traite" of "traiter").
CONCEPT_PHRASES = {
    "launch": re.compile(r"\b(c[ao]mes? up with|whose idea|(who'?s|who is|qui est) behind|(a )?eu l'idee|"
                         r"(est )?a l'origine|(who|qui) (a )?(made|fait))\b"),
    "lead": re.compile(r"\b(in charge|a la tete|responsable)\b"),
    "purpose": re.compile(r"\b(what'?s the point|what is the point|the point of|what (is|was) it for|what for|"
                          r"(trying|try|want|wants|meant|supposed) to (achieve|accomplish|do)|(le|quel est le|son|leur) but|"
                          r"(a|à) quoi (ca |ça |cela |il |elle )?(sert|servait|servent)|(ca|ça|il|elle) sert a quoi|"
                          r"pour quoi faire)\b"),
    "criticism": re.compile(r"\b(critics|(?<!infrastructures )(?<!infrastructure )critiques? (of|de|contre|sur|"
                            r"adressees)|les critiques|(a|ont|avoir|qui|ete|est|sont|etait) critiquee?s?|"
                            r"what'?s wrong|what is wrong|wrong with|any good|downsides?|"
                            r"weak(ness|nesses)?|drawbacks?|problems? with|limits of|limites de|defauts?|"
                            r"points? faibles?|reproches?)\b"),
    "binding": re.compile(r"\b((un|une|le|des|vrai|veritable) traites?|legal force|force (juridique|de loi)|"
                          r"legally|juridiquement|(a|is it|it'?s) law|une loi)\b"),
}
# The words the sources use for each, that a question naming it in other words is also searched with ("who
# runs wg5": "co-chaired", "co-led"); "lance"/"lancé" and "launched" are matched by the glossary.
CONCEPT_SEARCH = {"launch": ("launched launch", "lance lancement"),
                "lead": ("led colead chaired cochaired chair", "dirige copreside preside"),
                "binding": ("binding nonbinding voluntary", "contraignant volontaire"),
                "purpose": ("aims purpose objective goal", "objectif vise but"),
                "criticism": ("pointless fluff snubbed platitudes vague skeptical", "reproche sceptique")}


def fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()


# The collection's own names that hold a place ("Paris Call", "Appel de Paris", "Paris Peace Forum", "Forum de Paris
# sur la Paix"): a question naming one asks about no place by it ("where was the paris call launched": Paris).
PLACE_IN_NAME = re.compile(r"\bparis\s+(?=(?:call|peace forum|digital week)\b)|(?<=\bappel de )paris\b|"
                           r"(?<=\bforum de )paris\b")


def without_places_in_names(text: str) -> str:
    """`text` folded, the place of each of the collection's names that hold one left out ("where was the
    call launched")."""
    return PLACE_IN_NAME.sub("", fold(text))


# Month names in both languages, accent-folded, and their numbers (dates in questions, sentences, leads).
MONTHS = {fold(m): i % 12 + 1 for i, m in enumerate((
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
    "december", "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
    "novembre", "décembre"))}


def _pattern(terms: dict[str, str]) -> re.Pattern[str]:
    keys = sorted((fold(k) for k in terms), key=len, reverse=True)
    return re.compile(r"(?<![\w-])(" + "|".join(re.escape(k) for k in keys) + r")(?![\w-])")


_FOLDED_FR = {fold(k): v for k, v in FR_EN.items()}
_FOLDED_EN = {fold(k): v for k, v in EN_FR.items()}
_FR = _pattern(_FOLDED_FR)
_EN = _pattern(_FOLDED_EN)


def _found(query: str) -> tuple[list[str], list[str]]:
    """(English translations of the French terms in the query, French translations of its English terms)."""
    folded = fold(query)
    return [_FOLDED_FR[m] for m in _FR.findall(folded)], [_FOLDED_EN[m] for m in _EN.findall(folded)]


# Numbered parts of the Call, in any form: "gt6", "GT 6", "groupe de travail 6", "working group 6", "wg #6" are
# the documents' short form "wg6"; "Principle 8", "principe n° 8", "principle #8" are "principle8" (the
# tokenizer drops a lone digit, so "what is principle 8" otherwise matches every principle alike).
# An ordinal before the part names it too ("the 3rd principle", "the sixth principle", "le troisième principe",
# "le 6e groupe de travail"). Two digits are read too: "principle 14" is a part no passage may name.
NUMBERED = re.compile(r"\b(?:(wg|gt|working groups?|groupes? de travail)|(principles?|principes?))\s*"
                      r"(?:no?\.?|n°|#)?\s*(\d{1,2})\b")
ORDINALS = {word: str(n) for n, words in enumerate((
    "first 1st premier 1er", "second 2nd deuxieme 2e 2eme", "third 3rd troisieme 3e 3eme",
    "fourth 4th quatrieme 4e 4eme", "fifth 5th cinquieme 5e 5eme", "sixth 6th sixieme 6e 6eme",
    "seventh 7th septieme 7e 7eme", "eighth 8th huitieme 8e 8eme", "ninth 9th neuvieme 9e 9eme"), start=1)
    for word in words.split()}
ORDINAL_PART = re.compile(r"\b(" + "|".join(ORDINALS) + r")\s+(?:(working groups?|groupes? de travail)|"
                          r"(principles?|principes?))\b")


def numbered_parts(text: str) -> list[str]:
    """The working groups and principles a text names, as one key each ("wg6", "principle8"), in the order
    of the text."""
    folded = fold(text)
    found = [(m.start(), ("wg" if m.group(1) else "principle") + m.group(3)) for m in NUMBERED.finditer(folded)]
    found += [(m.start(), ("wg" if m.group(2) else "principle") + ORDINALS[m.group(1)])
              for m in ORDINAL_PART.finditer(folded)]
    return list(dict.fromkeys(key for _, key in sorted(found)))


def translate(query: str) -> dict[str, str]:
    """The glossary terms found in the query, by the language they are translated into: {"en": translations
    of its French terms, "fr": translations of its English terms}; a working group named in any form is
    added to both in the documents' short form, and a country named in any form (name or demonym, either
    language) by its name in each language ("indiens" -> "India" / "Inde"; its demonyms too measured worse:
    "français" -> "french" matches most English passages)."""
    into_en, into_fr = _found(query)
    groups = numbered_parts(query)
    countries = countries_in(query)
    into_en += [c.name for c in countries]
    into_fr += [c.french_bare() for c in countries]
    return {"en": " ".join(dict.fromkeys(into_en + groups)), "fr": " ".join(dict.fromkeys(into_fr + groups))}


def translations(query: str) -> str:
    """The translations (into the other language) of the glossary terms found in the query."""
    into_en, into_fr = _found(query)
    return " ".join(dict.fromkeys(into_en + into_fr))
