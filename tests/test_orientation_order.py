"""What decides whether the canteen, food aid and the chèque énergie are listed, and where.

Made-up households; each expectation comes from the condition named in the
test (Brest's canteen tariff, the RSA's age, the chèque énergie's tax return),
never from what the bot printed. A right that cannot be decided from the
answers stays listed, after the likely ones, with a reason saying what to check.
"""

from __future__ import annotations

import pytest

from tests.orientation_fixtures import ADULT, ids, suggestions

NO_INCOME = dict(ADULT, situation="sans-revenu", revenus_mensuels=0)


# --------------------------------------------------------------------------- canteen


@pytest.mark.parametrize(
    "income, shown",
    [(0, True), (1500, True), (4000, True), (6600, True), (7000, False), (None, True)],
    ids=["no income", "one salary", "two salaries", "on the top bracket's edge", "above it", "not answered"],
)
def test_the_canteen_tariff_is_listed_only_below_brests_full_price_bracket(shipped_rules, income, shown):
    family = dict(ADULT, age=38, couple=True, enfants=[7], situation="emploi", logement="locataire")
    if income is not None:
        family["revenus_mensuels"] = income
    assert ("cantine-tarif" in ids(shipped_rules, family)) is shown


@pytest.mark.parametrize("ages", [[1], [12], [15, 17]], ids=["baby", "collège", "lycée"])
def test_the_canteen_tariff_needs_a_child_at_nursery_or_primary_school(shipped_rules, ages):
    family = dict(ADULT, age=38, couple=True, enfants=ages, situation="emploi", revenus_mensuels=1500)
    assert "cantine-tarif" not in ids(shipped_rules, family)


# --------------------------------------------------------------------------- food aid


@pytest.mark.parametrize(
    "who, answers",
    [
        ("no papers", dict(NO_INCOME, age=35, papiers="sans-papiers", logement="heberge")),
        ("under 25 without a child", dict(NO_INCOME, age=21, logement="heberge")),
        ("no home", dict(NO_INCOME, age=40, logement="sans-logement")),
    ],
)
def test_food_aid_comes_early_when_no_minimum_income_can_arrive(shipped_rules, who, answers):
    listed = suggestions(shipped_rules, answers)
    food = next(s for s in listed if s.entry_id == "aide-alimentaire")
    later = dict(NO_INCOME, age=45, logement="locataire-social")
    waiting = next(s for s in suggestions(shipped_rules, later) if s.entry_id == "aide-alimentaire")
    assert food.score > waiting.score
    assert "dépanner" in food.reason and "en attendant" not in food.reason


def test_food_aid_for_an_adult_who_can_get_the_rsa_comes_after_it_and_says_why(shipped_rules):
    order = ids(shipped_rules, dict(NO_INCOME, age=45, logement="locataire-social"))
    reason = {s.entry_id: s.reason for s in suggestions(shipped_rules, dict(NO_INCOME, age=45, logement="locataire"))}
    assert order.index("aide-alimentaire") > max(order.index("rsa"), order.index("css"), order.index("aide-logement"))
    assert "en attendant le RSA" in reason["aide-alimentaire"]


@pytest.mark.parametrize(
    "answers",
    [
        dict(NO_INCOME, age=21, enfants=[0], logement="heberge"),
        dict(NO_INCOME, age=21, enceinte=True, logement="heberge"),
    ],
    ids=["young parent", "young and pregnant"],
)
def test_a_young_parent_is_not_told_there_is_no_rsa(shipped_rules, answers):
    listed = {s.entry_id: s.reason for s in suggestions(shipped_rules, answers)}
    assert "rsa" in listed
    assert "pas de RSA" not in listed.get("aide-alimentaire", "")


@pytest.mark.parametrize(
    "answers",
    [
        dict(ADULT, age=45, situation="emploi", revenus_mensuels=900, logement="locataire"),
        dict(ADULT, age=70, situation="retraite", revenus_mensuels=600, logement="locataire"),
        dict(NO_INCOME, age=16, logement="heberge"),
    ],
    ids=["small salary", "small pension", "minor"],
)
def test_food_aid_is_not_listed_while_some_income_arrives_or_for_a_minor(shipped_rules, answers):
    assert "aide-alimentaire" not in ids(shipped_rules, answers)


# --------------------------------------------------------------------------- chèque énergie


def test_with_no_income_the_cheque_energie_says_the_tax_return_decides_and_comes_later(shipped_rules):
    none = {s.entry_id: s for s in suggestions(shipped_rules, dict(NO_INCOME, age=45, logement="locataire"))}
    small = {
        s.entry_id: s
        for s in suggestions(
            shipped_rules, dict(ADULT, age=45, situation="emploi", revenus_mensuels=700, logement="locataire")
        )
    }
    assert "déclarez vos revenus" in none["cheque-energie"].reason
    assert "déclarez" not in small["cheque-energie"].reason
    assert none["cheque-energie"].score < small["cheque-energie"].score


# --------------------------------------------------------------------------- close to a ceiling


@pytest.mark.parametrize(
    "income, says_to_check",
    [(600, False), (1000, True), (1020, True)],
    ids=["far below", "close to it", "on it"],
)
def test_an_income_close_to_a_ceiling_says_what_to_check(shipped_rules, income, says_to_check):
    """The chèque énergie ceiling for one person is about 1 020 € a month (11 000 € per consumption unit)."""
    tenant = dict(ADULT, age=45, situation="emploi", revenus_mensuels=income, logement="locataire")
    reason = {s.entry_id: s.reason for s in suggestions(shipped_rules, tenant)}["cheque-energie"]
    assert reason.endswith("(à vérifier : vos revenus)") is says_to_check


def test_a_right_close_to_its_ceiling_comes_after_the_same_right_far_below_it(shipped_rules):
    def score(income: int) -> int:
        tenant = dict(ADULT, age=45, situation="emploi", revenus_mensuels=income, logement="locataire")
        return next(s.score for s in suggestions(shipped_rules, tenant) if s.entry_id == "cheque-energie")

    assert score(1000) < score(600)
