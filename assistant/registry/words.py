"""The words of supporter questions, in English and French: categories, natures, the registry's own
vocabulary, question words, and what marks a question about something else than the registry.

Everything here is written as people type it; `assistant.registry.query` folds accents and case before
matching, so "etats-unis", "États-Unis" and "ETATS UNIS" are one phrase. Labels (for answers) keep
their accents.
"""

from __future__ import annotations

# The registry's categories: the words that ask for them, and how answers name them.
CATEGORY_WORDS = {
    "state": "state states country countries government governments govt govts nation nations "
             "etat etats pays gouvernement gouvernements|state supporters|member states|national governments",
    "private-sector": "company companies firm firms business businesses corporation corporations corporate "
                      "enterprise enterprises entreprise entreprises societe societes boite boites industry "
                      "industriels multinational multinationals multinationales startup startups private prive "
                      "privee privees prives|private sector|secteur prive|private companies|start ups",
    "civil-society": "ngo ngos ong osc nonprofit nonprofits csos|civil society|societe civile|non profit|"
                     "non profits|non governmental organisations|non governmental organizations|"
                     "organisations de la societe civile|civil society organisations|civil society organizations",
    "public-authority": "authorities administrations|public authority|public authorities|public institutions|"
                        "public sector|autorite publique|autorites publiques|secteur public|pouvoirs publics",
}
CATEGORY_LABELS = {  # (singular, plural) nouns for counts and lists
    "state": {"en": ("state", "states"), "fr": ("État", "États")},
    "private-sector": {"en": ("private-sector supporter", "private-sector supporters"),
                       "fr": ("soutien du secteur privé", "soutiens du secteur privé")},
    "civil-society": {"en": ("civil-society supporter", "civil-society supporters"),
                      "fr": ("soutien de la société civile", "soutiens de la société civile")},
    "public-authority": {"en": ("public authority", "public authorities"),
                         "fr": ("autorité publique", "autorités publiques")},
    "": {"en": ("supporter with no category", "supporters with no category"),
         "fr": ("soutien sans catégorie", "soutiens sans catégorie")},
    None: {"en": ("supporter", "supporters"), "fr": ("soutien", "soutiens")},
}
CATEGORY_NAMES = {  # a category as a name, in breakdowns ("private sector 8, civil society 5")
    "state": {"en": "state", "fr": "État"}, "private-sector": {"en": "private sector", "fr": "secteur privé"},
    "civil-society": {"en": "civil society", "fr": "société civile"},
    "public-authority": {"en": "public authority", "fr": "autorité publique"},
    "": {"en": "no category", "fr": "sans catégorie"},
}
BLANK_CATEGORY = ("|no category|without a category|without category|uncategorised|uncategorized|blank category|"
                  "empty category|missing category|sans categorie|pas de categorie|categorie vide|"
                  "aucune categorie|categorie manquante")
BLANK_COUNTRY = ("|no country|without a country|without country|blank country|empty country|missing country|"
                 "sans pays|pas de pays|aucun pays|pays vide|pays manquant|no country given")

# Natures (the registry's `nature` column, in French): the canonical values (accent- and case-folded),
# the words that ask for them, and the labels (singular, plural) in each language.
NATURES = {
    "entreprise": ("|nature entreprise", ("company", "companies"), ("entreprise", "entreprises")),
    "universite": ("university universities universite universites univ|academic institutions",
                   ("university", "universities"), ("université", "universités")),
    "think tank": ("|think tank|think tanks|groupe de reflexion|groupes de reflexion|thinktank|thinktanks",
                   ("think tank", "think tanks"), ("think tank", "think tanks")),
    "fondation": ("foundation foundations fondation fondations", ("foundation", "foundations"),
                  ("fondation", "fondations")),
    "association professionnelle": ("|professional association|professional associations|trade association|"
                                    "trade associations|industry association|industry associations|"
                                    "business association|business associations|trade bodies|trade body|"
                                    "association professionnelle|associations professionnelles",
                                    ("professional association", "professional associations"),
                                    ("association professionnelle", "associations professionnelles")),
    "organisation a but non lucratif": ("|non profit organisation|non profit organisations|non profit organization|"
                                        "non profit organizations|nonprofit organisations|nonprofit organizations|"
                                        "organisation a but non lucratif|organisations a but non lucratif|"
                                        "organismes a but non lucratif|organisme a but non lucratif",
                                        ("non-profit organisation", "non-profit organisations"),
                                        ("organisation à but non lucratif", "organisations à but non lucratif")),
    "association": ("association associations asso assos", ("association", "associations"),
                    ("association", "associations")),
    "chambre de commerce": ("cci|chamber of commerce|chambers of commerce|chambre de commerce|chambres de commerce",
                            ("chamber of commerce", "chambers of commerce"),
                            ("chambre de commerce", "chambres de commerce")),
    "ue": ("|eu member state|eu member states|eu member countries|eu countries|eu states|eu members|"
           "member states of the eu|member states of the european union|european union member states|"
           "etats membres de l ue|etats membres de l union europeenne|pays de l ue|pays membres de l ue|"
           "pays de l union europeenne|membres de l ue|pays membres de l union europeenne",
           ("EU member state", "EU member states"), ("État membre de l'UE", "États membres de l'UE")),
    "ong": ("|nature ong|nature ngo", ("NGO", "NGOs"), ("ONG", "ONG")),
    "centre de recherche": ("|research centre|research centres|research center|research centers|research institute|"
                            "research institutes|centre de recherche|centres de recherche|laboratoires|"
                            "instituts de recherche|institut de recherche",
                            ("research centre", "research centres"), ("centre de recherche", "centres de recherche")),
    "collectivite locale": ("city cities municipality municipalities town towns ville villes municipalite "
                            "municipalites communes collectivites|local authority|local authorities|"
                            "local government|local governments|collectivite locale|collectivites locales|"
                            "collectivites territoriales|collectivite territoriale",
                            ("local authority", "local authorities"), ("collectivité locale", "collectivités locales")),
    "federation": ("federation federations", ("federation", "federations"), ("fédération", "fédérations")),
    "etat federe": ("|federated state|federated states|federal states|us states|american states|states of the us|"
                    "etat federe|etats federes|etats americains|states in the us|us state",
                    ("federated state", "federated states"), ("État fédéré", "États fédérés")),
    "forum": ("forum forums", ("forum", "forums"), ("forum", "forums")),
    "operateur": ("operator operators operateur operateurs", ("operator", "operators"), ("opérateur", "opérateurs")),
    "autorite independante": ("regulator regulators|independent authority|independent authorities|"
                              "autorite independante|autorites independantes",
                              ("independent authority", "independent authorities"),
                              ("autorité indépendante", "autorités indépendantes")),
    "organisme public": ("|public body|public bodies|organisme public|organismes publics",
                         ("public body", "public bodies"), ("organisme public", "organismes publics")),
    "ecole": ("school schools ecole ecoles", ("school", "schools"), ("école", "écoles")),
    "agence": ("agency agencies agence agences", ("agency", "agencies"), ("agence", "agences")),
    "organisation internationale": ("|international organisation|international organisations|"
                                    "international organization|international organizations|"
                                    "organisation internationale|organisations internationales",
                                    ("international organisation", "international organisations"),
                                    ("organisation internationale", "organisations internationales")),
    "groupement d'interet public": ("gip|groupement d interet public|groupements d interet public",
                                    ("public interest group", "public interest groups"),
                                    ("groupement d'intérêt public", "groupements d'intérêt public")),
    "commission consultative": ("|advisory commission|advisory committee|advisory board|commission consultative",
                                ("advisory commission", "advisory commissions"),
                                ("commission consultative", "commissions consultatives")),
    "centre d'excellence": ("|centre of excellence|centres of excellence|center of excellence|centre d excellence",
                            ("centre of excellence", "centres of excellence"),
                            ("centre d'excellence", "centres d'excellence")),
    "academie": ("academy academies academie academies", ("academy", "academies"), ("académie", "académies")),
}
NATURE_ALIASES = {"international organization": "organisation internationale"}  # same nature, other spelling

# The registry and the Call themselves.
REGISTRY_WORDS = ("supporter supporters support supports supported supporting backer backers back backs backed "
                  "backing signatory signatories sign signs signed signing signer signers endorse endorses "
                  "endorsed endorsing endorsement endorser endorsers join joins joined joining member members "
                  "membership registry register registered list listed listing lists entries entry rows "
                  "participant participants adherent adherents adherent adherents onboard "
                  "soutien soutiens soutient soutiennent soutenu soutenue soutenus soutenues soutenir soutenait "
                  "signataire signataires signe signee signes signees signer signent signé adhere adherent "
                  "adherents adhesion adhere registre liste listes liste listee listes listees inscrit inscrite "
                  "inscrits inscrites inscription figure figurent figurer figurait rejoint rejoindre rejoins "
                  "rejoignent membre membres entree entrees partenaire partenaires added add adds adding ajoute "
                  "ajoutes ajoutee ajoutees ajouter included inclus incluse|on board|part of|"
                  "signed up|sign up|signed on|sign on|fait partie|font partie|faire partie|on the list|"
                  "sur la liste|dans la liste|dans le registre|in the registry|listed since|listed_since|"
                  "signed onto|a signe|ont signe|ont rejoint|a rejoint")
# The registry's words that name who signs (not the signing): "when did supporters sign" asks the registry,
# "when was the Paris Call signed" the documents.
SIGNER_WORDS = ("supporter supporters backer backers signatory signatories signer signers endorser endorsers member "
                "members participant participants adherent adherents soutien soutiens signataire signataires "
                "membre membres partenaire partenaires")
PLACE_PREPOSITIONS = "from in de du des en au aux d"  # before a country: where supporters are ("from Brazil")
ARTICLES = "the l la le les"
CALL_WORDS = ("call appel pca|paris call|the paris call|appel de paris|l appel de paris|l appel|the call|"
              "paris call for trust and security in cyberspace|trust and security in cyberspace|"
              "appel de paris pour la confiance et la securite dans le cyberespace|cyberspace cyberespace")
GENERIC_WORDS = ("organisation organisations organization organizations orgs org orga orgas entity "
                 "entities entites entite "
                 "actor actors acteurs acteur institution institutions structures structure bodies body "
                 "players organismes organisme one ones people groups group name names")
STOP_WORDS = (
    "the a an of to in on at for by with as from is are was were be been being am has have had do does did done "
    "it its it's they them their theirs this that these those there here any some all ever already actually "
    "really still currently now today yet also too just only exactly please pls plz tell me know you your i "
    "my we can could would will should get got ok okay so well hey hi hmm then right r u ur w and or not no "
    "yes else other officially formally about among amongst between based located registered headquartered "
    "within inside into out up over under per each every both either kind type sort mean means meant "
    "again anymore anyway btw like whether if total overall altogether number many much more "
    "le la les l un une des de du d au aux a à en dans sur pour par avec chez est sont etait ete etre ce c ca "
    "cet cette ces il elle ils elles on y qui que qu quoi ou pas ne n oui non bien deja encore toujours "
    "actuellement aujourd hui maintenant aussi seulement juste exactement svp stp moi me m je j tu vous nous "
    "mon ma mes son sa ses leur leurs peux peut pouvez dis dites donne donnez montre fait faire fini finalement "
    "parmi entre t s basee basees bases base situe situes situees originaire originaires provenant venant "
    "issus issues alors donc bon ben et mais puis ensuite enfin vraiment quelque quelques tous toutes tout "
    "toute nombre au total en tout actuel actuelle officiellement finally eventually end ended up "
    "et-ce est-ce combien y-a-t-il il y a ya there are there is cest c'est sait savoir voudrais aimerais "
    "besoin need want would like i'd let see show give find gimme wanna marked tagged labelled labeled recorded "
    "coded shown identified appear appears appeared apparait apparaissent ont avoir date dates partie parties "
    "first premiere premier fois lol thx thanks merci btw idk wow haha ya yeah yep nope ok okay cool guys please "
    "quick question questions quickly currently presently officially actually after before until from between "
    "apres avant jusqu jusque entre later earlier compte comptent compter recense recensent contient contiennent "
    "comporte comportent contain contains containing include includes including feature features hold holds "
    "according selon far yet now nowadays currently date moment instant ici"
    "|so far|to date|until now|up to now|as of now|as of today|right now|jusqu ici|a ce jour|pour l instant|"
    "pour le moment|a l heure actuelle|en ce moment|a present"
    "|y a t il|il y a|y a il|y at il"
)
QUALIFIERS = ("tech technology digital cyber cybersecurity big large major main biggest largest important "
              "famous known key small little grand grands grande grandes gros grosse grosses petite petites "
              "petits principales principaux numerique numeriques technologiques informatique")

# Question words: what is asked.
COUNT_WORDS = "|how many|how much|number of|count|total number|combien|nombre de|nombre d|nb|quantity|how many of"
LIST_WORDS = ("which what who name names show give quels quelles quel quelle lesquels lesquelles lequel "
              "laquelle lister nomme nommer citer cite enumere enumerer|give me|who are|what are|list the|list all|"
              "list every|list them|list those|list some|a list of|the list of|full list|complete list|"
              "which ones|c est qui|ce sont qui|qui sont|liste des|la liste des|liste les|liste moi|donne la liste|"
              "liste complete|une liste")
SINCE_WORDS = ("when since depuis|since when|what date|which date|what year|which year|quand|depuis quand|quelle date|"
               "en quelle annee|quelle annee|date d adhesion|date d inscription|joining date|join date|"
               "date of joining|listing date|date de signature|a quelle date|since what date|how long")
TOP_WORDS = "most|the most|le plus|les plus|le plus de|top|biggest number|highest number|majority|plus grand nombre"
TOP_BY = {"country": "per country|by country|each country|every country|in each country|country by country|"
                     "par pays|chaque pays|pays par pays|dans chaque pays|breakdown by country|repartition par pays",
          "category": "per category|by category|each category|par categorie|chaque categorie|breakdown by category|"
                      "repartition par categorie|categorie par categorie"}
LATEST_WORDS = ("latest|most recent|most recently|newest|last|recent|recently|derniers|dernieres|dernier|"
                "derniere|plus recents|plus recentes|recemment|nouveaux|new|newly")
ATTRIBUTE_WORDS = "category categorie categories nature country pays kind type where classe classed classified"
FOLLOW_WORDS = ("and|what about|how about|and what about|et|et pour|et en|et dans|et les|also|aussi|ok so|so|alors|"
                "same for|pareil pour|idem pour|meme chose pour|and for")
BACK_REFERENCES = ("they them those these it its their il elle ils elles eux ceux celles lesquels lesquelles "
                   "ceux-ci celles-ci dedans|of those|of them|parmi eux|parmi elles|d entre eux|d entre elles|"
                   "in that|in this|in that group|in this group|that group|this group|that one|this one|in there|"
                   "ce groupe|cette organisation|cet organisme|dans ce|dans cette|the same")

# A question about the past, about what a source says, about reasons or about other things than the
# registry's content goes to the passages (checked on the accent-folded question).
# The launch and the years before the registry's history: how things stood then is the documents' to tell.
AT_LAUNCH = (r"at (its |the )?(launch|start|beginning|outset)|initially|originally|at first|in 2018|en 2018|"
             r"lors du lancement|au lancement|au depart|au debut|a l'origine|a l origine|initialement|"
             r"des (le|son) (lancement|depart|debut)|from the (start|outset|beginning|launch)|right away|"
             r"by (early |mid |late |the end of )?(19|20)\d\d|(fin|debut|mi) (19|20)\d\d")
NOT_REGISTRY = (
    r"\b(" + AT_LAUNCH + r"|"
    r"according to(?! the (supporters )?(registry|list))|selon(?! le registre| la liste)|d'apres(?! le registre)|"
    r"quoted|cited by|cite par|cites|mentions?|mentioned|says?|said|saying|dit|disent|declare[sd]?|tweet\w*|"
    r"announc\w*|annonce\w*|report(s|ed)?|rapports?|articles?|press|presse|news|blog|statements?|"
    r"case stud\w*|principles?|principes?|working groups?|groupes? de travail|wg ?\d|gt ?\d|co-?chair\w*|"
    r"copresid\w*|co-?l[ea]d\w*|co-?pilot\w*|why|pourquoi|pk|how did|reasons?|raisons?|commitments?|"
    r"engagements?|roles?|vot(e|es|ed|ing)|refus\w*|declin\w*|convinc\w*|persuad\w*|"
    r"(org|organi[sz]ation|company|firm|group|groupe|asso|association|entreprise|societe|boite|institute|institut|"
    r"entity|entite|structure|one|body|initiative|coalition|alliance|campaign|campagne|project|projet) "
    r"(that|which|who|whose|qui|dont|que)|fonde[es]*|fondat\w*|founded|founders?|created|creators?|"
    r"wrote|written|writes|authors?|auteurs?|ecrit\w*|piece|op-ed|tribune|interview\w*|entretiens?|podcasts?|"
    r"speech\w*|discours|fund\w*|financ\w*|budgets?|costs?|paid|pays for|money|argent|couts?|coute|salar\w*|"
    r"employ\w*|staff|personnel|the only|only one|le seul|la seule|les seul(e)?s|criti\w*|"
    # who came first: the registry's history starts a year after the launch, its order is alphabetical
    r"(sign\w*|join\w*|back\w*|endors\w*|support\w*) (it |the (paris )?call )?first|"
    r"first (ones?|to|signator\w*|signers?|supporters?|backers?|members?|countries|states|compan\w*)|"
    r"(founding|original|initial|earliest) (signator\w*|signers?|supporters?|backers?|members?)|"
    r"premier(e)?s? (signataires?|soutiens?|a (signer|rejoindre|soutenir)|pays|etats|entreprises)|"
    r"(signe|rejoint|soutenu) en premier|"
    # who may take part ("les mairies peuvent soutenir l'appel ?", "can a city sign"): eligibility, not the rows
    r"(can|could|may|peut|peux|peuvent|pourrai\w*)\W+(\w+\W+){0,3}(sign|join|support|become|soutenir|signer|"
    r"rejoindre|adherer|devenir)|"
    # how to take part, what the Call asks of its supporters, and its "hack back" (not "back" as support): the
    # documents' turf
    r"how (do|can|could|should|would|may) (i|we|you|one|my|our|a|an)|how to|hack(ing|s)?[- ]?back|"
    r"comment (je|j|on|nous|faire|rejoindre|signer|adherer|devenir|participer|puis|peut|peux|pouvons|s'inscrire)|"
    r"(call|appel|declaration|it) (want|ask|expect|urge|encourage|require|demand)\w*|"
    # what a supporter wants from the Call or does for it ("what does france want from the call"): its views and
    # deeds, not its row
    r"(want\w*|expect\w*|hop(e|es|ed|ing)|get|gets|got|gain\w*|do|does|did|done|doing|bring\w*|brought|"
    r"contribut\w*) (from|for|to|with|out of|about) (the |this )?(paris )?(call|appel|it)|"
    r"(attend\w*|esper\w*|apport\w*|fait|font|faire) (de |a |pour |avec )?(l'|l |cet )?appel|"
    r"(veut|demande|attend|exige|encourage)\w* (l'|l |la )?(appel|declaration)|"
    # what a supporter thinks, and how it acts ("did access now think civil society should just sign", "comment
    # la gcsc compte soutenir l'appel"): its views and ways, not its row ("how many", "how long" are the registry's)
    r"think(?!\W*tanks?\b)\w*|thought|believ\w*|opinions?|views?|pens(e|es|ent|ait|aient)|croi(t|ent|yait|yaient)|avis|"
    r"^\W*how (do|does|will|would|is|are|was|were|has|have)\b|^\W*comment (?!s'appel|s appel)\w+)\b"
)

# Signing, joining, being listed: what a year of listing dates ("how many states joined in 2022"). Without one,
# "how many supporters in 2021", "combien d'etats soutiennent l'appel en 2021" ask for a total as of that year.
JOINING = (r"\b(join\w*|sign(ed|s|ing)?|added|adding|add|listed|listing|listed_since|became|become|new|newly|"
           r"rejoin\w*|rejoint\w*|signe[es]?|adher\w*|inscri\w*|ajout\w*|arriv\w*|nouveaux|nouvelles?|"
           r"entrees?|dates?)\b")
