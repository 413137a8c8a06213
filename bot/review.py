"""The laboratoire's review: unmet questions grouped into needs, reports, learning loop.

A *need* is a group of similar unanswered questions (greedy fuzzy clustering
with rapidfuzz on the normalised text, French filler words removed). Each need
gets a short identifier that is a hash of its representative text — its most
frequent phrasing — so it stays the same from one report to the next while
new questions arrive, unlike a rank ("N1") that shifts every day. Mediators
use it with `--teach` and `--dismiss`.

k-anonymity: a quartier in which a need was seen fewer than `K_ANONYMITY`
times is not shown for that need, and a quartier-filtered report leaves such
needs out, so that no resident can be singled out by a rare question in a
small neighbourhood.

Reports: terminal table, CSV (";" and UTF-8 with BOM, as French spreadsheets
expect), and a self-contained HTML page (inline CSS and SVG, no script, no
external asset) that opens offline and can be sent by e-mail.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import html
import os
import re
import tempfile
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process

from bot.normalize import fold
from bot.redact import contains_tag, redact, strip_tags
from bot.store import QUARTIERS, Store, StoreUnavailable, UnmetQuestion, quartier_name

K_ANONYMITY = 3
SIMILARITY = 75  # mean of token_set and token_sort ratios, on content words
EXAMPLES = 3
NEED_ID_LENGTH = 7
LEARNED_FILE = Path("appris") / "phrases-apprises.yaml"
DISMISSED = "ecarte"
TAUGHT_PREFIX = "appris:"
MEDIATION_CHANNEL = "mediation"
SINCE_CHOICES = ("7d", "30d", "all")

# Words that say nothing about the need; without them "bonjour je cherche un
# avocat" and "bonjour je cherche une crèche" no longer look alike.
_FILLER = frozenset(
    """a ai as au aux avec avez avoir besoin bjr bonjour bonsoir c ca ce cela ces cest cherche chercher
    comment d dans de des du elle en est et etre faire faut hello il ils j je l la le les leur lui m ma
    mais me merci mes moi mon n ne nous on ou par pas peut peux plus pour pourquoi quand que quel quelle
    quels qui quoi s sa salut sais savoir se ses si slt son sont stp sur svp t ta te tes toi ton tu un
    une veux voudrais voudrait aimerais vous y ya aide aides""".split()
)
_TAG_WORD = re.compile(r"^\[.*\]$")
_SINCE = re.compile(r"^(\d{1,4})\s*(d|j|w|s)$")


class ReviewError(Exception):
    """Something a mediator asked that cannot be done; the message is French and final."""


@dataclass
class Need:
    """One unmet need: similar questions grouped, ready to show or act on."""

    id: str
    representative: str
    count: int
    quartiers: list[tuple[str, int]]  # only quartiers seen >= K_ANONYMITY times
    first_seen: str
    last_seen: str
    examples: list[str]
    guess: str | None
    guess_score: int
    question_ids: list[int] = field(default_factory=list, repr=False)
    per_quartier: Counter = field(default_factory=Counter, repr=False)  # raw, never displayed
    weeks: Counter = field(default_factory=Counter, repr=False)

    @property
    def quartier_label(self) -> str:
        if not self.quartiers:
            return "—"
        return ", ".join(f"{quartier_name(q)} ({n})" for q, n in self.quartiers)


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

    @property
    def period_label(self) -> str:
        days = parse_since(self.since)
        period = "depuis le début" if days is None else f"sur les {days} derniers jours"
        where = f", quartier {quartier_name(self.quartier)}" if self.quartier else ""
        return period + where


# --------------------------------------------------------------------------- clustering


def parse_since(value: str | None) -> int | None:
    """"7d" -> 7, "30d" -> 30, "2w" -> 14, "all"/"tout" -> None (no limit)."""
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


def cluster_key(normalized: str) -> str:
    """The words that carry the need: normalised text without fillers and redaction tags."""
    words = [w for w in fold(normalized).split() if not _TAG_WORD.match(w)]
    content = [w for w in words if w not in _FILLER]
    return " ".join(content or words)


def need_id(representative: str) -> str:
    """A short identifier that does not move when other needs grow or shrink."""
    return hashlib.sha256(representative.encode("utf-8")).hexdigest()[:NEED_ID_LENGTH]


def _similarity(query: str, choices: Sequence[str]) -> list[float]:
    """Mean of token_set_ratio (word overlap) and token_sort_ratio (whole phrasing)."""
    set_scores = process.cdist([query], choices, scorer=fuzz.token_set_ratio)[0]
    sort_scores = process.cdist([query], choices, scorer=fuzz.token_sort_ratio)[0]
    return [(a + b) / 2 for a, b in zip(set_scores, sort_scores)]


def cluster(questions: Sequence[UnmetQuestion], threshold: float = SIMILARITY) -> list[Need]:
    """Group similar questions into needs, largest first.

    Greedy: distinct cluster keys are taken from the most frequent (then the
    oldest); each still-unassigned key becomes a seed and takes every
    unassigned key at least `threshold` similar to it. Comparing only seeds
    with the rest keeps memory linear instead of an N×N matrix.
    """
    by_key: dict[str, list[UnmetQuestion]] = {}
    for question in questions:
        key = cluster_key(question.normalized) or cluster_key(question.question)
        by_key.setdefault(key, []).append(question)
    keys = sorted(by_key, key=lambda k: (-len(by_key[k]), min(q.id for q in by_key[k])))
    unassigned = list(keys)
    needs: list[Need] = []
    while unassigned:
        seed = unassigned[0]
        scores = _similarity(seed, unassigned) if seed else [100.0 if not k else 0.0 for k in unassigned]
        members = [k for k, score in zip(unassigned, scores) if k == seed or score >= threshold]
        member_set = set(members)
        unassigned = [k for k in unassigned if k not in member_set]
        rows = [q for k in members for q in by_key[k]]
        needs.append(_need(seed, rows))
    needs.sort(key=lambda n: (-n.count, n.first_seen, n.id))
    return needs


def _need(representative: str, rows: list[UnmetQuestion]) -> Need:
    rows = sorted(rows, key=lambda q: q.id)
    per_quartier = Counter(q.quartier for q in rows if q.quartier)
    phrasings = Counter(q.question for q in rows)
    last_index = {q.question: i for i, q in enumerate(rows)}
    # Most frequent first; untouched phrasings before redacted ones, which read worse.
    examples = sorted(phrasings, key=lambda p: (-phrasings[p], contains_tag(p), -last_index[p]))[:EXAMPLES]
    guesses = Counter(q.guess for q in rows if q.guess)
    guess = guesses.most_common(1)[0][0] if guesses else None
    guess_score = max((q.score for q in rows if q.guess == guess), default=0) if guess else 0
    return Need(
        id=need_id(representative),
        representative=representative,
        count=len(rows),
        quartiers=_visible_quartiers(per_quartier),
        first_seen=min(q.day for q in rows),
        last_seen=max(q.day for q in rows),
        examples=examples,
        guess=guess,
        guess_score=guess_score,
        question_ids=[q.id for q in rows],
        per_quartier=per_quartier,
        weeks=Counter(q.week for q in rows),
    )


def _visible_quartiers(counts: Counter) -> list[tuple[str, int]]:
    """Quartiers seen at least K_ANONYMITY times, most frequent first."""
    order = {q: i for i, q in enumerate(QUARTIERS)}
    visible = [(q, n) for q, n in counts.items() if n >= K_ANONYMITY]
    return sorted(visible, key=lambda item: (-item[1], order.get(item[0], len(order)), item[0]))


# --------------------------------------------------------------------------- report


def build_report(
    store: Store, since: str = "30d", quartier: str | None = None, include_reviewed: bool = False
) -> Report:
    """Read unreviewed questions and group them; raises ReviewError in French on failure."""
    days = parse_since(since)
    quartier = check_quartier(quartier) if quartier else None
    try:
        questions = store.unmet(days, quartier=quartier, include_reviewed=include_reviewed)
    except StoreUnavailable as exc:
        raise ReviewError(f"base de données inaccessible ({exc})") from None
    needs = cluster(questions)
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
            shown_quartiers.append((quartier_name(q), per_quartier[q]))
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
    )


def check_quartier(quartier: str) -> str:
    value = quartier.strip().lower()
    if value not in QUARTIERS:
        raise ReviewError(f"quartier « {quartier} » inconnu (choix : {', '.join(QUARTIERS)})")
    return value


def format_table(report: Report, width: int = 100) -> str:
    """A readable terminal table: one block per need, examples indented."""
    lines = [f"Besoins sans réponse {report.period_label} : {len(report.needs)} besoin(s), "
             f"{report.total_questions} question(s)."]
    if report.hidden_needs:
        lines.append(f"({report.hidden_needs} besoin(s) vu(s) moins de {K_ANONYMITY} fois masqué(s) "
                     "pour protéger les habitants.)")
    if not report.needs:
        lines.append("Aucun besoin à revoir.")
        return "\n".join(lines)
    header = f"{'BESOIN':<8} {'NB':>4}  {'PREMIÈRE':<10}  {'DERNIÈRE':<10}  {'PISTE DU BOT':<18}  QUARTIERS"
    lines += ["", header, "-" * min(width, max(len(header), 60))]
    for need in report.needs:
        guess = f"{need.guess} ({need.guess_score})" if need.guess else "—"
        lines.append(_cut(f"{need.id:<8} {need.count:>4}  {need.first_seen:<10}  {need.last_seen:<10}  "
                          f"{guess:<18}  {need.quartier_label}", width))
        for example in need.examples:
            lines.append(_cut(f"{'':<14}« {example} »", width))
    lines += ["", "Apprendre : python -m bot review --teach BESOIN --to FICHE ; "
                  "écarter : python -m bot review --dismiss BESOIN"]
    return "\n".join(lines)


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


CSV_COLUMNS = (
    "besoin", "nombre", "quartiers", "premiere_fois", "derniere_fois",
    "exemple_1", "exemple_2", "exemple_3", "piste_du_bot", "score_piste",
)


def write_csv(report: Report, path: Path) -> None:
    """CSV for spreadsheets: ";" separator and a BOM so Excel in French reads accents."""
    with open(path, "w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(CSV_COLUMNS)
        for need in report.needs:
            examples = need.examples + [""] * (EXAMPLES - len(need.examples))
            writer.writerow([
                need.id, need.count,
                ", ".join(f"{quartier_name(q)} ({n})" for q, n in need.quartiers),
                need.first_seen, need.last_seen, *(_csv_text(x) for x in examples[:EXAMPLES]),
                need.guess or "", need.guess_score if need.guess else "",
            ])


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_text(text: str) -> str:
    """A resident's words as a spreadsheet cell: "=…" must stay text, never become a formula."""
    return "'" + text if text.startswith(_FORMULA_START) else text


# --------------------------------------------------------------------------- HTML

CHART_COLOUR = "#1f5fa8"
ACCENT_COLOUR = "#e07b24"


def render_html(report: Report) -> str:
    """The whole report as one HTML string: inline CSS and SVG, nothing fetched."""
    e = html.escape
    top = report.needs[:10]
    charts = [
        _column_chart("Questions sans réponse par semaine", report.per_week, CHART_COLOUR),
        _bar_chart("Questions sans réponse par quartier", report.per_quartier, CHART_COLOUR),
        _bar_chart("Besoins les plus fréquents",
                   [(f"{n.id} · {_short(n.examples[0] if n.examples else n.representative, 38)}", n.count)
                    for n in top], ACCENT_COLOUR),
    ]
    rows = []
    for need in report.needs:
        examples = "".join(f"<li>{e(x)}</li>" for x in need.examples)
        guess = f"{e(need.guess)} <span class='muted'>({need.guess_score})</span>" if need.guess else "—"
        rows.append(
            f"<tr><td class='id'>{e(need.id)}</td><td class='num'>{need.count}</td>"
            f"<td>{e(need.quartier_label)}</td><td>{e(need.first_seen)}</td><td>{e(need.last_seen)}</td>"
            f"<td><ul>{examples}</ul></td><td>{guess}</td></tr>"
        )
    table = (
        "<table><thead><tr><th>Besoin</th><th>Nombre</th><th>Quartiers</th><th>Première fois</th>"
        "<th>Dernière fois</th><th>Exemples de questions</th><th>Piste du bot</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
        if rows else "<p>Aucun besoin à revoir sur cette période.</p>"
    )
    hidden = (f"<p class='muted'>{report.hidden_needs} besoin(s) vu(s) moins de {K_ANONYMITY} fois dans ce quartier "
              "ne sont pas affichés, pour que personne ne puisse être reconnu.</p>" if report.hidden_needs else "")
    return f"""<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Relais Droits — besoins sans réponse</title>
<style>
body {{ font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 24px; color: #1b1b1b;
       background: #ffffff; }}
h1 {{ font-size: 24px; margin: 0 0 4px; }}
h2 {{ font-size: 18px; margin: 28px 0 8px; }}
.muted {{ color: #5a5a5a; }}
.charts {{ display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; }}
.chart {{ border: 1px solid #d9d9d9; border-radius: 6px; padding: 8px; margin: 0; background: #ffffff; }}
.chart h3 {{ font-size: 15px; margin: 0 0 4px; }}
table {{ border-collapse: collapse; width: 100%; font-size: 14px; }}
th, td {{ border-bottom: 1px solid #e3e3e3; padding: 6px 8px; text-align: left; vertical-align: top; }}
th {{ background: #f3f5f8; }}
td.num {{ text-align: right; font-weight: bold; }}
td.id {{ font-family: ui-monospace, monospace; }}
ul {{ margin: 0; padding-left: 18px; }}
footer {{ margin-top: 24px; font-size: 13px; }}
</style>
</head>
<body>
<h1>Besoins sans réponse</h1>
<p class="muted">Relais Droits — laboratoire du contrat de ville de Brest. Rapport du {e(report.generated.isoformat())},
{e(report.period_label)} : {len(report.needs)} besoin(s), {report.total_questions} question(s).</p>
<div class="charts">
{''.join(charts)}
</div>
<h2>Détail des besoins</h2>
{hidden}
{table}
<footer class="muted">Les questions ont été anonymisées avant d'être enregistrées (numéros, adresses, noms
remplacés par des étiquettes). Un quartier où un besoin a été vu moins de {K_ANONYMITY} fois n'est pas indiqué.
Pour apprendre une réponse au bot : <code>python -m bot review --teach BESOIN --to FICHE</code>.</footer>
</body>
</html>
"""


def write_html(report: Report, path: Path) -> None:
    Path(path).write_text(render_html(report), encoding="utf-8")


def _short(text: str, size: int) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


def _chart(title: str, width: int, height: int, body: str) -> str:
    return (f"<figure class='chart'><h3>{html.escape(title)}</h3>"
            f"<svg width='{width}' height='{height}' "
            f"viewBox='0 0 {width} {height}' role='img' aria-label='{html.escape(title)}'>{body}</svg></figure>")


def _column_chart(title: str, series: Sequence[tuple[str, int]], colour: str) -> str:
    """Vertical bars, one per week, labelled below with the week number."""
    width, height, margin, bottom = 520, 260, 30, 40
    if not series:
        return _chart(title, width, 80, "<text x='10' y='40' font-size='14'>Aucune donnée</text>")
    peak = max(n for _, n in series) or 1
    slot = (width - 2 * margin) / len(series)
    bar = min(60.0, max(4.0, slot * 0.7))
    parts = [f"<line x1='{margin}' y1='{height - bottom}' x2='{width - margin}' y2='{height - bottom}' "
             "stroke='#888' stroke-width='1'/>"]
    for i, (label, n) in enumerate(series):
        h = (height - bottom - 30) * n / peak
        x = margin + i * slot + (slot - bar) / 2
        y = height - bottom - h
        parts.append(f"<rect x='{x:.1f}' y='{y:.1f}' width='{bar:.1f}' height='{h:.1f}' fill='{colour}'>"
                     f"<title>{html.escape(label)} : {n}</title></rect>")
        parts.append(f"<text x='{x + bar / 2:.1f}' y='{y - 4:.1f}' font-size='12' text-anchor='middle'>{n}</text>")
        if len(series) <= 16 or i % max(1, len(series) // 12) == 0:
            parts.append(f"<text x='{x + bar / 2:.1f}' y='{height - bottom + 16}' font-size='11' "
                         f"text-anchor='middle'>{html.escape(label.split('-')[-1])}</text>")
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
        parts.append(f"<text x='{label_w - 6}' y='{y + 16}' font-size='12' text-anchor='end'>"
                     f"{html.escape(_short(label, 34))}</text>")
        parts.append(f"<rect x='{label_w}' y='{y + 3}' width='{w:.1f}' height='{row - 8}' fill='{colour}'>"
                     f"<title>{html.escape(label)} : {n}</title></rect>")
        parts.append(f"<text x='{label_w + w + 4:.1f}' y='{y + 16}' font-size='12'>{n}</text>")
    return _chart(title, width, height, "".join(parts))


# --------------------------------------------------------------------------- actions


def find_need(store: Store, ident: str, since: str | None = None, quartier: str | None = None) -> Need:
    """The unreviewed need with this id (or unique prefix), in any period; ReviewError if none."""
    wanted = ident.strip().lower()
    if len(wanted) < 4:
        raise ReviewError("identifiant de besoin trop court : recopiez-le depuis le rapport (7 caractères)")
    periods = [p for p in (since, *SINCE_CHOICES) if p]
    for period in dict.fromkeys(periods):
        for scope in dict.fromkeys((quartier, None)):
            try:
                questions = store.unmet(parse_since(period), quartier=scope)
            except StoreUnavailable as exc:
                raise ReviewError(f"base de données inaccessible ({exc})") from None
            matches = [n for n in cluster(questions) if n.id.startswith(wanted)]
            if len(matches) == 1:
                return matches[0]
            if len(matches) > 1:
                raise ReviewError(f"« {ident} » désigne plusieurs besoins : donnez l'identifiant complet")
    raise ReviewError(f"besoin « {ident} » introuvable parmi les besoins non revus "
                      "(déjà appris ou écarté ? relancez « python -m bot review »)")


def known_entry_ids(knowledge_dir: Path) -> set[str]:
    """Ids of the knowledge base's entries (rights, services, intents)."""
    try:
        from bot.knowledge import load_knowledge
    except ImportError:  # the loader is optional for this module: read ids directly
        return _scan_entry_ids(knowledge_dir)
    return set(load_knowledge(Path(knowledge_dir)).kb.entries)


def _scan_entry_ids(knowledge_dir: Path) -> set[str]:
    ids: set[str] = set()
    for folder in ("droits", "services", "intentions"):
        for path in sorted((Path(knowledge_dir) / folder).glob("*.yaml")):
            try:
                data = yaml.safe_load(path.read_text(encoding="utf-8"))
            except (OSError, yaml.YAMLError):
                continue
            if isinstance(data, dict) and isinstance(data.get("id"), str):
                ids.add(data["id"])
    return ids


@dataclass(frozen=True)
class TeachResult:
    need: Need
    entry_id: str
    added: list[str]
    path: Path


def teach(
    store: Store, ident: str, entry_id: str, knowledge_dir: Path,
    since: str | None = None, quartier: str | None = None, today: dt.date | None = None,
) -> TeachResult:
    """Add a need's phrasings to the learned file for `entry_id`, and mark it reviewed."""
    known = known_entry_ids(knowledge_dir)
    if entry_id not in known:
        hint = process.extractOne(entry_id, sorted(known), score_cutoff=60) if known else None
        suggestion = f" Vouliez-vous dire « {hint[0]} » ?" if hint else ""
        raise ReviewError(f"fiche « {entry_id} » inconnue dans {knowledge_dir} : rien n'a été appris.{suggestion}")
    need = find_need(store, ident, since, quartier)
    phrasings = learnable_phrasings(need)
    if not phrasings:
        raise ReviewError("ce besoin n'a aucune formulation utilisable (tout a été anonymisé) : "
                          "ajoutez une formulation à la main dans la fiche")
    path = Path(knowledge_dir) / LEARNED_FILE
    added = append_learned(path, entry_id, phrasings, today or dt.date.today())
    store.mark_reviewed(need.question_ids, TAUGHT_PREFIX + entry_id)
    return TeachResult(need, entry_id, added, path)


def learnable_phrasings(need: Need) -> list[str]:
    """The need's examples without redaction tags (a tag is not something people type)."""
    result: list[str] = []
    for example in need.examples:
        text = strip_tags(example) if contains_tag(example) else example.strip()
        if len(fold(text)) >= 3 and text not in result:
            result.append(text)
    return result


_LEARNED_HEADER = """\
# Formulations apprises des vraies questions des habitants.
# Écrit par « python -m bot review --teach BESOIN --to FICHE » : chaque clé est
# l'identifiant d'une fiche, suivie des phrases qui doivent y mener.
# Les phrases sont anonymisées. Vous pouvez en retirer une à la main.
"""


def append_learned(path: Path, entry_id: str, phrasings: Iterable[str], today: dt.date) -> list[str]:
    """Merge phrasings into the learned file (atomically); returns those actually added."""
    data: dict = {}
    if path.exists():
        try:
            loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError) as exc:  # edited by hand and broken: say so, don't overwrite
            raise ReviewError(f"{path} est illisible ({type(exc).__name__}) : corrigez-le d'abord "
                              "(python -m bot validate)") from None
        if loaded is not None and not isinstance(loaded, dict):
            raise ReviewError(f"{path} n'a pas la forme attendue (fiche: [phrases…]) : corrigez-le d'abord")
        data = dict(loaded or {})
    header = {"source": "questions des habitants revues par le laboratoire", "verifie_le": today}
    entries = {k: v for k, v in data.items() if k not in ("source", "verifie_le", "note")}
    existing = entries.get(entry_id) or []
    if not isinstance(existing, list):  # a text here would be split into one "phrase" per letter
        raise ReviewError(f"{path} : « {entry_id} » doit être une liste de phrases : corrigez-le d'abord")
    current = [str(p) for p in existing]
    folded = {fold(p) for p in current}
    added = []
    for phrasing in phrasings:
        phrasing = redact(phrasing)  # the file is shared: never let personal data in
        if fold(phrasing) not in folded:
            current.append(phrasing)
            folded.add(fold(phrasing))
            added.append(phrasing)
    entries[entry_id] = current
    out = {**header, **({"note": data["note"]} if "note" in data else {}), **entries}
    text = _LEARNED_HEADER + yaml.safe_dump(out, allow_unicode=True, sort_keys=False, width=100)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".phrases-", suffix=".yaml", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return added


def dismiss(store: Store, ident: str, since: str | None = None, quartier: str | None = None) -> Need:
    """Mark a need reviewed without teaching (spam, out of scope): it leaves the report."""
    need = find_need(store, ident, since, quartier)
    store.mark_reviewed(need.question_ids, DISMISSED)
    return need


def add_question(store: Store, text: str, quartier: str | None) -> str:
    """Record a question heard face to face (channel "mediation"); returns the redacted text."""
    quartier = check_quartier(quartier) if quartier else None
    if not text or not text.strip():
        raise ReviewError("la question est vide")
    try:
        store.record_unanswered(text, fold(text), quartier, MEDIATION_CHANNEL, None, 0, wait=True)
    except StoreUnavailable as exc:  # never say "notée" for a question the database refused
        raise ReviewError(f"question non enregistrée : base de données inaccessible ({exc})") from None
    return redact(text).strip()


def needs_summary_text(store: Store, days: int = 7, limit: int = 5) -> str:
    """The /besoins admin answer in French: the top needs of the last days."""
    try:
        questions = store.unmet(days)
    except StoreUnavailable:
        return "Les besoins sont indisponibles pour le moment (base de données inaccessible)."
    period = "du dernier jour" if days == 1 else f"des {days} derniers jours"
    if not questions:
        return f"Aucune question sans réponse à revoir ({period.split(' ', 1)[1]})."
    needs = cluster(questions)
    lines = [f"Besoins sans réponse {period} : {len(questions)} question(s), {len(needs)} besoin(s)."]
    for rank, need in enumerate(needs[:limit], 1):
        where = f" — {need.quartier_label}" if need.quartiers else ""
        example = need.examples[0] if need.examples else need.representative
        lines.append(f"{rank}. « {_short(example, 80)} » : {need.count} fois{where} [{need.id}]")
    if len(needs) > limit:
        lines.append(f"… et {len(needs) - limit} autre(s).")
    lines.append("Rapport complet : python -m bot review --html rapport.html")
    return "\n".join(lines)


def format_topics(rows: Sequence) -> str:
    """`python -m bot stats`: answered topics per week and quartier, as a table."""
    if not rows:
        return "Aucune réponse comptée pour le moment."
    header = f"{'SEMAINE':<9}  {'QUARTIER':<22}  {'SUJET':<28}  {'RÉPONSES':>8}"
    lines = [header, "-" * len(header)]
    for row in rows:
        lines.append(f"{row.week:<9}  {_short(quartier_name(row.quartier), 22):<22}  "
                     f"{_short(row.entry_id, 28):<28}  {row.count:>8}")
    return "\n".join(lines)
