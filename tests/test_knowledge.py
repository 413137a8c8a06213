"""Loading and validating the knowledge base: every problem, with its file and line, in French."""

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import cli
from bot.knowledge import load_knowledge


def problems_for(kb_dir: Path) -> list[str]:
    return [str(p) for p in load_knowledge(kb_dir).errors]


def write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def test_fixture_base_is_valid(kb_dir):
    result = load_knowledge(kb_dir)
    assert result.errors == []
    assert {"rsa", "css", "caf", "cpam"} <= set(result.kb.entries)
    assert result.kb.entries["rsa"].kind == "right"
    assert result.kb.entries["caf"].kind == "service"
    assert result.kb.entries["salutation"].kind == "intent"
    assert result.kb.places["centre-bellevue"].hours.startswith("Mo-Fr")


def test_yaml_syntax_error_gives_file_and_line(kb_dir):
    write(kb_dir / "droits" / "css.yaml", "id: css\ntitre: Mutuelle\nformulations:\n  - a\n   - b: c: d\n")
    problems = problems_for(kb_dir)
    assert any(p.startswith(f"{kb_dir / 'droits' / 'css.yaml'}:5: YAML invalide") for p in problems), problems


def test_every_problem_is_reported_not_just_the_first(kb_dir):
    rsa = kb_dir / "droits" / "rsa.yaml"
    text = rsa.read_text(encoding="utf-8")
    text = text.replace("source: https://example.org/rsa\n", "").replace("ou_aller: [caf]", "ou_aller: [caff]")
    write(rsa, text)
    write(
        kb_dir / "lieux" / "ccas.yaml",
        (kb_dir / "lieux" / "ccas.yaml").read_text(encoding="utf-8").replace("quartier: brest", "quartier: ailleurs"),
    )
    problems = problems_for(kb_dir)
    assert any("source" in p and "rsa.yaml" in p for p in problems)
    assert any("« caff », qui n'existe pas" in p and "rsa.yaml:20:" in p for p in problems), problems
    assert any("quartier « ailleurs » inconnu" in p for p in problems)


@pytest.mark.parametrize(
    "replace, expected",
    [
        (("verifie_le: 2025-04-01", "verifie_le: hier"), "date « hier » invalide"),
        (("titre: Revenu", "titr: Revenu"), "clé inconnue « titr » (vouliez-vous dire « titre » ?)"),
        (("id: rsa", "id: RSA Social"), "identifiant « RSA Social » invalide"),
        (("id: rsa", "id: " + "r" * 41), "trop long (41 caractères, maximum 40)"),
        (("ou_aller: [caf]", "ou_aller: [salutation]"), "n'est pas un service"),
        (("ou_aller: [caf]", "ou_aller: []"), "au moins un service"),
        (("  - RSA jeune parent", "  - mutuelle gratuite"), "aussi dans « css »"),
    ],
)
def test_entry_errors(kb_dir, replace, expected):
    path = kb_dir / "droits" / "rsa.yaml"
    write(path, path.read_text(encoding="utf-8").replace(*replace))
    problems = problems_for(kb_dir)
    assert any(expected in p for p in problems), problems


@pytest.mark.parametrize(
    "replace, expected",
    [
        (
            ('"Mo-Fr 09:00-12:00,14:00-17:00"', '"lundi 9h-12h"'),
            "illisibles : écrivez les horaires ainsi : Mo 09:00-12:00",
        ),
        (("{lat: 48.4035, lon: -4.5030}", "{lat: -4.5030, lon: 48.4035}"), "loin de Brest"),
        (("{lat: 48.4035, lon: -4.5030}", "{lat: nord, lon: -4.5}"), "doivent être des nombres"),
        (("sujets: [mediation-quartier, css, rsa]", "sujets: [rsa, apl]"), "« apl », qui n'existe pas"),
    ],
)
def test_place_errors_point_at_the_line(kb_dir, replace, expected):
    path = kb_dir / "lieux" / "centre-bellevue.yaml"
    write(path, path.read_text(encoding="utf-8").replace(*replace))
    problems = problems_for(kb_dir)
    matching = [p for p in problems if expected in p]
    assert matching, problems
    assert matching[0].startswith(f"{path}:"), matching


def test_duplicate_id_across_files(kb_dir):
    write(kb_dir / "services" / "rsa.yaml", (kb_dir / "droits" / "rsa.yaml").read_text(encoding="utf-8"))
    problems = problems_for(kb_dir)
    assert any("identifiant « rsa » déjà utilisé" in p for p in problems), problems


def test_duplicate_key_in_one_file(kb_dir):
    path = kb_dir / "droits" / "css.yaml"
    write(path, path.read_text(encoding="utf-8") + "titre: encore\n")
    assert any("clé « titre » en double" in p for p in problems_for(kb_dir))


def test_place_name_in_two_quartiers_must_be_marked_uncertain(kb_dir):
    path = kb_dir / "quartiers" / "europe.yaml"
    write(
        path,
        path.read_text(encoding="utf-8").replace("  - nom: Pontanézen", "  - nom: Kerbernier\n  - nom: Pontanézen"),
    )
    assert any("kerbernier" in p and "plusieurs quartiers" in p for p in problems_for(kb_dir))


def test_a_broken_file_does_not_stop_the_others_from_loading(kb_dir):
    write(kb_dir / "droits" / "css.yaml", "id: [oops\n")
    result = load_knowledge(kb_dir)
    assert "rsa" in result.kb.entries and "css" not in result.kb.entries
    assert result.errors


def test_validate_command_exit_codes(kb_dir):
    runner = CliRunner()
    ok = runner.invoke(cli, ["validate", str(kb_dir)])
    assert ok.exit_code == 0, ok.output
    # Warnings (old dates, coverage) come first; the last line is the verdict.
    assert ok.output.strip().splitlines()[-1].startswith("OK — 3 droits")
    write(kb_dir / "droits" / "css.yaml", "id: css\ntitre: [\n")
    broken = runner.invoke(cli, ["validate", str(kb_dir)])
    assert broken.exit_code == 1
    assert f"{kb_dir / 'droits' / 'css.yaml'}:" in broken.output
    assert "Traceback" not in broken.output


def test_validate_on_a_missing_directory_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(cli, ["validate", str(tmp_path / "nowhere")])
    assert result.exit_code == 1
    assert "introuvable" in result.output


def test_impossible_date_is_an_invalid_date_on_its_line_not_a_crash(kb_dir):
    path = kb_dir / "droits" / "rsa.yaml"
    write(path, path.read_text(encoding="utf-8").replace("verifie_le: 2025-04-01", "verifie_le: 2025-13-45"))
    problems = problems_for(kb_dir)
    assert f"{path}:25: date « 2025-13-45 » invalide : écrivez AAAA-MM-JJ, par exemple 2025-04-01" in problems, problems


def test_odd_shapes_in_a_quartier_are_reported_not_raised(kb_dir):
    path = kb_dir / "quartiers" / "europe.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("variantes: [pontanezen, ponta]", "variantes: 5").replace("incertain: true", "incertain: non")
    write(path, text)
    problems = problems_for(kb_dir)
    assert f"{path}:5: « Pontanézen » : « variantes » doit être une liste" in problems, problems
    # YAML reads « non » as text: it must not silently mean "uncertain"
    assert f"{path}:7: « Kerzinou » : « incertain » vaut true ou false" in problems, problems


def test_emergency_numbers_that_are_not_a_list_are_reported_not_raised(kb_dir):
    path = kb_dir / "urgences" / "rue.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace('numeros:\n  - {numero: "115", nom: Hébergement d\'urgence}\n', "numeros: 115\n")
    write(path, text)
    problems = problems_for(kb_dir)
    assert any(p.startswith(f"{path}:5: « numeros » : la liste des numéros") for p in problems), problems


def test_an_empty_file_is_reported_not_skipped(kb_dir):
    write(kb_dir / "droits" / "css.yaml", "# à compléter\n")
    problems = problems_for(kb_dir)
    assert f"{kb_dir / 'droits' / 'css.yaml'}:1: fichier vide : il doit décrire une fiche (« id: … », …)" in problems


def test_a_forgotten_ou_aller_points_at_the_file_not_the_folder(kb_dir):
    path = kb_dir / "droits" / "rsa.yaml"
    write(path, path.read_text(encoding="utf-8").replace("ou_aller: [caf]\n", ""))
    problems = problems_for(kb_dir)
    assert f"{path}:1: un droit doit indiquer au moins un service dans « ou_aller »" in problems, problems


def test_absurdly_nested_yaml_is_a_problem_not_a_crash(kb_dir):
    path = kb_dir / "droits" / "profond.yaml"
    write(path, "id: " + "[" * 5000 + "]" * 5000 + "\n")
    assert f"{path}:1: YAML invalide : listes ou blocs imbriqués trop profondément" in problems_for(kb_dir)


@pytest.mark.parametrize("value", ["deux", "0", "-1", "true"])
def test_quartier_order_must_be_a_whole_number_from_one(kb_dir, value):
    path = kb_dir / "quartiers" / "europe.yaml"
    path.write_text(path.read_text(encoding="utf-8") + f"ordre: {value}\n", encoding="utf-8")
    problems = [str(p) for p in load_knowledge(kb_dir).errors]
    assert any("europe.yaml:" in p and "« ordre » doit être un nombre entier" in p for p in problems), problems


def test_hours_error_has_no_english_from_the_parsing_library(kb_dir):
    path = kb_dir / "lieux" / "centre-bellevue.yaml"
    write(path, path.read_text(encoding="utf-8").replace('"Mo-Fr 09:00-12:00,14:00-17:00"', '"lundi 9h-12h"'))
    hours = [p for p in problems_for(kb_dir) if "horaires « lundi 9h-12h »" in p]
    assert hours and not any(word in hours[0] for word in ("Failed", "parse", "expression", "-->")), hours


def test_a_latin1_file_says_to_save_it_in_utf8_at_the_line_of_the_bad_letter(kb_dir):
    path = kb_dir / "droits" / "css.yaml"
    text = path.read_text(encoding="utf-8") + "# vérifié\n"
    path.write_bytes(text.encode("latin-1", errors="replace"))
    problems = [p for p in problems_for(kb_dir) if str(path) in p]
    assert problems and "enregistrez le fichier en UTF-8" in problems[0], problems
    assert "invalid" not in problems[0] and "continuation" not in problems[0]


def test_a_duplicate_phrasing_blames_the_edited_file_and_names_the_other(kb_dir):
    css = kb_dir / "droits" / "css.yaml"
    rsa = kb_dir / "droits" / "rsa.yaml"
    os.utime(rsa, (1_000_000_000, 1_000_000_000))  # rsa.yaml untouched for years
    write(css, css.read_text(encoding="utf-8").replace("formulations:\n", "formulations:\n  - RSA\n", 1))
    duplicates = [p for p in problems_for(kb_dir) if "la formulation « RSA »" in p]
    assert duplicates and duplicates[0].startswith(f"{css}:"), duplicates
    assert "déjà utilisée par l'entrée rsa, droits/rsa.yaml:" in duplicates[0]
