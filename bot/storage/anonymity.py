"""How a count is shown to staff: never a number small enough to point at one resident.

The laboratoire's review already writes « moins de 3 » for a week counted
fewer than `K_ANONYMITY` times; the statistics (`python -m bot stats`,
`/stats`) show the same kind of counts — per quartier, per topic and week —
and a « 1 » there says "one person in Kérourien asked about the AAH this
week" just as clearly. So every count shown from the store goes through
one rule: zero and counts of at least k are shown as they are, the others
as « moins de k ».
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.config import K_ANONYMITY


def shown_count(count: int, k: int = K_ANONYMITY) -> str:
    """ "12", "0", or « moins de 3 » for a count of 1 or 2 (k = 3)."""
    return str(count) if count == 0 or count >= k else f"moins de {k}"


def is_masked(count: int, k: int = K_ANONYMITY) -> bool:
    """True for a count `shown_count` writes « moins de k » (1 to k - 1)."""
    return 0 < count < k


def shown_total(counts: Sequence[int], k: int = K_ANONYMITY) -> str:
    """The total of a column whose lines went through `shown_count`, without undoing their masks.

    An exact total under a table with one masked line gives that line back by
    subtraction (« Total : 4 » under « Bellevue : 3 » and « Europe : moins de
    3 » says Europe had 1), and with several masked lines it still narrows
    them down. So as soon as one line is masked the total reads « au moins
    N », N being the lines shown plus 1 for each masked line: exactly what a
    reader could already add up, nothing more. A total under k is masked like
    any count; without masked lines it is exact.
    """
    total = sum(counts)
    masked = [count for count in counts if is_masked(count, k)]
    if not masked or is_masked(total, k):
        return shown_count(total, k)
    return f"au moins {total - sum(masked) + len(masked)}"
