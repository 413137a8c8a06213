"""The statistics never show a count small enough to point at one resident (`python -m bot stats`).

Made-up activity only. The review writes « moins de 3 » for a week counted
fewer than K_ANONYMITY times; the statistics show the same kind of counts
(per quartier, per topic and week) and follow the same rule, in the whole
city's view and in one quartier's.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import cli
from bot.config import K_ANONYMITY
from bot.laboratoire import format_topics
from bot.storage.anonymity import shown_count, shown_total
from bot.storage.store import Store, TopicCount

MASKED = f"moins de {K_ANONYMITY}"


@pytest.mark.parametrize(
    "count, k, shown",
    [(0, 3, "0"), (1, 3, "moins de 3"), (2, 3, "moins de 3"), (3, 3, "3"), (40, 3, "40"), (4, 5, "moins de 5")],
)
def test_a_count_under_k_is_shown_as_less_than_k(count, k, shown):
    assert shown_count(count, k) == shown


@pytest.mark.parametrize(
    "counts, k, shown",
    [
        ([3, 5, 0], 3, "8"),  # nothing masked: exact
        ([3, 1], 3, "au moins 4"),  # exact 4 minus the shown 3 would give the masked 1
        ([10, 2, 1], 3, "au moins 12"),  # two masked lines: only what a reader can already add up
        ([1, 1], 3, "moins de 3"),  # a total under k is masked like any count
        ([2, 2], 3, "au moins 2"),  # every line masked: « moins de 3 » each, at least 1 each
        ([5], 3, "5"),
        ([4, 6], 5, "au moins 7"),
        ([], 3, "0"),
    ],
)
def test_a_total_never_gives_a_masked_line_back(counts, k, shown):
    assert shown_total(counts, k) == shown


@pytest.fixture
def db_path(tmp_path: Path, shipped_quartiers) -> Path:
    """Bellevue: rsa answered K times, one unanswered question; Europe: css answered once."""
    path = tmp_path / "relais.db"
    with Store(path, quartiers=shipped_quartiers) as store:
        for _ in range(K_ANONYMITY):
            store.record_answered("rsa", "bellevue", "telegram")
        store.record_answered("css", "europe", "telegram")
        store.record_unanswered("aide pour le permis", "aide pour le permis", "bellevue", "telegram", None, 0)
    return path


@pytest.fixture
def stats(db_path: Path, kb_dir: Path):
    def invoke(*args: str) -> str:
        result = CliRunner().invoke(
            cli, ["--knowledge", str(kb_dir), "stats", *args], env={"RELAIS_DB": str(db_path)}, catch_exceptions=False
        )
        assert result.exit_code == 0, result.output
        return result.output

    return invoke


def test_the_whole_city_masks_rare_counts_and_keeps_the_others(stats):
    output = stats("--since", "7d")
    assert re.search(rf"\d{{4}}-W\d{{2}}\s+Bellevue\s+rsa\s+{K_ANONYMITY}\b", output)
    assert re.search(rf"\d{{4}}-W\d{{2}}\s+Europe\s+css\s+{MASKED}", output)
    assert f"- Bellevue : {K_ANONYMITY} avec réponse, {MASKED} sans réponse" in output
    assert f"- Europe : {MASKED} avec réponse, 0 sans réponse" in output
    # An exact total (K + 1) would give Europe's masked 1 back by subtraction.
    assert f"Total : au moins {K_ANONYMITY + 1} avec réponse, {MASKED} sans réponse." in output
    assert not re.search(r"\b[12] (avec|sans) réponse", output)
    assert f"Total : {K_ANONYMITY + 1} " not in output


def test_one_quartier_masks_its_rare_counts_too(stats):
    output = stats("--since", "7d", "--quartier", "europe")
    assert re.search(rf"Europe\s+css\s+{MASKED}", output)
    assert f"- Europe : {MASKED} avec réponse, 0 sans réponse" in output
    assert f"Total : {MASKED} avec réponse, 0 sans réponse." in output
    assert "Bellevue" not in output


def test_the_threshold_is_the_one_given(shipped_quartiers):
    rows = [TopicCount("2026-W45", "europe", "css", 4)]
    assert "moins de 5" in format_topics(rows, shipped_quartiers, k=5)
    assert re.search(r"css\s+4$", format_topics(rows, shipped_quartiers, k=3))
