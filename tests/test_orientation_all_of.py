"""`ensemble`: a condition that holds only when ALL its parts do ("hosted AND 20 or less AND no child").

`exclu_si` means "any one of these excludes"; some rights are ruled out only by a
combination of answers, so mediators can group them. Made-up rules and households.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.knowledge.model import LoadResult
from bot.orientation.evaluate import evaluate
from bot.orientation.profile import parse_profile
from bot.orientation.rules import load_rules, read_rules
from tests.conftest import write_rules

SHIPPED = Path(__file__).resolve().parent.parent / "knowledge"

GROUPED = """\
verifie_le: 2026-01-01
regles:
  - fiche: rsa
    priorite: 80
    raison: vous avez peu de revenus
    si:
      - revenus_mensuels: {au_plus: 600}
        source: https://exemple.test/rsa
    exclu_si:
      - ensemble:
          - logement: heberge
          - age: {au_plus: 20}
        source: https://exemple.test/parents
"""


def listed(rules, answers: dict) -> dict[str, int]:
    return {s.entry_id: s.score for s in evaluate(rules, parse_profile(answers)[0])}


@pytest.fixture
def grouped(tmp_path):
    rules, problems = read_rules(write_rules(tmp_path, GROUPED), {"rsa": "right"})
    assert [str(p) for p in problems] == []
    return rules


@pytest.mark.parametrize(
    "answers, shown",
    [
        pytest.param({"revenus_mensuels": 0, "logement": "heberge", "age": 19}, False, id="both-parts-hold"),
        pytest.param({"revenus_mensuels": 0, "logement": "heberge", "age": 30}, True, id="only-one-part"),
        pytest.param({"revenus_mensuels": 0, "logement": "locataire", "age": 19}, True, id="the-other-part"),
        pytest.param({"revenus_mensuels": 0, "logement": "locataire"}, True, id="one-part-false-one-unknown"),
        pytest.param({"revenus_mensuels": 0, "logement": "heberge"}, True, id="one-part-unknown-never-excludes"),
    ],
)
def test_a_group_excludes_only_when_every_part_holds(grouped, answers, shown):
    assert ("rsa" in listed(grouped, answers)) is shown


def test_a_group_that_cannot_be_checked_lowers_the_right_like_any_unknown(grouped):
    sure = listed(grouped, {"revenus_mensuels": 0, "logement": "locataire", "age": 19})
    unsure = listed(grouped, {"revenus_mensuels": 0, "logement": "heberge"})
    assert unsure["rsa"] < sure["rsa"]


def test_the_parts_share_the_group_source(grouped):
    (group,) = grouped.rules[0].cases[0].excluding
    assert group.source == "https://exemple.test/parents" and group.checked is not None
    assert [part.source for part in group.all_of] == ["https://exemple.test/parents"] * 2


@pytest.mark.parametrize(
    "broken, line, message",
    [
        pytest.param(
            GROUPED.replace("        source: https://exemple.test/parents\n", ""),
            10,
            "condition « ensemble » sans « source »",
            id="no-source",
        ),
        pytest.param(
            GROUPED.replace("          - age: {au_plus: 20}\n", ""),
            10,
            "« ensemble » : écrivez au moins deux conditions",
            id="one-part",
        ),
        pytest.param(
            GROUPED.replace("logement: heberge", "logement: chez-papa"),
            11,
            "valeur « chez-papa » inconnue",
            id="bad-part-value",
        ),
        pytest.param(
            GROUPED.replace("- age: {au_plus: 20}", "- agee: {au_plus: 20}"),
            12,
            "vouliez-vous dire « age »",
            id="misspelt-part",
        ),
    ],
)
def test_group_mistakes_are_reported_with_file_and_line(tmp_path, broken, line, message):
    path = write_rules(tmp_path, broken)
    rules, problems = read_rules(path, {"rsa": "right"})
    found = [p for p in problems if message in p.message]
    assert found, [str(p) for p in problems]
    assert str(found[0]).startswith(f"{path}:{line}: ")
    assert rules.rules == ()  # a broken rule proposes nothing rather than too much


# --------------------------------------------------------------------------- the shipped Bibus rule


@pytest.fixture(scope="module")
def shipped_rules(shipped_base: LoadResult):
    kinds = {e.id: e.kind for e in shipped_base.kb.entries.values()}
    rules, problems = load_rules(SHIPPED, kinds)
    assert [str(p) for p in problems] == []
    return rules


BASE = {"couple": False, "situation": "sans-revenu", "revenus_mensuels": 0, "handicap": False, "papiers": "francais-ue"}


# (who, answers, Bibus fare listed?) — the CAF quotient of a young person at his parents' is theirs
# (child of the family up to 20 for the CAF, openfisca af_cm/age2.yaml), not his own zero income.
@pytest.mark.parametrize(
    "answers, shown",
    [
        pytest.param(dict(BASE, age=19, enfants=[], logement="heberge"), False, id="19-at-his-parents"),
        pytest.param(dict(BASE, age=20, enfants=[], logement="heberge"), False, id="20-at-her-parents"),
        pytest.param(dict(BASE, age=19, enfants=[0], logement="heberge"), True, id="19-hosted-with-a-baby"),
        pytest.param(dict(BASE, age=23, enfants=[], logement="heberge"), True, id="23-hosted"),
        pytest.param(dict(BASE, age=19, enfants=[], logement="locataire"), True, id="19-own-flat"),
        pytest.param(dict(BASE, age=35, enfants=[], logement="heberge"), True, id="35-hosted-by-his-sister"),
    ],
)
def test_the_bibus_fare_is_not_listed_on_the_parents_quotient(shipped_rules, answers, shown):
    assert ("transport-tarif-solidaire" in listed(shipped_rules, answers)) is shown


# (who, answers, social housing listed?) — at 20 or less, hosted, no child and no income: still a
# child of the family for the CAF (openfisca af_cm/age2.yaml), with no income to pay a rent.
@pytest.mark.parametrize(
    "answers, shown",
    [
        pytest.param(dict(BASE, age=19, enfants=[], logement="heberge"), False, id="19-at-his-parents"),
        pytest.param(dict(BASE, age=19, enfants=[], logement="heberge", revenus_mensuels=900), True, id="19-working"),
        pytest.param(dict(BASE, age=20, enfants=[1], logement="heberge"), True, id="20-hosted-with-a-child"),
        pytest.param(dict(BASE, age=23, enfants=[], logement="heberge"), True, id="23-hosted"),
        pytest.param(dict(BASE, age=19, enfants=[], logement="sans-logement"), True, id="19-in-the-street"),
    ],
)
def test_social_housing_is_not_listed_to_a_child_at_home_without_income(shipped_rules, answers, shown):
    assert ("logement-social" in listed(shipped_rules, answers)) is shown
