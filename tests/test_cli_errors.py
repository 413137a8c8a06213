"""click's refusals of a value, read by staff in French (never "x>=0" algebra)."""

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from bot.cli_errors import french_error, french_value_message


@pytest.mark.parametrize(
    "value_range, value, french",
    [
        (click.IntRange(min=0), "-1", "-1 ne convient pas : il faut au moins 0"),
        (click.IntRange(0, 100), "101", "101 ne convient pas : il faut un nombre entre 0 et 100"),
        (click.IntRange(max=5), "7", "7 ne convient pas : il faut au plus 5"),
        (click.IntRange(min=0, min_open=True), "0", "0 ne convient pas : il faut plus de 0"),
        (click.IntRange(1, 10, max_open=True), "10", "10 ne convient pas : il faut au moins 1 et moins de 10"),
    ],
)
def test_a_value_out_of_range_says_what_is_allowed(value_range, value, french):
    with pytest.raises(click.BadParameter) as refused:
        value_range.convert(value, None, None)
    assert french_value_message(refused.value.message) == french


def test_purge_with_a_negative_age_explains_the_range_in_words():
    @click.command()
    @click.option("--older-than", type=click.IntRange(min=0))
    def purge(older_than: int) -> None:
        """Stand-in with the same option type as `purge`."""

    result = CliRunner().invoke(purge, ["--older-than", "-1"], standalone_mode=False, catch_exceptions=True)
    assert isinstance(result.exception, click.BadParameter)
    message = french_error(result.exception)
    assert message == "valeur refusée pour --older-than : -1 ne convient pas : il faut au moins 0"
    assert "x>=" not in message and "entre x" not in message


def test_french_messages_pass_unchanged():
    assert french_value_message("la période doit durer au moins un jour") == "la période doit durer au moins un jour"


@pytest.mark.parametrize(
    "path_type, value, french",
    [
        (click.Path(file_okay=False), "README.md", "« README.md » est un fichier : donnez un dossier"),
        (click.Path(dir_okay=False), "knowledge", "« knowledge » est un dossier : donnez un fichier"),
    ],
)
def test_a_file_given_for_a_folder_says_which_is_which(path_type, value, french):
    root = Path(__file__).resolve().parent.parent
    with pytest.raises(click.BadParameter) as refused:
        path_type.convert(str(root / value), None, None)
    assert french in french_value_message(refused.value.message.replace(str(root) + "/", ""))


def test_no_command_shows_the_help_not_an_error(monkeypatch, capsys):
    from bot.cli import main

    monkeypatch.setattr("sys.argv", ["relais-droits"])
    with pytest.raises(SystemExit) as stopped:
        main()
    printed = capsys.readouterr().err
    assert stopped.value.code == 2
    assert "Commandes:" in printed and "validate" in printed
    assert "Erreur" not in printed and printed.count("Utilisation :") == 1


def test_a_refused_argument_is_named_in_french_as_in_the_usage_line(tmp_path):
    from bot.cli import cli

    a_file = tmp_path / "fiche.yaml"
    a_file.write_text("id: x\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(a_file)], standalone_mode=False, catch_exceptions=True)
    assert isinstance(result.exception, click.BadParameter)
    message = french_error(result.exception)
    assert message.startswith("valeur refusée pour [DOSSIER] :") and "DIRECTORY" not in message


@pytest.mark.parametrize(
    "args",
    [["export", "--json", "--knowledge", "knowledge"], ["validate", "--knowledge=knowledge"]],
    ids=["after-export", "after-validate"],
)
def test_a_general_option_after_the_command_says_where_it_goes(args):
    from bot.cli import cli

    result = CliRunner().invoke(cli, args, standalone_mode=False, catch_exceptions=True)
    assert isinstance(result.exception, click.exceptions.NoSuchOption)
    message = french_error(result.exception)
    assert message.startswith("option inconnue « --knowledge » après")
    assert "avant la commande" in message and f"--knowledge … {args[0]}" in message


def test_an_unknown_option_of_no_one_gets_no_such_hint():
    from bot.cli import cli

    result = CliRunner().invoke(cli, ["export", "--jsno"], standalone_mode=False, catch_exceptions=True)
    assert isinstance(result.exception, click.exceptions.NoSuchOption)
    assert "avant la commande" not in french_error(result.exception)
