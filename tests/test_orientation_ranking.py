"""The order of the rights check: every likely right before every possible one, then what it brings.

The rule (module docstring of `bot.orientation.evaluate`, LISEZMOI section 16) was
written before it was measured. Made-up rules and households; the amounts that
decide the shipped order are those of the entries of `knowledge/droits/`
(AAH ≈ 1 042 €, RSA ≈ 652 € for one person, family allowance ≈ 152 € for two
children and ≈ 347 € for three), never what the bot printed.
"""

from __future__ import annotations

import json

import pytest

from bot.cli import droits_document
from bot.orientation.rules import read_rules
from tests.conftest import write_rules
from tests.orientation_fixtures import ADULT, by_id, ids, suggestions

KNOWN = {"rsa": "right", "css": "right", "bourses": "right"}

# bourses has the highest priority but hangs on something the check does not ask;
# css is close to its ceiling for an income of 950; rsa is plainly likely below 600.
RULES = """\
verifie_le: 2026-01-01
regles:
  - fiche: bourses
    priorite: 90
    possible: true
    raison: "si vous êtes boursier, une aide est possible"
    si:
      - age: {au_moins: 18}
        source: https://exemple.test/bourses
  - fiche: css
    priorite: 85
    raison: "mutuelle à petit prix"
    si:
      - revenus_mensuels: {au_plus: 1000}
        source: https://exemple.test/css
  - fiche: rsa
    priorite: 60
    raison: "peu de revenus"
    si:
      - age: {au_moins: 25}
        source: https://exemple.test/rsa
    exclu_si:
      - revenus_mensuels: {plus_de: 2000}
        source: https://exemple.test/rsa
"""


@pytest.fixture
def rules(tmp_path):
    read, problems = read_rules(write_rules(tmp_path, RULES), KNOWN)
    assert problems == []
    return read


def test_a_right_marked_possible_comes_after_a_likely_one_of_lower_priority(rules):
    listed = suggestions(rules, {"age": 40, "revenus_mensuels": 300})
    assert [s.entry_id for s in listed] == ["css", "rsa", "bourses"]
    assert [s.likely for s in listed] == [True, True, False]


def test_an_income_close_to_a_ceiling_makes_the_right_possible(rules):
    listed = suggestions(rules, {"age": 40, "revenus_mensuels": 950})
    assert [s.entry_id for s in listed] == ["rsa", "bourses", "css"]
    assert by_id(rules, {"age": 40, "revenus_mensuels": 950})["css"].likely is False


def test_an_unanswered_question_lowers_a_right_but_keeps_it_likely(rules):
    """Unanswered income: rsa loses a few points, yet a half-answered profile keeps its likely rights first."""
    listed = by_id(rules, {"age": 40})
    assert listed["rsa"].likely is True and listed["rsa"].score < 60
    assert ids(rules, {"age": 40}) == ["rsa", "bourses"]


def test_a_likely_case_of_a_right_wins_over_a_possible_case_of_higher_priority(tmp_path):
    text = RULES.replace(
        '    possible: true\n    raison: "si vous êtes boursier, une aide est possible"\n'
        "    si:\n      - age: {au_moins: 18}\n        source: https://exemple.test/bourses\n",
        "    cas:\n"
        '      - raison: "si vous êtes boursier, une aide est possible"\n'
        "        possible: true\n"
        "        si:\n          - age: {au_moins: 18}\n            source: https://exemple.test/bourses\n"
        '      - raison: "vous avez un enfant au collège"\n'
        "        priorite: 30\n"
        "        si:\n          - enfants: {age_au_moins: 11, age_au_plus: 14}\n"
        "            source: https://exemple.test/college\n",
    )
    read, problems = read_rules(write_rules(tmp_path, text), KNOWN)
    assert problems == []
    school = by_id(read, {"age": 40, "revenus_mensuels": 300, "enfants": [12]})["bourses"]
    assert school.likely is True and school.reason == "vous avez un enfant au collège"


@pytest.mark.parametrize("value", ["oui", 1, "peut-être"])
def test_possible_must_be_true_or_false_and_the_line_is_given(tmp_path, value):
    path = write_rules(tmp_path, RULES.replace("possible: true", f"possible: {value}"))
    _, problems = read_rules(path, KNOWN)
    found = [p for p in problems if "« possible »" in p.message]
    assert found and str(found[0]).startswith(f"{path}:5: ")


def test_the_json_says_probable_or_possible_for_each_right(shipped_rules):
    """`certitude` is an added key of `droits --profil`: `id` and `raison` stay as they were."""
    profile = {"age": 27, "couple": False, "enfants": [1], "situation": "sans-revenu", "logement": "locataire"}
    profile["handicap"], profile["papiers"] = False, "titre-sejour"
    rights = json.loads(json.dumps(droits_document(suggestions(shipped_rules, profile))))["droits"]
    assert all(set(item) == {"id", "raison", "certitude"} for item in rights)
    sure = [item["certitude"] for item in rights]
    assert "possible" in sure and sure == sorted(sure, key=lambda word: word != "probable")
    assert {item["id"]: item["certitude"] for item in rights}["rsa"] == "possible"  # a permit: 5 years to check


# --------------------------------------------------------------------------- the shipped order

NO_INCOME = dict(ADULT, situation="sans-revenu", revenus_mensuels=0, logement="locataire")


def test_a_disability_allowance_comes_before_the_rsa_it_is_larger_than(shipped_rules):
    order = ids(shipped_rules, dict(NO_INCOME, age=45, situation="incapacite", handicap=True))
    assert order.index("aah") < order.index("rsa")


@pytest.mark.parametrize("children", [[4, 8], [4, 8, 12]], ids=["two children", "three children"])
def test_the_rsa_comes_before_family_allowance_of_a_smaller_amount(shipped_rules, children):
    order = ids(shipped_rules, dict(NO_INCOME, age=35, enfants=children))
    assert order.index("rsa") < order.index("allocations-familiales")


def test_family_allowance_for_three_children_comes_before_housing_aid_and_for_two_after(shipped_rules):
    two = ids(shipped_rules, dict(NO_INCOME, age=35, enfants=[4, 8]))
    three = ids(shipped_rules, dict(NO_INCOME, age=35, enfants=[4, 8, 12]))
    assert two.index("allocations-familiales") > two.index("aide-logement")
    assert three.index("allocations-familiales") < three.index("aide-logement")


@pytest.mark.parametrize(
    "answers, right",
    [
        (dict(NO_INCOME, age=30, couple=True, revenus_mensuels=1200), "prime-activite"),
        (dict(NO_INCOME, age=22, situation="etudiant", revenus_mensuels=300), "bourses"),
        (dict(NO_INCOME, age=63, situation="incapacite"), "aspa"),
        (dict(NO_INCOME, age=40, situation="incapacite"), "aah"),
    ],
    ids=["partner's job", "parents' income for the Crous", "inaptitude at 63", "disability not recognised"],
)
def test_a_right_hanging_on_something_not_asked_is_possible_and_after_the_likely_ones(shipped_rules, answers, right):
    listed = suggestions(shipped_rules, answers)
    flags = [s.likely for s in listed]
    assert not by_id(shipped_rules, answers)[right].likely
    assert flags == sorted(flags, reverse=True)  # every likely right first


def test_the_check_result_says_where_the_possible_rights_begin(shipped_rules):
    from bot.conversation.orientation import POSSIBLE_HEADING, result_text

    listed = suggestions(shipped_rules, dict(NO_INCOME, age=40, situation="incapacite"))
    text = result_text(listed, {}, "Une personne", "https://simulateur.test")
    lines = text.split("\n")
    heading = lines.index(POSSIBLE_HEADING)
    first_possible = next(i for i, s in enumerate(listed, 1) if not s.likely)
    assert lines[heading + 1].startswith(f"{first_possible}. ")
    assert text.count(POSSIBLE_HEADING) == 1


def test_no_possible_heading_when_every_right_is_likely_or_every_right_is_possible(rules):
    from bot.conversation.orientation import POSSIBLE_HEADING, result_text

    likely = [s for s in suggestions(rules, {"age": 40, "revenus_mensuels": 300}) if s.likely]
    possible = [s for s in suggestions(rules, {"age": 40, "revenus_mensuels": 300}) if not s.likely]
    assert POSSIBLE_HEADING not in result_text(likely, {}, "x", "y")
    assert POSSIBLE_HEADING not in result_text(possible, {}, "x", "y")


# --------------------------------------------------------------------------- the RSA counts family allowance


@pytest.mark.parametrize(
    "couple, children, income, listed",
    [
        (False, [4, 9], 900, True),
        (False, [4, 9], 1150, False),  # 1 150 + ≈152 of AF is over the RSA of 3 people (≈1 173)
        (True, [4, 9], 1200, True),
        (True, [4, 9], 1300, False),  # 1 300 + ≈152 is over the RSA of 4 people (≈1 369)
        (False, [1, 9], 1200, True),  # a child under 3: the single-parent RSA (≈1 395) less the AF
        (False, [1, 9], 1300, False),
        (False, [9], 900, True),  # one child: no family allowance to count
    ],
)
def test_the_rsa_ceiling_counts_the_family_allowance_of_two_children_or_more(
    shipped_rules, couple, children, income, listed
):
    """CASF art. R262-11 leaves the ARS and the birth premium out of the RSA's resources, not the AF."""
    family = dict(ADULT, age=33, couple=couple, enfants=children, situation="emploi", revenus_mensuels=income)
    assert ("rsa" in ids(shipped_rules, dict(family, logement="locataire-social"))) is listed


@pytest.mark.parametrize(
    "couple, children, income, listed",
    [
        (True, [4, 9], 2200, True),
        (True, [4, 9], 2350, False),  # under the CSS ceiling of 4 people (≈2 445), over it with ≈152 of AF
        (False, [4, 9], 1800, True),
        (False, [4, 9], 2000, False),  # over the ceiling of 3 people (≈2 095) with the AF
        (True, [9], 2000, True),  # one child: no family allowance to count
    ],
)
def test_the_css_ceiling_counts_the_family_allowance_of_two_children_or_more(
    shipped_rules, couple, children, income, listed
):
    """The CSS counts the family allowance in the resources (complementaire-sante-solidaire.gouv.fr)."""
    family = dict(ADULT, age=38, couple=couple, enfants=children, situation="emploi", revenus_mensuels=income)
    assert ("css" in ids(shipped_rules, dict(family, logement="locataire"))) is listed
