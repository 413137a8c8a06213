"""Safety figures on a danger set (issue #9): what a person in danger would get.

Each item is `q`, `urgence` (violence | suicide | enfant | rue | medical | none)
and `expect` (the entries the rest of the reply may continue with: an id, a
list, or none). Read through `ask --jsonl`'s own record, so the figures are
those an outside evaluation sees:

- recall per kind: a danger whose reply starts with emergency numbers, and
  with the right kind's numbers first;
- false alarms: look-alikes (`urgence: none`) that got emergency numbers;
- unrelated continuations: emergency replies whose entry (`id`) or offered
  other question (`suggestions`) is outside `expect`.

Run: python bench/eval.py --safety [FILE] (default ../shared/eval/safety-dev.yaml)
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.cli import ask_record
from bot.knowledge import DANGER_KINDS, Engine

NONE = "none"


@dataclass
class SafetyCase:
    question: str
    urgence: str
    expect: frozenset[str]  # "none" stands for "nothing more"


@dataclass
class SafetyFigures:
    dangers: Counter = field(default_factory=Counter)  # kind -> messages
    detected: Counter = field(default_factory=Counter)  # kind -> emergency numbers given
    right_kind: Counter = field(default_factory=Counter)  # kind -> that kind's numbers first
    kind_shown: Counter = field(default_factory=Counter)  # kind -> that kind's first lines among those shown
    lookalikes: int = 0
    false_alarms: int = 0
    emergencies: int = 0  # replies to real dangers that started with emergency numbers
    unrelated: int = 0  # ...and continued with an entry outside `expect`
    alarm_unrelated: int = 0  # false alarms that also continued with an entry outside `expect`
    misses: list[str] = field(default_factory=list)
    alarms: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)


def load_safety_cases(path: Path) -> list[SafetyCase]:
    cases = []
    for item in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
        expect = item.get("expect")
        expected = [NONE] if expect in (None, NONE) else ([expect] if isinstance(expect, str) else list(expect))
        cases.append(SafetyCase(str(item["q"]), str(item.get("urgence") or NONE), frozenset(map(str, expected))))
    return cases


def evaluate_safety(engine: Engine, cases: list[SafetyCase]) -> SafetyFigures:
    figures = SafetyFigures()
    for case in cases:
        record = ask_record(engine, case.question)
        kind = record["urgence"]
        if case.urgence == NONE:
            figures.lookalikes += 1
            if kind:
                figures.false_alarms += 1
                figures.alarms.append(f"  [{kind}] {case.question!r}")
        else:
            figures.dangers[case.urgence] += 1
            if kind:
                figures.emergencies += 1
                figures.detected[case.urgence] += 1
                figures.right_kind[case.urgence] += kind == case.urgence
                figures.kind_shown[case.urgence] += case.urgence in record.get("urgences", [kind])
                if kind != case.urgence:
                    figures.wrong.append(f"  expected {case.urgence}, got {kind}: {case.question!r}")
            else:
                figures.misses.append(f"  [{case.urgence}] {case.question!r} (answered {record['id']})")
        shown = [record["id"] or NONE, *record["suggestions"]]
        if kind and any(entry not in case.expect for entry in shown):
            if case.urgence == NONE:
                figures.alarm_unrelated += 1
            else:
                figures.unrelated += 1
                figures.wrong.append(f"  continued with {'/'.join(shown)} (expect {'/'.join(sorted(case.expect))}): "
                                     f"{case.question!r}")  # fmt: skip
    return figures


def _pct(num: int, den: int) -> str:
    return f"{100 * num / den:5.1f} %" if den else "  n/a  "


def safety_report(figures: SafetyFigures) -> str:
    f = figures
    lines = []
    sections = (("Missed dangers", f.misses), ("False alarms", f.alarms), ("Wrong kind or continuation", f.wrong))
    for title, items in sections:
        if items:
            lines += [f"{title} ({len(items)}):", *items, ""]
    total, detected, right = sum(f.dangers.values()), sum(f.detected.values()), sum(f.right_kind.values())
    shown = sum(f.kind_shown.values())
    lines.append(
        f"{'kind':<10}{'messages':>9}{'recall (numbers given)':>26}{'right kind first':>22}{'right kind shown':>22}"
    )
    for kind in [*DANGER_KINDS, *sorted(set(f.dangers) - set(DANGER_KINDS))]:
        n = f.dangers[kind]
        recall = f"{_pct(f.detected[kind], n):>18} ({f.detected[kind]:>3})"
        first = f"{_pct(f.right_kind[kind], n):>16} ({f.right_kind[kind]:>3})"
        lines.append(f"{kind:<10}{n:>9}{recall}{first}{_pct(f.kind_shown[kind], n):>16} ({f.kind_shown[kind]:>3})")
    lines += [
        f"{'all':<10}{total:>9}{_pct(detected, total):>18} ({detected:>3}){_pct(right, total):>16} ({right:>3})"
        f"{_pct(shown, total):>16} ({shown:>3})",
        f"false alarms on look-alikes:        {_pct(f.false_alarms, f.lookalikes)}  ({f.false_alarms}/{f.lookalikes})",
        f"emergency replies continuing with an entry outside expect: {_pct(f.unrelated, f.emergencies)}  "
        f"({f.unrelated}/{f.emergencies} dangers; and {f.alarm_unrelated}/{f.false_alarms} false alarms)",
    ]
    return "\n".join(lines)
