"""From a resident's answers to the rights worth checking, most likely first, each with why.

This is orientation, not a decision: a right is listed when nothing answered
rules it out. An unanswered question never excludes a right, it only pushes
it down the list, because telling someone too little costs more (non-recours)
than asking a mediator to check one right too many.

The order (rule written on 2026-12-02, before measuring it; LISEZMOI section 16):
1. every *likely* right before every *possible* one. A right is possible when an
   answer makes it doubtful: an `incertain_si` condition holds, the income is
   close to one of its ceilings, or its case hangs on something the check never
   asks (`possible: true`: a partner's job, a bourse, a recognised disability).
   An unanswered question does not make a right possible: it costs every right
   that needs it the same few points, so a profile left half answered keeps the
   order of its rights instead of putting first those that happen to ask less.
2. within each group, by the rule's `priorite`, which mediators set by what the
   right brings the household (urgent, then a monthly income to live on, then a
   smaller monthly help, then a yearly help, then reduced prices), then the
   points lost for unanswered questions and doubts.
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
# Answers to « papiers » for which no sourced rule says which rights follow (an asylum claim in progress:
# no fact on the ADA or health cover of asylum seekers in knowledge/ yet). Every right whose rule
# looks at the papers is then listed as possible, saying that a person must confirm it: neither
# promised nor silently dropped. The rule of `aide-juridique` points to that person first.
PAPERS_TO_CONFIRM = {"demandeur-asile": " (demande d'asile : à confirmer avec une personne)"}


@dataclass(frozen=True)
class Suggestion:
    """A right to check with a person, and the one line that says why."""

    entry_id: str
    reason: str
    score: int
    likely: bool = True  # False: possible only, listed after every likely right (see the module's order)


def _near_ceiling(case: Case, profile: Profile) -> bool:
    """Whether the income is close to one of the case's ceilings (in `si` or `exclu_si`)."""
    shares = (condition.income_share(profile) for condition in case.required + case.excluding)
    return any(share is not None and share > NEAR_CEILING_SHARE for share in shares)


def _looks_at_papers(case: Case) -> bool:
    """Whether any of the case's conditions (inside an `ensemble` too) tests the answer « papiers »."""
    conditions = list(case.required + case.excluding + case.uncertain)
    while conditions:
        condition = conditions.pop()
        if condition.key == "papiers":
            return True
        conditions.extend(condition.all_of)
    return False


def _written_for_papers(case: Case, profile: Profile) -> bool:
    """Whether the case asks for exactly these papers (« si: papiers: demandeur-asile »): no doubt then."""
    return any(condition.key == "papiers" and condition.holds(profile) is True for condition in case.required)


@dataclass(frozen=True)
class _Outcome:
    likely: bool
    score: int
    reason: str

    def rank(self) -> tuple[bool, int]:
        """Higher is listed first: likely before possible, then by score."""
        return self.likely, self.score


def _case_outcome(case: Case, profile: Profile) -> _Outcome | None:
    """The case's score, certainty and reason for these answers, or None when it does not apply."""
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
    to_confirm = PAPERS_TO_CONFIRM.get(profile.papiers or "")
    if to_confirm and _looks_at_papers(case) and not _written_for_papers(case, profile):
        return _Outcome(False, score - UNCERTAIN_PENALTY, case.reason + to_confirm)
    doubts = [condition.doubt for condition in case.uncertain if condition.holds(profile) is True]
    if doubts:
        return _Outcome(False, score - UNCERTAIN_PENALTY, doubts[0])
    likely = not near and not case.possible
    if any(condition.key == "revenus_mensuels" for condition in unknown):
        return _Outcome(likely, score, case.reason + INCOME_UNKNOWN_NOTE)
    if near:
        return _Outcome(False, score, case.reason + NEAR_CEILING_NOTE)
    return _Outcome(likely, score, case.reason)


def evaluate(rules: RuleSet, profile: Profile) -> list[Suggestion]:
    """Every right one of whose cases applies, best case per right: likely rights first, then by score.

    A right's best case is its likely one if any (then the highest score). Ties
    keep the order of the rules file, so mediators decide what comes first
    among equals by where they write a rule.
    """
    found: list[tuple[tuple[bool, int], int, Suggestion]] = []
    for order, rule in enumerate(rules.rules):
        best: _Outcome | None = None
        for case in rule.cases:
            outcome = _case_outcome(case, profile)
            if outcome is not None and (best is None or outcome.rank() > best.rank()):
                best = outcome
        if best is not None:
            suggestion = Suggestion(rule.entry_id, best.reason, best.score, best.likely)
            found.append((best.rank(), order, suggestion))
    found.sort(key=lambda item: (not item[0][0], -item[0][1], item[1]))
    return [suggestion for *_, suggestion in found]
