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

Every hidden week reads « masqué » alike: a label saying « fewer than k »
on the rare weeks only would tell the reader which hidden week is the rare
one. The rule is a pure function of the counts, tested by working out every
value a hidden week could have (`tests/test_report_subtraction.py`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

MASKED = "masqué"


def hidden_weeks(counts: Mapping[str, int], k: int, weeks: Iterable[str] = ()) -> frozenset[str]:
    """The weeks of a series whose counts are not shown (`weeks`: every week of the period, zeros too)."""
    hidden = {w for w, n in counts.items() if 0 < n < k}
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
