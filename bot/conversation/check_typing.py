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

_AGE = re.compile(r"^(?:j'?ai\s*)?(\d{1,3})\s*(?:ans?)?$")
_AGE_IN_WORDS = re.compile(r"^(?:j'? ?ai\s+)?([a-z][a-z -]*?)(?:\s+ans?)?$")  # "trente", "j'ai quarante-cinq ans"
_AMOUNT = re.compile(
    r"^(?:environ|a peu pres|vers|~)?\s*(\d{1,3}(?:[ .]?\d{3})*|\d+)\s*(?:€|e|eur|euros?)?"
    r"(?:\s*(?:par|/)\s*mois)?$"
)
# The same amounts in words: "mille deux cents", "environ neuf cents euros par mois".
_AMOUNT_IN_WORDS = re.compile(
    r"^(?:environ|a peu pres|vers)?\s*([a-z][a-z -]*?)\s*(?:€|euros?)?(?:\s*(?:par|/)\s*mois)?$"
)
# "Combien gagnez-vous ?" answered with nothing: the « Aucun revenu » button.
_NOTHING = frozenset(
    {"rien", "aucun", "aucune", "nada", "je gagne rien", "je n'ai rien", "pas de revenu", "pas de revenus", "zero euro"}
)
_YES = frozenset({"oui", "ouais", "ouai", "yes", "o", "oui oui", "bien sur", "c'est ca"})
_NO = frozenset({"non", "nan", "no", "n", "pas du tout", "non non", "aucun", "aucune"})
# "Qui vit avec vous ?": saying nobody (more) lives with them closes the step like « C'est tout ».
_HOUSEHOLD_DONE = frozenset(
    {
        "c'est tout",
        "cest tout",
        "c est tout",
        "personne",
        "seul",
        "seule",
        "je vis seul",
        "je vis seule",
        "rien",
        "fini",
        "ok",
    }
)

# "Qui vit avec vous ?": the partner as residents name them; presses « Mon conjoint ou ma conjointe ».
_PARTNER = frozenset(
    f"{lead}{who}"
    for lead in ("", "avec ", "j'ai ", "il y a ")
    for who in (
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
) | {"en couple", "marie", "mariee", "pacse", "pacsee", "conjoint", "conjointe", "mari", "epoux", "epouse"}

# "Qui vit avec vous ?" answered with a number of children: « 2 enfants », « deux gosses », « j'ai 3 gamins ».
_CHILD_WORDS = (
    "enfants?|gosses?|gamins?|gamines?|mioches?|minots?|marmots?|loulous?|petits?|bebes?|filles?|fils|garcons?"
)
_CHILDREN = re.compile(
    r"^(?:(?:j'? ?ai|on a|nous avons|il y a|avec)\s+)?"
    r"(?:(?:mes|nos)\s+(?P<counted>[a-z0-9-]+)|(?P<one>mon|ma)|(?P<count>[a-z0-9-]+))"
    rf"\s+(?:{_CHILD_WORDS})"
    r"(?:\s+de\s+(?P<ages>\d{1,2}(?:\s*ans?)?(?:\s*(?:,|et)\s*\d{1,2}(?:\s*ans?)?)*))?"
    r"(?:\s+a (?:la maison|charge))?$"
)
MAX_TYPED_CHILDREN = 15
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
        "chomage": "demandeur-emploi",
        "au chomage": "demandeur-emploi",
        "chomeur": "demandeur-emploi",
        "chomeuse": "demandeur-emploi",
        "je cherche du boulot": "demandeur-emploi",
        "etudiante": "etudiant",
        "retraitee": "retraite",
        "a la retraite": "retraite",
        "malade": "incapacite",
        "invalide": "incapacite",
        "sans revenu": "sans-revenu",
        "aucun revenu": "sans-revenu",
        "pas de revenu": "sans-revenu",
    },
    "logement": {
        "hlm": "locataire-social",
        "logement social": "locataire-social",
        "en hlm": "locataire-social",
        "hebergee": "heberge",
        "en foyer": "heberge",
        "a la rue": "sans-logement",
        "sdf": "sans-logement",
        "dehors": "sans-logement",
        "proprio": "proprietaire",
    },
    "papiers": {
        "francais": "francais-ue",
        "francaise": "francais-ue",
        "europeen": "francais-ue",
        "europeenne": "francais-ue",
        "titre de sejour": "titre-sejour",
        "recepisse": "titre-sejour",
        "carte de sejour": "titre-sejour",
        "sans papiers": "sans-papiers",
        "pas de papiers": "sans-papiers",
    },
}


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


def _typed_amount(folded: str) -> int | None:
    """The euros in digits ("1 200 €") or in French words ("mille deux cents euros"), or None."""
    found = _AMOUNT.match(folded)
    if found:
        return int(re.sub(r"[ .]", "", found.group(1)))
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
    """ "mon mari", "ma copine", "en couple": the partner, at « Qui vit avec vous ? »."""
    return folded in _PARTNER


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
        word = found["counted"] or found["count"]
        count = int(word) if word.isdecimal() and len(word) <= 2 else french_number(word)
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
    for joint in re.finditer(r"\s+et\s+|\s*,\s*", folded):
        left, right = folded[: joint.start()].strip(), folded[joint.end() :].strip()
        for partner, children in ((left, right), (right, left)):
            if names_partner(partner) and (said := children_said(children)) is not None:
                return HouseholdSaid(True, *said)
    return None


def says_no_child(folded: str) -> bool:
    """ "pas d'enfant", "je n'ai pas d'enfant", "aucun enfant": no child, at « Qui vit avec vous ? »."""
    return folded in _NO_CHILD
