"""`review`'s report files are refused before anything is printed when they cannot be right.

The same name for --csv and --html left one HTML file where the CSV was asked
for; an empty name printed the whole report before « impossible d'écrire . »;
--csv beside --teach, --dismiss or --add was silently not written; two actions
were answered « --teach et --to vont ensemble ».
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import cli


@pytest.fixture
def review(tmp_path: Path, kb_dir: Path):
    """`review …` on a database holding one question heard face to face."""
    db_path = tmp_path / "relais.db"

    def invoke(*args: str):
        return CliRunner().invoke(
            cli, ["--knowledge", str(kb_dir), "review", *args], env={"RELAIS_DB": str(db_path)}, catch_exceptions=False
        )

    assert invoke("--add", "ou acheter un velo pas cher", "--quartier", "europe").exit_code == 0
    return invoke


def test_the_same_file_for_csv_and_html_is_refused(review, tmp_path):
    same = tmp_path / "rapport.csv"
    result = review("--csv", str(same), "--html", str(same))
    assert result.exit_code == 2, result.output  # the command line is wrong: a usage error
    assert "même fichier" in result.output
    assert not same.exists()
    assert "Besoins sans réponse" not in result.output  # refused before the report is printed


@pytest.mark.parametrize("option", ["--csv", "--html"])
def test_an_empty_file_name_is_refused_before_the_report(review, option):
    result = review(option, "")
    assert result.exit_code == 1, result.output
    assert "donnez un nom de fichier" in result.output
    assert "Besoins sans réponse" not in result.output


@pytest.mark.parametrize(
    "action",
    [["--add", "cours de guitare"], ["--dismiss", "abcdef0"], ["--teach", "abcdef0", "--to", "caf"]],
    ids=["add", "dismiss", "teach"],
)
@pytest.mark.parametrize("option", ["--csv", "--html"])
def test_a_report_file_beside_an_action_is_refused(review, tmp_path, action, option):
    target = tmp_path / "rapport.out"
    result = review(*action, option, str(target))
    assert result.exit_code == 2, result.output
    assert "ne vont pas avec" in result.output
    assert not target.exists()


def test_two_actions_at_once_are_named_as_such(review):
    result = review("--teach", "abcdef0", "--dismiss", "abcdef0")
    assert result.exit_code == 2
    assert "une seule action à la fois" in result.output


def test_two_different_files_are_both_written(review, tmp_path):
    result = review("--since", "all", "--csv", str(tmp_path / "r.csv"), "--html", str(tmp_path / "r.html"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "r.csv").stat().st_size > 0 and (tmp_path / "r.html").stat().st_size > 0
