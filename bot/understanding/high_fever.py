"""Whether a message tells of a high fever now: the 15 is the number to call, not a right to read about.

"ma fille est malade elle a 40 de fièvre" got the AME (health cover for people
without papers) and no number: the danger model learned medical emergencies
from what one sees (« il ne respire plus », « tout mou »), and the mediators'
look-alikes teach it that a fever with a child who plays is no emergency. A
nurse on the phone decides on the figure and the age:

- a baby under three months with a fever: call the 15 now;
- a child with 39.5 °C or more, or a fever said to be high (« forte fièvre »,
  « high fever »): call the 15, which in Brittany is also the way to the
  on-call doctor at night and at the weekend (ARS Bretagne, see medical.yaml);
- anyone at 40 °C or more: the same.

A fever said to be over (« c'est passé », « elle a baissé », « ça va
mieux ») or only asked about (« à partir de combien… ? » carries no figure)
raises nothing. The detector treats a match as it treats an exact
expression: a backstop under the model, in the sentences that are not
about the past (bot.understanding.danger_context).
"""

from __future__ import annotations

import re

from bot.understanding.child_cue import names_a_child

_FEVER = re.compile(r"(?<![a-z])(?:fievre|fievreu(?:x|se)|fiebre|fever|temperature|temp|degres?|°)(?![a-z])")
_HIGH = re.compile(
    r"(?<![a-z])(?:(?:forte|grosse|grande|tres forte|enorme|beaucoup de|trop de) fievre|fievre (?:tres )?forte"
    r"|fievre de cheval|high fever|very high (?:fever|temperature)|fievre qui (?:ne )?(?:baisse|descend) (?:pas|plus))"
    r"(?![a-z])"
)
# A temperature as residents type it, once folded: "40", "39,5" and "39.8" (folded "39 5"), "40°", "40 degres".
_DEGREES = re.compile(
    r"(?<!\d)(3[5-9]|4[0-3])(?: (\d)(?!\d))?(?: ?(c|degres?|deg)(?![a-z]))?(?!\d)"
    r"(?! ?(?:ans|mois|kg|euros?|%|h)(?![a-z]))"
)
# A baby's age: "de 2 mois", "il a 6 semaines", "de 10 jours", "2 months old"; never "depuis 2 jours".
_AGE = re.compile(
    r"(?<![a-z])(?:(?:de|a|ai) (\d{1,2}) (mois|semaines?)|de (\d{1,2}) (jours?)"
    r"|(\d{1,2}) (months?|weeks?|days?) old)(?![a-z])"
)
_DAYS_PER = {"mois": 30.0, "month": 30.0, "semaine": 7.0, "week": 7.0, "jour": 1.0, "day": 1.0}
_NEWBORN = re.compile(r"(?<![a-z])(?:nouveau ne|nouveau nee|nourrisson|newborn|ne il y a)(?![a-z])")
_OVER = re.compile(
    r"(?<![a-z])(?:c est passe|c etait|est passee?|a baisse|a bien baisse|est (?:re)?descendue?|est tombee?"
    r"|ca va mieux|va mieux|plus de fievre|n a plus de fievre|gueri|guerie|went down|is gone|is better)(?![a-z])"
)
# "son" is French for "his": names_a_child leaves English "my son" out.
_ENGLISH_CHILD = re.compile(r"(?<![a-z])(?:my|our|her|his) (?:son|daughter|little one|toddler)(?![a-z])")
CHILD_HIGH_FROM = 39.5
ANYONE_HIGH_FROM = 40.0
FEVER_FROM = 38.0
BABY_MONTHS = 3


# A cheap first look at the raw text: most messages name no fever and no temperature at all.
# (Accented letters in any case: "fièvre", "FIÊVRE", "dégrés" all fold to what tells_high_fever reads.)
_MAY_TELL = re.compile(r"\d|fi.v|fever|temp|d.gr|°", re.IGNORECASE)


def may_tell_fever(text: str) -> bool:
    """Whether the raw text may tell a fever (a word for it or a figure): only then is it folded and read."""
    return _MAY_TELL.search(text) is not None


def tells_high_fever(folded: str) -> bool:
    """Whether an already folded text tells of a fever that needs the 15 now (see the module's docstring)."""
    padded = f" {' '.join(folded.split())} "
    degrees, precise = _highest_temperature(padded)
    # A figure with a tenth or a unit ("38,2", "40°C") is a temperature even without the word.
    if not (_FEVER.search(padded) or precise) or _OVER.search(padded):
        return False
    if _is_young_baby(padded) and (degrees is None or degrees >= FEVER_FROM):
        return True
    if degrees is not None and degrees >= ANYONE_HIGH_FROM:
        return True
    child = names_a_child(padded) or bool(_ENGLISH_CHILD.search(padded))
    return child and ((degrees is not None and degrees >= CHILD_HIGH_FROM) or bool(_HIGH.search(padded)))


def _highest_temperature(padded: str) -> tuple[float | None, bool]:
    """The highest temperature typed, and whether one was typed as a temperature ("39,5", "40°C", "40 degrés")."""
    found = _DEGREES.findall(padded)
    highest = max((float(f"{whole}.{tenth or 0}") for whole, tenth, _ in found), default=None)
    return highest, any(tenth or unit for _, tenth, unit in found)


def _is_young_baby(padded: str) -> bool:
    """A baby said to be under three months old, or a newborn."""
    if _NEWBORN.search(padded):
        return True
    for groups in _AGE.findall(padded):
        number, unit = next((n, u) for n, u in zip(groups[::2], groups[1::2], strict=True) if n)
        per = next(days for name, days in _DAYS_PER.items() if unit.startswith(name))
        if int(number) * per < BABY_MONTHS * 30:
            return True
    return False
