"""Reading a date as residents type it: "31/03/2027", "31 mars 27", "1er avril", "mars 2027".

Why forgiving: the date is copied from a paper (an attestation, a card, a
cheque), on a phone keyboard. Why strict on the result: a wrong reminder date
is worse than a question asked again, so anything ambiguous gets a clear
French message instead of a guess.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from bot.reminders.calendar import MAX_AHEAD

_MONTHS = {
    "janvier": 1,
    "janv": 1,
    "jan": 1,
    "fevrier": 2,
    "fevr": 2,
    "fev": 2,
    "fevier": 2,
    "mars": 3,
    "mar": 3,
    "avril": 4,
    "avr": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "juil": 7,
    "aout": 8,
    "septembre": 9,
    "sept": 9,
    "sep": 9,
    "octobre": 10,
    "oct": 10,
    "novembre": 11,
    "nov": 11,
    "decembre": 12,
    "dec": 12,
}
_NUMERIC = re.compile(r"^(\d{1,2})[/.\- ](\d{1,2})[/.\- ](\d{2}|\d{4})$")
_MONTH_YEAR = re.compile(r"^(\d{1,2})[/.\- ](\d{4})$")
_DAY_MONTH = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})$")  # "31/03": no year written
_WORDS = re.compile(r"^(?:(\d{1,2})(?:er)? )?([a-z]+)(?: (\d{2}|\d{4}))?$")

NOT_A_DATE = "Je n'ai pas reconnu de date. Écrivez-la comme sur le papier, par exemple 31/03/2027 ou « 31 mars 2027 »."
PAST = "Cette date est déjà passée (ou c'est aujourd'hui) : je ne peux pas vous le rappeler."
TOO_FAR = "Cette date est dans plus de 4 ans : revenez me voir quand elle sera plus proche."
IMPOSSIBLE = "Cette date n'existe pas. Vérifiez le jour et le mois, par exemple 31/03/2027."


@dataclass(frozen=True)
class ReadDate:
    """A date read from the resident's text, or the French reason it could not be used."""

    day: dt.date | None
    problem: str | None = None
    month_only: bool = False  # "mars 2027": the 1st is used, so the reminder comes early rather than late


def read_date(text: str, today: dt.date) -> ReadDate:
    """The future date in `text`, or a French problem (not a date, impossible, past, too far)."""
    cleaned = _clean(text)
    found = _numeric(cleaned, today) or _words(cleaned, today)
    if found is None:
        return ReadDate(None, NOT_A_DATE)
    if isinstance(found, str):
        return ReadDate(None, found)
    day, month_only = found
    if day <= today:
        return ReadDate(None, PAST)
    if day - today > MAX_AHEAD:
        return ReadDate(None, TOO_FAR)
    return ReadDate(day, None, month_only)


def _clean(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", (text or "").lower())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    plain = re.sub(r"\b(le|la|au|du|jusqu ?'? ?au|fin|date|valable|expire|expiration)\b", " ", plain)
    plain = re.sub(r"[,;!?]", " ", plain).replace("1 er", "1er")
    return " ".join(plain.split()).strip(" .")


def _numeric(text: str, today: dt.date) -> tuple[dt.date, bool] | str | None:
    match = _NUMERIC.match(text)
    if match:
        day, month, year = int(match[1]), int(match[2]), _year(match[3])
        return _make(year, month, day, month_only=False)
    match = _MONTH_YEAR.match(text)
    if match:
        return _make(int(match[2]), int(match[1]), 1, month_only=True)
    match = _DAY_MONTH.match(text)
    if match:
        return _next(today, int(match[2]), int(match[1]), month_only=False)
    return None


def _words(text: str, today: dt.date) -> tuple[dt.date, bool] | str | None:
    match = _WORDS.match(text)
    if not match or match[2] not in _MONTHS:
        return None
    month = _MONTHS[match[2]]
    day = int(match[1]) if match[1] else 1
    if match[3]:
        return _make(_year(match[3]), month, day, month_only=not match[1])
    return _next(today, month, day, month_only=not match[1])


def _next(today: dt.date, month: int, day: int, *, month_only: bool) -> tuple[dt.date, bool] | str:
    """No year written: the next time this day comes round ("31/03" in December is next March)."""
    found = _make(today.year, month, day, month_only=month_only)
    if isinstance(found, tuple) and found[0] <= today:
        found = _make(today.year + 1, month, day, month_only=month_only)
    return found


def _year(text: str) -> int:
    return 2000 + int(text) if len(text) == 2 else int(text)


def _make(year: int, month: int, day: int, *, month_only: bool) -> tuple[dt.date, bool] | str:
    try:
        return dt.date(year, month, day), month_only
    except ValueError:
        return IMPOSSIBLE
