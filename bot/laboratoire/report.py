"""The laboratoire's review: needs over a period, k-anonymised, as a terminal table or summary.

A quartier-filtered report leaves out needs seen fewer than `K_ANONYMITY`
times, so that no resident can be singled out by a rare question in a small
neighbourhood. CSV and HTML renderings live in `csv_export` and `html`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.config import K_ANONYMITY
from bot.knowledge.model import QuartierNames
from bot.laboratoire.clustering import Need, cluster
from bot.storage.store import Store, StoreUnavailable

SINCE_CHOICES = ("7d", "30d", "all")
_SINCE = re.compile(r"^(\d{1,4})\s*(d|j|w|s)$")


class ReviewError(Exception):
    """Something a mediator asked that cannot be done; the message is French and final."""


@dataclass
class Report:
    """What a review shows: needs and the chart series, already k-anonymised."""

    since: str
    quartier: str | None
    generated: dt.date
    needs: list[Need]
    per_week: list[tuple[str, int]]
    per_quartier: list[tuple[str, int]]
    total_questions: int
    hidden_needs: int = 0
    names: QuartierNames = field(default_factory=QuartierNames, repr=False)

    @property
    def period_label(self) -> str:
        days = parse_since(self.since)
        period = "depuis le début" if days is None else f"sur les {days} derniers jours"
        where = f", quartier {self.names.name(self.quartier)}" if self.quartier else ""
        return period + where


# --------------------------------------------------------------------------- report


def parse_since(value: str | None) -> int | None:
    """ "7d" -> 7, "30d" -> 30, "2w" -> 14, "all"/"tout" -> None (no limit)."""
    if value is None:
        return None
    text = value.strip().lower()
    if text in ("all", "tout", "tous"):
        return None
    match = _SINCE.match(text)
    if not match:
        raise ReviewError(f"période « {value} » inconnue : écrivez 7d, 30d ou all")
    number, unit = int(match.group(1)), match.group(2)
    days = number * 7 if unit in ("w", "s") else number
    if days < 1:
        raise ReviewError("la période doit durer au moins un jour")
    return days


def build_report(
    store: Store, since: str = "30d", quartier: str | None = None, include_reviewed: bool = False
) -> Report:
    """Read unreviewed questions and group them; raises ReviewError in French on failure."""
    days = parse_since(since)
    quartier = check_quartier(quartier, store.quartiers) if quartier else None
    try:
        questions = store.unmet(days, quartier=quartier, include_reviewed=include_reviewed)
    except StoreUnavailable as exc:
        raise ReviewError(f"base de données inaccessible ({exc})") from None
    needs = cluster(questions, quartiers=store.quartiers)
    hidden = 0
    if quartier:
        # Filtering by quartier would reveal the quartier of rare needs: leave them out.
        kept = [n for n in needs if n.count >= K_ANONYMITY]
        hidden = len(needs) - len(kept)
        needs = kept
    per_week = Counter(q.week for q in questions)
    per_quartier = Counter(q.quartier or "" for q in questions)
    shown_quartiers: list[tuple[str, int]] = []
    masked = per_quartier.pop("", 0)
    for q in sorted(per_quartier, key=lambda q: (-per_quartier[q], q)):
        if per_quartier[q] >= K_ANONYMITY:
            shown_quartiers.append((store.quartiers.name(q), per_quartier[q]))
        else:
            masked += per_quartier[q]
    if masked:
        shown_quartiers.append(("non précisé ou trop rare", masked))
    return Report(
        since=since,
        quartier=quartier,
        generated=store.today(),
        needs=needs,
        per_week=sorted(per_week.items()),
        per_quartier=shown_quartiers,
        total_questions=sum(n.count for n in needs) if quartier else len(questions),
        hidden_needs=hidden,
        names=store.quartiers,
    )


def check_quartier(quartier: str, quartiers: QuartierNames) -> str:
    """The quartier id, or ReviewError in French when knowledge/quartiers/ has no such quartier."""
    value = quartier.strip().lower()
    if value not in quartiers.ids:
        raise ReviewError(f"quartier « {quartier} » inconnu (choix : {', '.join(quartiers.ids)})")
    return value


def format_table(report: Report, width: int = 100) -> str:
    """A readable terminal table: one block per need, examples indented."""
    lines = [
        f"Besoins sans réponse {report.period_label} : {len(report.needs)} besoin(s), "
        f"{report.total_questions} question(s)."
    ]
    if report.hidden_needs:
        lines.append(
            f"({report.hidden_needs} besoin(s) vu(s) moins de {K_ANONYMITY} fois masqué(s) "
            "pour protéger les habitants.)"
        )
    if not report.needs:
        lines.append("Aucun besoin à revoir.")
        return "\n".join(lines)
    header = f"{'BESOIN':<8} {'NB':>4}  {'PREMIÈRE':<10}  {'DERNIÈRE':<10}  {'PISTE DU BOT':<18}  QUARTIERS"
    lines += ["", header, "-" * min(width, max(len(header), 60))]
    for need in report.needs:
        guess = f"{need.guess} ({need.guess_score})" if need.guess else "—"
        lines.append(
            _cut(
                f"{need.id:<8} {need.count:>4}  {need.first_seen:<10}  {need.last_seen:<10}  "
                f"{guess:<18}  {need.quartier_label}",
                width,
            )
        )
        for example in need.examples:
            lines.append(_cut(f"{'':<14}« {example} »", width))
    lines += [
        "",
        "Apprendre : python -m bot review --teach BESOIN --to FICHE ; écarter : python -m bot review --dismiss BESOIN",
    ]
    return "\n".join(lines)


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def shorten(text: str, size: int) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


def needs_summary_text(store: Store, days: int = 7, limit: int = 5) -> str:
    """The /besoins admin answer in French: the top needs of the last days."""
    try:
        questions = store.unmet(days)
    except StoreUnavailable:
        return "Les besoins sont indisponibles pour le moment (base de données inaccessible)."
    period = "du dernier jour" if days == 1 else f"des {days} derniers jours"
    if not questions:
        return f"Aucune question sans réponse à revoir ({period.split(' ', 1)[1]})."
    needs = cluster(questions, quartiers=store.quartiers)
    lines = [f"Besoins sans réponse {period} : {len(questions)} question(s), {len(needs)} besoin(s)."]
    for rank, need in enumerate(needs[:limit], 1):
        where = f" — {need.quartier_label}" if need.quartiers else ""
        example = need.examples[0] if need.examples else need.representative
        lines.append(f"{rank}. « {shorten(example, 80)} » : {need.count} fois{where} [{need.id}]")
    if len(needs) > limit:
        lines.append(f"… et {len(needs) - limit} autre(s).")
    lines.append("Rapport complet : python -m bot review --html rapport.html")
    return "\n".join(lines)


def format_topics(rows: Sequence, quartiers: QuartierNames) -> str:
    """`python -m bot stats`: answered topics per week and quartier, as a table."""
    if not rows:
        return "Aucune réponse comptée pour le moment."
    header = f"{'SEMAINE':<9}  {'QUARTIER':<22}  {'SUJET':<28}  {'RÉPONSES':>8}"
    lines = [header, "-" * len(header)]
    for row in rows:
        lines.append(
            f"{row.week:<9}  {shorten(quartiers.name(row.quartier), 22):<22}  "
            f"{shorten(row.entry_id, 28):<28}  {row.count:>8}"
        )
    return "\n".join(lines)
