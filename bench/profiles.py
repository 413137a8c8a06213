"""Rights-check quality on a held-out profile set (issue #14): what a household would be told.

Each item of the set is `id`, `profil` (the keys of `python -m bot droits --profil -`),
`attendus` (rights a social worker expects listed), `possibles` (defensible or uncertain
for 2026: neither a miss nor an error) and `exclus` (rights the household clearly cannot
have). The rights are computed exactly as `droits --profil` computes them (same parser,
same rules, same order), so the figures are those an outside evaluation sees:

- recall: expected rights listed / expected rights, over the whole list and in the first 5;
- precision: listed rights that are expected or possible / listed rights (strict: expected only);
- excluded listed: rights listed although the household clearly cannot have them.

Two kinds of sets: `bench/profiles-tune.yaml` (written from the official criteria, may be
tuned on) and the held-out `bench/own-profiles*.yaml` (never tuned on). A held-out set only
prints its figures: its per-profile differences are hidden (`--details` shows them) so
nobody decides a rule from its failures.

Run: python bench/profiles.py [FILE] [--knowledge DIR] [--details] [--by-rule]
     (no FILE: the tuning set, then every held-out own-profiles*.yaml, reported apart)
     --by-rule: per right, how often it is listed as expected, listed although only possible
     (what strict precision counts against), listed although excluded, and missed; so each
     rule's unexpected listings can be checked against the official criteria one by one.
     Hidden for a held-out set unless --details is also given (it would show its failures).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(Path(__file__).resolve().parent))  # bench/, for provenance.py

from provenance import provenance  # noqa: E402

from bot.knowledge.loader import load_knowledge  # noqa: E402
from bot.orientation.evaluate import evaluate  # noqa: E402
from bot.orientation.profile import parse_profile  # noqa: E402

BENCH = Path(__file__).resolve().parent
DEFAULT_SET = BENCH / "own-profiles.yaml"
TUNING_SET = BENCH / "profiles-tune.yaml"
TOP = 5  # what fits on a phone screen before scrolling: the first rights matter most


@dataclass
class ProfileCase:
    name: str
    answers: dict
    expected: list[str]
    possible: set[str]
    excluded: set[str]


@dataclass
class RuleFigures:
    """One right over a whole set: where its listings go, to judge its rule against the criteria."""

    expected: int = 0  # listed and expected
    possible: int = 0  # listed, only possible: counts against strict precision
    excluded: int = 0  # listed although the household clearly cannot have it
    unexpected: int = 0  # listed, neither expected, possible nor excluded
    missed: int = 0  # expected and not listed
    examples: list[str] = field(default_factory=list)  # profiles where it is listed but not expected


@dataclass
class ProfileFigures:
    expected: int = 0
    found: int = 0
    found_top: int = 0
    listed: int = 0
    listed_ok: int = 0  # expected or possible
    excluded_listed: int = 0
    likely: int = 0  # listed as `probable` (before the line « Possibles aussi »)
    likely_expected: int = 0  # of those, expected: how much the likely group can be trusted
    expected_possible: int = 0  # expected rights listed only as `possible`
    lines: list[str] = field(default_factory=list)
    by_rule: dict[str, RuleFigures] = field(default_factory=dict)

    def rule(self, entry_id: str) -> RuleFigures:
        return self.by_rule.setdefault(entry_id, RuleFigures())


def load_profile_cases(path: Path) -> list[ProfileCase]:
    cases = []
    for item in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
        cases.append(
            ProfileCase(
                str(item["id"]),
                dict(item.get("profil") or {}),
                list(item.get("attendus") or []),
                set(item.get("possibles") or []),
                set(item.get("exclus") or []),
            )
        )
    return cases


def evaluate_profiles(rules, cases: list[ProfileCase]) -> ProfileFigures:
    figures = ProfileFigures()
    for case in cases:
        profile, _ = parse_profile(case.answers)
        found = evaluate(rules, profile)
        listed = [s.entry_id for s in found]
        likely = [s.entry_id for s in found if s.likely]
        figures.likely += len(likely)
        figures.likely_expected += sum(1 for e in likely if e in case.expected)
        figures.expected_possible += sum(1 for s in found if not s.likely and s.entry_id in case.expected)
        missed = [e for e in case.expected if e not in listed]
        late = [e for e in case.expected if e in listed[TOP:]]
        extra = [e for e in listed if e not in case.expected and e not in case.possible]
        banned = [e for e in listed if e in case.excluded]
        figures.expected += len(case.expected)
        figures.found += len(case.expected) - len(missed)
        figures.found_top += len(set(case.expected) & set(listed[:TOP]))
        figures.listed += len(listed)
        figures.listed_ok += len(listed) - len(extra)
        figures.excluded_listed += len(banned)
        _count_by_rule(figures, case, listed, missed)
        if missed or extra or late:
            parts = []
            if missed:
                parts.append(f"missed {', '.join(missed)}")
            if late:
                parts.append(f"after the first {TOP}: {', '.join(late)}")
            if banned:
                parts.append(f"EXCLUDED listed {', '.join(banned)}")
            unexpected = [e for e in extra if e not in case.excluded]
            if unexpected:
                parts.append(f"not expected {', '.join(unexpected)}")
            figures.lines.append(f"  {case.name}: " + "; ".join(parts))
    return figures


def _count_by_rule(figures: ProfileFigures, case: ProfileCase, listed: list[str], missed: list[str]) -> None:
    for entry_id in listed:
        rule = figures.rule(entry_id)
        if entry_id in case.expected:
            rule.expected += 1
            continue
        if entry_id in case.excluded:
            rule.excluded += 1
        elif entry_id in case.possible:
            rule.possible += 1
        else:
            rule.unexpected += 1
        rule.examples.append(case.name)
    for entry_id in missed:
        figures.rule(entry_id).missed += 1


def by_rule_report(figures: ProfileFigures) -> str:
    """Rights ordered by how many listings strict precision counts against them, most first."""
    rows = sorted(
        figures.by_rule.items(),
        key=lambda item: (-(item[1].possible + item[1].excluded + item[1].unexpected), item[0]),
    )
    lines = ["By right (listed: expected / possible only / excluded / neither; missed):"]
    for entry_id, rule in rows:
        lines.append(
            f"  {entry_id:28} {rule.expected:3} / {rule.possible:3} / {rule.excluded:3} / {rule.unexpected:3};"
            f" missed {rule.missed}"
        )
        if rule.examples:
            lines.append(f"    not expected in: {', '.join(rule.examples)}")
    return "\n".join(lines)


def _pct(num: int, den: int) -> str:
    return f"{100 * num / den:5.1f} %" if den else "  n/a"


def held_out_sets(folder: Path = BENCH) -> list[Path]:
    """Every own-profiles*.yaml in number order, so a set added later is reported without editing this file.

    `own-profiles.yaml` comes first (number 1), then `own-profiles-N.yaml` by N.
    """

    def number(path: Path) -> int:
        suffix = path.stem.removeprefix("own-profiles").lstrip("-")
        return int(suffix) if suffix.isdigit() else 1

    return sorted(folder.glob("own-profiles*.yaml"), key=number)


def is_held_out(path: Path) -> bool:
    """Held-out sets follow the bench naming: own-*.yaml, *heldout*.yaml."""
    return path.name.startswith("own-") or "heldout" in path.name


def profiles_report(figures: ProfileFigures, profiles: int, details: bool = True) -> str:
    f = figures
    if details:
        lines = [f"Profiles with a difference ({len(f.lines)} of {profiles}):", *f.lines, ""]
    else:
        lines = [f"Profiles with a difference: {len(f.lines)} of {profiles} (held-out: details hidden)", ""]
    lines += [
        f"profiles: {profiles}, expected rights: {f.expected}, listed rights: {f.listed}",
        f"recall (whole list):            {_pct(f.found, f.expected)}  ({f.found}/{f.expected})",
        f"recall in the first {TOP}:          {_pct(f.found_top, f.expected)}  ({f.found_top}/{f.expected})",
        f"precision (expected or possible): {_pct(f.listed_ok, f.listed)}  ({f.listed_ok}/{f.listed})",
        f"strict precision (expected only): {_pct(f.found, f.listed)}  ({f.found}/{f.listed})",
        f"excluded rights listed:         {f.excluded_listed}",
        f"likely group (`probable`):      {f.likely} listed, expected {_pct(f.likely_expected, f.likely)};"
        f" expected rights listed only as possible: {f.expected_possible}",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("file", nargs="?", type=Path, default=None)
    parser.add_argument("--knowledge", type=Path, default=ROOT / "knowledge")
    parser.add_argument("--details", action="store_true", help="also list a held-out set's differences")
    parser.add_argument("--by-rule", action="store_true", help="per right: expected, possible, excluded, missed")
    args = parser.parse_args(argv)
    files = [args.file] if args.file else [TUNING_SET, *(held_out_sets() or [DEFAULT_SET])]
    for path in files:
        if not path.exists():
            print(f"profile set not found: {path}", file=sys.stderr)
            return 2
    kb = load_knowledge(args.knowledge).kb
    rules = kb.rules
    if rules is None:
        print(f"no usable rights-check rules in {args.knowledge}", file=sys.stderr)
        return 2
    print(provenance(ROOT, args.knowledge, kb) + "\n")
    for index, path in enumerate(files):
        held_out = is_held_out(path)
        kind = "HELD-OUT set, never tune on it" if held_out else "tuning set"
        cases = load_profile_cases(path)
        print(("\n" if index else "") + f"== {path.name} ({kind})")
        figures = evaluate_profiles(rules, cases)
        details = args.details or not held_out
        print(profiles_report(figures, len(cases), details=details))
        if args.by_rule and details:
            print("\n" + by_rule_report(figures))
        elif args.by_rule:
            print("\n(by right: hidden for a held-out set; add --details to see it)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
