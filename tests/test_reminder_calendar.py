"""The reminder calendar: which reminders fit which answers, and when they are due.

Time is always passed in; these tests walk through years in milliseconds.
"""

from __future__ import annotations

import datetime as dt

import pytest

from bot.reminders.calendar import (
    BY_ID,
    KINDS,
    LATE_LIMIT,
    PARIS,
    QUARTERLY_COUNT,
    Needs,
    catch_up,
    due_at,
    french_date,
    kinds_for,
    month_choices,
    next_due,
    series,
    series_end,
)
from bot.reminders.dates import IMPOSSIBLE, NOT_A_DATE, PAST, TOO_FAR, read_date

TODAY = dt.date(2026, 12, 1)


@pytest.mark.parametrize(
    "entry, kinds",
    [
        ("rsa", ["trimestrielle"]),
        ("prime-activite", ["trimestrielle"]),
        ("css", ["css"]),
        ("rentree-scolaire", ["ars"]),
        ("impots", ["impots"]),
        ("cheque-energie", ["cheque-energie"]),
        ("titre-sejour", ["titre-sejour"]),
        ("aah", []),
        (None, []),
    ],
)
def test_reminders_fit_their_entries(entry, kinds):
    assert [kind.id for kind in kinds_for(entry)] == kinds


def test_every_kind_targets_shipped_entries_and_says_what_to_do():
    from bot.config import REPO_KNOWLEDGE

    for kind in KINDS:
        assert kind.todo and kind.label
        assert (kind.needs is Needs.NOTHING) == (not kind.question)
        for entry in kind.entries:
            assert (REPO_KNOWLEDGE / "droits" / f"{entry}.yaml").exists(), entry


def test_quarterly_months_offered_cover_every_phase_and_start_next_month():
    assert month_choices(TODAY) == [dt.date(2027, 1, 1), dt.date(2027, 2, 1), dt.date(2027, 3, 1)]
    assert month_choices(dt.date(2026, 11, 30))[0] == dt.date(2026, 12, 1)
    assert {d.month % 3 for d in month_choices(dt.date(2027, 5, 17))} == {0, 1, 2}


def test_quarterly_series_is_one_year_of_declarations():
    days = series(BY_ID["trimestrielle"], TODAY, dt.date(2027, 2, 1))
    assert days == [dt.date(2027, 2, 1), dt.date(2027, 5, 1), dt.date(2027, 8, 1), dt.date(2027, 11, 1)]
    assert len(days) == QUARTERLY_COUNT
    assert series_end(days) == dt.date(2027, 11, 1)


@pytest.mark.parametrize(
    "kind, today, given, expected",
    [
        ("css", TODAY, dt.date(2027, 3, 31), [dt.date(2027, 1, 31)]),  # 2 months before the end
        ("css", TODAY, dt.date(2027, 4, 30), [dt.date(2027, 2, 28)]),  # clamped to February's end
        ("css", TODAY, dt.date(2027, 1, 10), [dt.date(2026, 12, 2)]),  # too close: tomorrow
        ("cheque-energie", TODAY, dt.date(2027, 3, 31), [dt.date(2027, 2, 28)]),
        ("titre-sejour", TODAY, dt.date(2027, 9, 15), [dt.date(2027, 5, 18), dt.date(2027, 7, 2)]),
        ("titre-sejour", TODAY, dt.date(2027, 3, 1), [dt.date(2026, 12, 16)]),  # 4 months passed: the last call
        ("titre-sejour", TODAY, dt.date(2027, 1, 20), [dt.date(2026, 12, 2)]),
        ("css", TODAY, TODAY, []),  # the end is today: nothing can be reminded
        ("ars", TODAY, None, [dt.date(2027, 8, 1)]),
        ("ars", dt.date(2027, 8, 1), None, [dt.date(2028, 8, 1)]),
        ("ars", dt.date(2027, 7, 31), None, [dt.date(2027, 8, 1)]),
        ("impots", TODAY, None, [dt.date(2027, 4, 15)]),
        ("impots", dt.date(2027, 3, 1), None, [dt.date(2027, 4, 15)]),
    ],
)
def test_series_days(kind, today, given, expected):
    assert series(BY_ID[kind], today, given) == expected


def test_a_kind_that_needs_a_date_refuses_to_guess_one():
    with pytest.raises(ValueError):
        series(BY_ID["css"], TODAY, None)


def test_reminders_are_sent_at_ten_in_brest_even_across_daylight_saving():
    assert due_at(dt.date(2027, 1, 31)) == dt.datetime(2027, 1, 31, 9, 0, tzinfo=dt.UTC)
    assert due_at(dt.date(2027, 7, 1)) == dt.datetime(2027, 7, 1, 8, 0, tzinfo=dt.UTC)


def test_a_year_of_quarterly_reminders_walked_hour_by_hour():
    """Drive a clock through 13 months: each reminder is due exactly once, then the series ends."""
    days = series(BY_ID["trimestrielle"], TODAY, dt.date(2027, 1, 5))
    now = dt.datetime(2026, 12, 1, 12, 0, tzinfo=PARIS)
    sent: list[dt.date] = []
    while now < dt.datetime(2028, 1, 1, tzinfo=PARIS):
        send, days = catch_up(days, now)
        if send:
            sent.append(send)
        now += dt.timedelta(hours=1)
    assert sent == [dt.date(2027, 1, 1), dt.date(2027, 4, 1), dt.date(2027, 7, 1), dt.date(2027, 10, 1)]
    assert days == [] and next_due(days, now) is None


def test_next_due_skips_what_is_already_sent_today():
    days = [dt.date(2027, 1, 31), dt.date(2027, 4, 30)]
    assert next_due(days, dt.datetime(2027, 1, 31, 9, 59, tzinfo=PARIS)) == dt.date(2027, 1, 31)
    assert next_due(days, dt.datetime(2027, 1, 31, 10, 0, tzinfo=PARIS)) == dt.date(2027, 4, 30)


@pytest.mark.parametrize(
    "late, sent",
    [
        (dt.timedelta(hours=1), True),
        (LATE_LIMIT - dt.timedelta(minutes=1), True),
        (LATE_LIMIT, False),
        (dt.timedelta(days=30), False),
    ],
)
def test_a_reminder_missed_while_down_is_sent_once_if_less_than_three_days_late(late, sent):
    days = [dt.date(2027, 1, 31), dt.date(2027, 4, 30)]
    send, ahead = catch_up(days, due_at(dt.date(2027, 1, 31)) + late)
    assert (send == dt.date(2027, 1, 31)) is sent
    assert ahead == [dt.date(2027, 4, 30)]  # skipped or sent, it never comes back


def test_only_the_latest_missed_reminder_counts():
    days = [dt.date(2027, 1, 1), dt.date(2027, 4, 1)]
    send, ahead = catch_up(days, due_at(dt.date(2027, 4, 1)) + dt.timedelta(hours=2))
    assert send == dt.date(2027, 4, 1) and ahead == []


def test_french_dates():
    assert french_date(dt.date(2027, 3, 1)) == "1er mars 2027"
    assert french_date(dt.date(2027, 8, 15)) == "15 août 2027"


# --------------------------------------------------------------------------- resident's dates
@pytest.mark.parametrize(
    "text, expected, month_only",
    [
        ("31/03/2027", dt.date(2027, 3, 31), False),
        ("31-03-27", dt.date(2027, 3, 31), False),
        ("31.3.2027", dt.date(2027, 3, 31), False),
        ("le 31 mars 2027", dt.date(2027, 3, 31), False),
        ("1er avril 2027", dt.date(2027, 4, 1), False),
        ("15 aout", dt.date(2027, 8, 15), False),
        ("15 Décembre", dt.date(2026, 12, 15), False),
        ("fin fevrier 2027", dt.date(2027, 2, 1), True),
        ("03/2027", dt.date(2027, 3, 1), True),
        ("expire le 12 sept 2028.", dt.date(2028, 9, 12), False),
        ("31/03", dt.date(2027, 3, 31), False),  # no year: the next 31 March
        ("15/12", dt.date(2026, 12, 15), False),
        ("valable jusqu au 31/03/2027", dt.date(2027, 3, 31), False),
        ("jusqu'au 30 juin 2027", dt.date(2027, 6, 30), False),
    ],
)
def test_dates_as_residents_type_them(text, expected, month_only):
    read = read_date(text, TODAY)
    assert (read.day, read.problem, read.month_only) == (expected, None, month_only)


@pytest.mark.parametrize(
    "text, problem",
    [
        ("demain peut-être", NOT_A_DATE),
        ("", NOT_A_DATE),
        ("06 12 34 56 78", NOT_A_DATE),
        ("31/02/2027", IMPOSSIBLE),
        ("31/04", IMPOSSIBLE),
        ("01/12/2026", PAST),
        ("12/05/2020", PAST),
        ("01/01/2040", TOO_FAR),
    ],
)
def test_dates_that_cannot_be_used_get_a_french_reason(text, problem):
    assert read_date(text, TODAY) == type(read_date("", TODAY))(None, problem)
