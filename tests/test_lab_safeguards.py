"""What a mediator's slip must never cost: a pasted page cut without a word, the whole history erased.

`review --add` (and /besoin, which shares `add_question`) refuses a question
longer than the store keeps, in French, storing nothing; `purge --older-than 0`
erases everything only once confirmed (--oui, or « oui » typed at a terminal).
Every question is made up.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

import bot.cli
from bot.cli import cli
from bot.laboratoire import ReviewError, add_question
from bot.storage.store import QUESTION_MAX_CHARS, Store
from tests.conftest import Clock

KEPT = "aide pour payer le permis de conduire"
HEARD = dt.datetime(2020, 1, 6, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "relais.db"


@pytest.fixture
def run(db_path: Path, kb_dir: Path):
    runner = CliRunner()

    def invoke(*args: str, answer: str | None = None):
        return runner.invoke(
            cli,
            ["--knowledge", str(kb_dir), *args],
            input=answer,
            env={"RELAIS_DB": str(db_path)},
            catch_exceptions=False,
        )

    return invoke


def stored(db_path: Path) -> list[str]:
    with Store(db_path) as store:
        return [q.question for q in store.unmet(None, include_reviewed=True)]


@pytest.fixture
def one_question(db_path: Path, shipped_quartiers) -> list[str]:
    """A question heard in 2020, before any day the command runs: what `purge --older-than 0` erases."""
    with Store(db_path, clock=Clock(HEARD), quartiers=shipped_quartiers) as store:
        add_question(store, KEPT, "europe")
    return stored(db_path)


@pytest.mark.parametrize("length", [QUESTION_MAX_CHARS + 1, 20_000])
def test_add_refuses_a_question_longer_than_the_store_keeps(run, db_path, one_question, length):
    pasted = ("mon voisin fait du bruit la nuit " * 700)[: length - 1] + "!"
    result = run("review", "--add", pasted, "--quartier", "europe")
    assert result.exit_code == 1
    assert "question trop longue" in result.output and f"{QUESTION_MAX_CHARS:,}".replace(",", " ") in result.output
    assert "Traceback" not in result.output and len(result.output) < 400  # the page is not printed back
    assert stored(db_path) == one_question == [KEPT]  # nothing written, nothing lost


def test_a_question_as_long_as_the_store_keeps_is_recorded_whole(tmp_path, shipped_quartiers):
    text = ("loyer " * 200)[:QUESTION_MAX_CHARS]
    with Store(tmp_path / "r.db", quartiers=shipped_quartiers) as store:
        add_question(store, text, "europe")
        assert [q.question for q in store.unmet()] == [text.strip()]
        with pytest.raises(ReviewError, match="trop longue"):
            add_question(store, text + "x", "europe")
        assert len(store.unmet()) == 1


def test_purge_of_everything_is_refused_without_confirmation(run, db_path, one_question):
    result = run("purge", "--older-than", "0")
    assert result.exit_code == 1 and "relancez avec --oui" in result.output and "rien n'a été effacé" in result.output
    assert stored(db_path) == one_question


@pytest.mark.parametrize("answer, erased", [("non\n", False), ("\n", False), ("oui\n", True), ("O\n", True)])
def test_purge_of_everything_asks_at_a_terminal(run, db_path, one_question, monkeypatch, answer, erased):
    monkeypatch.setattr(bot.cli, "_interactive", lambda: True)
    result = run("purge", "--older-than", "0", answer=answer)
    assert "Tout effacer" in result.output
    assert (result.exit_code == 0) is erased and (stored(db_path) == []) is erased
    if not erased:
        assert "Rien n'a été effacé" in result.output and stored(db_path) == one_question


def test_purge_with_oui_erases_without_asking(run, db_path, one_question):
    result = run("purge", "--older-than", "0", "--oui")
    assert result.exit_code == 0 and "Tout effacer" not in result.output and stored(db_path) == []


def test_an_ordinary_purge_asks_nothing(run, db_path, one_question):
    result = run("purge", "--older-than", "36500")  # a hundred years: the 2020 question stays
    assert result.exit_code == 0 and stored(db_path) == one_question
