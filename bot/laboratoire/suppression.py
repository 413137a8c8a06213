"""Which weekly counts the report hides, so that none can be worked out from the others by subtraction.

A week counted fewer than k times could point at who asked, so it is not
shown. But the report also shows exact totals: each need's count in the
table, the questions of the period (and the masked groups' questions). A
need asked 5 times whose chart shows « 4 » one week and hides the other
gives that week back: 5 - 4 = 1. So the hidden weeks of a series are
completed the way statistics offices do it (secondary suppression):

- a lone hidden week takes the smallest shown week with it, so two weeks
  share one known sum;
- hidden weeks whose known sum leaves each of them only one value (two weeks
  of 1 adding up to 2) take more weeks, and at the end the weeks counted 0
  as well, so a reader cannot even tell which weeks had a question.

The report also draws several series over the same weeks: the questions
per week, and the line of each top need. Across them a reader can subtract
too: a week's total less the other needs' counts that week is the last
need's count. So every week a charted need hides is hidden in the weekly
totals as well (`hidden_totals`): no shown total then holds a hidden cell,
and what the hidden totals add up to says nothing the needs' own counts do
not (tested by working out every table a reader could fit to what is shown,
`tests/test_report_subtraction.py`).

Every hidden week reads « masqué » alike: a label saying « fewer than k »
on the rare weeks only would tell the reader which hidden week is the rare
one. The rule is a pure function of the counts, tested by working out every
value a hidden week could have (`tests/test_report_subtraction.py`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping

MASKED = "masqué"


def hidden_weeks(
    counts: Mapping[str, int], k: int, weeks: Iterable[str] = (), also: Iterable[str] = ()
) -> frozenset[str]:
    """The weeks of a series whose counts are not shown (`weeks`: every week of the period, zeros too;
    `also`: weeks hidden for another reason, completed like rare ones)."""
    hidden = {w for w, n in counts.items() if 0 < n < k} | set(also)
    if not hidden:
        return frozenset()
    shown = sorted((n, w) for w, n in counts.items() if n > 0 and w not in hidden)
    while shown and not _safe(counts, hidden):
        hidden.add(shown.pop(0)[1])
    if not _safe(counts, hidden):
        hidden |= set(weeks) | set(counts)  # no week tells whether it had a question
    return frozenset(hidden)


def _safe(counts: Mapping[str, int], hidden: set[str]) -> bool:
    """At least two hidden weeks holding more questions than weeks: each has two values or more."""
    return len(hidden) >= 2 and sum(counts.get(w, 0) for w in hidden) > len(hidden)


def hidden_totals(
    totals: Mapping[str, int], k: int, weeks: Iterable[str], series_hidden: Iterable[Collection[str]]
) -> frozenset[str]:
    """The weeks of the weekly totals not shown: their own rare weeks, and every week a charted series hides.

    A total shown over a hidden cell would give it back (total less the other
    series); with those weeks hidden in the totals as well, only sums a
    reader already has are left.
    """
    also: set[str] = set()
    for series in series_hidden:
        also |= set(series)
    return hidden_weeks(totals, k, weeks, also)
