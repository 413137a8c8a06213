"""The review's « answered per quartier » never shows a part small enough to point at one resident.

Made-up activity only. « 5 sur 6 » in Bellevue says one resident there got
no answer (and their question is in the needs above); « 83 % » next to 6
questions says the same. So a part under K_ANONYMITY reads « moins de 3 »
and its line gets no percentage, in the text report as in the HTML one.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.config import K_ANONYMITY
from bot.laboratoire import build_report, format_table, render_html
from bot.laboratoire.report import AnsweredShare
from bot.storage.store import Store
from tests.conftest import Clock

TODAY = dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))
K = K_ANONYMITY
# quartier: (answered, unanswered)
ACTIVITY = {
    "bellevue": (K + 2, 1),  # one resident without an answer
    "europe": (1, K + 1),  # one resident with an answer
    "lambezellec": (K, K),  # both parts large enough: shown in full
    "quatre-moulins": (1, 0),  # too few questions: pooled, and the pool is under k too
}


@pytest.mark.parametrize(
    "answered, unanswered, k, percent, detail",
    [
        (3, 3, 3, 50, "3 sur 6"),
        (12, 0, 3, 100, "12 sur 12"),
        (0, 4, 3, 0, "0 sur 4"),
        (5, 1, 3, None, "moins de 3 sans réponse sur 6"),
        (2, 10, 3, None, "moins de 3 avec réponse sur 12"),
        (1, 0, 3, None, "moins de 3 questions"),
        (1, 1, 3, None, "moins de 3 questions"),
        (6, 4, 5, None, "moins de 5 sans réponse sur 10"),
        (6, 4, 3, 60, "6 sur 10"),
    ],
)
def test_a_rare_part_is_masked_and_has_no_percentage(answered, unanswered, k, percent, detail):
    share = AnsweredShare("Bellevue", answered, unanswered)
    assert share.percent(k) == percent
    assert share.detail(k) == detail


@pytest.fixture
def store(tmp_path: Path, shipped_quartiers):
    clock = Clock(TODAY)
    with Store(tmp_path / "relais.db", clock=clock, quartiers=shipped_quartiers) as opened:
        for quartier, (answered, unanswered) in ACTIVITY.items():
            for _ in range(answered):
                opened.record_answered("rsa", quartier, "telegram")
            for i in range(unanswered):
                text = f"question {quartier} numéro {i}"
                opened.record_unanswered(text, text, quartier, "telegram", None, 0)
        opened.flush()
        yield opened


@pytest.fixture(params=["text", "html"])
def rendered(request, store) -> str:
    report = build_report(store, since="all")
    return format_table(report) if request.param == "text" else render_html(report)


def test_the_report_masks_a_rare_part_and_its_percentage(rendered):
    assert f"moins de {K} sans réponse sur {K + 3}" in rendered
    assert f"moins de {K} avec réponse sur {K + 2}" in rendered
    assert f"{K + 2} sur {K + 3}" not in rendered and f"1 sur {K + 2}" not in rendered
    for masked in (round(100 * (K + 2) / (K + 3)), round(100 / (K + 2))):
        assert f"{masked} %" not in rendered


def test_a_pooled_line_under_k_shows_neither_count_nor_percentage(rendered):
    assert f"moins de {K} questions" in rendered
    assert "1 sur 1" not in rendered and "100 %" not in rendered


def test_the_report_keeps_a_share_whose_parts_are_both_large_enough(rendered):
    assert f"{K} sur {2 * K}" in rendered
    assert "50 %" in rendered
