"""A noun of action and its verb are one word to the grouping, when the backlog holds both.

Made-up questions. « massage » and « masser », « recyclage » and « recycler »
name one thing; the words' block keeps derived words whole (« habitants » is
no « habits »), so without this rule the two phrasings of one need stayed in
two rows. Only a verb form the backlog really holds is taken: a root alone
reads too many other words (« partage » / « partir », « message » / « messe »).
"""

from __future__ import annotations

import pytest

from bot.laboratoire.meaning import derivation_classes, group_keys
from bot.understanding.normalize import fold


@pytest.mark.parametrize(
    "noun, verb",
    [("massage", "masser"), ("recyclage", "recycler"), ("decoration", "decorer"), ("rangements", "ranger"),
     ("nettoyage", "nettoyer"), ("reparation", "reparez")],
)  # fmt: skip
def test_a_noun_of_action_is_read_as_its_verb_the_backlog_holds(noun, verb):
    assert derivation_classes([[noun], [verb, "quartier"]]) == {noun: verb}


@pytest.mark.parametrize(
    "words",
    [["massage"], ["partage", "partir"], ["message", "messe"], ["visage", "viser"], ["garage", "garer"]],
)  # fmt: skip
def test_no_verb_of_that_root_in_the_backlog_leaves_the_noun_alone(words):
    assert derivation_classes([words]) == {}


def test_questions_naming_the_action_and_its_verb_are_one_need():
    keys = [
        fold(t)
        for t in (
            "un atelier de massage pour les bébés",
            "apprendre à masser mon nourrisson",
            "réparer une chaise cassée",
            "horaires de la piscine municipale",
        )
    ]
    groups = group_keys(keys).groups
    assert groups[0] == groups[1]
    assert len(set(groups)) == 3
