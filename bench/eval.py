"""Matcher quality on evaluation sets (default: dev and our three held-out sets).

Prints in-scope top-1 accuracy, abstentions, hesitations, out-of-scope answers,
confident wrong answers, how often the expected id is answered or among the
buttons, quartier detection and the worst misses, with a comparison table
against the lexical matcher alone (the bot before the learned model) and two
baselines (naive rapidfuzz, BM25) computed on the same knowledge base and the
same questions, the baselines each at their own best abstention threshold on
the set. Without FILE: ../shared/eval/dev.yaml (tuned on), then
every bench/own-questions*.yaml (never tuned on), and a summary table.

The bot is read as it answers once warm and as `ask --jsonl` answers: with the
sentence reading (RELAIS_SENTENCES, on by default) when the encoder is
installed, waited for before the first question. `--words-only` reads as the
bot does in its first seconds (or with RELAIS_SENTENCES=0). The second line
of the output says which reading was measured.
Run: python bench/eval.py [FILE] [--knowledge DIR] [--no-baselines] [--worst N] [--words-only]
     python bench/eval.py --safety [FILE]   (danger recognition: see bench/safety.py)
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(Path(__file__).resolve().parent))  # bench/, for baselines.py

from baselines import BASELINES, best_threshold  # noqa: E402
from provenance import provenance  # noqa: E402
from safety import evaluate_safety, load_safety_cases, safety_report  # noqa: E402

from bot.cli import ask_record  # noqa: E402
from bot.config import load_settings  # noqa: E402
from bot.knowledge import KnowledgeBase  # noqa: E402
from bot.knowledge.engine import Engine, model_cache_in  # noqa: E402
from bot.understanding.matcher import Match  # noqa: E402
from bot.understanding.model_cache import ModelCache  # noqa: E402

DEFAULT_SET = ROOT.parent / "shared" / "eval" / "dev.yaml"
SAFETY_SET = ROOT.parent / "shared" / "eval" / "safety-dev.yaml"
BENCH = Path(__file__).resolve().parent


def held_out_sets(folder: Path = BENCH) -> dict[str, Path]:
    """Every own held-out set of `folder`, found by name: a set added later is reported without editing this file.

    `own-questions.yaml` is own-1, `own-questions-N.yaml` is own-N, in number order.
    """

    def number(path: Path) -> int:
        suffix = path.stem.removeprefix("own-questions").lstrip("-")
        return int(suffix) if suffix.isdigit() else 1

    return {f"own-{number(path)}": path for path in sorted(folder.glob("own-questions*.yaml"), key=number)}


HELD_OUT = held_out_sets()


@dataclass
class Case:
    question: str
    expected: list[str]  # empty = out of scope
    quartier: str | None


def load_cases(path: Path) -> list[Case]:
    cases = []
    for item in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
        expect = item.get("expect")
        expected = [] if expect in (None, "none") else ([expect] if isinstance(expect, str) else list(expect))
        cases.append(Case(str(item["q"]), expected, item.get("quartier")))
    return cases


@dataclass
class Figures:
    in_scope: int = 0
    top1: int = 0
    abstained: int = 0
    hesitated: int = 0
    hesitated_ok: int = 0
    out_scope: int = 0
    out_answered: int = 0
    quartier_total: int = 0
    quartier_ok: int = 0
    answered_wrong: int = 0  # in-scope questions answered with an id that is not expected
    offered: int = 0  # in-scope questions whose expected id is answered or among the buttons

    @property
    def confident_wrong(self) -> int:
        """In-scope answered with a wrong id + out-of-scope answered: the answers that mislead."""
        return self.answered_wrong + self.out_answered

    @property
    def total(self) -> int:
        return self.in_scope + self.out_scope

    @property
    def correct(self) -> int:
        """Expected id answered, or out of scope and not answered: the figure closing notes quote."""
        return self.top1 + (self.out_scope - self.out_answered)

    def pct(self, num: int, den: int) -> str:
        return f"{100 * num / den:5.1f} %" if den else "  n/a"


def evaluate(cases: list[Case], understand) -> tuple[Figures, list[tuple[Case, Match]]]:
    figures = Figures()
    misses = []
    for case in cases:
        match: Match = understand(case.question)
        figures.quartier_total += 1
        if match.quartier == case.quartier:
            figures.quartier_ok += 1
        if case.expected:
            figures.in_scope += 1
            if match.entry_id in case.expected or any(e in case.expected for e in match.suggestions):
                figures.offered += 1
            if match.entry_id in case.expected:
                figures.top1 += 1
                continue
            if match.entry_id is not None:
                figures.answered_wrong += 1
            if match.entry_id is None and not match.suggestions:
                figures.abstained += 1
            elif match.entry_id is None:
                figures.hesitated += 1
                if any(s in case.expected for s in match.suggestions):
                    figures.hesitated_ok += 1
                    continue
            misses.append((case, match))
        else:
            figures.out_scope += 1
            if match.entry_id is not None:
                figures.out_answered += 1
                misses.append((case, match))
    return figures, misses


@dataclass
class Reply:
    """What `ask --jsonl` says of a question, in the shape `evaluate` reads."""

    entry_id: str | None
    suggestions: list[str]
    quartier: str | None
    score: int = 0


def as_record(engine: Engine) -> Callable[[str], Reply]:
    """The bot's reply as outside tools read it: a danger first, only entries a resident can open."""

    def understand(question: str) -> Reply:
        record = ask_record(engine, question)
        return Reply(record["id"], list(record["suggestions"]), record["quartier"], int(record["score"]))

    return understand


def record_line(record: Figures) -> str:
    """The two figures that matter, as an outside evaluation reading `ask --jsonl` would count them."""
    correct = f"{record.pct(record.correct, record.total).strip()} ({record.correct}/{record.total})"
    wrong = f"{record.pct(record.confident_wrong, record.total).strip()} ({record.confident_wrong}/{record.total})"
    return f"as ask --jsonl reads it:        correct overall {correct}, confident wrong {wrong}"


def report(figures: Figures, misses: list[tuple[Case, Match]], worst: int, record: Figures | None = None) -> str:
    f = figures
    lines = [f"Worst misses ({min(worst, len(misses))} of {len(misses)}):"]
    for case, match in sorted(misses, key=lambda cm: -cm[1].score)[:worst]:
        got = match.entry_id or (f"? {'/'.join(match.suggestions)}" if match.suggestions else "—")
        lines.append(
            f"  [{match.score:3d}] {case.question[:70]!r} expected {'/'.join(case.expected) or 'none'} got {got}"
            f" (best {match.best_guess})"
        )
    lines += [
        "",
        f"confident wrong answers:        {f.pct(f.confident_wrong, f.total)}  "
        f"({f.confident_wrong}/{f.total} questions)",
        f"correct overall:                {f.pct(f.correct, f.total)}  ({f.correct}/{f.total} questions)",
        *([record_line(record)] if record is not None else []),
        f"expected answered or offered:   {f.pct(f.offered, f.in_scope)}  ({f.offered}/{f.in_scope} in scope)",
        "",
        f"questions: {f.in_scope + f.out_scope} ({f.in_scope} in scope, {f.out_scope} out of scope)",
        f"in-scope top-1 accuracy:        {f.pct(f.top1, f.in_scope)}  ({f.top1}/{f.in_scope})",
        f"in-scope abstentions:           {f.pct(f.abstained, f.in_scope)}  ({f.abstained})",
        f"in-scope hesitations:           {f.pct(f.hesitated, f.in_scope)}  ({f.hesitated})",
        f"expected among suggestions:     {f.pct(f.hesitated_ok, f.hesitated)}  "
        f"({f.hesitated_ok}/{f.hesitated} hesitations)",
        f"out-of-scope answered:          {f.pct(f.out_answered, f.out_scope)}  ({f.out_answered}/{f.out_scope})",
        f"quartier detection:             {f.pct(f.quartier_ok, f.quartier_total)}  "
        f"({f.quartier_ok}/{f.quartier_total})",
    ]
    return "\n".join(lines)


# --------------------------------------------------------------------------- baselines


@dataclass
class Row:
    """One line of the comparison table: a matcher's figures on the set."""

    name: str
    figures: Figures
    top3: int  # in-scope questions whose expected id is in the matcher's top 3
    threshold: str
    is_bot: bool  # baselines neither offer choices nor detect quartiers: those columns are n/a

    @property
    def correct(self) -> int:
        """The quantity each baseline's threshold maximises, computed the same way for the bot."""
        return self.figures.correct


def _cell(figures: Figures, num: int, den: int) -> str:
    return f"{figures.pct(num, den).strip()} {num}/{den}"


def comparison_table(rows: list[Row]) -> str:
    """The bot's figures next to the baselines', one line per matcher."""
    f0 = rows[0].figures
    columns = (
        "top-1 in scope",
        "top-3 ranked",
        "out-of-scope ans.",
        "suggestions hit",
        "quartier",
        "confident wrong",
        "ans. or buttons",
        "correct overall",
    )
    lines = [
        f"Comparison on the same {f0.in_scope + f0.out_scope} questions and knowledge base "
        f"(baselines at their best abstention threshold on this set):",
        f"{'matcher':<16}" + "".join(f"{c:>18}" for c in columns) + "  threshold",
    ]
    for row in rows:
        f = row.figures
        cells = (
            _cell(f, f.top1, f.in_scope),
            _cell(f, row.top3, f.in_scope),
            _cell(f, f.out_answered, f.out_scope),
            _cell(f, f.hesitated_ok, f.hesitated) if row.is_bot else "n/a",
            _cell(f, f.quartier_ok, f.quartier_total) if row.is_bot else "n/a",
            _cell(f, f.confident_wrong, f.total),
            _cell(f, f.offered, f.in_scope),
            _cell(f, row.correct, f.in_scope + f.out_scope),
        )
        lines.append(f"{row.name:<16}" + "".join(f"{c:>18}" for c in cells) + f"  {row.threshold}")
    return "\n".join(lines)


def _top3_hits(cases: list[Case], rankings: list[list[str]]) -> int:
    return sum(1 for case, ranked in zip(cases, rankings) if case.expected and set(ranked[:3]) & set(case.expected))


def baseline_row(baseline, cases: list[Case]) -> Row:
    """Rank every question, pick the best abstention threshold, then score like the bot."""
    rankings = [baseline.rank(case.question, 3) for case in cases]
    tops = [ranking[0] if ranking else (None, 0.0) for ranking in rankings]
    threshold = best_threshold(tops, [case.expected for case in cases])
    decided = {}
    for case, (top_id, score) in zip(cases, tops):
        answered = top_id is not None and score >= threshold.value
        decided[case.question] = Match(
            entry_id=top_id if answered else None, score=int(round(score)), best_guess=top_id
        )
    figures, _ = evaluate(cases, decided.__getitem__)
    shown = "never answers" if threshold.value == float("inf") else f"answers from {threshold.value:.2f}"
    return Row(baseline.name, figures, _top3_hits(cases, [[e for e, _ in r] for r in rankings]), shown, False)


def baseline_rows(kb: KnowledgeBase, cases: list[Case]) -> list[Row]:
    return [baseline_row(make(kb), cases) for make in BASELINES]


def _with_table(report_text: str, table: str) -> str:
    """Put the table just above the figures block, so the last lines stay the bot's figures."""
    head, marker, tail = report_text.rpartition("\n\nquestions:")
    if not marker:
        return table + "\n\n" + report_text
    return f"{head}\n\n{table}{marker}{tail}"


def _bot_row(name: str, engine: Engine, cases: list[Case]) -> tuple[Row, list[tuple[Case, Match]]]:
    matcher = engine.current.matcher
    matches: list[Match] = []

    def understand(question: str) -> Match:
        match = matcher.match(question)
        matches.append(match)
        return match

    figures, misses = evaluate(cases, understand)
    s = matcher.settings
    if matcher.learned is not None:
        shown = f"{matcher.learned.kind}, weight {s.learned_weight}, answers from fused {s.fused_answer_from}"
    else:
        shown = f"abstains < {s.abstain_below}, answers from {s.answer_from}"
    top3 = _top3_hits(cases, [[e for e, _ in m.ranking] for m in matches])
    return Row(name, figures, top3, shown, True), misses


def evaluate_set(path: Path, engines: dict[str, Engine], baselines: bool, worst: int) -> tuple[str, list[Row]]:
    """The full report of one set: worst misses of the bot, comparison table, the bot's figures."""
    cases = load_cases(path)
    rows = []
    misses: list[tuple[Case, Match]] = []
    figures = Figures()
    for name, engine in engines.items():
        row, row_misses = _bot_row(name, engine, cases)
        rows.append(row)
        if name == "bot":
            figures, misses = row.figures, row_misses
    # The matcher's figures above; the record's too, which is what an outside evaluation reads: a false
    # alarm answers with the danger's entry, whatever the matcher chose.
    record, _ = evaluate(cases, as_record(engines["bot"]))
    text = report(figures, misses, worst, record)
    if not baselines:
        return text, rows
    rows += baseline_rows(engines["bot"].current.kb, cases)
    return _with_table(text, comparison_table(rows)), rows


def summary_table(results: dict[str, list[Row]]) -> str:
    """One line per set: the figures the targets are about, bot beside lexical alone and BM25."""
    lines = [
        "| set | matcher | correct overall | confident wrong | expected answered or among buttons |",
        "| --- | --- | --- | --- | --- |",
    ]
    for set_name, rows in results.items():
        for row in rows:
            if row.name.startswith("naive"):
                continue
            f = row.figures
            buttons = f.pct(f.offered, f.in_scope).strip() if row.is_bot else "—"
            lines.append(
                f"| {set_name} | {row.name} | {f.pct(row.correct, f.total).strip()} | "
                f"{f.pct(f.confident_wrong, f.total).strip()} | {buttons} |"
            )
    return "\n".join(lines)


def bot_engine(knowledge: Path, cache: ModelCache, sentences: bool) -> Engine:
    """The engine `ask --jsonl` answers with: the sentence reading built and waited for when `sentences`."""
    engine = Engine.load(knowledge, cache=cache, sentences=sentences)
    if sentences and not engine.wait_for_sentences():
        print("sentence encoder not installed or base too large: read by words only", file=sys.stderr)
    return engine


def reading_line(engine: Engine) -> str:
    """Which readings the figures below are of: they differ by a point or two, so it is always said."""
    matcher = engine.current.matcher
    if matcher.learned is None:
        return "reading: words only (lexical index, no learned model on this base)"
    if matcher.sentences is None:
        return "reading: two readings (words + n-gram model), as the bot before its sentence reading is ready"
    return "reading: three readings (words + n-gram model + meaning), as the warm bot and ask --jsonl"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("file", nargs="?", type=Path, default=None)
    parser.add_argument("--safety", action="store_true", help=f"danger recognition on a safety set ({SAFETY_SET.name})")
    parser.add_argument("--knowledge", type=Path, default=ROOT / "knowledge")
    parser.add_argument("--worst", type=int, default=15)
    parser.add_argument("--no-baselines", action="store_true", help="skip lexical-only, naive rapidfuzz and BM25")
    reading = parser.add_mutually_exclusive_group()
    reading.add_argument(
        "--words-only",
        action="store_true",
        help="no sentence reading: the bot in its first seconds, or with RELAIS_SENTENCES=0",
    )
    reading.add_argument(
        "--sentences",
        action="store_true",
        help="read by meaning too even if RELAIS_SENTENCES is off (the default follows it, on unless switched off)",
    )
    args = parser.parse_args(argv)
    settings = load_settings()
    sentences = args.sentences or (settings.sentences and not args.words_only)
    cache = model_cache_in(settings.model_cache_dir, create=True)  # the learned model, trained once per content
    if args.safety:
        safety_set = args.file or SAFETY_SET
        if not safety_set.exists():
            print(f"evaluation set not found: {safety_set}", file=sys.stderr)
            return 2
        engine = bot_engine(args.knowledge, cache, sentences)
        print(provenance(ROOT, args.knowledge, engine.current.kb))
        print(reading_line(engine))
        print(safety_report(evaluate_safety(engine, load_safety_cases(safety_set))))
        return 0
    sets = {args.file.stem: args.file} if args.file else {"dev": DEFAULT_SET, **HELD_OUT}
    missing = [str(path) for path in sets.values() if not path.exists()]
    if args.file and missing:
        print(f"evaluation set not found: {args.file}", file=sys.stderr)
        return 2
    engines = {"bot": bot_engine(args.knowledge, cache, sentences)}
    if not args.no_baselines:
        engines["lexical alone"] = Engine.load(args.knowledge, learn=False)
    print(provenance(ROOT, args.knowledge, engines["bot"].current.kb))
    print(reading_line(engines["bot"]) + "\n")
    results = {}
    for name, path in sets.items():
        if not path.exists():
            print(f"(set {name} not found: {path})\n")
            continue
        text, rows = evaluate_set(path, engines, not args.no_baselines, args.worst)
        results[name] = rows
        if len(sets) > 1:
            print(f"=== {name}: {path.name}" + (" (tuned on)" if name == "dev" else " (held out, never tuned on)"))
        print(text + "\n")
    if len(results) > 1:
        print(summary_table(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
