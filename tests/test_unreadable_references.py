"""One broken entry file is one mistake: the files that cite it get a warning pointing at it, not errors."""

from pathlib import Path

import pytest

from bot.knowledge import load_knowledge

BREAKAGES = {
    "tabulation": lambda text: text.replace("  - RSA jeune parent", "\t- RSA jeune parent"),
    "vide": lambda text: "",
    "liste": lambda text: "- " + text.replace("\n", "\n  "),
}


@pytest.mark.parametrize("breakage", BREAKAGES.values(), ids=BREAKAGES.keys())
def test_places_citing_a_broken_entry_point_at_its_file(kb_dir: Path, breakage):
    rsa = kb_dir / "droits" / "rsa.yaml"
    rsa.write_text(breakage(rsa.read_text(encoding="utf-8")), encoding="utf-8")
    result = load_knowledge(kb_dir)
    assert {p.path for p in result.errors} == {rsa}, result.errors
    citing = [p for p in result.problems if "« rsa »" in p.message and p.path.parent.name == "lieux"]
    assert {p.path.name for p in citing} == {"ccas.yaml", "centre-bellevue.yaml"}
    for problem in citing:
        assert not problem.error
        assert problem.message == (
            "« sujets » cite « rsa », dont le fichier droits/rsa.yaml a une erreur : corrigez d'abord ce fichier"
        )


def test_an_id_no_file_stands_for_is_still_an_error(kb_dir: Path):
    place = kb_dir / "lieux" / "ccas.yaml"
    place.write_text(place.read_text(encoding="utf-8").replace("sujets: [rsa]", "sujets: [rsaa]"), encoding="utf-8")
    errors = [p for p in load_knowledge(kb_dir).errors if p.path == place]
    assert [p.message for p in errors] == ["« sujets » cite « rsaa », qui n'existe pas"]


RULES = """\
verifie_le: 2026-01-01
regles:
  - fiche: rsa
    priorite: 80
    raison: "vous avez 25 ans ou plus"
    si:
      - age: {au_moins: 25}
        source: https://exemple.test/rsa
  - fiche: css
    priorite: 70
    raison: "vos revenus sont modestes"
    si:
      - revenus_mensuels: {au_plus: 1000}
        source: https://exemple.test/css
"""


@pytest.mark.parametrize("breakage", BREAKAGES.values(), ids=BREAKAGES.keys())
def test_a_rule_citing_a_broken_entry_says_to_fix_that_file_not_another_id(kb_dir: Path, breakage):
    (kb_dir / "orientation").mkdir()
    rules = kb_dir / "orientation" / "regles.yaml"
    rules.write_text(RULES, encoding="utf-8")
    rsa = kb_dir / "droits" / "rsa.yaml"
    rsa.write_text(breakage(rsa.read_text(encoding="utf-8")), encoding="utf-8")
    result = load_knowledge(kb_dir)
    assert {p.path for p in result.errors} == {rsa}, result.errors
    about_rsa = [p for p in result.problems if p.path == rules]
    assert [(p.line, p.message, p.error) for p in about_rsa] == [
        (
            3,
            "« fiche » cite « rsa », dont le fichier droits/rsa.yaml a une erreur : corrigez d'abord ce fichier "
            "(cette règle ne propose rien en attendant)",
            False,
        )
    ]
    assert result.kb.rules is not None and "css" in result.kb.rules.entry_ids()


def test_a_rule_citing_no_file_still_suggests_the_close_id(kb_dir: Path):
    (kb_dir / "orientation").mkdir()
    rules = kb_dir / "orientation" / "regles.yaml"
    rules.write_text(RULES.replace("fiche: css", "fiche: csss"), encoding="utf-8")
    errors = [p.message for p in load_knowledge(kb_dir).errors if p.path == rules]
    assert errors == ["« fiche » cite « csss », qui n'existe pas (vouliez-vous dire « css » ?)"]


def test_a_file_copied_without_changing_its_id_is_one_error_and_takes_nothing_from_the_original(kb_dir: Path):
    css = kb_dir / "droits" / "css.yaml"
    css.write_text(css.read_text(encoding="utf-8").replace("id: css", "id: rsa"), encoding="utf-8")
    result = load_knowledge(kb_dir)
    assert [(p.path, p.message) for p in result.errors] == [
        (css, "l'identifiant « rsa » doit être le nom du fichier (css.yaml)")
    ]
    assert "rsa" in result.kb.entries and "css" not in result.kb.entries  # rsa.yaml's own entry still loads
    citing = [p for p in result.problems if "« css »" in p.message]
    assert citing and all(not p.error and "droits/css.yaml a une erreur" in p.message for p in citing)


def test_places_of_a_broken_quartier_file_point_at_it(kb_dir: Path):
    """A tab in quartiers/bellevue.yaml is one error, not one more per place of Bellevue."""
    bellevue = kb_dir / "quartiers" / "bellevue.yaml"
    lines = bellevue.read_text(encoding="utf-8").split("\n")
    lines[1] = "\t" + lines[1]
    bellevue.write_text("\n".join(lines), encoding="utf-8")
    result = load_knowledge(kb_dir)
    assert {p.path for p in result.errors} == {bellevue}, result.errors
    citing = [p for p in result.problems if "« bellevue »" in p.message and p.path.parent.name == "lieux"]
    assert {p.path.name for p in citing} == {"centre-bellevue.yaml", "mairie-bellevue.yaml"}
    for problem in citing:
        assert not problem.error
        assert "dont le fichier quartiers/bellevue.yaml a une erreur : corrigez d'abord ce fichier" in problem.message
