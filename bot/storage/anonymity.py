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

from bot.config import K_ANONYMITY


def shown_count(count: int, k: int = K_ANONYMITY) -> str:
    """ "12", "0", or « moins de 3 » for a count of 1 or 2 (k = 3)."""
    return str(count) if count == 0 or count >= k else f"moins de {k}"
