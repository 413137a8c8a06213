"""Opening hours read for "now" with an injected clock: public holidays close what « PH off » closes."""

import datetime as dt

import pytest

from bot.config import PARIS
from bot.conversation.hours import is_open_at, next_opening, opening_status

WEEKDAYS_NOT_HOLIDAYS = "Mo-Fr 09:00-17:00; PH off"


@pytest.mark.parametrize(
    "day, opens",
    [
        (dt.date(2026, 12, 25), "lundi à 9h"),  # Christmas, a Friday
        (dt.date(2027, 1, 1), "lundi à 9h"),  # New Year's Day, a Friday
        (dt.date(2026, 11, 11), "demain à 9h"),  # Armistice, a Wednesday
        (dt.date(2027, 5, 6), "demain à 9h"),  # Ascension Thursday (Easter 2027: 28 March)
    ],
)
def test_a_public_holiday_closes_a_place_marked_ph_off(day, opens):
    now = dt.datetime.combine(day, dt.time(10, 0), tzinfo=PARIS)
    assert is_open_at(WEEKDAYS_NOT_HOLIDAYS, now) is False
    assert opening_status(WEEKDAYS_NOT_HOLIDAYS, now) == f"fermé maintenant, ouvre {opens}"
    assert next_opening(WEEKDAYS_NOT_HOLIDAYS, now) is not None


def test_an_ordinary_weekday_is_open():
    now = dt.datetime(2026, 12, 1, 10, 0, tzinfo=PARIS)  # a Tuesday
    assert is_open_at(WEEKDAYS_NOT_HOLIDAYS, now) is True
    assert opening_status(WEEKDAYS_NOT_HOLIDAYS, now) == "ouvert maintenant, jusqu'à 17h"


def test_the_day_before_a_holiday_is_an_ordinary_day():
    now = dt.datetime(2026, 12, 24, 16, 0, tzinfo=PARIS)
    assert opening_status(WEEKDAYS_NOT_HOLIDAYS, now) == "ouvert maintenant, jusqu'à 17h"


@pytest.mark.parametrize(
    "hours, now, opens",
    [
        ("Mo-Fr 09:00-17:00; Jul off", dt.datetime(2026, 7, 1, 10, 0, tzinfo=PARIS), "le lundi 3 août à 9h"),
        (
            "Mo-Fr 09:00-17:00; Jul 01-Jul 12 off",
            dt.datetime(2026, 7, 1, 10, 0, tzinfo=PARIS),
            "le lundi 13 juillet à 9h",
        ),
        ("Mo-Fr 09:00-17:00", dt.datetime(2026, 7, 3, 18, 0, tzinfo=PARIS), "lundi à 9h"),  # within the week
    ],
)
def test_a_place_closed_for_more_than_a_week_gives_the_date_it_reopens(hours, now, opens):
    assert opening_status(hours, now) == f"fermé maintenant, ouvre {opens}"


@pytest.mark.parametrize(
    "moment, said",
    [
        (dt.datetime(2026, 7, 2, 8, 30), "à partir de demain à 8h30"),
        (dt.datetime(2026, 7, 3, 9, 0), "à partir de vendredi à 9h"),
        (dt.datetime(2026, 8, 3, 9, 0), "à partir du lundi 3 août à 9h"),
        (dt.datetime(2026, 7, 1, 21, 0), "à partir d'aujourd'hui à 21h"),  # after midnight, the line opens today
    ],
)
def test_when_a_line_answers_again_reads_as_french(moment, said):
    from bot.conversation.hours import from_text

    assert from_text(moment, dt.datetime(2026, 7, 1, 20, 0, tzinfo=PARIS)) == said


WEEKDAYS_ONLY = "Mo-Fr 09:00-12:00,13:30-17:00"  # as the place files write it, without « PH off »


@pytest.mark.parametrize(
    ("now", "said"),
    [
        (dt.datetime(2026, 12, 25, 10, 0, tzinfo=PARIS), "fermé maintenant, ouvre lundi à 9h"),  # Christmas morning
        (dt.datetime(2026, 12, 24, 23, 59, tzinfo=PARIS), "fermé maintenant, ouvre lundi à 9h"),  # not « demain »
        (dt.datetime(2026, 12, 31, 23, 30, tzinfo=PARIS), "fermé maintenant, ouvre lundi à 9h"),  # 1 January next
        (dt.datetime(2026, 12, 2, 10, 0, tzinfo=PARIS), "ouvert maintenant, jusqu'à 12h"),  # an ordinary Wednesday
    ],
)
def test_a_weekday_office_is_closed_on_public_holidays_without_saying_ph_off(now, said):
    assert opening_status(WEEKDAYS_ONLY, now) == said


@pytest.mark.parametrize(
    "hours",
    ["24/7", "Sa,Su,PH 09:00-17:00", "Mo-Su 09:00-17:00", 'Th 13:30-16:30 "aide"; Sa,Su,PH 09:00-17:00'],
)
def test_a_schedule_open_on_sundays_holidays_or_round_the_clock_stays_open_at_christmas(hours):
    assert is_open_at(hours, dt.datetime(2026, 12, 25, 10, 0, tzinfo=PARIS)) is True


def test_a_schedule_ending_with_a_semicolon_is_still_read():
    assert is_open_at("Mo-Fr 09:00-17:00;", dt.datetime(2026, 12, 2, 10, 0, tzinfo=PARIS)) is True
