"""Saying, in French, whether a help point is open now and when it next opens.

Hours are written in OpenStreetMap `opening_hours` syntax and read with the
opening-hours-py library; times are Europe/Paris wall-clock times, which is
what the library expects when given naive datetimes.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

import opening_hours

from bot.config import HOLIDAYS_COUNTRY, PARIS
from bot.french_calendar import DAYS, MONTHS

_MENTIONS_HOLIDAYS_OR_SUNDAY = re.compile(r"\b(?:PH|Su)\b|24/7")


def closed_on_holidays(hours: str) -> str:
    """A schedule that never opens on Sunday, read as closed on public holidays too.

    Why: no place file wrote « PH off », so on 25 December the bot said the
    CDAS was « ouvert maintenant, jusqu'à 12h » and at 23h59 on 24 December
    that it « ouvre demain à 9h »: a resident would walk to a closed door.
    Offices open on weekdays only (CDAS, mairies, France services) close on
    public holidays in France. A schedule that says anything about holidays
    (« PH »), opens on Sunday or round the clock is left exactly as written.
    """
    if _MENTIONS_HOLIDAYS_OR_SUNDAY.search(hours):
        return hours
    return hours.rstrip("; ") + "; PH off"


@lru_cache(maxsize=256)
def _parsed(hours: str) -> opening_hours.OpeningHours:
    """The schedule, with France's public holidays: without a country « PH off » never closes anything."""
    try:
        return opening_hours.OpeningHours(closed_on_holidays(hours), country=HOLIDAYS_COUNTRY)
    except Exception:  # an odd but valid schedule the suffix breaks is read as written
        return opening_hours.OpeningHours(hours, country=HOLIDAYS_COUNTRY)


def paris_now() -> dt.datetime:
    return dt.datetime.now(PARIS)


def _clock(moment: dt.datetime) -> str:
    return f"{moment.hour}h{moment.minute:02d}" if moment.minute else f"{moment.hour}h"


def _day(moment: dt.datetime, now: dt.datetime) -> str:
    """ "aujourd'hui", "demain", "lundi" within the week; beyond it the date, never a weekday misread as this one."""
    days_ahead = (moment.date() - now.date()).days
    if days_ahead == 0:
        return "aujourd'hui"
    if days_ahead == 1:
        return "demain"
    if days_ahead < 7:
        return DAYS[moment.weekday()]
    day = "1er" if moment.day == 1 else str(moment.day)
    return f"le {DAYS[moment.weekday()]} {day} {MONTHS[moment.month - 1]}"


def opening_status(hours: str | None, now: dt.datetime) -> str:
    """ "ouvert maintenant, jusqu'à 17h", "fermé, ouvre lundi à 14h", or "" if unknown."""
    if not hours:
        return ""
    local = now.astimezone(PARIS).replace(tzinfo=None) if now.tzinfo else now
    try:
        schedule = _parsed(hours)
        is_open = schedule.is_open(local)
        change = schedule.next_change(local)
    except Exception:  # a bad string is caught by the validator; never break a reply for it
        return ""
    if is_open:
        return f"ouvert maintenant, jusqu'à {_clock(change)}" if change else "ouvert maintenant"
    if change is None:
        return "fermé"
    return f"fermé maintenant, ouvre {_day(change, local)} à {_clock(change)}"


def _local(now: dt.datetime) -> dt.datetime:
    return now.astimezone(PARIS).replace(tzinfo=None) if now.tzinfo else now


def is_open_at(hours: str | None, now: dt.datetime) -> bool | None:
    """True or False from the hours, None when they are unknown or unreadable."""
    if not hours:
        return None
    try:
        return bool(_parsed(hours).is_open(_local(now)))
    except Exception:  # a bad string is caught by the validator; never break a reply for it
        return None


def next_opening(hours: str | None, now: dt.datetime) -> dt.datetime | None:
    """When a closed place next opens (Paris wall-clock time), or None if unknown or open now."""
    if not hours or is_open_at(hours, now) is not False:
        return None
    try:
        change = _parsed(hours).next_change(_local(now))
    except Exception:
        return None
    return change if isinstance(change, dt.datetime) else None


def when_text(moment: dt.datetime, now: dt.datetime) -> str:
    """ "aujourd'hui à 14h", "demain à 9h", "lundi à 9h": a time a resident can act on."""
    return f"{_day(moment, _local(now))} à {_clock(moment)}"


def from_text(moment: dt.datetime, now: dt.datetime) -> str:
    """ "à partir de demain à 8h30", "à partir du lundi 3 août à 9h": when a line answers again."""
    when = when_text(moment, now)
    if when.startswith("le "):
        return "à partir du " + when.removeprefix("le ")
    return ("à partir d'" if when.startswith("aujourd") else "à partir de ") + when  # « d'aujourd'hui », elided
