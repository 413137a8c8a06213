"""`--quartier` takes the quartier as staff read it ("Quatre Moulins", "Lambézellec", "Lambé"), not only its id."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from bot.cli import cli
from bot.knowledge.model import QuartierNames, as_quartier_id
from bot.laboratoire.report import ReviewError, check_quartier

NAMES = QuartierNames({"bellevue": "Bellevue", "quatre-moulins": "Quatre Moulins", "lambezellec": "Lambézellec"})


@pytest.mark.parametrize(
    ("typed", "quartier"),
    [
        ("quatre-moulins", "quatre-moulins"),
        ("Quatre Moulins", "quatre-moulins"),
        ("QUATRE_MOULINS", "quatre-moulins"),
        (" Lambézellec ", "lambezellec"),
        ("lambezellec", "lambezellec"),
        ("Bellevue", "bellevue"),
    ],
)
def test_ids_and_names_are_both_understood(typed, quartier):
    assert NAMES.resolve(typed) == quartier
    assert check_quartier(typed, NAMES) == quartier


@pytest.mark.parametrize("typed", ["belevue", "brest", "", "quatre"])
def test_an_unknown_quartier_is_still_refused_in_french(typed):
    assert NAMES.resolve(typed) is None
    with pytest.raises(ReviewError, match="inconnu"):
        check_quartier(typed, NAMES)


def test_ids_are_spelt_like_the_files():
    assert as_quartier_id("Saint-Pierre") == "saint-pierre" and as_quartier_id("saint pierre") == "saint-pierre"


@pytest.mark.parametrize("typed", ["Bellevue", "bellevue"])
def test_ask_takes_the_quartier_name(kb_dir, typed):
    result = CliRunner().invoke(cli, ["--knowledge", str(kb_dir), "ask", "mutuelle gratuite", "--quartier", typed])
    assert result.exit_code == 0, result.output
    assert "Pour être aidé près de chez vous (Bellevue)" in result.output


def test_ask_refuses_an_unknown_quartier(kb_dir):
    result = CliRunner().invoke(cli, ["--knowledge", str(kb_dir), "ask", "mutuelle", "--quartier", "Belevue"])
    assert result.exit_code == 2 and "quartier inconnu « Belevue »" in result.output
