"""`--help` speaks French on every command: mediators read it before anything else."""

import pytest
from click.testing import CliRunner

from bot.cli import cli

ENGLISH = ("Usage:", "Show this message and exit.", "Commands:")
# Click's English names for values and its brackets: a mediator reads « --since TEXT [default: 30d] » otherwise.
ENGLISH_WORDS = ("TEXT", "INTEGER", "DIRECTORY", "FILE", "PATH", "COMMAND", "ARGS", "default:", "required")


@pytest.mark.parametrize(
    "command", [[], *[[name] for name in sorted(cli.commands)]], ids=lambda c: c[0] if c else "bot"
)
def test_help_is_in_french(command):
    result = CliRunner().invoke(cli, [*command, "--help"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Utilisation : ")
    assert "Afficher cette aide et quitter." in result.output
    assert not any(word in result.output for word in ENGLISH)
    words = set(result.output.replace("[", " ").replace("]", " ").replace(".", " ").split())
    assert not words & set(ENGLISH_WORDS), words & set(ENGLISH_WORDS)


def test_the_list_of_commands_has_a_french_heading():
    assert "Commandes:" in CliRunner().invoke(cli, ["--help"]).output


def test_value_names_and_brackets_are_french():
    review = CliRunner().invoke(cli, ["review", "--help"]).output
    assert "--since TEXTE" in review and "[défaut : 30d]" in review and "--csv FICHIER" in review
    assert "[obligatoire]" in CliRunner().invoke(cli, ["droits", "--help"]).output
    assert "COMMANDE [ARGUMENTS]..." in CliRunner().invoke(cli, ["--help"]).output


def test_a_usage_error_shows_the_french_usage_line():
    result = CliRunner().invoke(cli, ["inconnue"])
    assert result.exit_code == 2
    assert "COMMANDE [ARGUMENTS]" in result.output and "COMMAND " not in result.output
