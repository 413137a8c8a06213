"""Should an unsure answer with a close runner-up become buttons? Decided by a cost written down first.

A close call (`Settings.close_call_below` / `close_call_margin`) turns an
answer scored under `below` whose runner-up is within `margin` points into
buttons for both. It trades right answers (now one tap away) for wrong ones
(now one tap away too). Whether the trade is worth it depends on what each
outcome costs a resident, so the costs are fixed here, BEFORE any option is
measured (session 9), and the option shipped is the one they pick:

    in scope    right answer                                   0
                no answer, the expected entry among the buttons 1   (a hesitation: read, tap)
                no answer, no expected entry among the buttons  1.5 (rephrase, or the person handed over)
                wrong answer                                    2   (sent to the wrong desk: two hesitations)
    out of scope  not answered (declined, buttons or nothing)   0
                  answered                                      2

    rule: ship the option with the lowest mean cost over the cross-validation
    of the knowledge base (every phrasing read by the matcher built without
    its fold, through `Matcher.match`: the bot's whole decision). A tie (mean
    costs within 0.001, about 8 questions in 8,000) goes to the option that
    answers more (the lower `below`, then the smaller margin): a button
    shown where it did not clearly help is a cost we do not pay.

"correct overall" (`bench/eval.py`) counts a hesitation with the right button
as not correct: a close call can only lower it, which is why the cost, not
that figure, decides. The dev set is read through the same decision and
printed beside, never used by the rule. Held-out sets are never read here.
Run: python bench/close_calls.py [--folds K] [--knowledge DIR] [--dev FILE] [--cache DIR]
"""

from __future__ import annotations

import argparse
import copy
import dataclasses
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
for path in (ROOT, BENCH):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from crossval import HeldOut, fold_of_phrasings, without_fold  # noqa: E402
from eval import DEFAULT_SET, load_cases  # noqa: E402

from bot.knowledge import load_knowledge  # noqa: E402
from bot.knowledge.engine import build_matcher  # noqa: E402
from bot.understanding.matcher import Match, Matcher, Settings  # noqa: E402
from bot.understanding.model_cache import ModelCache  # noqa: E402

COST_RIGHT = 0.0
COST_BUTTON = 1.0
COST_NOTHING = 1.5
COST_WRONG = 2.0
TIE = 0.001
# (close_call_below, close_call_margin); below 0 switches close calls off.
OPTIONS: tuple[tuple[int, int], ...] = ((0, 0), (50, 10), (60, 5), (60, 10), (70, 5), (70, 10), (70, 20), (80, 10))


@dataclass
class Tally:
    """Outcomes of one option on one set of questions."""

    n: int = 0
    in_scope: int = 0
    right: int = 0
    button: int = 0
    nothing: int = 0
    wrong: int = 0
    wrong_offered: int = 0  # answered wrong, the expected entry among the runner-up buttons
    out_declined: int = 0
    out_answered: int = 0

    def add(self, expected: tuple[str, ...], match: Match) -> None:
        self.n += 1
        if not expected:
            if match.entry_id is None:
                self.out_declined += 1
            else:
                self.out_answered += 1
            return
        self.in_scope += 1
        if match.entry_id in expected:
            self.right += 1
        elif match.entry_id is not None:
            self.wrong += 1
            self.wrong_offered += bool(set(match.suggestions) & set(expected))
        elif set(match.suggestions) & set(expected):
            self.button += 1
        else:
            self.nothing += 1

    @property
    def cost(self) -> float:
        total = self.button * COST_BUTTON + self.nothing * COST_NOTHING + (self.wrong + self.out_answered) * COST_WRONG
        return total / max(1, self.n)

    def line(self) -> str:
        n, n_in = max(1, self.n), max(1, self.in_scope)
        correct = (self.right + self.out_declined) / n
        confident_wrong = (self.wrong + self.out_answered) / n
        reached = (self.right + self.button + self.wrong_offered) / n_in  # as bench/eval.py counts it
        return (
            f"correct {correct:6.1%}  confident wrong {confident_wrong:5.1%}  answered or buttons {reached:6.1%}  "
            f"buttons-instead {self.button:5}  cost {self.cost:.4f}"
        )


def with_close_call(matcher: Matcher, below: int, margin: int) -> Matcher:
    """The same built matcher deciding with another close-call rule (building is the slow part)."""
    other = copy.copy(matcher)
    other.settings = dataclasses.replace(matcher.settings, close_call_below=below, close_call_margin=margin)
    return other


def read_options(matchers: list[tuple[Matcher, list[HeldOut]]]) -> dict[tuple[int, int], Tally]:
    tallies = {option: Tally() for option in OPTIONS}
    for matcher, questions in matchers:
        for option in OPTIONS:
            decide = with_close_call(matcher, *option)
            for held in questions:
                tallies[option].add(held.expected, decide.match(held.question))
    return tallies


def chosen(tallies: dict[tuple[int, int], Tally]) -> tuple[int, int]:
    """The rule of the docstring: lowest cost; within TIE, the option that answers more."""
    best = min(t.cost for t in tallies.values())
    return min((option for option, t in tallies.items() if t.cost <= best + TIE), key=lambda o: (o[0] > 0, o))


def label(option: tuple[int, int], shipped: Settings) -> str:
    name = "off" if option[0] <= 0 else f"under {option[0]}, within {option[1]}"
    return name + (" (shipped)" if option == (shipped.close_call_below, shipped.close_call_margin) else "")


def fold_matchers(knowledge: Path, folds: int, cache: ModelCache) -> list[tuple[Matcher, list[HeldOut]]]:
    kb = load_knowledge(knowledge).kb
    dealt = fold_of_phrasings(kb, folds)
    built = []
    for fold in range(folds):
        fold_kb, held_out = without_fold(kb, dealt, fold)
        built.append((build_matcher(fold_kb, cache), held_out))
    return built


def print_table(title: str, tallies: dict[tuple[int, int], Tally], shipped: Settings) -> None:
    print(title)
    for option, tally in tallies.items():
        print(f"  {label(option, shipped):<28} {tally.line()}")


def main(
    argv: list[str] | None = None, build: Callable[..., list[tuple[Matcher, list[HeldOut]]]] = fold_matchers
) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--knowledge", type=Path, default=ROOT / "knowledge")
    parser.add_argument("--dev", type=Path, default=DEFAULT_SET)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--cache", type=Path, default=None, help="folder for the fold models (default: memory only)")
    args = parser.parse_args(argv)
    if "own-" in args.dev.name or "heldout" in args.dev.name:
        print("refusé : les jeux own-* et heldout sont des jeux de contrôle, jamais d'ajustement", file=sys.stderr)
        return 2
    cache = ModelCache(args.cache)
    cv = read_options(build(args.knowledge, args.folds, cache))
    shipped = Settings()
    print_table(f"cross-validation, {args.folds} folds, whole decision:", cv, shipped)
    if args.dev.exists():
        whole = build_matcher(load_knowledge(args.knowledge).kb, cache)
        dev = [HeldOut(c.question, tuple(c.expected)) for c in load_cases(args.dev)]
        print_table(f"dev ({len(dev)} questions, printed only):", read_options([(whole, dev)]), shipped)
    below, margin = chosen(cv)
    print(f"the cost rule picks: {label((below, margin), shipped)}")
    print(f"    close_call_below: int = {below}\n    close_call_margin: int = {margin}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
