"""What the laboratoire's report never shows: a rare week in a quartier, the exact day, a lone question.

Every question here is made up. The rule (K_ANONYMITY in config): nothing
counted fewer than K times is shown, in any rendering of the report.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from bot.laboratoire import K_ANONYMITY, build_report, dismiss, format_table, render_html, write_csv
from bot.laboratoire.trend import week_label
from bot.storage.store import Store
from tests.conftest import Clock

PARIS = dt.timezone(dt.timedelta(hours=1))
MONDAY = dt.datetime(2026, 11, 2, 10, 0, tzinfo=PARIS)  # ISO week 2026-W45
GARDE = ["garde d'enfant le soir", "faire garder mes enfants le soir", "garde enfants soir"]
CANTINE = ["aide pour payer la cantine", "payer la cantine", "payer la cantine svp", "aide payer cantine scolaire"]
LONE = ["ou acheter un velo d occasion", "cours de guitare pour adulte", "mon évier est bouché"]


@pytest.fixture
def clock() -> Clock:
    return Clock(MONDAY)


@pytest.fixture
def store(tmp_path: Path, clock: Clock, shipped_quartiers):
    """Europe: garde 2 questions in W45 and 1 in W46, cantine 4 in W46; Bellevue: three lone questions."""
    with Store(tmp_path / "relais.db", clock=clock, quartiers=shipped_quartiers) as opened:

        def ask(day: int, text: str, quartier: str) -> None:
            clock.now = MONDAY + dt.timedelta(days=day)
            opened.record_unanswered(text, text, quartier, "telegram", None, 0)

        ask(1, GARDE[0], "europe")
        ask(2, GARDE[1], "europe")
        ask(8, GARDE[2], "europe")
        for offset, text in enumerate(CANTINE):
            ask(9 + offset % 3, text, "europe")
        for offset, text in enumerate(LONE):
            ask(3 + offset, text, "bellevue")
        opened.flush()
        clock.now = MONDAY + dt.timedelta(days=18)
        yield opened


def test_a_quartier_report_masks_every_weekly_count_under_k(store):
    report = build_report(store, since="all", quartier="europe")
    weeks = dict(report.per_week)
    # 2 questions in W45: masked; and W46 with it, or the Europe total (7) less W46 (5) would give the 2 back.
    assert report.masked_weeks == {"2026-W45", "2026-W46"} and weeks["2026-W45"] == weeks["2026-W46"] == 0
    garde = next(n for n in report.needs if "garde" in n.label)
    assert garde.count == 3  # the need itself is shown...
    assert garde.masked_weeks == {"2026-W45", "2026-W46"} and not garde.weeks  # ...not its weeks of 2 and 1
    assert all(n >= K_ANONYMITY for need in report.needs for n in need.weeks.values())
    page = render_html(report)
    assert "2026-W45 : masqué" in page and "2026-W46 : masqué" in page
    assert "2026-W45 : 2<" not in page and "2026-W46 : 1<" not in page and "2026-W46 : 5<" not in page


def test_the_whole_city_report_keeps_its_weekly_counts_of_k_or_more(store):
    garde = next(n for n in build_report(store, since="all").needs if "garde" in n.label)
    dismiss(store, garde.id)  # its line hides W45 and W46: with it, the totals would hide them too
    report = build_report(store, since="all")
    assert not report.masked_weeks
    assert dict(report.per_week) == {"2026-W45": 3, "2026-W46": 4}


def test_the_weeks_a_charted_need_hides_are_hidden_in_the_city_totals(store):
    """Totals of 5 and 5, but W46's 5 less cantine's 4 is garde's 1 there (the lone questions are in W45)."""
    report = build_report(store, since="all")
    garde = next(n for n in report.needs if "garde" in n.label)
    assert garde.masked_weeks == {"2026-W45", "2026-W46"} == report.masked_weeks
    assert dict(report.per_week) == {"2026-W45": 0, "2026-W46": 0}


def test_the_whole_city_report_masks_a_quiet_week_and_a_need_s_rare_weeks(store, clock):
    """A city-wide week of one question, or a need asked twice that week, could point at who asked."""
    clock.now = MONDAY + dt.timedelta(days=15)  # 2026-W47: one question in the whole city
    store.record_unanswered(CANTINE[1], CANTINE[1], "bellevue", "telegram", None, 0)
    store.flush()
    clock.now = MONDAY + dt.timedelta(days=18)
    report = build_report(store, since="all")
    weeks = dict(report.per_week)
    # W47 (1 question) is masked, and so are the weeks garde's and cantine's lines hide.
    assert report.masked_weeks == {"2026-W45", "2026-W46", "2026-W47"}
    assert weeks["2026-W47"] == weeks["2026-W45"] == weeks["2026-W46"] == 0
    garde = next(n for n in report.needs if "garde" in n.label)
    assert garde.count == 3 and garde.masked_weeks == {"2026-W45", "2026-W46"} and not garde.weeks
    cantine = next(n for n in report.needs if "cantine" in n.label)
    # Cantine, 5 questions: « 4 » shown in W46 would give its 1 of W47 back: both weeks are masked.
    assert not cantine.weeks and cantine.masked_weeks == {"2026-W46", "2026-W47"}
    page = render_html(report)
    assert "2026-W47 : masqué" in page and "2026-W47 : 1<" not in page and "2026-W46 : 4<" not in page
    assert "2026-W45 : 2<" not in page


def test_when_a_need_was_asked_is_said_to_the_week_never_the_day(store, tmp_path):
    report = build_report(store, since="all", quartier="europe")
    table = format_table(report)
    assert "semaine du 2 nov." in table and "semaine du 9 nov." in table
    page = render_html(report)
    for day in ("2026-11-03", "2026-11-04", "2026-11-10", "2026-11-11", "2026-11-12"):
        assert day not in table and day not in page
    path = tmp_path / "r.csv"
    write_csv(report, path)
    with open(path, encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    assert {(r["premiere_fois"], r["derniere_fois"]) for r in rows} == {
        ("2026-11-02", "2026-11-09"),
        ("2026-11-09", "2026-11-09"),
    }


def test_questions_hidden_as_too_rare_are_still_counted(store):
    report = build_report(store, since="all")
    assert report.hidden_needs == 3 and report.hidden_questions == 3
    text = "3 autres questions isolées (masquées)"
    assert text in format_table(report) and text in render_html(report)
    assert "3 besoins vus moins de 3 fois masqués" in format_table(report)
    assert not any(word in format_table(report) for word in ("guitare", "évier", "velo"))


@pytest.mark.parametrize(
    "lone, questions, needs",
    [
        (1, "1 autre question isolée (masquée)", "1 besoin vu moins de 3 fois masqué"),
        (2, "2 autres questions isolées (masquées)", "2 besoins vus moins de 3 fois masqués"),
    ],
)
def test_one_or_two_hidden_questions_are_said_exactly(tmp_path, clock, shipped_quartiers, lone, questions, needs):
    """« 1 autre(s) question(s) isolée(s) » read like a form: one or two is said as French says it."""
    with Store(tmp_path / "relais.db", clock=clock, quartiers=shipped_quartiers) as opened:
        for text in CANTINE + LONE[:lone]:
            opened.record_unanswered(text, text, "europe", "telegram", None, 0)
        opened.flush()
        report = build_report(opened, since="all")
        table, page = format_table(report), render_html(report)
    assert report.hidden_questions == lone
    assert questions in table and needs in table and questions in page
    assert "(s)" not in table.split("\n")[1] and "isolée(s)" not in page


@pytest.mark.parametrize(
    "day, year, expected",
    [
        ("2026-11-26", 2026, "semaine du 23 nov."),
        ("2026-11-23", 2026, "semaine du 23 nov."),
        ("2026-11-29", 2026, "semaine du 23 nov."),  # a Sunday belongs to the week begun on Monday
        ("2026-01-01", 2026, "semaine du 29 déc. 2025"),  # another year is named
        ("2026-08-05", None, "semaine du 3 août 2026"),
    ],
)
def test_week_labels(day, year, expected):
    assert week_label(day, year) == expected


def test_a_weekly_total_never_gives_back_a_need_hidden_that_week(tmp_path, clock, shipped_quartiers):
    """Cantine 4 then 1, permis 3 then 3: « 7 » questions in W46 less permis' 3 gave cantine's 4, then its 1."""
    with Store(tmp_path / "relais.db", clock=clock, quartiers=shipped_quartiers) as opened:
        for day, text in [(8, "aide pour payer la cantine")] * 4 + [(15, "aide pour payer la cantine")]:
            clock.now = MONDAY + dt.timedelta(days=day)
            opened.record_unanswered(text, text, "europe", "telegram", None, 0)
        for day in (8, 9, 10, 15, 16, 17):
            clock.now = MONDAY + dt.timedelta(days=day)
            opened.record_unanswered("permis de conduire", "permis de conduire", "europe", "telegram", None, 0)
        opened.flush()
        clock.now = MONDAY + dt.timedelta(days=18)
        report = build_report(opened, since="all")
    cantine = next(n for n in report.needs if "cantine" in n.label)
    permis = next(n for n in report.needs if "permis" in n.label)
    assert cantine.masked_weeks == {"2026-W46", "2026-W47"} and dict(permis.weeks) == {"2026-W46": 3, "2026-W47": 3}
    assert report.masked_weeks >= cantine.masked_weeks
    page = render_html(report)
    assert "2026-W46 : 7" not in page and "2026-W47 : 4" not in page and "2026-W46 : masqué" in page
