"""Counts said the way a French reader expects: « 1 autre question isolée », « 2 autres questions isolées ».

The report's « 1 autre(s) question(s) isolée(s) » reads like a form to fill
in; staff read these lines at a glance, and a count of one or two is exactly
when the wording matters (a need split into small groups). French takes the
singular for 0 and 1.
"""

from __future__ import annotations


def agreed(count: int, singular: str, plural: str) -> str:
    """ "1 autre question isolée" / "2 autres questions isolées": the count with its words agreed."""
    return f"{count} {singular if count < 2 else plural}"


def hidden_questions_text(count: int) -> str:
    """The questions of the groups too rare to show, counted (« 2 autres questions isolées (masquées) »)."""
    return agreed(count, "autre question isolée (masquée)", "autres questions isolées (masquées)")


def hidden_needs_text(count: int, k: int) -> str:
    """ "1 besoin vu moins de 3 fois masqué" / "2 besoins vus moins de 3 fois masqués"."""
    return agreed(count, f"besoin vu moins de {k} fois masqué", f"besoins vus moins de {k} fois masqués")
