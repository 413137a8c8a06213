"""The rights check puts likely rights first: doubts (`incertain_si`), ceilings close to the income, ages.

Made-up households, expectations from the official conditions (service-public.fr,
openfisca-france), never from what the bot printed.
"""

from __future__ import annotations

import pytest

from bot.orientation.evaluate import (
    INCOME_UNKNOWN_NOTE,
    NEAR_CEILING_PENALTY,
    UNCERTAIN_PENALTY,
)
from bot.orientation.rules import read_rules
from tests.conftest import write_rules
from tests.orientation_fixtures import by_id, suggestions

DOUBTFUL_RULE = """\
verifie_le: 2026-01-01
regles:
  - fiche: rsa
    priorite: 80
    raison: vous avez peu de revenus
    si:
      - age: {au_moins: 25}
        source: https://exemple.test/rsa
    incertain_si:
      - papiers: titre-sejour
        raison: "avec un titre de séjour, il faut l'avoir depuis 5 ans : à vérifier"
        source: https://exemple.test/rsa-titre
  - fiche: css
    priorite: 70
    raison: mutuelle à petit prix
    si:
      - age: {au_moins: 18}
        source: https://exemple.test/css
"""


# --------------------------------------------------------------------------- incertain_si in a file


def test_a_doubt_lowers_the_right_and_says_what_to_check(tmp_path):
    rules, problems = read_rules(write_rules(tmp_path, DOUBTFUL_RULE), {"rsa": "right", "css": "right"})
    assert problems == []
    sure = suggestions(rules, {"age": 40, "papiers": "francais-ue"})
    doubtful = suggestions(rules, {"age": 40, "papiers": "titre-sejour"})
    assert [s.entry_id for s in sure] == ["rsa", "css"]
    assert [s.entry_id for s in doubtful] == ["css", "rsa"]
    assert doubtful[1].reason.startswith("avec un titre de séjour") and doubtful[1].score == 80 - UNCERTAIN_PENALTY
    assert sure[0].reason == "vous avez peu de revenus"


def test_an_unanswered_doubt_keeps_the_likely_reason(tmp_path):
    rules, _ = read_rules(write_rules(tmp_path, DOUBTFUL_RULE), {"rsa": "right", "css": "right"})
    assert by_id(rules, {"age": 40})["rsa"].reason == "vous avez peu de revenus"


@pytest.mark.parametrize(
    "broken, line, message",
    [
        (
            "\n".join(line for line in DOUBTFUL_RULE.split("\n") if "depuis 5 ans" not in line),
            10,
            "« incertain_si » sans « raison »",
        ),
        (DOUBTFUL_RULE.replace("depuis 5 ans", "depuis 5 ans, 600 €"), 11, "ne doit pas donner de montant"),
        (DOUBTFUL_RULE.replace("        source: https://exemple.test/rsa-titre\n", ""), 10, "sans « source »"),
        (DOUBTFUL_RULE.replace("    incertain_si:", "    incertin_si:"), 9, "vouliez-vous dire « incertain_si »"),
    ],
    ids=["no reason", "amount", "no source", "misspelt key"],
)
def test_doubt_mistakes_are_reported_with_file_and_line(tmp_path, broken, line, message):
    path = write_rules(tmp_path, broken)
    _, problems = read_rules(path, {"rsa": "right", "css": "right"})
    found = [p for p in problems if message in p.message]
    assert found, [str(p) for p in problems]
    assert str(found[0]).startswith(f"{path}:{line}: ")


CEILING_RULE = """\
verifie_le: 2026-01-01
regles:
  - fiche: css
    priorite: 70
    raison: mutuelle à petit prix
    si:
      - revenus_mensuels: {au_plus: 1000}
        source: https://exemple.test/css
"""


@pytest.mark.parametrize("income, penalised", [(500, False), (850, False), (900, True), (1000, True)])
def test_an_income_just_under_a_ceiling_lowers_the_right(tmp_path, income, penalised):
    rules, _ = read_rules(write_rules(tmp_path, CEILING_RULE), {"css": "right"})
    score = by_id(rules, {"revenus_mensuels": income})["css"].score
    assert score == 70 - (NEAR_CEILING_PENALTY if penalised else 0)


# --------------------------------------------------------------------------- the shipped rules

SALARIED = {"age": 40, "couple": False, "enfants": [], "situation": "emploi", "logement": "locataire"}
SALARIED["handicap"] = False
NO_INCOME = {"age": 40, "couple": False, "enfants": [], "situation": "sans-revenu", "revenus_mensuels": 0}


@pytest.mark.parametrize(
    "answers, right, years",
    [
        (dict(NO_INCOME, logement="locataire", papiers="titre-sejour"), "rsa", "5 ans"),
        (dict(SALARIED, revenus_mensuels=1000, papiers="titre-sejour"), "prime-activite", "5 ans"),
        (dict(NO_INCOME, age=70, situation="retraite", logement="locataire", papiers="titre-sejour"), "aspa", "10 ans"),
    ],
    ids=["rsa", "prime d'activite", "aspa"],
)
def test_a_residence_permit_makes_minimum_incomes_possible_not_certain(shipped_rules, answers, right, years):
    french = by_id(shipped_rules, dict(answers, papiers="francais-ue"))
    permit = by_id(shipped_rules, answers)
    assert right in permit and years in permit[right].reason and "vérifier" in permit[right].reason
    assert permit[right].score < french[right].score and "titre de séjour" not in french[right].reason
    ranked = [s.entry_id for s in suggestions(shipped_rules, answers)]
    assert ranked.index(right) > ranked.index("aide-logement")  # a right with no such condition comes first


@pytest.mark.parametrize("age, listed", [(16, False), (17, False), (18, True), (30, True)])
def test_social_housing_and_dalo_need_an_adult(shipped_rules, age, listed):
    answers = {"age": age, "couple": False, "situation": "sans-revenu", "revenus_mensuels": 0, "logement": "heberge"}
    answers["papiers"] = "francais-ue"
    assert ("logement-social" in by_id(shipped_rules, answers)) is listed
    assert ("dalo" in by_id(shipped_rules, dict(answers, logement="sans-logement"))) is listed


def test_apa_at_63_comes_after_rights_that_surely_apply(shipped_rules):
    answers = dict(SALARIED, age=63, situation="demandeur-emploi", revenus_mensuels=700, handicap=True)
    answers["papiers"] = "francais-ue"
    ranked = [s.entry_id for s in suggestions(shipped_rules, answers)]
    assert "apa" in ranked and ranked.index("apa") > ranked.index("aah")
    assert "si vous avez besoin d'aide" in by_id(shipped_rules, answers)["apa"].reason


def test_apa_from_75_with_a_disability_comes_first(shipped_rules):
    answers = {"age": 82, "couple": False, "situation": "retraite", "revenus_mensuels": 1400, "handicap": True}
    answers.update(logement="proprietaire", papiers="francais-ue")
    assert suggestions(shipped_rules, answers)[0].entry_id == "apa"


def test_housing_aid_close_to_its_ceiling_is_listed_lower(shipped_rules):
    far = by_id(shipped_rules, dict(SALARIED, revenus_mensuels=700, papiers="francais-ue"))["aide-logement"]
    close = by_id(shipped_rules, dict(SALARIED, revenus_mensuels=1300, papiers="francais-ue"))["aide-logement"]
    assert close.score < far.score


def test_a_reason_whose_income_was_not_answered_says_to_check_it(tmp_path):
    text = CEILING_RULE.replace(
        "    si:\n      - revenus_mensuels",
        "    si:\n      - age: {au_moins: 18}\n        source: x\n    exclu_si:\n      - revenus_mensuels",
    )
    text = text.replace("{au_plus: 1000}", "{plus_de: 1000}")
    rules, problems = read_rules(write_rules(tmp_path, text), {"css": "right"})
    assert problems == []
    assert by_id(rules, {"age": 30})["css"].reason == "mutuelle à petit prix" + INCOME_UNKNOWN_NOTE
    assert by_id(rules, {"age": 30, "revenus_mensuels": 400})["css"].reason == "mutuelle à petit prix"
    assert "css" not in by_id(rules, {"age": 30, "revenus_mensuels": 1400})
