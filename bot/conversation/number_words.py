"""Numbers written in French words: « trente », « quarante-cinq », « soixante et onze », « mille deux cents ».

Why: in the rights check, residents type their age or their income as they say
it, and some find words easier than digits on a phone keyboard. Only well-formed
numbers are read (« trente deux », « soixante dix neuf », never « deux trente »
or « vingt dix »), so a stray word is never turned into an age or an amount.
"""

from __future__ import annotations

import re

_UNITS = {
    "zero": 0,
    "un": 1,
    "une": 1,
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "six": 6,
    "sept": 7,
    "huit": 8,
    "neuf": 9,
    "dix": 10,
    "onze": 11,
    "douze": 12,
    "treize": 13,
    "quatorze": 14,
    "quinze": 15,
    "seize": 16,
}
_TENS = {
    "vingt": 20,
    "trente": 30,
    "quarante": 40,
    "cinquante": 50,
    "soixante": 60,
    "septante": 70,  # Belgium, Switzerland
    "huitante": 80,
    "octante": 80,
    "quatrevingt": 80,
    "nonante": 90,
}
_HUNDRED = ("cent", "cents")
_THOUSAND = re.compile(r"\bmilles?\b")


def french_number(folded: str) -> int | None:
    """The number the words say ("quarante-cinq" -> 45), or None if they are not one number below 1000.

    `folded`: lower case, no accents (as the rights check folds what is typed).
    """
    text = re.sub(r"\bquatre[ -]vingts?\b", "quatrevingt", folded.replace("-", " "))
    words = [w for w in text.split() if w != "et"]
    if not words:
        return None
    total, last = 0, None
    for word in words:
        if word in _HUNDRED:
            if total >= 100 or (total and last is None):
                return None
            total, last = (total or 1) * 100, None
            continue
        value = _UNITS.get(word, _TENS.get(word))
        if value is None or not _may_follow(last, value):
            return None
        total, last = total + value, value
    return total


def _may_follow(last: int | None, value: int) -> bool:
    """Whether `value` may come after the word worth `last`: « vingt deux », « soixante douze », « dix sept »."""
    if last is None:
        return True
    if value == 0:
        return False
    if last >= 20:  # a ten: a unit, or 10-19 after soixante and quatre-vingt
        return value < 10 or (last in (60, 80) and value < 20)
    return last == 10 and value < 10  # « dix sept », « soixante dix neuf »


def french_amount(folded: str) -> int | None:
    """The number the words say, thousands included ("mille deux cents" -> 1200), or None.

    An income is said in thousands; each side of « mille » must itself be a
    well-formed number below 1000 (« deux mille », « mille cinq cents »).
    """
    parts = _THOUSAND.split(folded)
    if len(parts) == 1:
        return french_number(folded)
    if len(parts) != 2:
        return None
    before, after = (part.strip(" -") for part in parts)
    thousands = french_number(before) if before else 1
    rest = french_number(after) if after else 0
    if thousands is None or rest is None or thousands == 0:
        return None
    return thousands * 1000 + rest
