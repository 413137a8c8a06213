"""Needs per week for the top needs: a small line chart in inline SVG (no script, works offline).

A bar of totals says how much went unanswered; it does not say whether the
driving-licence need is growing while the leisure one fades after the
holidays. One line per top need, over every week of the period (weeks with
no question count as zero, so a gap reads as a drop, not as a straight line).
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Collection, Mapping, Sequence

# Colour-blind-safe palette (Okabe-Ito), darkest first: lines stay apart on screen and in print.
LINE_COLOURS = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#56b4e9", "#e69f00")
WIDTH, HEIGHT = 520, 260
_LEFT, _RIGHT, _TOP, _BOTTOM = 36, 12, 16, 40
_LEGEND_ROW = 18


_MONTHS = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc.")


def monday_of(day: str) -> dt.date:
    """The Monday of the week of an ISO day ("2026-11-26" -> 2026-11-23)."""
    date = dt.date.fromisoformat(day)
    return date - dt.timedelta(days=date.weekday())


def week_label(day: str, this_year: int | None = None) -> str:
    """ "semaine du 23 nov.": when something was asked, to the week, never the day.

    A need seen first on one exact day, in a small quartier, can point at the
    resident who asked; the week it was asked in says as much to the
    laboratoire. The year is added when it is not `this_year`.
    """
    monday = monday_of(day)
    year = "" if monday.year == this_year else f" {monday.year}"
    return f"semaine du {monday.day} {_MONTHS[monday.month - 1]}{year}"


def week_range(first: str, last: str) -> list[str]:
    """Every ISO week label ("2026-W45") from `first` to `last`, both included."""
    start = dt.date.fromisocalendar(*_parse_week(first), 1)
    end = dt.date.fromisocalendar(*_parse_week(last), 1)
    weeks: list[str] = []
    day = start
    while day <= end and len(weeks) < 520:  # ten years at most: a bad label must not loop for long
        year, week, _ = day.isocalendar()
        weeks.append(f"{year}-W{week:02d}")
        day += dt.timedelta(days=7)
    return weeks


def _parse_week(label: str) -> tuple[int, int]:
    year, _, week = label.partition("-W")
    return int(year), int(week)


def line_chart(
    title: str,
    series: Sequence[tuple[str, Mapping[str, int]]],
    weeks: Sequence[str],
    masked: Sequence[Collection[str]] = (),
    masked_text: str = "masqué",
) -> str:
    """One line per (label, {week: count}) over `weeks`; a legend under the chart names each line.

    `masked[i]` are the weeks whose count of series i is too rare to show:
    drawn at zero as a hollow point titled `masked_text`, never as a number.
    """
    if not series or not weeks:
        return _figure(title, WIDTH, 80, "<text x='10' y='40' font-size='14'>Aucune donnée</text>")
    series = list(series)[: len(LINE_COLOURS)]
    legend_height = _LEGEND_ROW * len(series) + 6
    height = HEIGHT + legend_height
    plot_w, plot_h = WIDTH - _LEFT - _RIGHT, HEIGHT - _TOP - _BOTTOM
    hidden = [set(masked[i]) if i < len(masked) else set() for i in range(len(series))]
    series = [
        (label, {w: n for w, n in counts.items() if w not in hidden[i]}) for i, (label, counts) in enumerate(series)
    ]
    peak = max([1] + [counts.get(w, 0) for _, counts in series for w in weeks])
    step = plot_w / max(1, len(weeks) - 1)

    def x(i: int) -> float:
        return _LEFT + (i * step if len(weeks) > 1 else plot_w / 2)

    def y(n: int) -> float:
        return _TOP + plot_h * (1 - n / peak)

    parts = [
        f"<line x1='{_LEFT}' y1='{_TOP + plot_h}' x2='{WIDTH - _RIGHT}' y2='{_TOP + plot_h}' stroke='#888'/>",
        f"<line x1='{_LEFT}' y1='{_TOP}' x2='{_LEFT}' y2='{_TOP + plot_h}' stroke='#888'/>",
        f"<text x='{_LEFT - 6}' y='{_TOP + 4}' font-size='11' text-anchor='end'>{peak}</text>",
        f"<text x='{_LEFT - 6}' y='{_TOP + plot_h + 4}' font-size='11' text-anchor='end'>0</text>",
    ]
    every = max(1, len(weeks) // 10)
    for i, week in enumerate(weeks):
        if i % every == 0 or i == len(weeks) - 1:
            parts.append(
                f"<text x='{x(i):.1f}' y='{_TOP + plot_h + 16}' font-size='11' text-anchor='middle'>"
                f"{html.escape(week.split('-')[-1])}</text>"
            )
    for row, ((label, counts), colour) in enumerate(zip(series, LINE_COLOURS)):
        points = " ".join(f"{x(i):.1f},{y(counts.get(w, 0)):.1f}" for i, w in enumerate(weeks))
        parts.append(
            f"<polyline points='{points}' fill='none' stroke='{colour}' stroke-width='3' "
            f"stroke-linejoin='round'><title>{html.escape(label)}</title></polyline>"
        )
        for i, w in enumerate(weeks):
            shown = html.escape(masked_text) if w in hidden[row] else str(counts.get(w, 0))
            fill = "#ffffff" if w in hidden[row] else colour
            parts.append(
                f"<circle cx='{x(i):.1f}' cy='{y(counts.get(w, 0)):.1f}' r='3.5' fill='{fill}' stroke='{colour}'>"
                f"<title>{html.escape(label)}, {html.escape(w)} : {shown}</title></circle>"
            )
    for row, ((label, counts), colour) in enumerate(zip(series, LINE_COLOURS)):
        top = HEIGHT + row * _LEGEND_ROW
        total = sum(counts.get(w, 0) for w in weeks)
        parts.append(f"<rect x='{_LEFT}' y='{top + 4}' width='22' height='8' fill='{colour}'/>")
        parts.append(
            f"<text x='{_LEFT + 30}' y='{top + 12}' font-size='12'>{html.escape(_short(label, 60))} ({total})</text>"
        )
    return _figure(title, WIDTH, height, "".join(parts))


def _short(text: str, size: int) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


def _figure(title: str, width: int, height: int, body: str) -> str:
    return (
        f"<figure class='chart'><h3>{html.escape(title)}</h3>"
        f"<svg width='{width}' height='{height}' viewBox='0 0 {width} {height}' role='img' "
        f"aria-label='{html.escape(title)}'>{body}</svg></figure>"
    )
