"""bench/close_calls.py: the close-call option is picked by the cost written in its docstring."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from bot.knowledge.engine import Engine
from bot.understanding.matcher import Match
from tests.conftest import FIXTURE_KB

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import close_calls  # noqa: E402
from crossval import HeldOut  # noqa: E402


def _match(entry_id: str | None, *suggestions: str) -> Match:
    return Match(entry_id=entry_id, score=50, suggestions=list(suggestions))


@pytest.mark.parametrize(
    "expected, match, cost",
    [
        (("rsa",), _match("rsa"), close_calls.COST_RIGHT),
        (("rsa",), _match(None, "css", "rsa"), close_calls.COST_BUTTON),
        (("rsa",), _match(None, "css"), close_calls.COST_NOTHING),
        (("rsa",), _match(None), close_calls.COST_NOTHING),
        (("rsa",), _match("css", "rsa"), close_calls.COST_WRONG),
        ((), _match(None, "rsa"), 0.0),
        ((), _match("rsa"), close_calls.COST_WRONG),
    ],
)
def test_each_outcome_costs_what_the_rule_says(expected, match, cost):
    tally = close_calls.Tally()
    tally.add(expected, match)
    assert tally.cost == pytest.approx(cost)


def test_a_wrong_answer_costs_more_than_a_useless_hesitation_which_costs_more_than_a_button():
    assert close_calls.COST_RIGHT < close_calls.COST_BUTTON < close_calls.COST_NOTHING < close_calls.COST_WRONG


def _tally(right: int, button: int, wrong: int) -> close_calls.Tally:
    tally = close_calls.Tally()
    for _ in range(right):
        tally.add(("rsa",), _match("rsa"))
    for _ in range(button):
        tally.add(("rsa",), _match(None, "rsa"))
    for _ in range(wrong):
        tally.add(("rsa",), _match("css"))
    return tally


def test_the_cheapest_option_is_picked():
    tallies = {(0, 0): _tally(90, 0, 10), (60, 5): _tally(88, 8, 4), (70, 10): _tally(85, 14, 1)}
    # costs over 100 questions: 0.20, 0.16, 0.16 (+ a tie) -> the lower threshold
    assert close_calls.chosen(tallies) == (60, 5)


def test_a_tie_goes_to_the_option_that_answers_more():
    tallies = {(70, 10): _tally(90, 2, 8), (0, 0): _tally(91, 0, 9), (60, 5): _tally(90, 1, 9)}
    # 0.18, 0.18, 0.19: off and 70/10 tie, off answers more
    assert close_calls.chosen(tallies) == (0, 0)


def test_every_option_reads_the_same_questions_through_the_whole_decision():
    matcher = Engine.load(FIXTURE_KB).current.matcher
    questions = [HeldOut("mon rsa est suspendu", ("rsa",)), HeldOut("recette des crepes", ())]
    tallies = close_calls.read_options([(matcher, questions)])
    assert set(tallies) == set(close_calls.OPTIONS)
    assert all(t.n == 2 and t.in_scope == 1 for t in tallies.values())
    assert matcher.settings.close_call_below == close_calls.Settings().close_call_below  # the matcher is untouched
