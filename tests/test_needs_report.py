"""The report's needs keep their identity under every filter; declined questions and 👎 have their sections.

Every question here is made up.
"""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import pytest

from bot.laboratoire import (
    K_ANONYMITY,
    ReviewError,
    build_report,
    dismiss,
    find_need,
    format_table,
    render_html,
    write_csv,
)
from bot.laboratoire.report import needs_summary_text
from bot.storage.store import Store
from tests.conftest import Clock

PARIS = dt.timezone(dt.timedelta(hours=1))
TODAY = dt.datetime(2026, 11, 30, 10, 0, tzinfo=PARIS)

PERMIS = [
    "aide pour le permis",
    "aide pour payer le permis",
    "permis de conduire aide financière",
    "jveux passer mon permis c trop cher",
    "financer le permis b",
]
LOISIRS = [
    "centre de loisirs pour mon fils le mercredi",
    "inscrire ma fille au centre aéré",
    "activités pour les enfants le mercredi",
    "accueil de loisirs 6 ans",
]
# (text, quartier, days ago): permis in Europe recently and in Bellevue a month ago; leisure in both.
ASKED = (
    [(t, "europe", d) for t, d in zip(PERMIS, (1, 2, 3, 4, 5))]
    + [(t, "bellevue", d) for t, d in zip(PERMIS[:3], (20, 22, 40))]
    + [(t, "bellevue", d) for t, d in zip(LOISIRS, (2, 3, 5, 6))]
    + [(t, "europe", d) for t, d in zip(LOISIRS[:2], (25, 60))]
    + [("ou faire reparer mon velo", None, 1)]
)
PERIODS = ("7d", "30d", "all")
QUARTIERS = (None, "europe", "bellevue")


@pytest.fixture
def clock() -> Clock:
    return Clock(TODAY)


@pytest.fixture
def store(tmp_path: Path, clock: Clock, shipped_quartiers):
    with Store(tmp_path / "relais.db", clock=clock, quartiers=shipped_quartiers) as opened:
        for text, quartier, days_ago in sorted(ASKED, key=lambda a: -a[2]):
            clock.now = TODAY - dt.timedelta(days=days_ago)
            opened.record_unanswered(text, text, quartier, "telegram", None, 0)
        clock.now = TODAY
        opened.flush()
        yield opened


def expected_count(texts: list[str], since: str, quartier: str | None) -> int:
    days = {"7d": 7, "30d": 30, "all": None}[since]
    return sum(1 for t, q, d in ASKED if t in texts and (days is None or d < days) and (quartier in (None, q)))


def test_driving_licence_and_leisure_are_one_need_each_with_a_readable_label(store):
    report = build_report(store, since="all")
    labels = {n.label: n.count for n in report.needs}
    assert labels["permis"] == 8
    assert len(report.needs) == 2 and report.hidden_needs == 1  # the lone bicycle question is not shown
    assert sum(labels.values()) == len(ASKED) - 1


@pytest.mark.parametrize("since, quartier", list(itertools.product(PERIODS, QUARTIERS)))
def test_a_need_is_the_same_need_under_every_filter(store, since, quartier):
    whole = {n.id: n for n in build_report(store, since="all").needs}
    filtered = build_report(store, since=since, quartier=quartier)
    for need in filtered.needs:
        same = whole[need.id]  # the id shown under a filter is the id of the whole need
        assert need.label == same.label
        texts = sorted({q.question for q in same.questions})
        assert need.count == expected_count(texts, since, quartier)
        assert find_need(store, need.id).id == need.id
    shown = {n.id for n in filtered.needs}
    for ident, need in whole.items():
        in_view = expected_count(sorted({q.question for q in need.questions}), since, quartier)
        assert (ident in shown) == (in_view >= K_ANONYMITY), (ident, in_view)
        if quartier:
            restricted = need.restricted(lambda q: q.quartier == quartier)
            if restricted and since == "all":
                assert restricted.count == need.per_quartier[quartier]  # "Europe (5)" is 5 under --quartier europe


def test_an_id_seen_under_a_filter_can_be_dismissed_and_the_whole_need_leaves(store):
    shown = build_report(store, since="7d", quartier="europe").needs
    permis = next(n for n in shown if n.label == "permis")
    gone = dismiss(store, permis.id)
    assert gone.count == 8  # every quartier, every day: the need, not its filtered view
    assert permis.id not in {n.id for n in build_report(store, since="all").needs}
    with pytest.raises(ReviewError, match="introuvable"):
        find_need(store, permis.id)


def test_ids_do_not_move_when_new_questions_join(store):
    before = {n.id for n in build_report(store, since="all").needs}
    new = "permis de conduire pas cher"
    store.record_unanswered(new, new, "europe", "telegram", None, 0)
    store.record_unanswered("je cherche un jardin partagé", "je cherche un jardin partage", None, "telegram", None, 0)
    store.flush()
    after = build_report(store, since="all").needs
    joined = next(n for n in after if new in n.examples or any(q.question == new for q in n.questions))
    assert joined.id in before  # the driving-licence need took the new question and kept its id
    assert before <= {n.id for n in after}


def test_questions_declined_as_out_of_scope_have_their_own_section(store):
    for text in ("la météo de demain", "il va pleuvoir demain ?", "météo samedi"):
        store.record_unanswered(text, text, "europe", "telegram", None, 0, reason="hors-sujet")
    store.flush()
    report = build_report(store, since="all")
    assert sum(n.count for n in report.offtopic) == 3
    assert all("meteo" not in n.representative for n in report.needs)
    table = format_table(report)
    assert "HORS SUJET" in table and "météo" in table.split("HORS SUJET")[1]
    ident = report.offtopic[0].id
    assert ident not in {n.id for n in report.needs}
    assert dismiss(store, ident).section == "hors-sujet"
    assert ident not in {n.id for n in build_report(store, since="all").offtopic}
    assert "Hors sujet" in render_html(report)


def renderings(report, tmp_path: Path, store: Store) -> dict[str, str]:
    """Everything staff can read of a report: the table, the HTML page, the CSV and the Telegram summary."""
    write_csv(report, tmp_path / "besoins.csv")
    return {
        "table": format_table(report),
        "html": render_html(report),
        "csv": (tmp_path / "besoins.csv").read_text(encoding="utf-8-sig"),
        "telegram": needs_summary_text(store, days=30),
    }


@pytest.mark.parametrize("quartier", [None, "europe"])
def test_no_group_asked_fewer_than_k_times_is_shown_in_any_section_or_rendering(store, tmp_path, quartier):
    meteo = ["la météo de demain", "il va pleuvoir demain ?", "quel temps demain"]
    for text in meteo:
        store.record_unanswered(text, text, "europe", "telegram", None, 0, reason="hors-sujet")
    # One resident's rare questions: out of scope, and a need nobody else has.
    store.record_unanswered(
        "horoscope balance", "horoscope balance", "europe", "telegram", None, 0, reason="hors-sujet"
    )
    store.record_unanswered("tatouage au henné", "tatouage au henne", "europe", "telegram", None, 0)
    store.flush()
    report = build_report(store, since="all", quartier=quartier)
    assert [n.count for n in report.offtopic] == [3] and report.hidden_offtopic == 1
    assert all(n.count >= K_ANONYMITY for n in report.needs + report.offtopic)
    for name, text in renderings(report, tmp_path, store).items():
        assert "horoscope" not in text and "tatouage" not in text, name
    table = format_table(report)
    assert f"1 groupe vu moins de {K_ANONYMITY} fois masqué" in table.split("HORS SUJET")[1]
    assert "météo" in table.split("HORS SUJET")[1]


def test_the_threshold_is_the_one_asked_for(store):
    for text in ("la météo de demain", "il va pleuvoir demain ?", "quel temps demain"):
        store.record_unanswered(text, text, "europe", "telegram", None, 0, reason="hors-sujet")
    store.flush()
    assert build_report(store, since="all", k=4).offtopic == []
    assert build_report(store, since="all", k=4).hidden_offtopic == 1
    lone = build_report(store, since="all", k=1)
    assert "ou faire reparer mon velo" in {e for n in lone.needs for e in n.examples}
    assert "Europe (3)" in lone.offtopic[0].quartier_label and build_report(store, k=4).needs[0].quartiers == [
        ("europe", 5)
    ]


def test_thumbs_down_are_grouped_per_entry_with_what_was_asked(store):
    asked = ["mon rsa est suspendu pourquoi", "rsa pas versé ce mois", "calcul du rsa faux"]
    for text in asked:
        store.record_feedback("rsa", text, False, "bellevue", "telegram")
    store.record_feedback("rsa", "rsa", True, "bellevue", "telegram")
    store.record_feedback("css", "mutuelle", False, "europe", "telegram")
    store.flush()
    report = build_report(store, since="all")
    rsa, css = report.feedback
    assert (rsa.entry_id, rsa.unhelpful, rsa.helpful) == ("rsa", 3, 1)
    assert rsa.questions == list(reversed(asked))  # most recent first
    assert css.unhelpful == 1
    table = format_table(report)
    assert "RÉPONSES JUGÉES PEU UTILES" in table and "rsa : 3 👎 sur 4 avis" in table
    page = render_html(report)
    assert "calcul du rsa faux" in page and "Ce que les habitants avaient demandé" in page
    # Under a quartier, an entry with fewer than K 👎 there is not shown.
    europe = build_report(store, since="all", quartier="europe")
    assert europe.feedback == [] and europe.hidden_feedback == 1
    assert [f.entry_id for f in build_report(store, since="all", quartier="bellevue").feedback] == ["rsa"]


def test_the_share_of_questions_answered_per_quartier(store):
    for _ in range(6):
        store.record_answered("rsa", "bellevue", "telegram")
    store.flush()
    shares = {s.quartier: s for s in build_report(store, since="all").answered}
    assert (shares["Bellevue"].answered, shares["Bellevue"].unanswered) == (6, 7)
    assert round(100 * shares["Bellevue"].share) == 46
    assert "46 %" in format_table(build_report(store, since="all"))


def test_the_week_summary_uses_the_report_ids(store):
    text = needs_summary_text(store, days=7, quartier="europe")
    permis = next(n for n in build_report(store, since="7d", quartier="europe").needs if n.label == "permis")
    assert f"[{permis.id}]" in text and "permis : 5 fois" in text and "à Europe" in text


def guessed(store: Store, asked: list[tuple[str, str | None, int]]) -> list:
    for text, guess, score in asked:
        store.record_unanswered(text, text, "europe", "telegram", guess, score)
    store.flush()
    return build_report(store, since="7d").needs


@pytest.mark.parametrize(
    "guesses, shown",
    [
        ([("pass-sport", 60)] * 4, "pass-sport"),  # the guesses agree, and well above "I don't know"
        ([("pass-sport", 60), ("pass-sport", 55), ("pass-sport", 50), ("rsa", 50)], "pass-sport"),  # 3 of 4 agree
        ([("pass-sport", 60), ("pass-sport", 55), ("css", 50), ("rsa", 50)], None),  # half: too often a false lead
        ([("mission-locale", 47), ("simulateur", 44), ("impayes-logement-energie", 48), (None, 0)], None),
        ([("pass-sport", 20)] * 4, None),  # they agree, but on a guess the bot itself would not make
        ([(None, 0)] * 4, None),
    ],
)
def test_the_closest_entry_is_shown_only_when_the_guesses_agree_on_it(
    tmp_path, clock, shipped_quartiers, guesses, shown
):
    texts = ["cours de poterie pour adulte", "poterie le soir", "atelier poterie", "apprendre la poterie"]
    with Store(tmp_path / "guesses.db", clock=clock, quartiers=shipped_quartiers) as store:
        needs = guessed(store, [(t, g, s) for t, (g, s) in zip(texts, guesses)])
        assert len(needs) == 1 and needs[0].guess == shown
        report = build_report(store, since="7d")
        table, page = format_table(report), render_html(report)
    if shown is None:
        assert needs[0].guess_score == 0
        assert "aucune fiche proche" in table and "aucune fiche proche" in page
        assert "mission-locale" not in table and "mission-locale" not in page
    else:
        assert f"{shown} ({needs[0].guess_score})" in table and needs[0].guess_score == 60
