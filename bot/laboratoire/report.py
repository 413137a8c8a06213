"""The laboratoire's review: needs over a period, k-anonymised, as a terminal table or summary.

Needs are formed once on the whole unreviewed backlog (`clustering`), then
counted on what the period and the quartier keep: ids and labels never
depend on the filter. The report has four parts a mediator can act on:

- the needs the bot could not answer;
- the questions it declined as outside its field ("hors sujet"), apart,
  since the laboratoire may still decide some are its business;
- the answers residents marked 👎, per entry, with their (redacted)
  questions: what to fix in which entry;
- the share of questions answered per quartier.

No group of questions is shown, in any section or view, when it was asked
fewer than `K_ANONYMITY` times (config), nor any quartier seen fewer times
for a need; a quartier-filtered report leaves out 👎 entries as rare, so that
no resident can be singled out by a rare question in a small neighbourhood. CSV and HTML renderings live in
`csv_export` and `html`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from bot.config import K_ANONYMITY, PERIOD_MAX_DAYS
from bot.conversation.recorder import REASON_OFFTOPIC
from bot.knowledge.model import QuartierNames
from bot.laboratoire.clustering import NO_CLOSE_ENTRY, OFFTOPIC, Need, cluster
from bot.laboratoire.meaning import ConceptIndex
from bot.laboratoire.suppression import hidden_totals
from bot.laboratoire.trend import week_range
from bot.laboratoire.wording import agreed, hidden_needs_text, hidden_questions_text
from bot.storage.anonymity import is_masked, shown_count
from bot.storage.store import (
    FeedbackRow,
    QuartierStats,
    Store,
    TopicCount,
    UnmetQuestion,
    iso_week,
)
from bot.storage.writer import StoreUnavailable

SINCE_CHOICES = ("7d", "30d", "all")
CHARTED_NEEDS = 5  # the needs drawn week by week in the HTML report (« besoins par semaine »)
_SINCE = re.compile(r"^([0-9]+)\s*(d|j|w|s)$")


class ReviewError(Exception):
    """Something a mediator asked that cannot be done; the message is French and final."""


@dataclass(frozen=True)
class EntryFeedback:
    """The 👎 an entry received: how many, out of how many opinions, and what was asked."""

    entry_id: str
    unhelpful: int
    helpful: int
    questions: list[str]  # redacted, most recent first, each once

    @property
    def share_unhelpful(self) -> float:
        return self.unhelpful / max(1, self.unhelpful + self.helpful)


@dataclass(frozen=True)
class AnsweredShare:
    """Questions with and without an answer in one quartier (name as shown)."""

    quartier: str
    answered: int
    unanswered: int

    @property
    def share(self) -> float:
        return self.answered / max(1, self.answered + self.unanswered)

    def percent(self, k: int = K_ANONYMITY) -> int | None:
        """The rounded share, or None when either part is masked (see `detail`)."""
        return round(100 * self.share) if not self.masked(k) else None

    def masked(self, k: int = K_ANONYMITY) -> bool:
        """True when the questions, or those with or without an answer, number 1 to k - 1."""
        return any(is_masked(n, k) for n in (self.answered + self.unanswered, self.answered, self.unanswered))

    def detail(self, k: int = K_ANONYMITY) -> str:
        """« 10 sur 12 », or the same with the rare part written « moins de k ».

        « 11 sur 12 » in Kérourien says one resident there got no answer, and
        their question is in the needs above. So a part (with or without an
        answer) seen 1 to k - 1 times reads « moins de k », and no percentage
        is shown: with the total it would give the part back (92 % of 12 is
        11). What staff keep is what they act on: how many questions the
        quartier asked, and that nearly all (or nearly none) got an answer.
        A pooled line with fewer than k questions shows only that.
        """
        total = self.answered + self.unanswered
        if is_masked(total, k):
            return f"moins de {k} questions"
        if is_masked(self.unanswered, k):
            return f"moins de {k} sans réponse sur {total}"
        if is_masked(self.answered, k):
            return f"moins de {k} avec réponse sur {total}"
        return f"{self.answered} sur {total}"


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
    hidden_questions: int = 0  # the questions of the hidden needs: a new need split in small groups still counts
    offtopic: list[Need] = field(default_factory=list)
    hidden_offtopic: int = 0
    masked_weeks: frozenset[str] = frozenset()  # weeks of per_week too rare to show (under k)
    feedback: list[EntryFeedback] = field(default_factory=list)
    hidden_feedback: int = 0
    answered: list[AnsweredShare] = field(default_factory=list)
    weeks: list[str] = field(default_factory=list)  # every ISO week of the period shown, oldest first
    k: int = K_ANONYMITY  # no group, quartier or entry shown was seen fewer times than this
    names: QuartierNames = field(default_factory=QuartierNames, repr=False)

    @property
    def period_label(self) -> str:
        days = parse_since(self.since)
        period = "depuis le début" if days is None else f"sur les {days} derniers jours"
        where = f", quartier {self.names.name(self.quartier)}" if self.quartier else ""
        return period + where


# --------------------------------------------------------------------------- report


def parse_since(value: str | None) -> int | None:
    """ "7d" -> 7, "30d" -> 30, "2w" -> 14, "all"/"tout" -> None (no limit).

    Raises ReviewError in French for anything else, a period under a day, or
    one longer than PERIOD_MAX_DAYS (a huge number overflowed the dates).
    """
    if value is None:
        return None
    text = value.strip().lower()
    if text in ("all", "tout", "tous"):
        return None
    match = _SINCE.match(text)
    if not match:
        raise ReviewError(f"période « {_shown(value)} » inconnue : écrivez 7d, 30d ou all")
    digits, unit = match.group(1).lstrip("0") or "0", match.group(2)
    if len(digits) > len(str(PERIOD_MAX_DAYS)):  # too long whatever the unit; int() refuses 4,300 digits
        days = PERIOD_MAX_DAYS + 1
    else:
        days = int(digits) * 7 if unit in ("w", "s") else int(digits)
    if days < 1:
        raise ReviewError("la période doit durer au moins un jour")
    if days > PERIOD_MAX_DAYS:
        raise ReviewError(
            f"période « {_shown(value)} » trop longue : {PERIOD_MAX_DAYS} jours au plus ; pour tout voir, écrivez all"
        )
    return days


def _shown(value: str, limit: int = 20) -> str:
    """The value as typed, cut short: a 5,000-character mistake is not printed back whole."""
    return value if len(value) <= limit else value[:limit] + "…"


def build_report(
    store: Store,
    since: str = "30d",
    quartier: str | None = None,
    include_reviewed: bool = False,
    k: int = K_ANONYMITY,
    concepts: ConceptIndex | None = None,
) -> Report:
    """Group the whole backlog into needs, then count them on the period and quartier asked.

    Every group shown, in every section, was asked at least `k` times (the
    k-anonymity threshold of `config`); so is every quartier named.

    Raises ReviewError in French when the period, the quartier or the database fails.
    """
    days = parse_since(since)
    names = store.quartiers
    quartier = check_quartier(quartier, names) if quartier else None
    today = store.today()
    start = (today - dt.timedelta(days=days - 1)).isoformat() if days else ""
    try:
        backlog = store.unmet(None, include_reviewed=include_reviewed)
        opinions = store.feedback_rows(days, quartier=quartier)
        stats = store.stats(days)
    except StoreUnavailable as exc:
        raise ReviewError(f"base de données inaccessible ({exc})") from None

    def shown(question: UnmetQuestion) -> bool:
        return question.day >= start and (quartier is None or question.quartier == quartier)

    in_scope, declined = backlog_sections(backlog)
    needs, hidden, hidden_questions = _view(cluster(in_scope, quartiers=names, k=k, concepts=concepts), shown, k)
    offtopic, hidden_offtopic, _ = _view(
        cluster(declined, section=OFFTOPIC, quartiers=names, k=k, concepts=concepts), shown, k
    )
    questions = [q for q in in_scope if shown(q)]
    feedback, hidden_feedback = _feedback(opinions, quartier, k)
    weeks = [q.week for q in questions] + [iso_week(today)]
    first_week = iso_week(dt.date.fromisoformat(start)) if start else min(weeks)
    counted = Counter(q.week for q in questions)
    period = week_range(first_week, iso_week(today))
    # A week of 1 or 2 questions could point at who asked, in one quartier as in the whole city
    # (a quiet week, a need asked once that week): every weekly count under k is masked, with the
    # weeks that would give it back from the totals shown (`bot.laboratoire.suppression`).
    # Across series too: a week a charted need hides is hidden in the totals, or the week's total less
    # the other needs' counts would give it back.
    needs = [n.masked_by_week(k, period) for n in needs]
    masked_weeks = hidden_totals(counted, k, period, [n.masked_weeks for n in needs[:CHARTED_NEEDS]])
    per_week = [(w, 0 if w in masked_weeks else counted[w]) for w in sorted(set(counted) | masked_weeks)]
    return Report(
        since=since,
        quartier=quartier,
        generated=today,
        needs=needs,
        per_week=per_week,
        masked_weeks=masked_weeks,
        hidden_questions=hidden_questions,
        per_quartier=_per_quartier(questions, names, k),
        total_questions=sum(n.count for n in needs) if quartier else len(questions),
        hidden_needs=hidden,
        offtopic=offtopic,
        hidden_offtopic=hidden_offtopic,
        feedback=feedback,
        hidden_feedback=hidden_feedback,
        answered=_answered(stats, quartier, names, k),
        weeks=period,
        k=k,
        names=names,
    )


def backlog_sections(questions: Sequence[UnmetQuestion]) -> tuple[list[UnmetQuestion], list[UnmetQuestion]]:
    """(unmet needs, questions declined as out of scope)."""
    declined = [q for q in questions if q.reason == REASON_OFFTOPIC]
    return [q for q in questions if q.reason != REASON_OFFTOPIC], declined


def _view(needs: list[Need], shown: Callable[[UnmetQuestion], bool], k: int) -> tuple[list[Need], int, int]:
    """Each group counted on the questions shown; those asked fewer than `k` times are not shown.

    The same rule for every section (needs, "hors sujet") and every view
    (overall or one quartier): a group of one or two questions, with its
    examples and its days, could point at the resident who asked. Its
    questions still count in the totals, and the hidden groups and their
    questions are counted: (visible groups, hidden groups, hidden questions).
    """
    kept = [n for n in (need.restricted(shown) for need in needs) if n is not None]
    visible = [n for n in kept if n.count >= k]
    visible.sort(key=lambda n: (-n.count, n.first_seen, n.id))
    return visible, len(kept) - len(visible), sum(n.count for n in kept if n.count < k)


def _per_quartier(questions: Sequence[UnmetQuestion], names: QuartierNames, k: int) -> list[tuple[str, int]]:
    per_quartier = Counter(q.quartier or "" for q in questions)
    shown_quartiers: list[tuple[str, int]] = []
    masked = per_quartier.pop("", 0)
    for q in sorted(per_quartier, key=lambda q: (-per_quartier[q], q)):
        if per_quartier[q] >= k:
            shown_quartiers.append((names.name(q), per_quartier[q]))
        else:
            masked += per_quartier[q]
    if masked:
        shown_quartiers.append(("non précisé ou trop rare", masked))
    return shown_quartiers


FEEDBACK_EXAMPLES = 10


def _feedback(rows: Sequence[FeedbackRow], quartier: str | None, k: int) -> tuple[list[EntryFeedback], int]:
    """👎 per entry, most disliked first, with the questions that were asked (each once)."""
    by_entry: dict[str, list[FeedbackRow]] = {}
    for row in rows:
        by_entry.setdefault(row.entry_id, []).append(row)
    entries = []
    for entry_id, opinions in by_entry.items():
        unhelpful = [r for r in opinions if not r.helpful]
        if not unhelpful:
            continue
        asked = list(
            dict.fromkeys(r.question for r in sorted(unhelpful, key=lambda r: r.id, reverse=True) if r.question)
        )
        entries.append(
            EntryFeedback(entry_id, len(unhelpful), len(opinions) - len(unhelpful), asked[:FEEDBACK_EXAMPLES])
        )
    hidden = 0
    if quartier:
        visible = [e for e in entries if e.unhelpful >= k]
        hidden, entries = len(entries) - len(visible), visible
    entries.sort(key=lambda e: (-e.unhelpful, -e.share_unhelpful, e.entry_id))
    return entries, hidden


def _answered(
    stats: Sequence[QuartierStats], quartier: str | None, names: QuartierNames, k: int
) -> list[AnsweredShare]:
    """Answered share per quartier; quartiers with fewer than K questions are pooled."""
    shares = []
    pooled = [0, 0]
    for row in stats:
        if quartier and row.quartier != quartier:
            continue
        total = row.answered + row.unanswered
        if row.quartier is None or total < k:
            pooled[0] += row.answered
            pooled[1] += row.unanswered
        else:
            shares.append(AnsweredShare(names.name(row.quartier), row.answered, row.unanswered))
    if sum(pooled):
        shares.append(AnsweredShare("non précisé ou trop rare", *pooled))
    return shares


def check_quartier(quartier: str, quartiers: QuartierNames) -> str:
    """The quartier id, or ReviewError in French when knowledge/quartiers/ has no such quartier."""
    value = quartiers.resolve(quartier)  # "Quatre Moulins" as staff read it works like "quatre-moulins"
    if value is None:
        raise ReviewError(f"quartier « {quartier} » inconnu (choix : {', '.join(quartiers.ids)})")
    return value


def format_table(report: Report, width: int = 100) -> str:
    """A readable terminal table: one block per need (label, then examples), then the other sections."""
    lines = [
        f"Besoins sans réponse {report.period_label} : {len(report.needs)} besoin(s), "
        f"{report.total_questions} question(s)."
    ]
    if report.hidden_needs:
        lines.append(f"({hidden_text(report)})")
    if not report.needs:
        lines.append("Aucun besoin à revoir.")
    else:
        lines += _need_blocks(report.needs, width, report.generated.year)
    if report.offtopic or report.hidden_offtopic:
        lines += [
            "",
            f"HORS SUJET (le bot a dit ne pas traiter ces questions) : "
            f"{sum(n.count for n in report.offtopic)} question(s).",
        ]
        if report.hidden_offtopic:
            hidden = agreed(report.hidden_offtopic, "groupe vu", "groupes vus")
            lines.append(
                f"({hidden} moins de {report.k} fois {'masqué' if report.hidden_offtopic < 2 else 'masqués'}.)"
            )
        lines += _need_blocks(report.offtopic, width, report.generated.year)
    if report.feedback or report.hidden_feedback:
        lines += ["", "RÉPONSES JUGÉES PEU UTILES (👎), par fiche :"]
        for entry in report.feedback:
            lines.append(
                _cut(f"  {entry.entry_id} : {entry.unhelpful} 👎 sur {entry.unhelpful + entry.helpful} avis", width)
            )
            for question in entry.questions:
                lines.append(_cut(f"{'':<6}« {question} »", width))
        if report.hidden_feedback:
            lines.append(f"  ({report.hidden_feedback} fiche(s) avec moins de {report.k} 👎 masquée(s).)")
    if report.answered:
        lines += ["", "PART DES QUESTIONS AYANT REÇU UNE RÉPONSE, par quartier :"]
        for share in report.answered:
            percent = share.percent(report.k)
            shown = "  —  " if percent is None else f"{percent:>3} %"
            lines.append(f"  {share.quartier:<26} {shown}  ({share.detail(report.k)})")
    lines += [
        "",
        "Apprendre : python -m bot review --teach BESOIN --to FICHE ; écarter : python -m bot review --dismiss BESOIN",
    ]
    return "\n".join(lines)


def hidden_text(report: Report) -> str:
    """How much the k-anonymity rule hides: groups, and the questions in them (a new need split small)."""
    where = " (dans ce quartier)" if report.quartier else ""
    return (
        f"{hidden_needs_text(report.hidden_needs, report.k)} pour protéger les habitants{where} : "
        f"{hidden_questions_text(report.hidden_questions)}"
    )


def _need_blocks(needs: Sequence[Need], width: int, this_year: int | None = None) -> list[str]:
    """One block per need; when it was asked is said to the week ("semaine du 2 nov."), never the day."""
    header = f"{'BESOIN':<8} {'NB':>4}  {'PREMIÈRE':<18}  {'DERNIÈRE':<18}  {'FICHE LA PLUS PROCHE':<20}  QUARTIERS"
    lines = ["", header, "-" * min(width, max(len(header), 60))]
    for need in needs:
        guess = f"{need.guess} ({need.guess_score})" if need.guess else NO_CLOSE_ENTRY
        lines.append(
            _cut(
                f"{need.id:<8} {need.count:>4}  {need.first_week(this_year):<18}  {need.last_week(this_year):<18}  "
                f"{guess:<20}  {need.quartier_label}",
                width,
            )
        )
        lines.append(_cut(f"{'':<9}» {need.label}", width))
        for example in need.examples:
            lines.append(_cut(f"{'':<14}« {example} »", width))
    return lines


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def shorten(text: str, size: int) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


def needs_summary_text(store: Store, days: int = 7, limit: int = 5, quartier: str | None = None) -> str:
    """The /besoins (admins) and /semaine (a quartier's mediators) answer: the top needs of the last days.

    Built from the same report as `review`, so every id shown here works with --teach and --dismiss.
    """
    try:
        report = build_report(store, since=f"{days}d", quartier=quartier)
    except ReviewError:
        return "Les besoins sont indisponibles pour le moment (base de données inaccessible)."
    period = "du dernier jour" if days == 1 else f"des {days} derniers jours"
    where = f" à {store.quartiers.name(quartier)}" if quartier else ""
    if not report.needs and not report.hidden_needs:
        text = f"Aucune question sans réponse à revoir{where} ({period.split(' ', 1)[1]})."
    else:
        lines = [
            f"Besoins sans réponse {period}{where} : {report.total_questions} question(s), "
            f"{len(report.needs)} besoin(s)."
        ]
        for rank, need in enumerate(report.needs[:limit], 1):
            shown_where = f" — {need.quartier_label}" if need.quartiers and not quartier else ""
            example = need.examples[0] if need.examples else need.label
            lines.append(
                f"{rank}. {need.label} : {need.count} fois{shown_where} [{need.id}]\n   ex. « {shorten(example, 80)} »"
            )
        if len(report.needs) > limit:
            lines.append(f"… et {len(report.needs) - limit} autre(s).")
        if report.hidden_needs:
            rare = agreed(report.hidden_needs, "besoin trop rare ici masqué", "besoins trop rares ici masqués")
            isolated = agreed(report.hidden_questions, "question isolée", "questions isolées")
            lines.append(f"({rare}, pour protéger les habitants : {isolated}.)")
        text = "\n".join(lines)
    extra = []
    if report.offtopic:
        extra.append(f"Hors sujet : {sum(n.count for n in report.offtopic)} question(s).")
    if report.feedback:
        worst = report.feedback[0]
        extra.append(
            f"Réponses jugées peu utiles : {sum(e.unhelpful for e in report.feedback)} 👎 "
            f"(surtout « {worst.entry_id} » : {worst.unhelpful})."
        )
    extra.append("Rapport complet : python -m bot review --html rapport.html")
    return text + "\n" + "\n".join(extra)


def format_topics(rows: Sequence[TopicCount], quartiers: QuartierNames, k: int = K_ANONYMITY) -> str:
    """`python -m bot stats`: answered topics per week and quartier, as a table; counts under `k`
    read « moins de k » (one answer on a rare topic in a small quartier points at one resident)."""
    if not rows:
        return "Aucune réponse comptée pour le moment."
    header = f"{'SEMAINE':<9}  {'QUARTIER':<22}  {'SUJET':<28}  {'RÉPONSES':>10}"
    lines = [header, "-" * len(header)]
    for row in rows:
        lines.append(
            f"{row.week:<9}  {shorten(quartiers.name(row.quartier), 22):<22}  "
            f"{shorten(row.entry_id, 28):<28}  {shown_count(row.count, k):>10}"
        )
    return "\n".join(lines)
