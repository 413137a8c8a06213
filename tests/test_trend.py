"""The needs-per-week line chart (bot/laboratoire/trend.py)."""

from __future__ import annotations

import re

from bot.laboratoire.trend import LINE_COLOURS, line_chart, week_range


def test_week_range_fills_every_week_across_a_new_year():
    assert week_range("2026-W52", "2027-W02") == ["2026-W52", "2026-W53", "2027-W01", "2027-W02"]
    assert week_range("2026-W45", "2026-W45") == ["2026-W45"]


def test_one_line_per_need_with_gaps_counted_as_zero():
    weeks = week_range("2026-W45", "2026-W48")
    svg = line_chart(
        "Besoins par semaine",
        [("permis de conduire", {"2026-W45": 4, "2026-W48": 2}), ("centre de loisirs", {"2026-W46": 1})],
        weeks,
    )
    polylines = re.findall(r"<polyline points='([^']+)'[^>]*stroke='(#[0-9a-f]{6})'", svg)
    assert [colour for _, colour in polylines] == list(LINE_COLOURS[:2])
    first = [tuple(map(float, p.split(","))) for p in polylines[0][0].split()]
    assert len(first) == 4
    assert first[1][1] == first[2][1] > first[0][1]  # the zero weeks sit on the axis, below the peak
    assert "permis de conduire (6)" in svg and "centre de loisirs (1)" in svg


def test_labels_are_escaped_and_an_empty_chart_says_so():
    svg = line_chart("T", [("<b>x</b>", {"2026-W45": 1})], ["2026-W45"])
    assert "<b>" not in svg and "&lt;b&gt;" in svg
    assert "Aucune donnée" in line_chart("T", [], [])
