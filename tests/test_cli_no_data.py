"""Laboratoire commands before any data exists, and paths typed wrong: a French sentence, nothing created.

Staff run `review` on a fresh install or with RELAIS_DB mistyped; reading must
never leave an empty database (or an encryption key) behind, and a wrong
folder is said in French before anything is printed or written.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import cli


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "donnees"  # never created by the tests themselves


def invoke(kb_dir: Path, data_dir: Path, *args: str):
    return CliRunner().invoke(cli, ["--knowledge", str(kb_dir), *args], env={"RELAIS_DB": str(data_dir / "relais.db")})


@pytest.mark.parametrize(
    "args",
    [["review"], ["review", "--since", "all", "--quartier", "europe"], ["stats"], ["purge"], ["rappels-demandes"]],
    ids=" ".join,
)
def test_reading_a_missing_database_says_so_and_creates_nothing(kb_dir, data_dir, args):
    result = invoke(kb_dir, data_dir, *args)
    assert result.exit_code == 0, result.output
    assert "Pas encore de données" in result.output and "RELAIS_DB" in result.output
    assert not data_dir.exists()
    assert "Traceback" not in result.output


@pytest.mark.parametrize("action", [["--dismiss", "abcdef1"], ["--teach", "abcdef1", "--to", "rsa"]])
def test_acting_on_a_missing_database_is_an_error_and_creates_nothing(kb_dir, data_dir, action):
    result = invoke(kb_dir, data_dir, "review", *action)
    assert result.exit_code == 1 and "Pas encore de données" in result.output
    assert not data_dir.exists()


def test_a_question_heard_face_to_face_starts_the_database(kb_dir, data_dir):
    data_dir.mkdir()
    result = invoke(kb_dir, data_dir, "review", "--add", "aide pour le permis", "--quartier", "europe")
    assert result.exit_code == 0 and (data_dir / "relais.db").exists()


@pytest.mark.parametrize("option", ["--csv", "--html"])
def test_a_report_into_a_missing_folder_is_refused_in_french_before_anything(kb_dir, data_dir, tmp_path, option):
    data_dir.mkdir()
    invoke(kb_dir, data_dir, "review", "--add", "aide pour le permis", "--quartier", "europe")
    target = tmp_path / "absent" / "dossier" / "rapport"
    result = invoke(kb_dir, data_dir, "review", option, str(target))
    assert result.exit_code == 1
    assert f"le dossier « {target.parent} » n'existe pas" in result.output
    assert "No such file" not in result.output and "Besoins sans réponse" not in result.output


@pytest.mark.parametrize("args", [["--since", "3x"], ["--quartier", "atlantide"]], ids=" ".join)
def test_a_wrong_period_or_quartier_is_said_even_without_a_database(kb_dir, data_dir, args):
    result = invoke(kb_dir, data_dir, "review", *args)
    assert result.exit_code == 2  # a usage error, as for every command
    assert ("3x" in result.output or "atlantide" in result.output) and "Pas encore de données" not in result.output
    assert not data_dir.exists()


@pytest.mark.parametrize("command", ["review", "stats"])
@pytest.mark.parametrize("period", ["100000d", "522w", "9" * 5000 + "d"], ids=["100000d", "522w", "5000-digits"])
def test_an_absurdly_long_period_is_refused_in_french_without_a_traceback(kb_dir, data_dir, command, period):
    result = invoke(kb_dir, data_dir, command, "--since", period)
    assert result.exit_code in (1, 2) and isinstance(result.exception, SystemExit)  # an error said, not a crash
    assert "trop longue" in result.output and "all" in result.output
    assert len(result.output) < 1000  # a 5,000-digit mistake is not printed back whole


@pytest.mark.parametrize("where", ["argument", "--knowledge"])
def test_validate_on_a_missing_folder_says_it_does_not_exist(tmp_path, where):
    missing = tmp_path / "nulle-part"
    args = ["validate", str(missing)] if where == "argument" else ["--knowledge", str(missing), "validate"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert f"le dossier « {missing} » n'existe pas" in result.output
    assert "Couverture" not in result.output and "0 droits" not in result.output


def test_french_reason_of_os_errors():
    from bot.french_os import french_reason

    assert french_reason(FileNotFoundError(2, "No such file or directory")) == "fichier ou dossier introuvable"
    assert french_reason(PermissionError(13, "Permission denied")) == "permission refusée"
    assert "code 9999" in french_reason(OSError(9999, "Weird"))
    assert "« | head »" in french_reason(BrokenPipeError(32, "Broken pipe"))  # the report piped into head


def test_an_unknown_quartier_for_call_back_requests_is_said_before_the_missing_data(kb_dir, data_dir):
    result = invoke(kb_dir, data_dir, "rappels-demandes", "-q", "atlantide")
    assert result.exit_code == 2 and "atlantide" in result.output and "Pas encore de données" not in result.output
    assert not data_dir.exists()


@pytest.mark.parametrize(
    "args",
    [["ask", "rsa"], ["chat"], ["export", "--json"], ["droits", "--profil", "-"], ["review"], ["rappels-demandes"]],
    ids=" ".join,
)
def test_a_missing_knowledge_folder_is_one_french_sentence_for_every_command(tmp_path, data_dir, args):
    data_dir.mkdir()
    (data_dir / "relais.db").touch()  # data exists: only the knowledge folder is wrong
    missing = tmp_path / "nulle-part"
    result = invoke(missing, data_dir, *args)
    assert result.exit_code == 1, result.output
    assert f"le dossier « {missing} » n'existe pas" in result.output
    assert f"{missing}:1:" not in result.output and "Traceback" not in result.output
