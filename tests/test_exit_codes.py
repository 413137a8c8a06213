"""One rule for exit codes, every command: 2 the command line is wrong, 1 the work failed, 0 done.

Scripts and cron jobs of the mediation staff tell a typo (fix the command)
from a failure (look at the data) by the code alone.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import cli

USAGE = 2
FAILED = 1

USAGE_ERRORS = [
    ["--inconnue"],
    ["commande-inconnue"],
    ["ask", "--inconnue", "rsa"],
    ["ask"],
    ["ask", "rsa", "--quartier", "atlantide"],
    ["chat", "--quartier", "atlantide"],
    ["validate", "--inconnue"],
    ["export"],
    ["droits"],
    ["review", "--since", "3x"],
    ["review", "--quartier", "atlantide"],
    ["review", "--teach", "abcdef1"],
    ["stats", "--since", "3x"],
    ["stats", "--quartier", "atlantide"],
    ["purge", "--older-than", "abc"],
    ["rappels-demandes", "-q", "atlantide"],
    ["run", "--port", "abc"],
    ["run", "--listen", "0.0.0.0"],
]


def _invoke(kb_dir: Path, tmp_path: Path, args: list[str]):
    env = {"RELAIS_DB": str(tmp_path / "donnees" / "relais.db"), "TELEGRAM_TOKEN": ""}
    return CliRunner().invoke(cli, ["--knowledge", str(kb_dir), *args], env=env, input="")


@pytest.mark.parametrize("args", USAGE_ERRORS, ids=" ".join)
def test_a_wrong_command_line_exits_2(kb_dir, tmp_path, args):
    result = _invoke(kb_dir, tmp_path, args)
    assert result.exit_code == USAGE, result.output
    assert isinstance(result.exception, SystemExit)  # said, not crashed


def _broken_base(kb_dir: Path) -> Path:
    (kb_dir / "droits" / "casse.yaml").write_text("id: [pas fermé\n", encoding="utf-8")
    return kb_dir


@pytest.mark.parametrize(
    "make_args",
    [
        lambda kb, tmp: ["validate", str(_broken_base(kb))],
        lambda kb, tmp: ["validate", str(tmp / "nulle-part")],
        lambda kb, tmp: ["droits", "--profil", str(tmp / "absent.yaml")],
        lambda kb, tmp: ["review", "--dismiss", "abcdef1"],  # no database yet: nothing to act on
    ],
    ids=["validate-invalid", "validate-missing", "droits-missing-file", "review-no-data"],
)
def test_work_that_fails_exits_1(kb_dir, tmp_path, make_args):
    result = _invoke(kb_dir, tmp_path, make_args(kb_dir, tmp_path))
    assert result.exit_code == FAILED, result.output
    assert isinstance(result.exception, SystemExit)


@pytest.mark.parametrize("args", [["validate"], ["export", "--json"], ["stats"], ["review"]], ids=" ".join)
def test_work_done_exits_0(kb_dir, tmp_path, args):
    result = _invoke(kb_dir, tmp_path, args)
    assert result.exit_code == 0, result.output
