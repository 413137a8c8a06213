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
