"""From a resident's answers to the rights worth checking, most likely first, each with why.

This is orientation, not a decision: a right is listed when nothing answered
rules it out. An unanswered question never excludes a right, it only pushes
it down the list, because telling someone too little costs more (non-recours)
than asking a mediator to check one right too many.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.orientation.profile import Profile
from bot.orientation.rules import Case, RuleSet

# Points lost by a case for each exclusion the answers could not check.
UNKNOWN_PENALTY = 6


@dataclass(frozen=True)
class Suggestion:
    """A right to check with a person, and the one line that says why."""

    entry_id: str
    reason: str
    score: int


def _case_score(case: Case, profile: Profile) -> int | None:
    """The case's score for these answers, or None when it does not apply."""
    if not all(condition.holds(profile) is True for condition in case.required):
        return None
    outcomes = [condition.holds(profile) for condition in case.excluding]
    if any(outcome is True for outcome in outcomes):
        return None
    unknown = sum(1 for outcome in outcomes if outcome is None)
    return case.priority - UNKNOWN_PENALTY * unknown


def evaluate(rules: RuleSet, profile: Profile) -> list[Suggestion]:
    """Every right one of whose cases applies, best case per right, highest score first.

    Ties keep the order of the rules file, so mediators decide what comes first
    among equals by where they write a rule.
    """
    found: list[tuple[int, int, Suggestion]] = []
    for order, rule in enumerate(rules.rules):
        best: tuple[int, Case] | None = None
        for case in rule.cases:
            score = _case_score(case, profile)
            if score is not None and (best is None or score > best[0]):
                best = (score, case)
        if best is not None:
            found.append((-best[0], order, Suggestion(rule.entry_id, best[1].reason, best[0])))
    return [suggestion for *_, suggestion in sorted(found, key=lambda item: (item[0], item[1]))]
