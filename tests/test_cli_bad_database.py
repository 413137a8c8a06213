"""RELAIS_DB pointing at something that is no database: one French sentence, exit 1, nothing touched.

A text file, a folder, random bytes, SQLite's header with garbage after it: each
command that opens the store names the path and stops before the store opens it,
so the file stays as it was.
"""

from __future__ import annotations

import sqlite3
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
    elif kind in ("corrupt", "corrupt-wal"):
        real = _real_database(tmp_path / "real.db", wal=kind == "corrupt-wal")
        path.write_bytes(real[:100] + bytes(range(256)) * 16)  # a valid header, then garbage
    else:
        path.write_bytes(bytes(range(256)) * 8)
    return path


def _real_database(path: Path, *, wal: bool) -> bytes:
    """The bytes of a small real SQLite database (in WAL mode or not); the file is removed."""
    connection = sqlite3.connect(path)
    if wal:
        connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("CREATE TABLE notes (texte TEXT)")
    connection.executemany("INSERT INTO notes VALUES (?)", [("ligne",)] * 500)
    connection.commit()
    connection.close()
    data = path.read_bytes()
    path.unlink()
    return data


def _snapshot(path: Path) -> object:
    if path.is_dir():
        return sorted((p.name, p.read_bytes()) for p in path.iterdir())
    return path.read_bytes()


@pytest.mark.parametrize("kind", ["text", "folder", "bytes", "corrupt", "corrupt-wal"])
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


@pytest.mark.parametrize("content", [None, b"", "sqlite", "sqlite-wal"])
def test_a_missing_empty_or_sqlite_file_is_accepted(tmp_path, content):
    path = tmp_path / "relais.db"
    if isinstance(content, str):
        path.write_bytes(_real_database(tmp_path / "real.db", wal=content == "sqlite-wal"))
    elif content is not None:
        path.write_bytes(content)
    assert database_problem(path) is None
    assert [p.name for p in tmp_path.iterdir()] == ([] if content is None else ["relais.db"])  # nothing written


def test_a_header_alone_is_no_database(tmp_path):
    """SQLite's 16 bytes then zeros: SQLite itself says « file is not a database »."""
    path = tmp_path / "relais.db"
    path.write_bytes(b"SQLite format 3\x00" + bytes(84))
    assert database_problem(path) is not None


@pytest.mark.parametrize("wal", [False, True])
def test_a_corrupt_file_says_it_is_damaged(tmp_path, wal):
    path = _not_a_database(tmp_path, "corrupt-wal" if wal else "corrupt")
    problem = database_problem(path)
    assert problem is not None and "abîmé" in problem and "sauvegarde" in problem


@pytest.mark.parametrize("wal", [False, True])
def test_a_healthy_database_in_use_is_accepted(tmp_path, wal):
    """The check must not refuse the bot's own database while the bot holds it open (its -wal beside it)."""
    path = tmp_path / "relais.db"
    path.write_bytes(_real_database(tmp_path / "real.db", wal=wal))
    writer = sqlite3.connect(path)
    try:
        writer.execute("INSERT INTO notes VALUES ('encore')")
        writer.commit()
        assert database_problem(path) is None
    finally:
        writer.close()
