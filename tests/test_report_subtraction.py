"""No hidden weekly count of the laboratoire's report can be worked out from the totals it shows.

The report shows exact totals (each need's count, the questions of the
period) beside weekly counts where the rare weeks are hidden. A reader who
subtracts the shown weeks from the total must never get a hidden week's
count back: for every hidden week, at least two values fit what is shown.
The checks work out every assignment a reader could try, knowing the rule.
"""

from __future__ import annotations

import itertools

import pytest

from bot.laboratoire.suppression import hidden_weeks

K = 3
PERIOD = [f"2026-W{n}" for n in range(45, 50)]


def values_a_reader_can_find(counts: dict[str, int], period: list[str]) -> dict[str, set[int]]:
    """Each hidden week's possible counts, given the shown weeks, the total and the rule itself."""
    hidden = hidden_weeks(counts, K, period)
    total = sum(counts.values())
    shown = {w: n for w, n in counts.items() if w not in hidden}
    left = total - sum(shown.values())
    weeks = sorted(hidden)
    possible: dict[str, set[int]] = {w: set() for w in weeks}
    for guess in itertools.product(range(left + 1), repeat=len(weeks)):
        if sum(guess) != left:
            continue
        candidate = {**shown, **{w: n for w, n in zip(weeks, guess) if n}}
        if hidden_weeks(candidate, K, period) == hidden:  # the reader knows the rule: it must give the same view
            for w, n in zip(weeks, guess):
                possible[w].add(n)
    return possible


@pytest.mark.parametrize(
    "counts",
    [
        {"2026-W46": 4, "2026-W47": 1},  # a need of 5: « 4 » shown would give the 1 back
        {"2026-W45": 5, "2026-W46": 5, "2026-W47": 1},  # a city-wide quiet week
        {"2026-W45": 2, "2026-W46": 1},  # every week rare
        {"2026-W45": 1, "2026-W46": 1, "2026-W47": 6},  # two weeks of 1 add up to 2: each would be 1
        {"2026-W45": 1, "2026-W46": 1, "2026-W47": 1},  # three lone weeks and nothing else
        {"2026-W45": 2, "2026-W46": 2, "2026-W47": 9, "2026-W48": 3},
        {"2026-W45": 1, "2026-W47": 3, "2026-W48": 4, "2026-W49": 7},
    ],
)
def test_no_hidden_week_is_given_back_by_subtraction(counts):
    possible = values_a_reader_can_find(counts, PERIOD)
    assert possible, "a rare week must be hidden"
    assert all(w in possible for w, n in counts.items() if 0 < n < K)
    for week, values in possible.items():
        assert len(values) >= 2, f"{week} can only be {values}"


def test_weeks_of_k_or_more_stay_shown_when_nothing_is_rare():
    assert hidden_weeks({"2026-W45": 3, "2026-W46": 8}, K, PERIOD) == frozenset()


def test_a_lone_rare_week_takes_the_smallest_shown_week_with_it():
    assert hidden_weeks({"2026-W45": 9, "2026-W46": 4, "2026-W47": 1}, K, PERIOD) == {"2026-W46", "2026-W47"}
