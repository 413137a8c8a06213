"""Measures the closest-entry rule of the laboratoire's report on our own sets.

The review shows, for each need, "the bot's closest entry" only when at least
GUESS_MIN_SHARE of the need's questions were guessed as that entry with a mean
score of GUESS_MIN_SCORE or more (bot/laboratoire/clustering.py). Two sides:

- uncovered needs (the TUNING sets bench/unmet-needs.yaml and bench/unmet-needs-tune*.yaml,
  needs the knowledge base does not cover): an
  entry shown is a false lead that sends staff the wrong way;
- covered needs (../shared/eval/dev.yaml, every question of an expected entry
  taken as one need, as if the bot had missed them all): the right entry
  shown is the help the rule gives, a wrong one is a false lead.

Prints both for a grid of (share, score); the rule in use is marked with *.
Held-out sets are never read here: these figures decide the thresholds.
Run: python bench/closest_entry.py [--knowledge DIR] [--leads]
     (--leads: each uncovered need the rule in use shows an entry for, with the entry and its votes)
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.knowledge.engine import Engine  # noqa: E402
from bot.laboratoire.clustering import GUESS_MIN_SCORE, GUESS_MIN_SHARE, closest_entry  # noqa: E402

UNCOVERED_SETS = [
    ROOT / "bench" / "unmet-needs.yaml",
    ROOT / "bench" / "unmet-needs-tune.yaml",
    ROOT / "bench" / "unmet-needs-tune-2.yaml",
    ROOT / "bench" / "unmet-needs-tune-3.yaml",
]
COVERED_SET = ROOT.parent / "shared" / "eval" / "dev.yaml"
SHARES = (0.3, 0.5, 0.6, 0.7)
SCORES = (20, 30, 40, 50, 60)


@dataclass(frozen=True)
class Guess:
    """What closest_entry reads of a stored question: the bot's guess and its score."""

    guess: str | None
    score: int


def uncovered_needs(paths: list[Path]) -> list[list[str]]:
    return list(named_uncovered_needs(paths).values())


def named_uncovered_needs(paths: list[Path]) -> dict[str, list[str]]:
    """need name -> its questions, over the tuning sets (names are unique across them)."""
    needs: dict[str, list[str]] = {}
    for path in paths:
        for item in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            needs[f"{path.stem}:{item['need']}"] = [str(q) for q in item["questions"]]
    return needs


def print_leads(needs: dict[str, list[Guess]]) -> None:
    """The false leads the rule in use gives staff: which uncovered need shows which entry."""
    for name, rows in needs.items():
        entry, score = closest_entry(rows)
        if entry:
            votes = sum(1 for r in rows if r.guess == entry)
            print(f"  {name:<48} -> {entry} ({votes}/{len(rows)} questions, best score {score})")


def covered_needs(path: Path) -> dict[str, list[str]]:
    """Dev questions grouped by their first expected entry (out-of-scope ones left out)."""
    groups: dict[str, list[str]] = defaultdict(list)
    if not path.exists():
        return groups
    for case in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
        expect = case.get("expect")
        ids = expect if isinstance(expect, list) else [expect]
        if ids and ids[0] not in (None, "none"):
            groups["|".join(map(str, ids))].append(str(case["q"]))
    return groups


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--knowledge", type=Path, default=ROOT / "knowledge")
    parser.add_argument("--leads", action="store_true", help="list the uncovered needs shown an entry")
    args = parser.parse_args()
    matcher = Engine.load(args.knowledge).current.matcher

    def guesses(questions: list[str]) -> list[Guess]:
        return [Guess(m.best_guess, m.score) for m in map(matcher.match, questions)]

    named = {name: guesses(q) for name, q in named_uncovered_needs(UNCOVERED_SETS).items()}
    uncovered = list(named.values())
    if args.leads:
        print_leads(named)
        return 0
    covered_questions = covered_needs(COVERED_SET)
    covered = {ids: guesses(q) for ids, q in covered_questions.items()}
    # The realistic covered case: only the dev questions the bot did not answer (what the report receives).
    missed = {
        ids: [Guess(m.best_guess, m.score) for m in map(matcher.match, q) if m.entry_id is None]
        for ids, q in covered_questions.items()
    }
    missed = {ids: rows for ids, rows in missed.items() if len(rows) >= 2}
    print(
        f"{len(uncovered)} uncovered needs (tuning sets), {len(covered)} covered entries (dev set), "
        f"{len(missed)} of them with 2+ questions the bot missed"
    )
    print(f"{'share':>5} {'score':>5}   uncovered: lead shown   covered: right / wrong / none   missed: right / wrong")
    for share in SHARES:
        for score in SCORES:
            leads = sum(1 for rows in uncovered if closest_entry(rows, share, score)[0])
            right = wrong = 0
            for ids, rows in covered.items():
                shown = closest_entry(rows, share, score)[0]
                if shown is not None:
                    right += shown in ids.split("|")
                    wrong += shown not in ids.split("|")
            shown_missed = [(ids, closest_entry(rows, share, score)[0]) for ids, rows in missed.items()]
            m_right = sum(1 for ids, e in shown_missed if e is not None and e in ids.split("|"))
            m_wrong = sum(1 for ids, e in shown_missed if e is not None and e not in ids.split("|"))
            mark = "*" if (share, score) == (GUESS_MIN_SHARE, GUESS_MIN_SCORE) else " "
            n, c, m = max(1, len(uncovered)), max(1, len(covered)), max(1, len(missed))
            print(
                f"{mark}{share:>4} {score:>5}   {100 * leads / n:>5.1f} % ({leads:>2}/{len(uncovered)})"
                f"        {100 * right / c:5.1f} % / {100 * wrong / c:4.1f} % / {100 * (c - right - wrong) / c:4.1f} %"
                f"      {100 * m_right / m:5.1f} % / {100 * m_wrong / m:4.1f} %"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
