"""A database file staff cannot use is explained in French, with what to check (never SQLite's English)."""

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import cli
from bot.storage.writer import safe_error


def garbage(path: Path) -> None:
    path.write_text("ceci n'est pas une base\n", encoding="utf-8")


def a_folder(path: Path) -> None:
    path.mkdir()


@pytest.mark.parametrize(
    "make, french",
    [
        (garbage, "ce fichier n'est pas une base de données SQLite ; rien n'a été modifié"),
        (a_folder, "c'est un dossier, pas un fichier"),
    ],
    ids=["pas une base", "un dossier"],
)
@pytest.mark.parametrize("command", [["review"], ["stats"], ["rappels-demandes"]])
def test_an_unusable_database_is_explained_in_french(kb_dir, tmp_path, monkeypatch, make, french, command):
    db = tmp_path / "relais.db"
    make(db)
    monkeypatch.setenv("RELAIS_DB", str(db))
    result = CliRunner().invoke(cli, ["--knowledge", str(kb_dir), *command])
    assert result.exit_code == 1
    assert french in result.output, result.output
    assert "file is not a database" not in result.output and "unable to open" not in result.output
    assert "Traceback" not in result.output


def test_other_sqlite_errors_stay_redacted(tmp_path):
    error = sqlite3.OperationalError("no such table: unanswered, question 06 12 34 56 78")
    assert safe_error(error) == "no such table: unanswered, question [téléphone]"
