"""`stats` says which period its summary covers, and covers the one asked for.

Under `--since all` the weekly table covered every week while the summary
below it counted the last 7 days only, titled « des 7 derniers jours »: staff
read two periods as one, and old questions vanished from the totals.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import cli
from bot.config import K_ANONYMITY
from bot.storage.store import Store
from tests.conftest import MONDAY_MORNING

LONG_AGO = MONDAY_MORNING - dt.timedelta(days=400)


@pytest.fixture
def old_db(tmp_path: Path, shipped_quartiers) -> Path:
    """K answered questions in Bellevue, all recorded more than a year before the test's today."""
    path = tmp_path / "relais.db"
    with Store(path, clock=lambda: LONG_AGO, quartiers=shipped_quartiers) as store:
        for _ in range(K_ANONYMITY):
            store.record_answered("rsa", "bellevue", "telegram")
    return path


def stats(db_path: Path, kb_dir: Path, *args: str) -> str:
    result = CliRunner().invoke(
        cli, ["--knowledge", str(kb_dir), "stats", *args], env={"RELAIS_DB": str(db_path)}, catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    return result.output


def test_since_all_counts_the_whole_history_in_the_summary(old_db, kb_dir):
    output = stats(old_db, kb_dir, "--since", "all")
    assert "Questions depuis le début, par quartier :" in output
    assert f"- Bellevue : {K_ANONYMITY} avec réponse, 0 sans réponse" in output
    assert "derniers jours" not in output


@pytest.mark.parametrize(
    ("days", "title"), [(1, "du dernier jour"), (7, "des 7 derniers jours"), (None, "depuis le début")]
)
def test_the_summary_names_its_period(old_db, shipped_quartiers, days, title):
    with Store(old_db, clock=lambda: MONDAY_MORNING, quartiers=shipped_quartiers) as store:
        text = store.stats_text(days)
    assert text.startswith(f"Questions {title}, par quartier :")
    # The old answers are outside any short period, inside "since the beginning".
    assert (f"{K_ANONYMITY} avec réponse" in text) == (days is None)
