"""The rights check does not list rights whose official conditions the answers clearly fail.

Made-up households; each expectation comes from the official condition named in
the test (service-public.fr, complementaire-sante-solidaire.gouv.fr, the PLAI
ceilings), never from what the bot printed. A right that cannot be decided from
the answers stays listed, lower, with a reason that says what to check.
"""

from __future__ import annotations

import pytest

from tests.orientation_fixtures import ADULT, by_id, ids

# (who, answers, must list, must not list)
HOUSEHOLDS = [
    (
        "adult with no income at all: food aid while the CAF file is opened",
        dict(ADULT, age=45, situation="sans-revenu", revenus_mensuels=0, logement="locataire-social"),
        {"aide-alimentaire", "rsa", "css"},
        {"logement-social", "dalo"},
    ),
    (
        "retiree with a small pension: the pension arrives, food aid is not proposed first",
        dict(ADULT, age=70, situation="retraite", revenus_mensuels=600, logement="locataire"),
        {"aspa", "css", "logement-social"},
        {"aide-alimentaire"},
    ),
    (
        "boy of 16 without income: his parents' household is the one helped",
        dict(ADULT, age=16, situation="sans-revenu", revenus_mensuels=0, logement="heberge"),
        {"jeunes-cej", "css"},
        {"aide-alimentaire", "transport-tarif-solidaire", "logement-social"},
    ),
    (
        "private tenant on a full-time salary: above the very-social (PLAI) ceiling",
        dict(ADULT, age=34, situation="emploi", revenus_mensuels=1300, logement="locataire"),
        {"prime-activite", "aide-logement"},
        {"logement-social", "dalo", "aide-alimentaire"},
    ),
    (
        "hosted adult with the same salary: social housing is the way to a home",
        dict(ADULT, age=34, situation="emploi", revenus_mensuels=1300, logement="heberge"),
        {"prime-activite", "logement-social"},
        {"dalo", "aide-logement"},
    ),
    (
        "homeless adult with no income: DALO once the housing request stalls",
        dict(ADULT, age=40, situation="sans-revenu", revenus_mensuels=0, logement="sans-logement"),
        {"hebergement-urgence", "domiciliation", "logement-social", "dalo", "aide-alimentaire"},
        {"aide-logement", "cheque-energie"},
    ),
    (
        "homeless couple above the social-housing ceiling: no DALO",
        dict(ADULT, age=40, couple=True, situation="emploi", revenus_mensuels=3500, logement="sans-logement"),
        {"hebergement-urgence", "domiciliation"},
        {"dalo", "logement-social"},
    ),
]


@pytest.mark.parametrize("who, answers, must, must_not", HOUSEHOLDS, ids=[h[0] for h in HOUSEHOLDS])
def test_households_get_only_the_rights_whose_conditions_they_meet(shipped_rules, who, answers, must, must_not):
    rights = set(by_id(shipped_rules, answers))
    assert must <= rights, f"missing {sorted(must - rights)}"
    assert not (must_not & rights), f"wrongly listed {sorted(must_not & rights)}"


@pytest.mark.parametrize("income, shown", [(700, True), (1175, True), (1190, False), (None, False)])
def test_a_private_tenant_is_offered_social_housing_only_under_the_plai_ceiling(shipped_rules, income, shown):
    answers = dict(ADULT, age=40, situation="emploi", logement="locataire")
    if income is not None:
        answers["revenus_mensuels"] = income
    assert ("logement-social" in by_id(shipped_rules, answers)) is shown


# --------------------------------------------------------------------------- CSS before 25


def test_under_25_living_with_parents_the_css_is_asked_with_them(shipped_rules):
    young = by_id(shipped_rules, dict(ADULT, age=19, situation="sans-revenu", revenus_mensuels=0, logement="heberge"))
    older = by_id(shipped_rules, dict(ADULT, age=30, situation="sans-revenu", revenus_mensuels=0, logement="heberge"))
    assert "parents" in young["css"].reason and "parents" not in older["css"].reason
    assert young["css"].score < older["css"].score


def test_a_student_renting_alone_is_told_what_decides_the_css(shipped_rules):
    student = dict(ADULT, age=21, situation="etudiant", revenus_mensuels=300, logement="locataire")
    rights = by_id(shipped_rules, student)
    assert "déclaration d'impôts" in rights["css"].reason and "vérifier" in rights["css"].reason
    assert "déclaration d'impôts" in rights["cheque-energie"].reason
    order = ids(shipped_rules, student)
    assert order.index("css") > order.index("aide-logement")  # a right with no such doubt comes first


@pytest.mark.parametrize(
    "answers",
    [
        dict(ADULT, age=22, enfants=[1], situation="sans-revenu", revenus_mensuels=0, logement="heberge"),
        dict(ADULT, age=23, situation="sans-revenu", revenus_mensuels=0, logement="locataire"),
        {"revenus_mensuels": 300, "logement": "locataire"},
    ],
    ids=["young parent: own household", "young tenant not a student", "age not answered"],
)
def test_the_css_keeps_its_plain_reason_when_the_young_rule_does_not_apply(shipped_rules, answers):
    reason = by_id(shipped_rules, answers)["css"].reason
    assert reason.startswith("vos revenus sont modestes") and "parents" not in reason


def test_a_hosted_adult_is_told_of_dalo_through_the_social_housing_reason(shipped_rules):
    hosted = by_id(shipped_rules, dict(ADULT, age=30, situation="sans-revenu", revenus_mensuels=0, logement="heberge"))
    assert "dalo" not in hosted and "DALO" in hosted["logement-social"].reason
