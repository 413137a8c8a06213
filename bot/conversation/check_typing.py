"""Words typed during the rights check, read as the button they mean.

Residents often type "30 ans", "oui" or "900 €" instead of pressing a button
(and on some phones the buttons are hard to see). Such a short, plain answer
is read as that step's choice. Anything longer, or unclear, is not guessed:
the caller asks the question again, because a wrong guess would silently
change which rights are listed. Only whole, short answers are read, so a
message such as "j'ai 30 ans et je veux mourir" never becomes an age: it goes
on to the danger check like any other message.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.conversation.number_words import french_amount, french_number

# The youngest age read from a bare number: "3" is more likely the third button than an age.
MIN_TYPED_AGE = 12
MAX_TYPED_AGE = 120

# "30", "j'ai 30 ans", "j ai 30ans", "age de 52 ans", "52 piges", "I'm 30", "30 years old".
_AGE_LEAD = r"(?:(?:j'? ?ai|age de|agee? de|i'?m|i am|im)\s*)?"
_AGE_UNIT = r"(?:\s*(?:ans?|piges|years?(?: old)?|yo))?"
_AGE = re.compile(rf"^{_AGE_LEAD}(\d{{1,3}}){_AGE_UNIT}$")
_AGE_IN_WORDS = re.compile(rf"^{_AGE_LEAD}([a-z][a-z -]*?){_AGE_UNIT}$")  # "trente", "j'ai quarante-cinq ans"
# Around an amount: "environ", "about"; after it: "net", "par mois", "à deux", "balles" (slang for euros).
_ABOUT = r"(?:(?:environ|a peu pres|vers|about|around|~)\s*)?"
_PER_MONTH = (
    r"(?:\s*net)?(?:\s*(?:(?:par|/|a|per)\s*(?:mois|month)|mensuels?))?(?:\s*net)?"
    r"(?:\s*(?:a deux|pour nous deux|pour (?:le|tout le) foyer|en tout|au total))?"
)
_AMOUNT = re.compile(
    rf"^{_ABOUT}(?:net\s*)?(\d{{1,3}}(?:[ .]?\d{{3}})*|\d+)(?:,\d{{1,2}})?\s*(?:€|e|eur|euros?|balles)?{_PER_MONTH}$"
)
# "1k", "1,2k", "1.5 k": a thousand euros, as written in texts.
_THOUSANDS = re.compile(rf"^{_ABOUT}(\d)(?:[.,](\d))?\s*k\s*(?:€|e|eur|euros?)?{_PER_MONTH}$")
# The same amounts in words: "mille deux cents", "environ neuf cents euros par mois".
_AMOUNT_IN_WORDS = re.compile(rf"^{_ABOUT}([a-z][a-z -]*?)\s*(?:€|euros?|balles)?{_PER_MONTH}$")
# "Combien gagnez-vous ?" answered with nothing: the « Aucun revenu » button.
_NOTHING = frozenset(
    {
        "rien",
        "rien du tout",
        "aucun",
        "aucune",
        "nada",
        "je gagne rien",
        "je touche rien",
        "je n'ai rien",
        "pas de revenu",
        "pas de revenus",
        "zero euro",
        "nothing",
        "no income",
    }
)
_YES = frozenset({"oui", "ouais", "ouai", "yes", "o", "oui oui", "bien sur", "c'est ca"})
_NO = frozenset({"non", "nan", "no", "n", "pas du tout", "non non", "aucun", "aucune"})
# "Qui vit avec vous ?": saying nobody (more) lives with them closes the step like « C'est tout ».
_HOUSEHOLD_DONE = frozenset(
    {
        "c'est tout",
        "cest tout",
        "c est tout",
        "c tout",
        "ce tout",
        "c'est bon",
        "cest bon",
        "voila",
        "personne",
        "seul",
        "seule",
        "tout seul",
        "toute seule",
        "je vis seul",
        "je vis seule",
        "rien",
        "fini",
        "ok",
        "alone",
        "i live alone",
        "nobody",
        "no one",
        "that's all",
        "thats all",
        "that's it",
        "done",
    }
)
# "Qui vit avec vous ?": a child on the way; presses « J'attends un enfant » (only ever switches it on).
_PREGNANT = frozenset(
    {
        "enceinte",
        "je suis enceinte",
        "j'attends un enfant",
        "j'attends un bebe",
        "on attend un enfant",
        "on attend un bebe",
        "nous attendons un enfant",
        "bebe en route",
        "un bebe en route",
        "pregnant",
        "i'm pregnant",
        "im pregnant",
    }
)
# « ma femme est enceinte »: a partner at home AND a child on the way.
_PARTNER_PREGNANT = frozenset(
    {
        "ma femme est enceinte",
        "ma copine est enceinte",
        "ma compagne est enceinte",
        "ma conjointe est enceinte",
        "mon epouse est enceinte",
        "my wife is pregnant",
        "my partner is pregnant",
    }
)
# "Qui vit avec vous ?" answered with the number of people: « on est 4 », « nous sommes 3 », « 4 personnes ».
_PERSONS = re.compile(
    r"^(?:(?:on est|on vit a|nous sommes|nous vivons a|we are|there are)\s+)?(?P<count>[a-z0-9-]+)"
    r"(?:\s+(?:personnes?|people))?(?:\s+(?:a la maison|dans le foyer|en tout|at home))?$"
)
_PERSONS_LEAD = re.compile(r"^(?:on est|on vit a|nous sommes|nous vivons a|we are|there are)\s|\s(?:personnes?|people)")

# "Qui vit avec vous ?": the partner as residents name them; presses « Mon conjoint ou ma conjointe ».
_PARTNER = frozenset(
    f"{lead}{who}"
    for lead in ("", "avec ", "j'ai ", "il y a ")
    for who in (
        "my wife",
        "my husband",
        "my partner",
        "mon mari",
        "ma femme",
        "mon conjoint",
        "ma conjointe",
        "mon epoux",
        "mon epouse",
        "mon copain",
        "ma copine",
        "mon compagnon",
        "ma compagne",
        "mon concubin",
        "ma concubine",
        "mon partenaire",
        "ma partenaire",
    )
) | {"en couple", "marie", "mariee", "pacse", "pacsee", "conjoint", "conjointe", "mari", "epoux", "epouse", "married"}
# « mon mari et moi », « moi et ma femme »: the partner too.
_ME = re.compile(r"^(?:moi et (?P<after>.+)|(?P<before>.+) et moi)$")

# "Qui vit avec vous ?" answered with a number of children: « 2 enfants », « deux gosses », « j'ai 3 gamins ».
_CHILD_WORDS = (
    "enfants?|gosses?|gamins?|gamines?|mioches?|minots?|marmots?|loulous?|petits?|bebes?|filles?|fils|garcons?"
    "|kids?|children|child|sons?|daughters?|babies|baby"
)
# The ages after the children: « de 3 et 7 ans », « 3 ans et 7 ans », « , 3 et 7 ans », « (3 et 7 ans) »,
# « aged 3 and 7 ».
_AGE_LIST = r"\d{1,2}(?:\s*(?:ans?|years?(?: old)?))?(?:\s*(?:,|et|and)\s*\d{1,2}(?:\s*(?:ans?|years?(?: old)?))?)*"
_CHILDREN = re.compile(
    r"^(?:(?:(?:je vis |j'habite )?(?:tout |toute )?seule? avec"
    r"|j'? ?ai|on a|nous avons|il y a|avec|i have|we have|with)\s+)?"
    r"(?:(?:mes|nos|my|our)\s+(?P<counted>[a-z0-9-]+)|(?P<one>mon|ma|a|one)|(?P<count>[a-z0-9-]+))"
    rf"\s+(?:{_CHILD_WORDS})"
    rf"(?:\s*[,:(]?\s*(?:(?:de|ages? de|agees? de|qui ont|aged|of)\s+)?(?P<ages>{_AGE_LIST})\)?)?"
    r"(?:\s+a (?:la maison|charge))?$"
)
# « je vis seule avec mes enfants », « avec mes gosses »: children, how many not said.
_SOME_CHILDREN = re.compile(
    rf"^(?:(?:je vis |j'habite )?(?:tout |toute )?seule? )?avec (?:mes|nos|my|our) (?:{_CHILD_WORDS})$"
    rf"|^(?:mes|my) (?:{_CHILD_WORDS})$"
)
# « 3 et 7 ans », « ils ont 4 et 9 ans »: the children's ages alone, at « Qui vit avec vous ? ».
_AGES_ONLY = re.compile(rf"^(?:(?:ils|elles) ont\s+)?(?P<ages>{_AGE_LIST})$")
MAX_TYPED_CHILDREN = 15
MAX_CHILD_AGE_AT_HOME = 24  # the oldest child button (« 18 à 24 ans »): « 30 ans » alone is not a child
# "Qui vit avec vous ?" answered « pas d'enfant »: says nothing yet of a partner, so the step stays open.
_NO_CHILD = frozenset(
    f"{lead}{what}"
    for lead in ("", "j'ai ", "je n'ai ", "on a ", "on n'a ", "nous n'avons ")
    for what in ("pas d'enfant", "pas d'enfants", "aucun enfant", "0 enfant")
) | {"sans enfant", "sans enfants"}

# Everyday words for a button, per step (already folded). Written from what each button means.
SYNONYMS: dict[str, dict[str, str]] = {
    "situation": {
        "travail": "emploi",
        "je bosse": "emploi",
        "salarie": "emploi",
        "salariee": "emploi",
        "en cdi": "emploi",
        "en cdd": "emploi",
        "cdi": "emploi",
        "cdd": "emploi",
        "interim": "emploi",
        "en interim": "emploi",
        "interimaire": "emploi",
        "temps partiel": "emploi",
        "a temps partiel": "emploi",
        "je travaille a temps partiel": "emploi",
        "mi-temps": "emploi",
        "a mi-temps": "emploi",
        "je travaille a mi-temps": "emploi",
        "apprenti": "emploi",
        "apprentie": "emploi",
        "en alternance": "emploi",
        "auto-entrepreneur": "emploi",
        "auto entrepreneur": "emploi",
        "autoentrepreneur": "emploi",
        "micro-entrepreneur": "emploi",
        "auto-entrepreneuse": "emploi",
        "independant": "emploi",
        "independante": "emploi",
        "je fais des menages": "emploi",
        "i work": "emploi",
        "working": "emploi",
        "employed": "emploi",
        "chomage": "demandeur-emploi",
        "au chomage": "demandeur-emploi",
        "je suis au chomage": "demandeur-emploi",
        "chomeur": "demandeur-emploi",
        "chomeuse": "demandeur-emploi",
        "sans emploi": "demandeur-emploi",
        "sans travail": "demandeur-emploi",
        "demandeur d'emploi": "demandeur-emploi",
        "demandeuse d'emploi": "demandeur-emploi",
        "je cherche du boulot": "demandeur-emploi",
        "je cherche un travail": "demandeur-emploi",
        "je cherche un emploi": "demandeur-emploi",
        "je cherche un boulot": "demandeur-emploi",
        "inscrit a france travail": "demandeur-emploi",
        "inscrite a france travail": "demandeur-emploi",
        "unemployed": "demandeur-emploi",
        "jobless": "demandeur-emploi",
        "looking for a job": "demandeur-emploi",
        "looking for work": "demandeur-emploi",
        "etudiante": "etudiant",
        "lyceen": "etudiant",
        "lyceenne": "etudiant",
        "student": "etudiant",
        "retraitee": "retraite",
        "a la retraite": "retraite",
        "je suis retraite": "retraite",
        "je suis retraitee": "retraite",
        "retired": "retraite",
        "malade": "incapacite",
        "invalide": "incapacite",
        "en invalidite": "incapacite",
        "en arret maladie": "incapacite",
        "arret maladie": "incapacite",
        "en longue maladie": "incapacite",
        "je ne peux pas travailler": "incapacite",
        "je peux pas travailler": "incapacite",
        "i can't work": "incapacite",
        "i cannot work": "incapacite",
        "sans revenu": "sans-revenu",
        "sans revenus": "sans-revenu",
        "aucun revenu": "sans-revenu",
        "pas de revenu": "sans-revenu",
        "pas de revenus": "sans-revenu",
        "au foyer": "sans-revenu",
        "mere au foyer": "sans-revenu",
        "pere au foyer": "sans-revenu",
        "femme au foyer": "sans-revenu",
        "homme au foyer": "sans-revenu",
        "no income": "sans-revenu",
        # The RSA is no work income: « Je n'ai pas de revenu » is the button that fits (the RSA is then listed
        # with its reason, and the CSS, free with the RSA).
        "rsa": "sans-revenu",
        "au rsa": "sans-revenu",
        "je suis au rsa": "sans-revenu",
        "je touche le rsa": "sans-revenu",
        "juste le rsa": "sans-revenu",
    },
    "logement": {
        "hlm": "locataire-social",
        "logement social": "locataire-social",
        "en hlm": "locataire-social",
        "en logement social": "locataire-social",
        "locataire hlm": "locataire-social",
        # Brest's social landlords, as residents name them (they rent the HLM of the quartiers).
        "brest metropole habitat": "locataire-social",
        "bmh": "locataire-social",
        "chez bmh": "locataire-social",
        "armorique habitat": "locataire-social",
        "finistere habitat": "locataire-social",
        "social housing": "locataire-social",
        "je loue": "locataire",
        "en location": "locataire",
        "location": "locataire",
        "je suis locataire": "locataire",
        "locataire prive": "locataire",
        "dans le prive": "locataire",
        "i rent": "locataire",
        "renting": "locataire",
        "tenant": "locataire",
        "hebergee": "heberge",
        "en foyer": "heberge",
        "foyer": "heberge",
        "chez mes parents": "heberge",
        "chez ma mere": "heberge",
        "chez mon pere": "heberge",
        "chez ma famille": "heberge",
        "chez un ami": "heberge",
        "chez une amie": "heberge",
        "chez des amis": "heberge",
        "chez un pote": "heberge",
        "chez ma soeur": "heberge",
        "chez mon frere": "heberge",
        "chez quelqu'un": "heberge",
        "with my parents": "heberge",
        "with friends": "heberge",
        "a la rue": "sans-logement",
        "sdf": "sans-logement",
        "dehors": "sans-logement",
        "sans domicile": "sans-logement",
        "sans abri": "sans-logement",
        "homeless": "sans-logement",
        "proprio": "proprietaire",
        "je suis proprietaire": "proprietaire",
        "je suis proprio": "proprietaire",
        "owner": "proprietaire",
    },
    "sante": {
        "handicape": "oui",
        "handicapee": "oui",
        "je suis handicape": "oui",
        "je suis handicapee": "oui",
        "j'ai un handicap": "oui",
        "rqth": "oui",
        "j'ai la rqth": "oui",
        "j'ai une rqth": "oui",
        "oui j'ai une rqth": "oui",
        "oui j'ai la rqth": "oui",
        "invalide": "oui",
        "en invalidite": "oui",
        "j'ai une maladie": "oui",
        "j'ai besoin d'aide": "oui",
        "disabled": "oui",
        "pas de handicap": "non",
        "aucun handicap": "non",
        "non aucun": "non",
        "en bonne sante": "non",
        "je vais bien": "non",
    },
    "papiers": {
        "francais": "francais-ue",
        "francaise": "francais-ue",
        "je suis francais": "francais-ue",
        "je suis francaise": "francais-ue",
        "carte d'identite": "francais-ue",
        "carte d'identite francaise": "francais-ue",
        "europeen": "francais-ue",
        "europeenne": "francais-ue",
        "french": "francais-ue",
        "titre de sejour": "titre-sejour",
        "j'ai un titre de sejour": "titre-sejour",
        "j'ai un titre": "titre-sejour",
        "recepisse": "titre-sejour",
        "carte de sejour": "titre-sejour",
        "carte de resident": "titre-sejour",
        "refugie": "titre-sejour",
        "refugiee": "titre-sejour",
        "je suis refugie": "titre-sejour",
        "je suis refugiee": "titre-sejour",
        "residence permit": "titre-sejour",
        "i have a residence permit": "titre-sejour",
        "sans papiers": "sans-papiers",
        "pas de papiers": "sans-papiers",
        "je n'ai pas de papiers": "sans-papiers",
        "no papers": "sans-papiers",
        "demandeur d'asile": "demandeur-asile",
        "demandeuse d'asile": "demandeur-asile",
        "je suis demandeur d'asile": "demandeur-asile",
        "je suis demandeuse d'asile": "demandeur-asile",
        "demande d'asile": "demandeur-asile",
        "j'ai demande l'asile": "demandeur-asile",
        "asile": "demandeur-asile",
        "attestation de demande d'asile": "demandeur-asile",
        "asylum seeker": "demandeur-asile",
        "i am an asylum seeker": "demandeur-asile",
        "i asked for asylum": "demandeur-asile",
    },
}


_ENGLISH_COUNTS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8}


def fold(text: str) -> str:
    """Lower case, no accents, single spaces, no surrounding punctuation: "Oui !" reads as "oui"."""
    plain = unicodedata.normalize("NFKD", text.strip().lower().replace("’", "'"))
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return " ".join(plain.split()).strip(" .!?,;:")


def by_label(folded: str, choices: Iterable[tuple[str, str]]) -> str | None:
    """The choice whose code or whole label (without its ✔) is what was typed (already folded)."""
    for code, label in choices:
        if folded in (fold(code), fold(label.replace("✔", ""))):
            return code
    return None


def age_band(folded: str, bands: Sequence[tuple[str, int | None]]) -> str | None:
    """ "30", "30 ans", "j'ai 30 ans", "trente" -> the band whose lower edge is the highest one not above 30.

    `bands` are (code, lowest age) in rising order.
    """
    age = _typed_age(folded)
    if age is None or not MIN_TYPED_AGE <= age <= MAX_TYPED_AGE:
        return None
    return [code for code, low in bands if low is not None and low <= age][-1]


def _typed_age(folded: str) -> int | None:
    """The age in digits or in French words, or None."""
    found = _AGE.match(folded)
    if found:
        return int(found.group(1))
    in_words = _AGE_IN_WORDS.match(folded)
    return french_number(in_words.group(1)) if in_words else None


def income_band(folded: str, bands: Sequence[tuple[str, int | None]]) -> str | None:
    """ "900 €", "environ 1 500 euros par mois", "mille deux cents", "rien" -> the income band holding that amount.

    `bands` are (code, upper edge in euros, exclusive) in rising order; None = no upper edge.
    """
    amount = 0 if folded in _NOTHING else _typed_amount(folded)
    if amount is None:
        return None
    if amount == 0:
        return bands[0][0]
    return next(code for code, high in bands[1:] if high is None or amount < high)


def typed_amount(folded: str) -> int | None:
    """The euros of a typed income ("1 200 €", "1200 net", "1,2k", "mille deux cents"), 0 for "rien"; else None."""
    return 0 if folded in _NOTHING else _typed_amount(folded)


def typed_age(folded: str) -> int | None:
    """The age of a typed answer ("30 ans", "I'm 30", "trente"), if a plausible one; else None."""
    age = _typed_age(folded)
    return age if age is not None and MIN_TYPED_AGE <= age <= MAX_TYPED_AGE else None


def _typed_amount(folded: str) -> int | None:
    """The euros in digits ("1 200 €", "1k") or in French words ("mille deux cents euros"), or None."""
    found = _AMOUNT.match(folded)
    if found:
        return int(re.sub(r"[ .]", "", found.group(1)))
    thousands = _THOUSANDS.match(folded)
    if thousands:
        return int(thousands.group(1)) * 1000 + int(thousands.group(2) or 0) * 100
    in_words = _AMOUNT_IN_WORDS.match(folded)
    return french_amount(in_words.group(1)) if in_words else None


def yes_no(folded: str) -> str | None:
    if folded in _YES:
        return "oui"
    if folded in _NO:
        return "non"
    return None


def household_done(folded: str) -> bool:
    return folded in _HOUSEHOLD_DONE


def names_partner(folded: str) -> bool:
    """ "mon mari", "ma copine", "en couple", "mon mari et moi": the partner, at « Qui vit avec vous ? »."""
    if folded in _PARTNER:
        return True
    me = _ME.match(folded)
    return me is not None and (me["after"] or me["before"]) in _PARTNER


def says_pregnant(folded: str) -> bool:
    """ "je suis enceinte", "on attend un bébé", "ma femme est enceinte": a child on the way."""
    return folded in _PREGNANT or folded in _PARTNER_PREGNANT


def partner_pregnant(folded: str) -> bool:
    """ "ma femme est enceinte": the partner lives at home too."""
    return folded in _PARTNER_PREGNANT


def persons_said(folded: str) -> int | None:
    """ "on est 4", "nous sommes trois", "4 personnes": how many live in the home (the resident counted); else None.

    A bare number is not read here: at this step it may be a button's number.
    """
    found = _PERSONS.match(folded)
    if found is None or _PERSONS_LEAD.search(folded) is None:
        return None
    count = _count(found["count"])
    return count if count is not None and 1 <= count <= MAX_TYPED_CHILDREN + 2 else None


def some_children(folded: str) -> bool:
    """ "je vis seule avec mes enfants", "avec mes gosses": children, without saying how many."""
    return _SOME_CHILDREN.match(folded) is not None


def _count(word: str) -> int | None:
    if word.isdecimal() and len(word) <= 2:
        return int(word)
    return _ENGLISH_COUNTS.get(word, french_number(word))


@dataclass(frozen=True)
class HouseholdSaid:
    """What a short answer typed at « Qui vit avec vous ? » says: a partner, how many children, their ages."""

    partner: bool
    count: int
    ages: tuple[int, ...] = ()  # empty when not said; else one age per child


def children_said(folded: str) -> tuple[int, tuple[int, ...]] | None:
    """ "2 enfants", "deux gosses", "ma fille de 5 ans", "2 enfants de 4 et 7 ans" -> (count, ages); None otherwise.

    Ages are kept only when there is one per child: « 2 enfants de 4 ans »
    is not guessed (which one is 4?), the count alone is.
    """
    found = _CHILDREN.match(folded)
    if not found:
        return None
    if found["one"]:
        count: int | None = 1
    else:
        count = _count(found["counted"] or found["count"])
    if count is None or not 1 <= count <= MAX_TYPED_CHILDREN:
        return None
    ages = tuple(int(age) for age in re.findall(r"\d{1,2}", found["ages"] or ""))
    return count, ages if len(ages) == count else ()


def children_count(folded: str) -> int | None:
    """ "2 enfants", "deux enfants", "j'ai 3 gosses", "un fils" -> how many children; None otherwise."""
    said = children_said(folded)
    return said[0] if said else None


def household_said(folded: str) -> HouseholdSaid | None:
    """ "ma femme et 2 enfants", "3 gosses", "mon fils de 5 ans" -> what it says; None unless all of it is read.

    Only a partner and children, joined by « et » or a comma: anything else
    in the message is not guessed.
    """
    whole = children_said(folded)
    if whole is not None:
        return HouseholdSaid(False, *whole)
    ages_only = _AGES_ONLY.match(folded)
    if ages_only and re.search(r"\b(?:ans?|years?)\b", folded):
        ages = tuple(int(age) for age in re.findall(r"\d{1,2}", ages_only["ages"]))
        if ages and len(ages) <= MAX_TYPED_CHILDREN and max(ages) <= MAX_CHILD_AGE_AT_HOME:
            return HouseholdSaid(False, len(ages), ages)
    for joint in re.finditer(r"\s+(?:et|and)\s+|\s*,\s*", folded):
        left, right = folded[: joint.start()].strip(), folded[joint.end() :].strip()
        for partner, children in ((left, right), (right, left)):
            if names_partner(partner) and (said := children_said(children)) is not None:
                return HouseholdSaid(True, *said)
    return None


def says_no_child(folded: str) -> bool:
    """ "pas d'enfant", "je n'ai pas d'enfant", "aucun enfant": no child, at « Qui vit avec vous ? »."""
    return folded in _NO_CHILD
