"""The report as one self-contained HTML page (inline CSS and SVG, no script, no external asset).

It opens offline and can be sent by e-mail. The page itself is the template
`templates/report.html`; this module fills it and draws the charts.
"""

from __future__ import annotations

import html
from collections.abc import Collection, Sequence
from importlib import resources
from pathlib import Path
from string import Template

from bot.laboratoire.clustering import NO_CLOSE_ENTRY
from bot.laboratoire.report import CHARTED_NEEDS, AnsweredShare, Report, shorten
from bot.laboratoire.suppression import MASKED
from bot.laboratoire.trend import line_chart
from bot.laboratoire.wording import agreed, hidden_questions_text

TEMPLATE = "templates/report.html"
CHART_COLOUR = "#1f5fa8"
ACCENT_COLOUR = "#e07b24"
ANSWERED_COLOUR = "#2e8540"
TREND_NEEDS = CHARTED_NEEDS  # the weekly totals hide what these needs' lines hide (`report`)


def _not_shown(count: int) -> str:
    return "n'est pas affiché" if count < 2 else "ne sont pas affichés"


def render_html(report: Report) -> str:
    """The whole report as one HTML string: inline CSS and SVG, nothing fetched."""
    e = html.escape
    top = report.needs[:10]
    charts = [
        _column_chart(
            "Questions sans réponse par semaine", report.per_week, CHART_COLOUR, report.masked_weeks, _masked(report)
        ),
        _bar_chart("Questions sans réponse par quartier", report.per_quartier, CHART_COLOUR),
        _bar_chart(
            "Besoins les plus fréquents", [(f"{n.id} · {shorten(n.label, 38)}", n.count) for n in top], ACCENT_COLOUR
        ),
        line_chart(
            "Besoins par semaine (les plus fréquents)",
            [(n.label, n.weeks) for n in report.needs[:TREND_NEEDS]],
            report.weeks,
            [n.masked_weeks for n in report.needs[:TREND_NEEDS]],
            _masked(report),
        ),
        _share_chart(
            "Part des questions ayant reçu une réponse, par quartier", report.answered, ANSWERED_COLOUR, report.k
        ),
    ]
    rows = []
    year = report.generated.year
    for need in report.needs:
        examples = "".join(f"<li>{e(x)}</li>" for x in need.examples)
        guess = (
            f"{e(need.guess)} <span class='muted'>({need.guess_score})</span>"
            if need.guess
            else f"<span class='muted'>{NO_CLOSE_ENTRY}</span>"
        )
        rows.append(
            f"<tr><td class='id'>{e(need.id)}</td><td class='label'>{e(need.label)}</td>"
            f"<td class='num'>{need.count}</td>"
            f"<td>{e(need.quartier_label)}</td><td>{e(need.first_week(year))}</td><td>{e(need.last_week(year))}</td>"
            f"<td><ul>{examples}</ul></td><td>{guess}</td></tr>"
        )
    table = (
        "<table><thead><tr><th>Besoin</th><th>En quelques mots</th><th>Nombre</th><th>Quartiers</th>"
        "<th>Première fois</th>"
        "<th>Dernière fois</th><th>Exemples de questions</th><th>Fiche la plus proche</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
        if rows
        else "<p>Aucun besoin à revoir sur cette période.</p>"
    )
    hidden = (
        f"<p class='muted'>{hidden_questions_text(report.hidden_questions)} : "
        f"{agreed(report.hidden_needs, 'besoin vu', 'besoins vus')} moins de {report.k} fois"
        f"{' dans ce quartier' if report.quartier else ''} "
        f"{_not_shown(report.hidden_needs)}, "
        "pour que personne ne puisse être reconnu.</p>"
        if report.hidden_needs
        else ""
    )
    page = Template(resources.files("bot.laboratoire").joinpath(TEMPLATE).read_text(encoding="utf-8"))
    return page.substitute(
        generated=e(report.generated.isoformat()),
        period=e(report.period_label),
        needs=len(report.needs),
        questions=report.total_questions,
        charts="".join(charts),
        hidden=hidden,
        table=table,
        offtopic=_offtopic_section(report),
        feedback=_feedback_section(report),
        k_anonymity=report.k,
    )


def write_html(report: Report, path: Path) -> None:
    Path(path).write_text(render_html(report), encoding="utf-8")


def _chart(title: str, width: int, height: int, body: str) -> str:
    return (
        f"<figure class='chart'><h3>{html.escape(title)}</h3>"
        f"<svg width='{width}' height='{height}' "
        f"viewBox='0 0 {width} {height}' role='img' aria-label='{html.escape(title)}'>{body}</svg></figure>"
    )


def _masked(report: Report) -> str:
    """What a hidden week reads: the same for every one, rare or hidden with it (`suppression`)."""
    return MASKED


def _column_chart(
    title: str,
    series: Sequence[tuple[str, int]],
    colour: str,
    masked: Collection[str] = frozenset(),
    masked_text: str = "masqué",
) -> str:
    """Vertical bars, one per week, labelled below with the week number; `masked` weeks say `masked_text`."""
    width, height, margin, bottom = 520, 260, 30, 40
    if not series:
        return _chart(title, width, 80, "<text x='10' y='40' font-size='14'>Aucune donnée</text>")
    peak = max(n for _, n in series) or 1
    slot = (width - 2 * margin) / len(series)
    bar = min(60.0, max(4.0, slot * 0.7))
    parts = [
        f"<line x1='{margin}' y1='{height - bottom}' x2='{width - margin}' y2='{height - bottom}' "
        "stroke='#888' stroke-width='1'/>"
    ]
    for i, (label, n) in enumerate(series):
        h = (height - bottom - 30) * n / peak
        x = margin + i * slot + (slot - bar) / 2
        y = height - bottom - h
        shown = "–" if label in masked else str(n)  # never the rare count, nor which hidden week is rare
        parts.append(
            f"<rect x='{x:.1f}' y='{y:.1f}' width='{bar:.1f}' height='{h:.1f}' fill='{colour}'>"
            f"<title>{html.escape(label)} : {html.escape(masked_text) if label in masked else n}</title></rect>"
        )
        parts.append(f"<text x='{x + bar / 2:.1f}' y='{y - 4:.1f}' font-size='12' text-anchor='middle'>{shown}</text>")
        if len(series) <= 16 or i % max(1, len(series) // 12) == 0:
            parts.append(
                f"<text x='{x + bar / 2:.1f}' y='{height - bottom + 16}' font-size='11' "
                f"text-anchor='middle'>{html.escape(label.split('-')[-1])}</text>"
            )
    return _chart(title, width, height, "".join(parts))


def _bar_chart(title: str, series: Sequence[tuple[str, int]], colour: str) -> str:
    """Horizontal bars with the label on the left: long names stay readable."""
    width, label_w, row = 520, 260, 26
    if not series:
        return _chart(title, width, 80, "<text x='10' y='40' font-size='14'>Aucune donnée</text>")
    height = row * len(series) + 10
    peak = max(n for _, n in series) or 1
    parts = []
    for i, (label, n) in enumerate(series):
        y = 5 + i * row
        w = (width - label_w - 40) * n / peak
        parts.append(
            f"<text x='{label_w - 6}' y='{y + 16}' font-size='12' text-anchor='end'>"
            f"{html.escape(shorten(label, 34))}</text>"
        )
        parts.append(
            f"<rect x='{label_w}' y='{y + 3}' width='{w:.1f}' height='{row - 8}' fill='{colour}'>"
            f"<title>{html.escape(label)} : {n}</title></rect>"
        )
        parts.append(f"<text x='{label_w + w + 4:.1f}' y='{y + 16}' font-size='12'>{n}</text>")
    return _chart(title, width, height, "".join(parts))


def _share_chart(title: str, shares: Sequence[AnsweredShare], colour: str, k: int) -> str:
    """Horizontal bars from 0 to 100 %: the share of questions answered in each quartier.

    A quartier with a part under `k` gets no bar and « — », its rare part in
    the tooltip as « moins de k » (see `AnsweredShare.detail`).
    """
    width, label_w, row = 520, 200, 26
    if not shares:
        return _chart(title, width, 80, "<text x='10' y='40' font-size='14'>Aucune donnée</text>")
    height = row * len(shares) + 10
    span = width - label_w - 60
    parts = []
    for i, share in enumerate(shares):
        y = 5 + i * row
        percent = share.percent(k)
        w = 0.0 if percent is None else span * share.share  # a bar's length would give a masked part back
        parts.append(
            f"<text x='{label_w - 6}' y='{y + 16}' font-size='12' text-anchor='end'>"
            f"{html.escape(shorten(share.quartier, 28))}</text>"
        )
        tooltip = f"<title>{html.escape(share.quartier)} : {html.escape(share.detail(k))}</title>"
        parts.append(
            f"<rect x='{label_w}' y='{y + 3}' width='{span}' height='{row - 8}' fill='#eeeeee'>{tooltip}</rect>"
        )
        parts.append(
            f"<rect x='{label_w}' y='{y + 3}' width='{w:.1f}' height='{row - 8}' fill='{colour}'>{tooltip}</rect>"
        )
        shown = "—" if percent is None else f"{percent} %"
        parts.append(f"<text x='{label_w + span + 6}' y='{y + 16}' font-size='12'>{shown}</text>")
    return _chart(title, width, height, "".join(parts))


def _offtopic_section(report: Report) -> str:
    """Questions declined as outside the bot's field, grouped like the needs."""
    e = html.escape
    if not report.offtopic and not report.hidden_offtopic:
        return "<p class='muted'>Aucune question hors sujet sur cette période.</p>"
    rows = "".join(
        f"<tr><td class='id'>{e(n.id)}</td><td class='label'>{e(n.label)}</td><td class='num'>{n.count}</td>"
        f"<td><ul>{''.join(f'<li>{e(x)}</li>' for x in n.examples)}</ul></td></tr>"
        for n in report.offtopic
    )
    hidden = (
        f"<p class='muted'>{agreed(report.hidden_offtopic, 'groupe vu', 'groupes vus')} moins de {report.k} fois "
        f"{_not_shown(report.hidden_offtopic)}.</p>"
        if report.hidden_offtopic
        else ""
    )
    return (
        f"{hidden}<table><thead><tr><th>Groupe</th><th>En quelques mots</th><th>Nombre</th>"
        f"<th>Exemples de questions</th></tr></thead><tbody>{rows}</tbody></table>"
    )


def _feedback_section(report: Report) -> str:
    """👎 per entry with what residents had asked: what to fix, and where."""
    e = html.escape
    if not report.feedback and not report.hidden_feedback:
        return "<p class='muted'>Aucun avis « Pas vraiment » sur cette période.</p>"
    rows = "".join(
        f"<tr><td class='id'>{e(f.entry_id)}</td><td class='num'>{f.unhelpful}</td>"
        f"<td class='num'>{f.unhelpful + f.helpful}</td>"
        f"<td><ul>{''.join(f'<li>{e(q)}</li>' for q in f.questions) or '<li>—</li>'}</ul></td></tr>"
        for f in report.feedback
    )
    hidden = (
        f"<p class='muted'>{report.hidden_feedback} fiche(s) avec moins de {report.k} avis négatifs "
        "ne sont pas affichées.</p>"
        if report.hidden_feedback
        else ""
    )
    return (
        f"{hidden}<table class='feedback'><thead><tr><th>Fiche</th><th>« Pas vraiment »</th><th>Avis</th>"
        f"<th>Ce que les habitants avaient demandé</th></tr></thead><tbody>{rows}</tbody></table>"
    )
