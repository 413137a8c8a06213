"""An asylum claim in progress: an honest answer, never silence and never a promise.

The check points to a person first (the rights depend on the procedure), then
the asylum entry (droits/demandeur-asile.yaml: the ADA, health after 3 months),
and lists every right that depends on papers as possible, « à confirmer ».
"""

from __future__ import annotations

import json

import pytest

from bot.cli import droits_document
from bot.orientation.profile import parse_profile
from tests.orientation_fixtures import by_id, suggestions

ASYLUM = {"papiers": "demandeur-asile"}
NO_INCOME = dict(ASYLUM, age=30, couple=False, enfants=[], situation="sans-revenu", logement="heberge")


def test_the_answer_is_accepted():
    profile, warnings = parse_profile(ASYLUM)
    assert profile.papiers == "demandeur-asile" and warnings == []


def test_papers_alone_already_point_to_a_person(shipped_rules):
    first = suggestions(shipped_rules, ASYLUM)[0]
    assert first.entry_id == "aide-juridique" and first.likely
    assert "asile" in first.reason and "à confirmer" in first.reason
    assert "France services" in first.reason and "CCAS" in first.reason


def test_rights_that_depend_on_papers_are_possible_and_to_confirm(shipped_rules):
    listed = by_id(shipped_rules, NO_INCOME)
    for right in ("rsa", "css", "logement-social"):
        assert not listed[right].likely, right
        assert listed[right].reason.endswith("(demande d'asile : à confirmer avec une personne)"), right
    assert "ame" not in listed  # the AME is for people without any papers: not promised here
    assert listed["aide-alimentaire"].likely and "RSA" not in listed["aide-alimentaire"].reason


def test_rights_that_do_not_depend_on_papers_stay_likely(shipped_rules):
    listed = by_id(shipped_rules, dict(NO_INCOME, logement="sans-logement"))
    assert listed["hebergement-urgence"].likely and listed["domiciliation"].likely


@pytest.mark.parametrize("papers", ["francais-ue", "titre-sejour", "sans-papiers"])
def test_other_papers_are_not_touched(shipped_rules, papers):
    listed = by_id(shipped_rules, dict(NO_INCOME, papiers=papers))
    assert "aide-juridique" not in listed
    assert not any("demande d'asile" in s.reason for s in listed.values())


def test_the_json_keeps_its_contract(shipped_rules):
    rights = json.loads(json.dumps(droits_document(suggestions(shipped_rules, NO_INCOME))))["droits"]
    assert rights and all(set(item) == {"id", "raison", "certitude"} for item in rights)
    assert rights[0]["id"] == "aide-juridique"


def test_the_chat_offers_the_answer_as_a_button_and_says_it_can_be_typed():
    from bot.conversation.orientation import PAPERS, TYPING_HINTS, RightsCheckStep

    assert "demandeur-asile" in dict(PAPERS)
    assert "demande d'asile" in TYPING_HINTS[RightsCheckStep.PAPERS]
