"""Two needs that had no entry: having a child looked after, and the rights of an asylum seeker.

Made-up messages in the residents' words, none of them a phrasing of the base:
finding childcare reaches `garde-enfant` (answered or among the buttons), paying
the childminder stays with the birth and early-childhood benefits
(`naissance-jeune-enfant`, where the held-back sets expect it), an asylum claim
in progress reaches `demandeur-asile`, and a claim refused for good stays with
the AME. A mairie de quartier in every quartier is a place for the childcare
question: the pre-registration for a crèche is made there (brest.fr).
"""

from __future__ import annotations

import pytest

from bot.cli import ask_record
from tests.orientation_fixtures import by_id, suggestions


def _reached(record: dict[str, object], entry_id: str) -> bool:
    """Answered, or offered among the buttons when the bot hesitates."""
    suggestions = record["suggestions"]
    assert isinstance(suggestions, list)
    return record["id"] == entry_id or (record["id"] is None and entry_id in suggestions)


@pytest.mark.parametrize(
    "message",
    [
        "ma fille a 14 mois, qui peut la garder la journée",
        "comment on s'inscrit pour la crèche quand on habite à Brest",
        "je voudrais une liste des assistantes maternelles agréées à Lambézellec",
        "jsui a la recherche dune creche pr mon fils",
        "I'm looking for a nursery place for my toddler",
    ],
)
def test_a_childcare_question_reaches_the_childcare_entry(shipped_engine, message):
    assert _reached(ask_record(shipped_engine, message), "garde-enfant")


@pytest.mark.parametrize(
    "message",
    [
        "la CAF aide à payer l'assistante maternelle de mon bébé ?",
        "je suis enceinte, quelles aides pour l'arrivée du bébé",
    ],
)
def test_the_birth_benefits_keep_their_questions(shipped_engine, message):
    assert ask_record(shipped_engine, message)["id"] == "naissance-jeune-enfant"


@pytest.mark.parametrize(
    "message",
    [
        "j'ai fait une demande d'asile le mois dernier, quelles sont mes droits",
        "l'allocation ADA n'est pas arrivée sur ma carte",
        "demandeur dasile depuis 2 mois, je peux travailler ou pas",
        "I asked for asylum in France, do I get money while I wait",
    ],
)
def test_an_asylum_seeker_reaches_the_asylum_entry(shipped_engine, message):
    assert _reached(ask_record(shipped_engine, message), "demandeur-asile")


def test_a_claim_refused_for_good_is_still_a_question_for_the_ame(shipped_engine):
    record = ask_record(shipped_engine, "ma demande d'asile est définitivement rejetée, comment me soigner maintenant")
    assert _reached(record, "ame")


def test_the_asylum_amounts_say_they_are_to_be_confirmed(shipped_base):
    """The ADA amounts were set in 2015 and 2018: every line with an amount says « à confirmer »."""
    entry = shipped_base.kb.entries["demandeur-asile"]
    amounts = [line for line in (entry.answer + "\n" + entry.more).splitlines() if "€" in line]
    assert amounts and all("à confirmer" in line for line in amounts)


@pytest.mark.parametrize("quartier", ["bellevue", "europe", "lambezellec", "quatre-moulins", "saint-pierre"])
def test_every_quartier_has_a_place_for_the_childcare_question(shipped_base, quartier):
    places = [p for p in shipped_base.kb.places.values() if p.quartier == quartier and "garde-enfant" in p.topics]
    assert places, quartier


def test_the_rights_check_of_an_asylum_seeker_offers_the_asylum_entry_after_a_person(shipped_rules):
    listed = suggestions(shipped_rules, {"papiers": "demandeur-asile", "age": 34, "situation": "sans-revenu"})
    ids = [s.entry_id for s in listed]
    assert ids[0] == "aide-juridique" and ids[1] == "demandeur-asile"
    assert listed[1].likely and "€" not in listed[1].reason


@pytest.mark.parametrize("papers", ["francais-ue", "titre-sejour", "sans-papiers"])
def test_other_papers_do_not_get_the_asylum_entry(shipped_rules, papers):
    assert "demandeur-asile" not in by_id(shipped_rules, {"papiers": papers, "age": 34, "situation": "sans-revenu"})
