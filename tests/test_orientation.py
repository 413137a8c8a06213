"""The rights check: the shipped rules on typical (made-up) households, the rules file's checks, the command."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.knowledge.model import LoadResult
from bot.orientation.evaluate import evaluate
from bot.orientation.profile import ProfileError, parse_profile
from bot.orientation.rules import read_rules
from tests.conftest import write_rules

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "knowledge"


@pytest.fixture(scope="module")
def shipped_kinds(shipped_base: LoadResult) -> dict[str, str]:
    return {e.id: e.kind for e in shipped_base.kb.entries.values()}


def rights_of(rules, answers: dict) -> list[str]:
    profile, _ = parse_profile(answers)
    return [s.entry_id for s in evaluate(rules, profile)]


FRENCH = {"papiers": "francais-ue", "handicap": False}

# (who, answers, must list, must not list) — made-up people, written from the official conditions.
HOUSEHOLDS = [
    (
        "couple, new-born, one salary",
        dict(FRENCH, age=31, couple=True, enfants=[0], situation="emploi", revenus_mensuels=1800, logement="locataire"),
        {"naissance-jeune-enfant", "prime-activite", "aide-logement"},
        {"allocations-familiales", "rsa", "parent-isole", "aspa", "ame", "aah"},
    ),
    (
        "woman of 60, small pension",
        dict(
            FRENCH,
            age=60,
            couple=False,
            enfants=[],
            situation="retraite",
            revenus_mensuels=750,
            logement="locataire-social",
        ),
        {"css", "aide-logement", "cheque-energie"},
        {"aspa", "apa", "rsa", "prime-activite", "ame", "retraite"},
    ),
    (
        "man of 23 back from abroad, no income, staying with family",
        dict(FRENCH, age=23, couple=False, enfants=[], situation="sans-revenu", logement="heberge"),
        {"jeunes-cej", "css", "aide-alimentaire"},
        {"rsa", "prime-activite", "ame", "aah", "cheque-energie", "hebergement-urgence", "aide-logement"},
    ),
    (
        "family of five, private rent, 2,000 € a month",
        dict(
            FRENCH,
            age=40,
            couple=True,
            enfants=[4, 9, 13],
            situation="emploi",
            revenus_mensuels=2000,
            logement="locataire",
        ),
        {"allocations-familiales", "aide-logement", "prime-activite", "rentree-scolaire", "bourses", "css"},
        {"rsa", "ame", "parent-isole", "naissance-jeune-enfant", "aspa"},
    ),
    (
        "person with a disability working part-time",
        dict(
            FRENCH,
            age=45,
            couple=False,
            enfants=[],
            situation="emploi",
            revenus_mensuels=900,
            logement="locataire",
            handicap=True,
        ),
        {"aah", "handicap-mdph", "prime-activite", "aide-logement"},
        {"apa", "rsa", "ame", "aspa"},
    ),
    (
        "student renting a room",
        dict(
            FRENCH, age=20, couple=False, enfants=[], situation="etudiant", revenus_mensuels=400, logement="locataire"
        ),
        {"bourses", "aide-logement", "css"},
        {"rsa", "prime-activite", "jeunes-cej", "ame", "chomage"},
    ),
    (
        "person without papers, hosted, no income",
        {
            "age": 35,
            "couple": False,
            "enfants": [],
            "situation": "sans-revenu",
            "logement": "heberge",
            "papiers": "sans-papiers",
        },
        {"ame", "aide-alimentaire"},
        {"rsa", "css", "aide-logement", "prime-activite", "allocations-familiales", "chomage", "jeunes-cej"},
    ),
    (
        "elderly person losing autonomy",
        dict(
            FRENCH,
            age=82,
            couple=False,
            enfants=[],
            situation="retraite",
            revenus_mensuels=950,
            logement="proprietaire",
            handicap=True,
        ),
        {"apa", "aspa", "css"},
        {"aah", "handicap-mdph", "rsa", "jeunes-cej", "prime-activite", "retraite"},
    ),
    (
        "single mother, two small children, no income",
        dict(
            FRENCH,
            age=27,
            couple=False,
            enfants=[1, 5],
            situation="sans-revenu",
            revenus_mensuels=0,
            logement="locataire-social",
        ),
        {"rsa", "parent-isole", "naissance-jeune-enfant", "allocations-familiales", "aide-logement", "css"},
        {"ame", "aspa", "prime-activite"},
    ),
    (
        "man sleeping in the street",
        dict(FRENCH, age=45, couple=False, enfants=[], situation="sans-revenu", logement="sans-logement"),
        {"hebergement-urgence", "domiciliation", "rsa", "css"},
        {"aide-logement", "cheque-energie", "jeunes-cej"},
    ),
    (
        "job-seeker on unemployment benefit",
        dict(
            FRENCH,
            age=34,
            couple=False,
            enfants=[],
            situation="demandeur-emploi",
            revenus_mensuels=1100,
            logement="locataire",
        ),
        {"chomage", "aide-logement", "css"},
        {"rsa", "prime-activite", "ame", "jeunes-cej"},
    ),
    (
        "retired couple on small pensions",
        dict(
            FRENCH,
            age=71,
            couple=True,
            enfants=[],
            situation="retraite",
            revenus_mensuels=1400,
            logement="locataire-social",
        ),
        {"aspa", "css", "aide-logement"},
        {"rsa", "prime-activite", "apa", "retraite"},
    ),
    (
        "comfortable couple, two schoolchildren, own home",
        dict(
            FRENCH,
            age=42,
            couple=True,
            enfants=[8, 11],
            situation="emploi",
            revenus_mensuels=6000,
            logement="proprietaire",
        ),
        {"allocations-familiales", "cantine-tarif"},
        {"rsa", "prime-activite", "css", "aide-logement", "rentree-scolaire", "cheque-energie", "bourses"},
    ),
    (
        "pregnant young woman alone, hosted, no income",
        dict(FRENCH, age=22, couple=False, enfants=[], enceinte=True, situation="sans-revenu", logement="heberge"),
        {"naissance-jeune-enfant", "rsa", "css"},
        {"allocations-familiales", "ame", "parent-isole"},
    ),
    (
        "young job-seeker with a residence permit",
        {
            "age": 19,
            "couple": False,
            "enfants": [],
            "situation": "demandeur-emploi",
            "revenus_mensuels": 0,
            "logement": "heberge",
            "papiers": "titre-sejour",
            "handicap": False,
        },
        {"jeunes-cej", "chomage", "css"},
        {"rsa", "ame", "titre-sejour"},
    ),
    (
        "woman at home whose partner works",
        dict(
            FRENCH,
            age=33,
            couple=True,
            enfants=[2],
            situation="sans-revenu",
            revenus_mensuels=1500,
            logement="locataire",
        ),
        {"prime-activite", "naissance-jeune-enfant", "aide-logement", "css"},
        {"rsa", "parent-isole", "jeunes-cej"},
    ),
    (
        "family without papers, children at school",
        {
            "age": 38,
            "couple": True,
            "enfants": [7, 12],
            "situation": "sans-revenu",
            "logement": "heberge",
            "papiers": "sans-papiers",
        },
        {"ame", "cantine-tarif", "bourses", "aide-alimentaire"},
        {"allocations-familiales", "rentree-scolaire", "rsa", "css", "prime-activite"},
    ),
    (
        "man of 63 unable to work",
        dict(
            FRENCH, age=63, couple=False, enfants=[], situation="incapacite", revenus_mensuels=600, logement="locataire"
        ),
        {"aspa", "retraite", "css", "rsa"},
        {"apa", "prime-activite", "jeunes-cej"},
    ),
]


@pytest.mark.parametrize("who, answers, must, must_not", HOUSEHOLDS, ids=[h[0] for h in HOUSEHOLDS])
def test_typical_households_get_the_rights_they_should(shipped_rules, who, answers, must, must_not):
    listed = set(rights_of(shipped_rules, answers))
    assert must <= listed, f"missing {sorted(must - listed)}"
    assert not (must_not & listed), f"wrongly listed {sorted(must_not & listed)}"


def test_every_listed_right_has_a_short_reason_without_amount(shipped_rules):
    for _, answers, _, _ in HOUSEHOLDS:
        profile, _ = parse_profile(answers)
        for suggestion in evaluate(shipped_rules, profile):
            assert suggestion.reason and "€" not in suggestion.reason and len(suggestion.reason) <= 160


def test_the_most_pressing_right_comes_first(shipped_rules):
    street = dict(FRENCH, age=45, couple=False, enfants=[], situation="sans-revenu", logement="sans-logement")
    assert rights_of(shipped_rules, street)[0] == "hebergement-urgence"
    no_papers = {"age": 35, "situation": "sans-revenu", "logement": "heberge", "papiers": "sans-papiers"}
    assert rights_of(shipped_rules, no_papers)[0] == "ame"


def test_an_unanswered_question_never_excludes_but_lowers_the_right(shipped_rules):
    known = parse_profile(dict(FRENCH, age=40, couple=False, enfants=[], revenus_mensuels=300, logement="locataire"))[0]
    unknown = parse_profile({"age": 40, "couple": False, "enfants": [], "logement": "locataire"})[0]
    score = {s.entry_id: s.score for s in evaluate(shipped_rules, known)}
    score_unknown = {s.entry_id: s.score for s in evaluate(shipped_rules, unknown)}
    assert "rsa" in score_unknown and score_unknown["rsa"] < score["rsa"]


def test_nothing_answered_lists_nothing(shipped_rules):
    assert rights_of(shipped_rules, {}) == []


def test_every_rule_opens_an_existing_right(shipped_rules, shipped_kinds):
    assert shipped_rules.entry_ids() <= {e for e, kind in shipped_kinds.items() if kind == "right"}


def test_every_condition_has_a_source_and_date(shipped_rules):
    for rule in shipped_rules.rules:
        for case in rule.cases:
            for condition in case.required + case.excluding + case.uncertain:
                assert condition.source and condition.checked, (rule.entry_id, condition.key)


# --------------------------------------------------------------------------- answers


@pytest.mark.parametrize(
    "answers, message",
    [
        ({"age": "trente"}, "« age » doit être un nombre entier"),
        ({"age": True}, "« age » doit être un nombre entier"),
        ({"age": 250}, "entre 0 et 120"),
        ({"couple": "peut-être"}, "« couple » doit être true ou false"),
        ({"enfants": 3}, "liste des âges"),
        ({"enfants": [2, "bébé"]}, "« enfants » doit être un nombre entier"),
        ({"situation": "chomeur"}, "choix : emploi, demandeur-emploi"),
        ({"revenus_mensuels": -5}, "entre 0 et"),
        ({"revenus_mensuels": 1200.5}, "sans virgule"),
    ],
)
def test_bad_answers_are_refused_in_french(answers, message):
    with pytest.raises(ProfileError, match=message):
        parse_profile(answers)


def test_french_yes_no_and_unknown_keys():
    profile, warnings = parse_profile({"couple": "oui", "handicap": "non", "revenu": 900, "age": None})
    assert profile.couple is True and profile.handicap is False and profile.age is None
    assert warnings and "« revenu » inconnue" in warnings[0]


# --------------------------------------------------------------------------- the rules file


GOOD_RULE = """\
verifie_le: 2026-01-01
regles:
  - fiche: rsa
    priorite: 80
    raison: vous avez peu de revenus
    si:
      - age: {au_moins: 25}
        source: https://exemple.test/rsa
"""


def test_a_sound_file_gives_its_rule(tmp_path):
    rules, problems = read_rules(write_rules(tmp_path, GOOD_RULE), {"rsa": "right"})
    assert problems == [] and [r.entry_id for r in rules.rules] == ["rsa"]


@pytest.mark.parametrize(
    "broken, line, message",
    [
        (GOOD_RULE.replace("fiche: rsa", "fiche: rsaa"), 3, "« rsaa », qui n'existe pas (vouliez-vous dire « rsa » ?)"),
        (GOOD_RULE.replace("fiche: rsa", "fiche: caf"), 3, "n'est pas un droit"),
        (GOOD_RULE.replace("        source: https://exemple.test/rsa\n", ""), 7, "sans « source »"),
        (GOOD_RULE.replace("age: {au_moins: 25}", "agee: {au_moins: 25}"), 7, "vouliez-vous dire « age »"),
        (GOOD_RULE.replace("age: {au_moins: 25}", "age: {environ: 25}"), 7, "« environ » inconnu"),
        (GOOD_RULE.replace("age: {au_moins: 25}", "logement: chateau"), 7, "valeur « chateau » inconnue"),
        (GOOD_RULE.replace("peu de revenus", "moins de 650 € par mois"), 5, "ne doit pas donner de montant"),
        (GOOD_RULE.replace("priorite: 80", "priorite: 500"), 4, "de 1 à 100"),
        (
            GOOD_RULE.replace("    priorite: 80", "    priorite: 80\n    prioriter: 3"),
            5,
            "vouliez-vous dire « priorite »",
        ),
        (GOOD_RULE.replace("    priorite: 80", "\tpriorite: 80"), 4, "tabulation"),
        (
            GOOD_RULE.replace("age: {au_moins: 25}", "revenus_mensuels: {plus_de: {selon: voisins, 1: 600}}"),
            7,
            "« selon: » suivi de personnes, enfants, couple",
        ),
        (GOOD_RULE.replace("2026-01-01", "2026-13-45"), 1, "date « 2026-13-45 » invalide"),
        (GOOD_RULE + GOOD_RULE.split("regles:\n")[1], 9, "a déjà une règle (ligne 3)"),
        ("regles: rsa\n", 1, "« regles » doit être une liste"),
        ("", 1, "fichier vide"),
    ],
    ids=lambda value: value if isinstance(value, str) and len(value) < 60 else None,
)
def test_mistakes_are_reported_with_file_and_line(tmp_path, broken, line, message):
    path = write_rules(tmp_path, broken)
    _, problems = read_rules(path, {"rsa": "right", "caf": "service"})
    found = [p for p in problems if message in p.message]
    assert found, [str(p) for p in problems]
    assert found[0].line == line and found[0].path == path
    assert str(found[0]).startswith(f"{path}:{line}: ")


def test_a_broken_rule_does_not_hide_the_sound_ones(tmp_path):
    text = (
        GOOD_RULE
        + """\
  - fiche: css
    raison: mutuelle
    si:
      - logement: chateau
        source: x
"""
    )
    rules, problems = read_rules(write_rules(tmp_path, text), {"rsa": "right", "css": "right"})
    assert [r.entry_id for r in rules.rules] == ["rsa"] and len([p for p in problems if p.error]) == 1


def test_household_tables_follow_the_household(tmp_path):
    text = GOOD_RULE.replace(
        "age: {au_moins: 25}", "revenus_mensuels: {au_plus: {selon: personnes, 1: 600, 2: 900, en_plus: 200}}"
    )
    rules, problems = read_rules(write_rules(tmp_path, text), {"rsa": "right"})
    assert problems == []
    assert rights_of(rules, {"revenus_mensuels": 650, "couple": False}) == []
    assert rights_of(rules, {"revenus_mensuels": 650, "couple": True}) == ["rsa"]
    assert rights_of(rules, {"revenus_mensuels": 1250, "couple": True, "enfants": [3, 5]}) == ["rsa"]
    assert rights_of(rules, {"revenus_mensuels": 1350, "couple": True, "enfants": [3, 5]}) == []


# --------------------------------------------------------------------------- the command


def run_droits(stdin: str, *args: str, kb: Path = SHIPPED):
    return subprocess.run(
        [sys.executable, "-m", "bot", "--knowledge", str(kb), "droits", "--profil", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )


@pytest.mark.slow  # `python -m bot` in a subprocess
def test_droits_command_prints_the_documented_json_most_likely_first():
    result = run_droits(
        '{"age": 45, "situation": "sans-revenu", "logement": "sans-logement", "papiers": "francais-ue"}', "-"
    )
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert list(document) == ["droits"]
    ids = [item["id"] for item in document["droits"]]
    assert ids[0] == "hebergement-urgence" and "rsa" in ids
    assert all(set(item) >= {"id", "raison"} and item["raison"] for item in document["droits"])


@pytest.mark.slow  # `python -m bot` in a subprocess
def test_droits_command_reads_a_yaml_file(tmp_path):
    profile = tmp_path / "profil.yaml"
    profile.write_text("age: 82\nhandicap: true\nsituation: retraite\n", encoding="utf-8")
    result = run_droits("", str(profile))
    assert result.returncode == 0, result.stderr
    assert "apa" in [item["id"] for item in json.loads(result.stdout)["droits"]]


@pytest.mark.parametrize(
    "stdin, message",
    [
        ("age: trente\n", "« age » doit être un nombre entier"),
        ('{"age": 30,', "ni du YAML ni du JSON valide"),
        ("- 30\n- 40\n", "ensemble « clé: valeur »"),
        ("age: 30\nage: 40\n", "clé « age » en double (ligne 2)"),  # YAML alone keeps the last one silently
    ],
)
@pytest.mark.slow  # `python -m bot` in a subprocess
def test_droits_command_refuses_bad_input_in_french(stdin, message):
    result = run_droits(stdin, "-")
    assert result.returncode != 0 and result.stdout == ""
    assert "Erreur : " in result.stderr and message in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow  # `python -m bot` in a subprocess
def test_droits_command_missing_file():
    result = run_droits("", "/nonexistent/profil.yaml")
    assert result.returncode != 0 and "fichier de profil introuvable" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow  # `python -m bot` in a subprocess
@pytest.mark.parametrize("stdin", ["", "\n", "null\n", "{}"])
def test_an_empty_profile_is_no_error_but_says_why_nothing_is_listed(stdin):
    result = run_droits(stdin, "-")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"droits": []}
    assert "attention : profil vide : aucune réponse" in result.stderr


@pytest.mark.slow  # `python -m bot` in a subprocess
def test_a_profile_with_answers_has_no_empty_warning():
    result = run_droits('{"age": 45}', "-")
    assert result.returncode == 0 and "profil vide" not in result.stderr


@pytest.mark.parametrize(
    "text, repeated",
    [
        ('{"age": 30, "age": 31}', ("age", 1)),
        ("age: 30\ncouple: true\ncouple: false\n", ("couple", 3)),
        ("age: 30\n", None),
    ],
)
def test_an_answer_given_twice_is_found_with_its_line(text, repeated):
    from bot.cli import _repeated_key

    assert _repeated_key(text) == repeated
