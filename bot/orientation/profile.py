"""A resident's answers to the rights check, as one typed value.

The keys and values are a contract with outside tools (`python -m bot droits
--profil`) and with the mediators' rules file, so they are spelt exactly as the
issue documents them and never renamed. A missing key means "not answered":
the evaluator must never treat silence as "no".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

SITUATIONS = ("emploi", "demandeur-emploi", "etudiant", "retraite", "incapacite", "sans-revenu")
LOGEMENTS = ("locataire", "locataire-social", "proprietaire", "heberge", "sans-logement")
# "demandeur-asile" (added 2026-12-03): an asylum claim in progress is neither a residence permit nor no papers.
PAPIERS = ("francais-ue", "titre-sejour", "sans-papiers", "demandeur-asile")

BOOL_KEYS = ("couple", "enceinte", "handicap")
INT_KEYS = ("age", "revenus_mensuels")
CHOICE_KEYS: dict[str, tuple[str, ...]] = {"situation": SITUATIONS, "logement": LOGEMENTS, "papiers": PAPIERS}
LIST_KEYS = ("enfants",)
PROFILE_KEYS = (
    "age",
    "couple",
    "enfants",
    "enceinte",
    "situation",
    "revenus_mensuels",
    "logement",
    "handicap",
    "papiers",
)

MAX_AGE = 120
MAX_CHILD_AGE = 30
MAX_CHILDREN = 20
MAX_INCOME = 1_000_000


class ProfileError(ValueError):
    """Answers that cannot be read; the message is French and says which key to fix."""


@dataclass(frozen=True)
class Profile:
    """What the resident answered; None everywhere they did not answer."""

    age: int | None = None
    couple: bool | None = None
    enfants: tuple[int, ...] | None = None
    enceinte: bool | None = None
    situation: str | None = None
    revenus_mensuels: int | None = None
    logement: str | None = None
    handicap: bool | None = None
    papiers: str | None = None

    def value(self, key: str) -> Any:
        """The answer to one key, with one inference: "no income" without an amount means 0 €."""
        if key == "revenus_mensuels" and self.revenus_mensuels is None and self.situation == "sans-revenu":
            return 0
        return getattr(self, key)

    @property
    def persons(self) -> int:
        """People in the household: the resident, a partner, the children (unanswered counts as none)."""
        return 1 + (1 if self.couple else 0) + len(self.enfants or ())

    @property
    def children(self) -> int:
        return len(self.enfants or ())


def _integer(key: str, value: Any, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ProfileError(f"« {key} » doit être un nombre entier (reçu : {value!r})")
    if isinstance(value, float) and not value.is_integer():
        raise ProfileError(f"« {key} » doit être un nombre entier, sans virgule (reçu : {value!r})")
    number = int(value)
    if not low <= number <= high:
        raise ProfileError(f"« {key} » doit être entre {low} et {high} (reçu : {number})")
    return number


_WORDS_TRUE = ("oui", "vrai", "true")
_WORDS_FALSE = ("non", "faux", "false")


def _boolean(key: str, value: Any) -> bool:
    """true/false, and the French words a mediator may type by hand ("oui", "non")."""
    if isinstance(value, str) and value.strip().lower() in _WORDS_TRUE + _WORDS_FALSE:
        return value.strip().lower() in _WORDS_TRUE
    if not isinstance(value, bool):
        raise ProfileError(f"« {key} » doit être true ou false (reçu : {value!r})")
    return value


def _choice(key: str, value: Any, choices: tuple[str, ...]) -> str:
    if not isinstance(value, str) or value.strip() not in choices:
        raise ProfileError(f"« {key} » : valeur {value!r} inconnue (choix : {', '.join(choices)})")
    return value.strip()


def _children(value: Any) -> tuple[int, ...]:
    if not isinstance(value, list):
        raise ProfileError(
            f"« enfants » doit être la liste des âges des enfants, par exemple [0, 7] ou [] (reçu : {value!r})"
        )
    if len(value) > MAX_CHILDREN:
        raise ProfileError(f"« enfants » : {len(value)} enfants, c'est plus que le maximum ({MAX_CHILDREN})")
    return tuple(_integer("enfants", age, 0, MAX_CHILD_AGE) for age in value)


def parse_profile(data: Any) -> tuple[Profile, list[str]]:
    """Read answers from a decoded YAML/JSON mapping; unknown keys are warned about, not refused.

    Refusing unknown keys would break outside tools as soon as the contract
    gains a key ("more may be added"); ignoring them silently would hide typos.
    """
    if data is None:
        data = {}
    if not isinstance(data, Mapping):
        raise ProfileError("le profil doit être un ensemble « clé: valeur » (par exemple « age: 30 »)")
    warnings = [
        f"clé « {key} » inconnue, ignorée (clés connues : {', '.join(PROFILE_KEYS)})"
        for key in data
        if key not in PROFILE_KEYS
    ]
    values: dict[str, Any] = {}
    for key in PROFILE_KEYS:
        raw = data.get(key)
        if raw is None:
            continue
        if key in BOOL_KEYS:
            values[key] = _boolean(key, raw)
        elif key == "age":
            values[key] = _integer(key, raw, 0, MAX_AGE)
        elif key == "revenus_mensuels":
            values[key] = _integer(key, raw, 0, MAX_INCOME)
        elif key in CHOICE_KEYS:
            values[key] = _choice(key, raw, CHOICE_KEYS[key])
        else:
            values[key] = _children(raw)
    return Profile(**values), warnings
