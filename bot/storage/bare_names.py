"""Names written bare, with no punctuation or capitals to help: the cues `redact` alone misses.

`bot.storage.redact` catches the textbook introductions (« je m'appelle »,
« mon nom est », « Mme Le Goff »). Residents type faster than that:
« moi c Jordan », « c moi Jordan », « mme kerbrat », « Mme KERBRAT »,
« Monsieur le Gall », « Nom : Le Gall », « merci, Kevin Le Gall »,
« my name's Aisha ». Each pattern here has an ``intro`` group (kept) and a
``name`` group (replaced by the name tag); `redact` runs them after its own
name rules and spares the knowledge base's places (« moi c Pontanézen »
keeps its quartier).

Ordinary words must survive: a lowercase word after a title is a name only
when it is not a function word (« Madame la directrice », « bonjour madame
je voudrais » stay), and the weak cues (« moi c », « merci ») want a name as
people write it, a capital then lowercase letters, so « CAF » or « RSA » are
never taken for one. Typed all in lowercase (« moi c'est fatima », « je suis
fatima »), a name is known by the list of first names (`bot.storage.first_names`),
which also keeps a state typed with a capital and no accent (« Je suis Fatigue »)
from being taken for one, unless it is a first name too (« Marie »).

Self-contained on purpose: `redact` imports it, it imports nothing of `redact`.
"""

from __future__ import annotations

import re
import unicodedata

from bot.storage.first_names import FIRST_NAMES, fold_name, spellings
from bot.storage.ordinary_words import ORDINARY_WORD

_APOS = r"['’ʼ`]"
# A name as people write it: capital then lowercase ("RSA", "CAF" are acronyms, not names).
_CAP = r"[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ][\w'’\-]*"
# After a title, a surname in capitals is a name too ("Mme KERBRAT"): nobody writes "Mme CAF".
_CAP_OR_UPPER = r"(?:" + _CAP + r"|[A-ZÀ-ÖØ-Þ]{2,}(?:-[A-ZÀ-ÖØ-Þ]{2,})?\b)"
_PARTICLE = r"(?:(?i:le|la|de|du|des|van|ben|el|al|d" + _APOS + r")\s*)"
# A surname's particles, one or two (« le gall », « de la fontaine », « d'arvor », « van der berg »).
# A space must follow a particle, or « demande » would read « de mande ».
_PARTICLES = r"(?:(?i:de\s+la|van\s+de[nr]?|le|la|de|du|van|von|ben|bin|el|al)\s+|(?i:de\s+l|d|l)" + _APOS + r"\s*)"
# A word that goes on with the message (« urgent », « rsa », « Urgent » capitalised by a phone) is no surname.
_NOT_ORDINARY = r"(?!(?i:" + ORDINARY_WORD + r"))"

# Words that follow a title or a label without being a name: articles, pronouns, greetings.
_FUNCTION_WORDS = (
    "la le les l de du des d un une et ou est a à au aux je j tu il elle on nous vous ils elles "
    "mon ma mes ton ta tes son sa ses votre vos notre nos ce cet cette ces qui que quoi quand comment "
    "pourquoi bonjour bonsoir merci svp stp s il si ne pas oui non pour par avec sur dans chez en y "
    "me te se m t s c ça ca cest c'est voila voilà alors excusez pardon désolé desole "
    "maire directrice directeur docteur assistante assistant sociale social juge conseillère conseiller "
    # Capitalised by phones that capitalise every word: « Merci Beaucoup », « Bien à vous, Cordialement ».
    "beaucoup bien infiniment encore avance moi rien cordialement bonne journée journee soirée soiree "
    "tous toutes toi aussi même meme"
)


def _one_of(words: str, *, accentless: bool = True) -> str:
    """An alternation of `words` (space-separated), longest first, also as typed without accents.

    Longest first so that « désolée » is not cut at « désolé »; residents' phones often drop accents.
    `accentless=False` keeps only the forms as written, for lists whose accentless forms are first
    names (« marié » → « Marie »).
    """
    forms = set(words.split())
    if accentless:
        forms |= {_without_accents(w) for w in forms}
    return r"(?:" + "|".join(re.escape(w) for w in sorted(forms, key=len, reverse=True)) + r")"


def _without_accents(word: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFD", word) if not unicodedata.combining(ch))


def _inflected(stems: str) -> str:
    """`stems` with their feminine and plural forms (« seul » → seule, seuls, seules; « algérien » → algérienne).

    Over-generating is harmless here: the forms only keep words from being taken for a name.
    """
    forms: list[str] = []
    for stem in stems.split():
        forms += [stem, stem + "e", stem + "s", stem + "es"]
        if stem.endswith(("ien", "en", "on")):
            forms += [stem + "ne", stem + "nes"]
        if stem.endswith("eux"):
            forms += [stem[:-1] + "se", stem[:-1] + "ses"]
        if stem.endswith("eur"):
            forms += [stem[:-1] + "se", stem[:-3] + "rice"]
        if stem.endswith("if"):
            forms += [stem[:-1] + "ve", stem[:-1] + "ves"]
        if stem.endswith("er"):
            forms += [stem[:-2] + "ère", stem[:-2] + "ères"]
    return " ".join(forms)


_NOT_A_NAME = r"(?!" + _one_of(_FUNCTION_WORDS) + r"\b)"

# What follows « je suis » without being a name, even capitalised by a phone that capitalises
# every word (« Je Suis Malade »): a state, a situation, a role in the family, a nationality.
_STATES = _inflected(
    "malade enceinte seul perdu inquiet fatigué épuisé désespéré triste content heureux pressé désolé "
    "handicapé invalide sourd aveugle malvoyant blessé hospitalisé enceint dépressif stressé "
    "maman papa mère père parent grand-mère grand-père mamie papi veuf veuve divorcé séparé marié "
    "pacsé célibataire enfant mineur majeur jeune vieux âgé retraité étudiant lycéen apprenti "
    "salarié chômeur demandeur intérimaire travailleur auto-entrepreneur artisan bénévole aidant "
    "locataire propriétaire hébergé expulsé sans sdf réfugié exilé étranger immigré migrant débouté "
    "régularisé arrivé venu allé parti rentré sorti né nouveau nouvelle victime obligé bloqué radié "
    "français algérien marocain tunisien sénégalais malien guinéen ivoirien congolais camerounais "
    "comorien mauritanien turc kurde afghan syrien irakien iranien soudanais érythréen éthiopien "
    "somalien tchétchène russe ukrainien géorgien arménien albanais kosovar roumain bulgare "
    "portugais espagnol italien anglais allemand polonais brésilien colombien haïtien chinois "
    "vietnamien européen africain maghrébin breton brestois finistérien brest "
    "là ici très trop vraiment toujours déjà pas plus jamais encore actuellement bientôt bien mal "
    "vraiment sûr certain prêt ok d'accord dehors dehor mort reconnu interdit inscrit tout toute sous "
    "tombé crevé fiché caché guéri suivi passé assuré couvert remboursé déprimé logé payé frappé battu "
    "rétabli remarié dépassé couché harcelé monté licencié découragé convoqué devenu clandestin adulte "
    "bipolaire schizophrène diabétique épileptique malentendant calme libre vieille lasse ko clean gay "
    "moins complètement souvent devant rue aide voisin conjoint employé intermittent saisonnier "
    "médecin chef responsable patron gérant prof journaliste avocat agent femme homme fille garçon fils "
    "relais "
    # A belief or an origin said of oneself is no name either (« je suis Musulmane », « Je suis Noir »).
    "musulman chrétien catholique protestant orthodoxe juif bouddhiste hindou athée croyant pratiquant "
    "noir blanc métis arabe berbère kabyle gitan tsigane rom"
)
# Offices people say they are « at » (« je suis France Travail depuis mars » = registered there).
_OFFICES = r"(?:France\s+Travail|P[ôo]le\s+Emploi|Mission\s+Locale|Cap\s+Emploi|France\s+Services)\b"
# Endings no first name has: a worker (« Infirmière », « Aide-soignante »), a state (« Invalides »).
# Three letters at least before the ending, so that short names ending so (« Claire », « Fleur »,
# « Olive », « Marie-Claire ») are still names.
_NO_NAME_ENDING = (
    r"[\w'’\-]*[^\W\d_]{3}(?:ant|ante|ants|antes|eur|eurs|euse|euses|trice|trices|ière|ières|iere|ieres"
    r"|aire|aires|ible|ibles|able|ables|ive|ives|és|ées|ees)\b"
)


def _states_as_typed(states: str) -> str:
    """The states as written and typed without their accents (« Fatigue », « Epuisee »), except the
    accentless forms that are first names: « Marie » is far more often a first name than « marié »
    written with a capital and no accent, and a name must not leak (`bot.storage.first_names`)."""
    forms = states.split()
    accentless = {_without_accents(w) for w in forms} - set(forms)
    return " ".join(forms + sorted(w for w in accentless if fold_name(w) not in FIRST_NAMES))


_NOT_A_STATE = (
    r"(?!" + _one_of(_states_as_typed(_STATES), accentless=False) + r"\b|" + _NO_NAME_ENDING + r"|" + _OFFICES + r")"
)
_LOWER_WORD = r"[a-zà-öø-ÿ][a-zà-öø-ÿ'’\-]{1,}"

# Titles are no names: « merci Madame » keeps its word, « moi c Mme Kerbrat » loses only the surname.
_NO_TITLE = r"(?!(?:Madame|Monsieur|Mme|Mlle|Mademoiselle|Mr|M)\b)"


def _cued_name(
    intro: str, surname: str, *, words: str = "", tail: str = "", not_a_name: str = _NOT_A_NAME
) -> re.Pattern[str]:
    """A weak cue, then one capitalised first name and maybe a surname (a title or a function word is none).

    The weak cues differ only in their intro, the surname form they accept, how many names may
    follow (`words`, a quantifier), what must come after (`tail`, a lookahead) and which words
    are no names after them (`not_a_name`): one builder keeps the title and function-word guards
    the same for all of them. The surname is guarded too: « Je suis Kevin Je voudrais » keeps « Je ».
    """
    one_name = (
        r"\s+" + _NO_TITLE + r"(?i:" + not_a_name + r")" + _CAP
        + r"(?:\s+" + _PARTICLE + r"?(?i:" + _NOT_A_NAME + r")" + _NOT_ORDINARY + surname + r")?"
    )  # fmt: skip
    return re.compile(r"\b(?P<intro>(?i:" + intro + r"))(?P<name>(?:" + one_name + r")" + words + r")" + tail)


# « moi c Jordan », « moi cé Jordan », « c moi Jordan », « c'est moi Jordan », « my name's Aisha ».
_WEAK_INTRO = _cued_name(
    r"moi\s+(?:c|c[ée]|s[ée])|c\s+moi|c\s*" + _APOS + r"?\s*est\s+moi|my\s+name\s*" + _APOS + r"\s*s|i\s+am\s+called",
    _CAP,
    words="{1,2}",
)
# A signature at the very end: « merci, Kevin Le Gall » (« merci Madame » and « merci la CAF » stay).
_THANKS_SIGNATURE = _cued_name(
    r"merci(?:\s+beaucoup)?\s*,?|bien\s+[àa]\s+vous\s*,?", _CAP_OR_UPPER, tail=r"(?=\s*[.!]*\s*$)"
)
# « je suis Jordan », « Je suis Jordan Le Bihan », « chui Kevin »: a capital after « je suis » is a name,
# unless it is a state or a situation (« je suis malade », « Je Suis Enceinte », « je suis Française »).
_JE_SUIS = _cued_name(
    r"je\s+suis|j\s*" + _APOS + r"?\s*suis|jsuis|ch?uis|chui",
    _CAP,
    not_a_name=_NOT_A_NAME + _NOT_A_STATE,
)

# Said after « c moi », « c'est moi »: what is no name even in lowercase (SMS spellings included).
_AFTER_IT_IS_ME = (
    _FUNCTION_WORDS + " ki ke k kil kel re slt salut bjr bsr cc coucou again here ok okay dac pareil pa "
    "lol mdr hein quoi seul seule maman papa mamie papi jsuis chui suis g jai j'ai veux voudrais vais "
    "avais ai dsl desolee désolée tjrs toujours encore here de nouveau qu il"
)


def _first_names(names: frozenset[str]) -> str:
    """An alternation of the folded `names`, longest first, as spelt with and without accents."""
    return r"(?:" + "|".join(re.escape(n) for n in sorted(spellings(names), key=len, reverse=True)) + r")"


# What follows a first name typed in lowercase without being a surname: a function or SMS word, a verb
# that goes on with the message, a state. Any other lowercase word there is taken for a surname
# (« moi c'est fatima benali »): losing a word of the message costs less than a surname kept.
_AFTER_A_NAME = _one_of(
    _AFTER_IT_IS_ME + " " + _STATES + " habite habites vis vit cherche cherches voudrai voudrait aimerais "
    "souhaite souhaiterais demande viens travaille besoin urgent urgence aide maman papa mère mere père pere "
    "ans lol mdr jvoudrais jveux jcherche jhabite"
)


def _lowercase_cue(intro: str, names: frozenset[str]) -> re.Pattern[str]:
    """A cue, then a first name of the list whatever its case (« moi c'est fatima »), maybe a surname.

    No capital letter tells a lowercase name from an ordinary word, so only the
    list of first names does; the surname after it is taken when capitalised
    (« moi c'est fatima Benali »), like after the capitalised cues, or when it is
    a lowercase word that does not go on with the message (`_AFTER_A_NAME`,
    `bot.storage.ordinary_words`: « moi c'est fatima urgent » keeps « urgent »),
    with its particles (« soizic le gall », « jean de la fontaine »).
    """
    surname = (
        r"(?:\s+" + _PARTICLES + r"?(?i:" + _NOT_A_NAME + r")" + _NOT_ORDINARY + _CAP
        + r"|\s+" + _PARTICLES + r"(?i:" + _NOT_A_NAME + r")" + _NOT_ORDINARY + _LOWER_WORD + r"(?![\w'’\-])"
        + r"|\s+(?!(?i:" + _AFTER_A_NAME + r")(?![\w'’\-]))" + _NOT_ORDINARY + _LOWER_WORD + r"(?![\w'’\-]))?"
    )  # fmt: skip
    return re.compile(
        r"\b(?P<intro>(?i:" + intro + r"))(?P<name>\s+(?i:" + _first_names(names) + r")(?![\w'’\-])" + surname + r")"
    )


# « moi c'est fatima », « moi c karim »: after « moi c'est » comes a name or a function word (« moi c'est
# pour le RSA »), never a state; typed in lowercase, a first name of the list is a name.
_MOI_C_EST_LOWER = _lowercase_cue(r"moi\s+(?:c\s*" + _APOS + r"?\s*est|c|c[ée]|s[ée])", FIRST_NAMES)
# « je suis fatima », « chui karim »: a state wins when a first name is also one typed without its accent
# (« je suis marie » is more often « mariée » than « Marie » typed in lowercase).
_STATE_FORMS = frozenset(fold_name(w) for w in _STATES.split())
_JE_SUIS_LOWER = _lowercase_cue(r"je\s+suis|j\s*" + _APOS + r"?\s*suis|jsuis|ch?uis|chui", FIRST_NAMES - _STATE_FORMS)

# « c moi kevin », « c'est moi jordan », « my name's aisha »: typed without capitals, the word after
# a cue that can only introduce someone is a name, unless it is a word of the list above.
_WEAK_INTRO_LOWER = re.compile(
    r"\b(?P<intro>(?i:c\s+moi|c\s*" + _APOS + r"?\s*est\s+moi|my\s+name\s*" + _APOS + r"\s*s|i\s+am\s+called))"
    r"(?P<name>\s+(?!" + _one_of(_AFTER_IT_IS_ME) + r"\b)" + _LOWER_WORD + r")(?![\w'’\-])"
)

# A function after a title is no person's name: « Monsieur Le Maire », « Madame La Directrice »,
# « MONSIEUR LE PREFET ». Public so that `redact`'s own title rule spares them too.
_FUNCTIONS = _inflected(
    "maire adjoint préfet sous-préfet président directeur juge docteur professeur député sénateur ministre "
    "procureur commissaire proviseur principal recteur conseiller médiateur défenseur délégué inspecteur "
    "responsable chef agent gérant bailleur propriétaire huissier notaire avocat assistant éducateur "
    "infirmier secrétaire curé pasteur imam abbé capitaine commandant lieutenant brigadier officier"
)
NOT_A_FUNCTION = r"(?!(?i:(?:le|la|les)\s+|l" + _APOS + r"\s*)?(?i:" + _one_of(_FUNCTIONS) + r")\b)"

# A title then a name, whatever its case: « mme kerbrat », « Mme KERBRAT », « Monsieur le Gall ».
# The lowercase branch takes no particle, so « Madame la directrice » and « monsieur le maire » stay.
_TITLE = re.compile(
    r"\b(?P<intro>(?i:madame|monsieur|mme|mlle|mademoiselle|mr|mrs|ms|miss)\.?|M\.)"
    r"(?P<name>\s+" + NOT_A_FUNCTION + r"(?:" + _PARTICLE + r"?" + _CAP_OR_UPPER + r"(?:\s+" + _CAP_OR_UPPER + r")?"
    r"|(?i:" + _NOT_A_NAME + r")" + _LOWER_WORD + r"))"
)

# A form typed out: « Nom : Le Gall », « prénom: kevin », « Nom: le gall ».
_LABEL_WORD = (
    r"(?:" + _PARTICLE + r"?" + _CAP_OR_UPPER + r"|" + _PARTICLE + r"?(?i:" + _NOT_A_NAME + r")" + _LOWER_WORD + r")"
)
_LABEL = re.compile(
    r"\b(?P<intro>(?i:(?:nom(?:\s+de\s+famille)?|pr[ée]nom|name|first\s+name|last\s+name|surname)\s*:))"
    r"(?P<name>(?:\s*" + _LABEL_WORD + r"){1,3})"
)

PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("bare-name-label", _LABEL),
    ("bare-name-title", _TITLE),
    ("bare-name-weak-intro", _WEAK_INTRO),
    ("bare-name-thanks-signature", _THANKS_SIGNATURE),
    ("bare-name-je-suis", _JE_SUIS),
    ("bare-name-weak-intro-lowercase", _WEAK_INTRO_LOWER),
    ("bare-name-moi-c-est-lowercase", _MOI_C_EST_LOWER),
    ("bare-name-je-suis-lowercase", _JE_SUIS_LOWER),
)
"""(rule name, pattern) pairs, each with ``intro`` and ``name`` groups; `redact` wires them in."""
