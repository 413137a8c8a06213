"""`--help` speaks French on every command: mediators read it before anything else."""

import pytest
from click.testing import CliRunner

from bot.cli import cli

ENGLISH = ("Usage:", "Show this message and exit.", "Commands:")


@pytest.mark.parametrize(
    "command", [[], *[[name] for name in sorted(cli.commands)]], ids=lambda c: c[0] if c else "bot"
)
def test_help_is_in_french(command):
    result = CliRunner().invoke(cli, [*command, "--help"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Utilisation : ")
    assert "Afficher cette aide et quitter." in result.output
    assert not any(word in result.output for word in ENGLISH)


def test_the_list_of_commands_has_a_french_heading():
    assert "Commandes:" in CliRunner().invoke(cli, ["--help"]).output
