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

from bot.laboratoire.suppression import hidden_totals, hidden_weeks

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


# --------------------------------------------------------------------------- across series (needs x weeks)

WEEKS = PERIOD[:3]


def shown_view(rows: list[dict[str, int]], rest: dict[str, int]) -> tuple:
    """What the HTML report shows of a table: each charted need's count and shown weeks, the weekly totals."""
    row_hidden = [hidden_weeks(row, K, WEEKS) for row in rows]
    totals = {w: sum(row.get(w, 0) for row in rows) + rest.get(w, 0) for w in WEEKS}
    total_hidden = hidden_totals(totals, K, WEEKS, row_hidden)
    return (
        tuple(sum(row.values()) for row in rows),
        tuple(tuple((w, row.get(w, 0)) for w in WEEKS if w not in hidden) for row, hidden in zip(rows, row_hidden)),
        tuple((w, totals[w]) for w in WEEKS if w not in total_hidden),
        sum(totals.values()),
    )


def spreads(total: int, weeks: list[str]) -> list[dict[str, int]]:
    """Every way of spreading `total` questions over `weeks`."""
    return [
        dict(zip(weeks, split))
        for split in itertools.product(range(total + 1), repeat=len(weeks))
        if sum(split) == total
    ]


def cells_a_reader_can_find(rows: list[dict[str, int]], rest: dict[str, int]) -> dict[tuple[int, str], set[int]]:
    """Each hidden cell's possible counts, over every table that shows exactly what this one shows.

    The reader knows the rule, each need's count, the shown cells and totals,
    and the questions of the period; the needs not charted and the groups too
    rare to show (`rest`) are known to them only by their total.
    """
    view = shown_view(rows, rest)
    hidden = [sorted(hidden_weeks(row, K, WEEKS)) for row in rows]
    choices = [
        [
            {**{w: n for w, n in row.items() if w not in weeks}, **spread}
            for spread in spreads(sum(row[w] for w in weeks if w in row), weeks)
        ]
        for row, weeks in zip(rows, hidden)
    ]
    possible: dict[tuple[int, str], set[int]] = {(i, w): set() for i, weeks in enumerate(hidden) for w in weeks}
    for candidate_rest in spreads(sum(rest.values()), WEEKS):
        for candidate in itertools.product(*choices):
            table = [{w: n for w, n in row.items() if n} for row in candidate]
            if shown_view(table, candidate_rest) == view:
                for i, weeks in enumerate(hidden):
                    for w in weeks:
                        possible[(i, w)].add(candidate[i].get(w, 0))
    return possible


@pytest.mark.parametrize(
    "rows, rest",
    [
        # A need of 5 (4 then 1) beside one of 6 (3 and 3), nothing else: the week's total (7) less
        # the other need's 3 gave the 4 back, and then the 1.
        ([{"2026-W46": 4, "2026-W47": 1}, {"2026-W46": 3, "2026-W47": 3}], {}),
        ([{"2026-W45": 1, "2026-W46": 5}, {"2026-W45": 3, "2026-W46": 4, "2026-W47": 3}], {"2026-W47": 1}),
        ([{"2026-W45": 3, "2026-W46": 1, "2026-W47": 2}, {"2026-W46": 3}], {}),
        ([{"2026-W45": 6, "2026-W47": 2}, {"2026-W45": 1, "2026-W46": 3, "2026-W47": 4}], {"2026-W46": 2}),
    ],
)
def test_no_hidden_cell_is_given_back_by_subtracting_across_series(rows, rest):
    possible = cells_a_reader_can_find(rows, rest)
    assert all((i, w) in possible for i, row in enumerate(rows) for w, n in row.items() if 0 < n < K)
    for cell, values in possible.items():
        assert len(values) >= 2, f"need {cell[0]}, {cell[1]} can only be {values}"


def test_a_week_a_charted_need_hides_is_hidden_in_the_totals_too():
    assert hidden_totals({"2026-W46": 7, "2026-W47": 4}, K, WEEKS, [{"2026-W46", "2026-W47"}]) == {
        "2026-W46",
        "2026-W47",
    }
    assert hidden_totals({"2026-W46": 7, "2026-W47": 4}, K, WEEKS, []) == frozenset()
