"""RELAIS_DB pointing at something that is no database: one French sentence, exit 1, nothing touched.

A text file, a folder, random bytes: each command that opens the store names the
path and stops before SQLite is asked anything, so the file stays as it was.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import cli
from bot.storage.db_file import database_problem

COMMANDS = [
    ["review"],
    ["review", "--add", "aide pour le permis", "--quartier", "europe"],
    ["stats"],
    ["purge", "--older-than", "30"],
    ["rappels-demandes"],
]


def _not_a_database(tmp_path: Path, kind: str) -> Path:
    (tmp_path / "donnees").mkdir()
    path = tmp_path / "donnees" / "relais.db"
    if kind == "folder":
        path.mkdir()
        (path / "notes.txt").write_text("à garder\n", encoding="utf-8")
    elif kind == "text":
        path.write_text("liste des courses : pain, lait\n", encoding="utf-8")
    else:
        path.write_bytes(bytes(range(256)) * 8)
    return path


def _snapshot(path: Path) -> object:
    if path.is_dir():
        return sorted((p.name, p.read_bytes()) for p in path.iterdir())
    return path.read_bytes()


@pytest.mark.parametrize("kind", ["text", "folder", "bytes"])
@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_a_path_that_is_no_database_is_one_french_sentence(kb_dir, tmp_path, kind, args):
    path = _not_a_database(tmp_path, kind)
    before = _snapshot(path)
    result = CliRunner().invoke(cli, ["--knowledge", str(kb_dir), *args], env={"RELAIS_DB": str(path)})
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)  # said, not crashed
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert f"« {path} »" in lines[0] and "RELAIS_DB" in lines[0]
    assert _snapshot(path) == before
    assert [p.name for p in path.parent.iterdir()] == ["relais.db"]  # no -wal, -journal or key beside it


def test_the_bot_does_not_start_on_a_path_that_is_no_database(kb_dir, tmp_path):
    path = _not_a_database(tmp_path, "text")
    env = {"RELAIS_DB": str(path), "TELEGRAM_TOKEN": "123456:ABCDEF"}
    result = CliRunner().invoke(cli, ["--knowledge", str(kb_dir), "run"], env=env)
    assert result.exit_code == 1, result.output
    assert f"« {path} »" in result.output
    assert path.read_text(encoding="utf-8") == "liste des courses : pain, lait\n"


@pytest.mark.parametrize("content", [None, b"", b"SQLite format 3\x00" + bytes(84)])
def test_a_missing_empty_or_sqlite_file_is_accepted(tmp_path, content):
    path = tmp_path / "relais.db"
    if content is not None:
        path.write_bytes(content)
    assert database_problem(path) is None
