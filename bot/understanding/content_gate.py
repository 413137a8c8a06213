"""A second look at a weak alert: is the danger word used on an object, a job or a benefit, not a person?

The danger model reads n-grams, so a violent verb alerts whoever it hits: « j'ai
tué ma plante », « le chien a mordu le canapé », « on frappe à la porte »,
« mon patron m'a viré », « elle touche le RSA », « j'ai des sous pour vivre ? »,
« I want to buy a fridge » (English pronouns read as suicide). In
cross-validation these single-clause errors are most of the false alarms left,
and no threshold separates them from a danger's clause.

This gate reads what the alerting clause is *about*. Each pattern below names a
harmless use of a danger word by its grammar: the verb's target is a thing, a
pest, a document (« tué ma plante », « tape son code »), the knock is at a door,
the fight is for a file, the dismissal is from a job, « toucher » takes a
benefit, « pour vivre » follows money, the English frame is a polite request.
The span is then masked and the clause scored again by the same model; the
alert is vetoed only when what is left no longer reaches its level. So « il m'a
frappée et a tué le chat » or « mon patron m'a viré et m'a frappé » still alert:
their other words carry the danger.

Recall first, so the gate never vetoes:
- an exact expression of the backstop (it reads model alerts only);
- a confident alert (`GATE_CEILING`): the model is rarely that sure and wrong;
- a piece whose other words still read near its level (`GATE_REST_SHARE`);
- anything in a message that says fear or a cry for help (« j'ai peur », « au
  secours »), or names an ex or a partner next to a knock at the door.
"""

from __future__ import annotations

import re
from functools import lru_cache

# An alert at least this sure is never vetoed (see bench/safety_false_alarms.py for the figures).
GATE_CEILING = 0.9
# Vetoed only when what is left reads below this share of the piece's level: the span must explain the
# alert, not merely tip a weak danger over it. A danger joined to a question holding a harmless span
# (« bb seul maison, maman partie. ma mère touche 550 euros de pension… ») was lost at 1.0; three draws
# of bench/safety_false_alarms.py: missed dangers 893 (gate off) -> 895 at 1.0, 893 at 0.75 and 0.5;
# false alarms 1,027 -> 876, 898, 918 of 12,600.
GATE_REST_SHARE = 0.75


def _one_of(*alternatives: str) -> str:
    """A non-capturing group of regex alternatives (kept as lists so that each line stays short)."""
    return "(?:" + "|".join(alternatives) + ")"


def _words_of(text: str) -> str:
    """A group of whole words, given separated by spaces (« tue tuer tuee »)."""
    return _one_of(*text.split())


# Determiners before a thing (folded, elisions glued: « l'ordi » is « lordi »).
_DET = _words_of(
    "le la les l mon ma mes ton ta tes son sa ses notre nos votre vos leur leurs un une des du ce cet cette ces"
    " the my his her our their a an"
)
# Things, pests and documents a violent verb may hit without hurting anyone. No wall, door or table:
# « il tape dans les murs » is a warning of violence at home. No pet: « il a frappé le chien » may be one too.
_THING = "l?" + _one_of(
    r"plantes?|fleurs?|bouquets?|canapes?|coussins?|oreillers?|chaises?|meubles?|placards?|frigos?",
    r"telephones?|tels?|portables?|smartphones?|box|ordis?|ordinateurs?|pc|clavier|ecrans?|teles?|television",
    r"voitures?|motos?|velos?|moteurs?|ballons?|balles?|jouets?|doudous?|peluches?|chaussures?|chaussons?",
    r"pantoufles?|sacs?|cables?|machines?|imprimantes?|tapis|rideaux?|matelas|pelouses?|haies?|arbres?",
    r"legumes?|salades?|tomates?|pates?|gateaux?|sauces?|batteries?|applis?|applications?|jeux?|jeu video",
    r"parties?|niveaux?|zombies?|monstres?|dragons?|moustiques?|mouches?|araignees?|fourmis|cafards?",
    r"guepes?|frelons?|limaces?|puces?|punaises?|mites?|microbes?|virus|papiers?|dossiers?|lettres?",
    r"formulaires?|courriers?|factures?|cahiers?|livres?|clous?|touches?|oeufs?|pains?|piles?",
    r"plant|plants|sofa|couch|phone|computer|laptop|car|ball|toy|toys|mosquito|mosquitoes|fly|flies",
    r"spider|spiders|bugs?|game|printer|keyboard",
)
# A word between the determiner and the thing: only an adjective (« tué ma petite plante »), never « pas ».
_ADJECTIVE = r"(?:petite?s?|grande?s?|vieux|vieilles?|nouvelles?|nouveaux?|belles?|beaux?|pauvres?|old|new|little)"
_VIOLENT = _words_of(
    "tue tuer tuee tues tuees tuent tuait tuais tuerai tuera frappe frapper frappes frappent frappait frappais"
    " tape taper tapes tapent tapait tapais cogne cogner cognent cognait mord mordu mordue mordre mordent mordait"
    " mordille bat bats battu battue battre battent battait griffe griffer killed kill hit bit"
)
_FIGHT = _words_of("bat bats battu battue battus battre battons battent battais")
# A violent verb right after an object pronoun hits a person (« il me frappe avec le téléphone », glued « il
# m'a » is « ma »): not a thing. « je me bats avec mon tel » is a reflexive fight with a thing, kept by "fight".
_PERSON_PRONOUNS = (
    "me m te t nous vous lui la le les l ma ta mas tas mont tont lont leur se s sest him her us them".split()
)
_AIMED_AT_NO_ONE = "".join(rf"(?<!(?<![a-z0-9]){p} )" for p in sorted(set(_PERSON_PRONOUNS)))
# What makes a knock, a fight or a strike harmless.
_KNOCKER = _one_of(
    "on|on a|quelqu un|qqn|quelquun|le facteur|le livreur|le gardien|la gardienne",
    "(?:la|ma|une|notre) voisine|(?:le|mon|un|notre) voisin|les voisins|mes voisins",
    "jai|je|nous avons|someone|somebody",
)
_DOOR = r"(?:a la porte|a ma porte|a notre porte|a la fenetre|chez moi|chez nous|at the door|on the door)"
_KEYS = _words_of("code codes mdp numero identifiant texte message cv adresse nom pin sms mail email password")
_KEYS = _one_of(_KEYS, "mot de passe")
_STRUCK_BY = _one_of(
    "la crise|l ?inflation|la hausse|la pauvrete|la precarite|la tempete|la greve|la reforme|le chomage",
    "la secheresse|la canicule|la foudre|le covid|l ?epidemie|la malchance|le sort|le destin",
)
_STRIKES = _words_of("frappe frappee frappes touche touchee touches")
_FOR_A_FILE = _one_of(
    "pour (?:avoir|obtenir|garder|trouver|toucher|recuperer|faire reconnaitre)",
    "pour (?:mon|ma|mes|un|une|le|la|les|l) ?(?:dossiers?|droits?|logements?|appart|apparts|appartement"
    "|papiers|titre|retraite|aides?|allocations?|travail|boulot|place|places|recours)",
    "(?:avec|contre) (?:la caf|l ?administration|la prefecture|les impots|la banque|la paperasse|les papiers"
    "|mes papiers|mon dossier|le dossier|le proprio|le proprietaire|mon proprio|mon proprietaire)",
    "(?:for|with|against) (?:my|the|a) (?:benefits|file|papers|paperwork|housing|flat|case|rights|application"
    "|landlord|council|bank)",
)
_FIRED = _one_of(
    _words_of("vire virer viree vires virees renvoye renvoyee licencie licenciee licencies fired sacked"),
    "mis a la porte|mise a la porte|laid off",
)
_WORK = _words_of(
    "patron patronne boss chef cheffe employeur employeuse travail boulot taf job stage entreprise boite usine"
    " cdd cdi contrat interim formation employer manager work"
)
_TOUCH = _words_of(
    "touche toucher touchee touches touchent touchait touchais touchera toucherai toucherais touchaient"
    " touchons touchez"
)
_BETWEEN_TOUCH = _words_of("pas plus jamais encore deja bien toujours que rien meme normalement")
_BEFORE_BENEFIT = _words_of("de d le la l les des du mon ma mes son sa ses leur leurs un une ce cette")
_BENEFIT = _one_of(
    "[ld]?"
    + _words_of(
        "rsa apl als caf alloc allocs allocation allocations aah aspa ass are chomage salaire salaires retraite"
        " pension prime primes aide aides bourse bourses argent indemnite indemnites euro euros paje prestation"
        " prestations rente rentes minimum smic cheque cheques virement virements paye paie heritage loyer revenu"
        " revenus complement ars loto rien"
    ),
    r"\d+|france travail|pole emploi|(?:des|de|mes|ses|les|nos|leurs) sous",
)
_MONEY = _one_of(
    _words_of(
        "sous argent thunes fric euro euros ressources revenu revenus budget moyens combien money salaire rsa"
        " aide aides allocation allocations alloc pension retraite chomage"
    ),
    "pas assez|de quoi",
)
_POLITE = _one_of(
    "(?:i|we) (?:want|wanna|would like|d ?like|need|am looking|m ?looking|am trying|m ?trying) (?:to |for )?"
    + _one_of(
        _words_of(
            "buy find know learn book make apply rent register open change contact visit sell ask sign renew pay"
            " print send fix repair cook bake start join enrol enroll knit sew swim dance paint draw study travel"
        ),
        "a person|an appointment",
    ),
    "(?:how|where|when) (?:do|can|could|should) (?:i|we)|(?:can|could|may) (?:i|we) (?:get|have|apply|find|ask|pay)",
    "(?:call|phone|ring) me(?: back)?|i locked myself out|(?:i m ?|im |i am )dying (?:to|for)",
)

# Sleeping at a relative's or a friend's (« je dors chez mon frère ce soir »): a roof, not the street.
_SLEEP = _words_of("dors dort dormons dorment dormir dormirai dormira dormiront dor jdor sleep sleeps sleeping slept")
_HOST = _words_of(
    "frere soeur mere pere parents cousin cousine cousins tante oncle ami amie amis amies copine pote potes mamie"
    " mami papi papy fille fils voisin voisine friend friends mum mom mother dad father sister brother aunt uncle"
    " grandma grandmother grandparents"
)
_HOST = _one_of(_HOST, "grand mere|grands parents|belle mere|beau pere|belle soeur|beau frere")
# « je ne peux plus dormir chez ma sœur », « I can't sleep at my friend's »: the roof is lost, not had.
_NOT_NEGATED = "".join(rf"(?<!(?<![a-z0-9]){w} )" for w in ("plus", "pas", "jamais", "t", "cannot", "longer", "not"))
_AT_HOST = rf"(?:chez|cez|ches|chz|at) (?:(?:mon|ma|mes|un|une|nos|notre|my|her|his|a|their|our) )?{_HOST}(?: s)?"
# Outside for a moment, with a reason that is no danger (« je suis dehors, je vous rappelle »).
_OUTSIDE = r"(?:je suis|suis|jsuis|moi|on est|nous sommes|i m|im|i am|we are|we re) (?:dehors|outside)"
_BENIGN_OUTSIDE = _one_of(
    r"je (?:vous |te )?rappelle|je rappelle|(?:i ll|ill|i will) call|call (?:you )?back|au parc|au jardin",
    r"(?:les|des|mes) courses|il fait beau|on mange|promener|promene|balade|avec le chien|une cigarette",
    r"une clope|at the park|shopping|walking the dog|attendre (?:le )?bus|attends (?:le )?bus|waiting for the bus",
)
# A pet or a thing that sleeps or stays outside (« le chat dort dehors », « la voiture dort au garage »).
_NOT_A_PERSON = _one_of(
    _words_of("chien chienne chat chatte chiot chaton lapin hamster poule poules cheval voiture moto velo linge"),
    _words_of("dog cat puppy kitten car bike"),
)
_STAYS = _words_of("dort dorment dormir reste restent sleeps sleep stays")
# A street as a place, not as having no roof: its name, « en bas de ma rue », « dans notre rue ».
_STREET_PLACE = _one_of(
    r"(?:la |une )?rue (?:de la|de l|du|des|d|de) (?!nouveau\b|depuis\b)\w+",
    r"(?:en bas de|dans|de|au bout de|au coin de) (?:ma|notre|leur|la meme) rue",
    r"(?:bruit|travaux|bout|coin|autre cote) de la rue|traverser la rue|croise (?:\w+ ){1,2}dans la rue",
)
# Figures of speech about tiredness, laughter and chores.
_IDIOM = _one_of(
    r"morte?s? de (?:rire|fatigue|honte|ennui|trouille|chaud)|mourir de rire|meurs de (?:rire|fatigue|chaud)",
    r"(?:ca|cela|ce truc|ce boulot|ce dossier|cette histoire|la paperasse|ces papiers) (?:me|nous) (?:tue|tuent)",
    r"(?:me|se|te) tape (?:tout|toute|tous|toutes) (?:le|la|les) (?:travail|boulot|menage|linge|vaisselle|courses)",
    r"(?:tape|tapent|tapait) sur (?:les|mes|le) (?:nerfs|systeme)|m ?arracher les cheveux|cru mourir (?:quand|en)",
    r"coups? (?:de|d) (?:coussin|coussins|oreiller|oreillers|polochon)",
    r"(?:tape|tapent|frappe|frappent) sur (?:son|sa|ses|un|une|le|la|les) "
    r"(?:tambour|tambours|piano|casseroles?|xylophone)",
    r"frapper avant (?:d entrer|dentrer)",
)
_WEATHER = _one_of(
    r"(?:is it going to|will it|going to|gonna) (?:rain|snow|be sunny|be nice|be warm)",
    r"il va (?:pleuvoir|neiger|faire beau)|il pleut|il fait beau",
)
# A French polite frame (« je veux apprendre à… », « je voudrais ajouter… »), read as despair by its « je veux ».
_FRENCH_POLITE = (
    r"(?:je|j|on|nous) (?:veux|voudrais|souhaite|souhaiterais|aimerais|veut|voudrait|voulons|voudrions) "
    + _one_of(
        _words_of(
            "apprendre ajouter inscrire savoir acheter demander changer emmenager deposer contester ouvrir louer"
            " vendre reserver travailler declarer"
        ),
        r"passer (?:le|mon) permis|prendre (?:un )?rendez vous|vivre ensemble",
    )
)
_TOGETHER = (
    r"vivre ensemble|vivre en couple|(?:de quoi|avec quoi) (?:je vais |on va |vais je |va t on )?vivre|vivre avec quoi"
)
# Sleeping badly or cramped under a roof (« on dort serrés mais on a un toit », « je dors plus à cause du bruit »).
_UNDER_A_ROOF = _one_of(
    r"(?:dort|dorment|dormons|dors|sleep|sleeps) (?:(?:tous|toutes|all) )?(?:dans|in) "
    r"(?:notre|ma|la meme|une seule|one|the same|our|my|un|a) (?:chambre|piece|room|lit|bed|couffin|berceau|cot|crib)",
    r"(?:on a|jai|nous avons|we have|i have) (?:quand meme |encore )?un toit",
)
_SLEEPLESS = _one_of(
    r"(?:dors|dort|dorment|dormons) (?:plus|pas|mal)(?: \w+){0,3} "
    r"(?:(?:a cause|avec) (?:du|de la|des|de mes|le|la|les|ses|mes) (?:bruit|voisins|horaires|travaux|dettes)"
    r"|depuis que j ?ai des dettes)",
    r"(?:arrive pas a|arrivons pas a|arrive plus a|peux plus|peut plus|jpeux plus) dormir (?:avec|a cause)"
    r" (?:le|la|les|du|de la|des|ses|mes) (?:bruit|voisins|horaires|travaux|fete|musique|chaleur)",
)
# (name, pattern): each match is a harmless use of a danger word, masked before the clause is scored again.
HARMLESS: tuple[tuple[str, str], ...] = (
    (
        "thing",
        rf"{_AIMED_AT_NO_ONE}{_VIOLENT} (?:(?:sur|dans|contre|avec|a|on|at|with) )?(?:(?:tous|toutes|all) )?"
        rf"(?:{_DET} )?(?:{_ADJECTIVE} )?{_THING}",
    ),
    ("knock", rf"{_KNOCKER} (?:a )?(?:frappe|frapper|toque|toquer|tape|sonne|knocks?|knocked) {_DOOR}"),
    ("knock", r"(?:frappe|frapper|frappee|frappes|frappons) (?:a|aux) (?:toutes les|les|la bonne|quelle) portes?"),
    ("knock", r"(?:a|aux) (?:quelle|quelles) portes? (?:frapper|taper)"),
    (
        "clap",
        r"(?:frappe|frapper|frappent|frappons|tape|taper|tapent|tapons) (?:dans|des) "
        r"(?:(?:ses|les|mes|tes|nos) )?mains",
    ),
    ("clap", r"(?:tape|tapes|tapent|taper) (?:du pied|des pieds)"),
    ("typing", rf"(?:tape|taper|tapes|tapez|tapent|tapais|tapait) (?:{_DET} )?{_KEYS}"),
    ("struck_by", rf"{_STRUCK_BY}(?: \w+){{0,2}} (?:(?:nous|me|m|les|la|le|l|vous) )?(?:(?:a|ont) )?{_STRIKES}"),
    ("fight", rf"(?:{_FIGHT}|fought|fight|fighting|battling) {_FOR_A_FILE}"),
    ("fight", rf"{_FIGHT} (?:avec|contre) (?:{_DET} )?(?:{_ADJECTIVE} )?{_THING}"),
    ("fired", rf"{_WORK}(?: \w+){{0,3}} {_FIRED}|{_FIRED}(?: \w+){{0,3}} {_WORK}"),
    ("benefit", rf"{_AIMED_AT_NO_ONE}{_TOUCH} (?:{_BETWEEN_TOUCH} )*(?:{_BEFORE_BENEFIT} )*{_BENEFIT}"),
    ("money", rf"{_MONEY}(?: \w+){{0,3}} pour (?:vivre|survivre)"),
    ("polite", _POLITE),
    (
        "sleep_at",
        rf"(?:(?:ce soir|cette nuit|tonight) )?(?:(?:je|j|on|nous|il|elle|i|we|she|he) )?(?:(?:is|am|are|m) )?"
        rf"{_NOT_NEGATED}{_SLEEP} (?:(?:ce soir|cette nuit|ce week end|samedi|dimanche|tonight) )?{_AT_HOST}"
        r"(?: (?:ce soir|cette nuit|ce week end|samedi|dimanche|tonight|on saturday|on sunday))?",
    ),
    ("pet_sleeps", rf"(?:{_DET} )?{_NOT_A_PERSON} {_STAYS}"),
    ("street", _STREET_PLACE),
    ("idiom", _IDIOM),
    ("weather", _WEATHER),
    ("polite", _FRENCH_POLITE),
    ("money", _TOGETHER),
    ("roof", _UNDER_A_ROOF),
    ("sleepless", _SLEEPLESS),
    ("outside", rf"{_OUTSIDE}(?: \w+){{0,4}} {_BENIGN_OUTSIDE}"),
)
_HARMLESS = tuple((name, re.compile(rf"(?<![a-z0-9])(?:{pattern})(?![a-z0-9])")) for name, pattern in HARMLESS)
# Any of these in the message and nothing is vetoed: the person says fear, a threat or a cry for help.
_ALARM = re.compile(
    r"(?<![a-z0-9])(?:peur|au secours|aidez moi|aide moi|a l aide|danger|menace|menacee?|menaces|sos|help me|scared"
    r"|afraid|terrified|terrorisee?|panique|urgence|urgent)(?![a-z0-9])"
)
# A knock is no longer harmless when an ex or a partner is named: « mon ex frappe à ma porte toute la nuit ».
_CLOSE_PERSON = re.compile(
    r"(?<![a-z0-9])(?:ex|mari|epoux|copain|compagnon|conjoint|concubin|pere|beau pere|frere|fils|husband|boyfriend"
    r"|partner|father|brother|son)(?![a-z0-9])"
)


def message_allows_veto(folded: str) -> bool:
    """Whether the whole folded message says nothing of fear or a cry for help (otherwise no veto at all)."""
    return not _ALARM.search(folded)


@lru_cache(maxsize=4096)
def harmless_spans(words: str, *, knock_allowed: bool = True) -> tuple[tuple[int, int], ...]:
    """The (start, end) character spans of `words` (normalised, glued, space-joined) that are harmless uses."""
    spans: list[tuple[int, int]] = []
    for name, pattern in _HARMLESS:
        if name == "knock" and not knock_allowed:
            continue
        spans.extend(match.span() for match in pattern.finditer(words))
    return tuple(sorted(spans))


def knocks_allowed(folded: str) -> bool:
    """Whether a knock at the door may be harmless in this message: no ex, partner or close man named."""
    return not _CLOSE_PERSON.search(folded)


def masked(words: list[str], spans: tuple[tuple[int, int], ...]) -> list[str]:
    """`words` without those inside any of `spans` (character spans of `" ".join(words)`)."""
    kept, position = [], 0
    for word in words:
        start, end = position, position + len(word)
        position = end + 1
        if not any(a <= start and end <= b for a, b in spans):
            kept.append(word)
    return kept
