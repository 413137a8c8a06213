"""Matcher quality on an evaluation set (default: ../shared/eval/dev.yaml).

Prints in-scope top-1 accuracy, abstentions, hesitations, out-of-scope answers,
quartier detection and the worst misses. Run: python bench/eval.py [FILE]
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.engine import Engine  # noqa: E402
from bot.matcher import Match  # noqa: E402

DEFAULT_SET = ROOT.parent / "shared" / "eval" / "dev.yaml"


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
            if match.entry_id in case.expected:
                figures.top1 += 1
                continue
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


def report(figures: Figures, misses: list[tuple[Case, Match]], worst: int) -> str:
    f = figures
    lines = [f"Worst misses ({min(worst, len(misses))} of {len(misses)}):"]
    for case, match in sorted(misses, key=lambda cm: -cm[1].score)[:worst]:
        got = match.entry_id or (f"? {'/'.join(match.suggestions)}" if match.suggestions else "—")
        lines.append(f"  [{match.score:3d}] {case.question[:70]!r} expected {'/'.join(case.expected) or 'none'} got {got}"
                     f" (best {match.best_guess})")
    lines += [
        "",
        f"questions: {f.in_scope + f.out_scope} ({f.in_scope} in scope, {f.out_scope} out of scope)",
        f"in-scope top-1 accuracy:        {f.pct(f.top1, f.in_scope)}  ({f.top1}/{f.in_scope})",
        f"in-scope abstentions:           {f.pct(f.abstained, f.in_scope)}  ({f.abstained})",
        f"in-scope hesitations:           {f.pct(f.hesitated, f.in_scope)}  ({f.hesitated})",
        f"expected among suggestions:     {f.pct(f.hesitated_ok, f.hesitated)}  ({f.hesitated_ok}/{f.hesitated} hesitations)",
        f"out-of-scope answered:          {f.pct(f.out_answered, f.out_scope)}  ({f.out_answered}/{f.out_scope})",
        f"quartier detection:             {f.pct(f.quartier_ok, f.quartier_total)}  ({f.quartier_ok}/{f.quartier_total})",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("file", nargs="?", type=Path, default=DEFAULT_SET)
    parser.add_argument("--knowledge", type=Path, default=ROOT / "knowledge")
    parser.add_argument("--worst", type=int, default=15)
    args = parser.parse_args(argv)
    if not args.file.exists():
        print(f"evaluation set not found: {args.file}", file=sys.stderr)
        return 2
    engine = Engine.load(args.knowledge)
    matcher = engine.current.matcher
    figures, misses = evaluate(load_cases(args.file), matcher.match)
    print(report(figures, misses, args.worst))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
