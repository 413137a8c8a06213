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
# Points lost when an `incertain_si` condition holds (e.g. a residence permit that must be
# 5 years old): the right is still listed, after the likely ones, saying what to check.
UNCERTAIN_PENALTY = 20
# An income above this share of a ceiling is "close to it": ceilings are estimates
# (yearly scales, taxable income guessed from net income), so such a right is less likely.
NEAR_CEILING_SHARE = 0.85
NEAR_CEILING_PENALTY = 10
# Said after a reason whose income ceiling could not be checked: the reason speaks of
# "revenus modestes", which the resident has not said, so it tells what to check.
INCOME_UNKNOWN_NOTE = " (à vérifier : vos revenus)"
# Said too after a reason whose income is close to a ceiling: the right is possible, not likely, so the
# resident learns what a person will look at rather than reading it as a sure thing (same short words:
# a reason stays one short line).
NEAR_CEILING_NOTE = INCOME_UNKNOWN_NOTE


@dataclass(frozen=True)
class Suggestion:
    """A right to check with a person, and the one line that says why."""

    entry_id: str
    reason: str
    score: int


def _near_ceiling(case: Case, profile: Profile) -> bool:
    """Whether the income is close to one of the case's ceilings (in `si` or `exclu_si`)."""
    shares = (condition.income_share(profile) for condition in case.required + case.excluding)
    return any(share is not None and share > NEAR_CEILING_SHARE for share in shares)


def _case_outcome(case: Case, profile: Profile) -> tuple[int, str] | None:
    """The case's score and reason for these answers, or None when it does not apply."""
    if not all(condition.holds(profile) is True for condition in case.required):
        return None
    outcomes = [condition.holds(profile) for condition in case.excluding]
    if any(outcome is True for outcome in outcomes):
        return None
    unknown = [condition for condition, outcome in zip(case.excluding, outcomes, strict=True) if outcome is None]
    score = case.priority - UNKNOWN_PENALTY * len(unknown)
    near = _near_ceiling(case, profile)
    if near:
        score -= NEAR_CEILING_PENALTY
    doubts = [condition.doubt for condition in case.uncertain if condition.holds(profile) is True]
    if doubts:
        return score - UNCERTAIN_PENALTY, doubts[0]
    if any(condition.key == "revenus_mensuels" for condition in unknown):
        return score, case.reason + INCOME_UNKNOWN_NOTE
    if near:
        return score, case.reason + NEAR_CEILING_NOTE
    return score, case.reason


def evaluate(rules: RuleSet, profile: Profile) -> list[Suggestion]:
    """Every right one of whose cases applies, best case per right, highest score first.

    Ties keep the order of the rules file, so mediators decide what comes first
    among equals by where they write a rule.
    """
    found: list[tuple[int, int, Suggestion]] = []
    for order, rule in enumerate(rules.rules):
        best: tuple[int, str] | None = None
        for case in rule.cases:
            outcome = _case_outcome(case, profile)
            if outcome is not None and (best is None or outcome[0] > best[0]):
                best = outcome
        if best is not None:
            found.append((-best[0], order, Suggestion(rule.entry_id, best[1], best[0])))
    return [suggestion for *_, suggestion in sorted(found, key=lambda item: (item[0], item[1]))]
