"""What `validate` tells a mediator beyond errors: old facts, thin quartiers, coverage per quartier."""

import datetime as dt
import json

import pytest

from bot.knowledge import load_knowledge
from bot.knowledge.checks import coverage_summary, freshness_summary, stale_facts, thin_quartiers
from tests.test_cli import run_bot


def test_a_fact_checked_more_than_a_year_ago_is_a_warning_on_its_date_line(kb_dir):
    kb = load_knowledge(kb_dir).kb
    warnings = stale_facts(kb, dt.date(2026, 12, 1), max_age_days=365)
    assert warnings and not any(w.error for w in warnings)
    place = next(w for w in warnings if w.path.name == "centre-bellevue.yaml")
    text = (kb_dir / "lieux" / "centre-bellevue.yaml").read_text(encoding="utf-8").splitlines()
    assert text[place.line - 1].startswith("verifie_le")
    assert "01/01/2025" in place.message and "23 mois" in place.message


def test_a_recent_fact_is_not_a_warning(kb_dir):
    kb = load_knowledge(kb_dir).kb
    assert stale_facts(kb, dt.date(2025, 6, 1), max_age_days=365) == []


def test_a_quartier_with_fewer_than_two_places_with_contact_is_a_warning(kb_dir):
    kb = load_knowledge(kb_dir).kb
    warnings = {w.path.name: w for w in thin_quartiers(kb)}
    # Europe has one place with a checked phone, and nothing else.
    assert "1 lieu(x) seulement avec un téléphone ou une adresse" in warnings["europe.yaml"].message
    assert not warnings["europe.yaml"].error


def test_a_quartier_with_fewer_than_two_reachable_places_is_a_warning(kb_dir):
    kb = load_knowledge(kb_dir).kb
    # Bellevue: two places with a checked address, but the mairie has no phone: one reachable.
    warning = next(w for w in thin_quartiers(kb) if w.path.name == "bellevue.yaml")
    assert "1 lieu(x) seulement avec un téléphone ET une adresse" in warning.message and not warning.error


def test_a_second_reachable_place_silences_the_reachability_warning(kb_dir):
    mairie = kb_dir / "lieux" / "mairie-bellevue.yaml"
    text = mairie.read_text(encoding="utf-8").replace("horaires:", "telephone: 02 00 00 00 02\nhoraires:", 1)
    mairie.write_text(text, encoding="utf-8")
    names = [w.path.name for w in thin_quartiers(load_knowledge(kb_dir).kb)]
    assert names == ["europe.yaml"]


@pytest.mark.parametrize("quartier_to_verify", [False, True], ids=["quartier-sourced", "quartier-to-confirm"])
def test_a_place_whose_quartier_is_to_confirm_does_not_count_for_it(kb_dir, quartier_to_verify):
    """A reachable desk maybe in another quartier does not make this one well served."""
    mairie = kb_dir / "lieux" / "mairie-bellevue.yaml"
    text = mairie.read_text(encoding="utf-8").replace("horaires:", "telephone: 02 00 00 00 02\nhoraires:", 1)
    if quartier_to_verify:
        text = text.replace("a_verifier: [horaires,", "a_verifier: [quartier, horaires,")
    mairie.write_text(text, encoding="utf-8")
    kb = load_knowledge(kb_dir).kb
    assert kb.places["mairie-bellevue"].reachable
    assert ("bellevue.yaml" in [w.path.name for w in thin_quartiers(kb)]) is quartier_to_verify


def test_a_phone_still_to_verify_does_not_make_a_place_reachable(kb_dir):
    mairie = kb_dir / "lieux" / "mairie-bellevue.yaml"
    text = mairie.read_text(encoding="utf-8").replace("horaires:", "telephone: 02 00 00 00 02\nhoraires:", 1)
    mairie.write_text(text.replace("a_verifier: [horaires,", "a_verifier: [telephone, horaires,"), encoding="utf-8")
    assert "bellevue.yaml" in [w.path.name for w in thin_quartiers(load_knowledge(kb_dir).kb)]


def test_coverage_summary_counts_checked_facts_per_quartier(kb_dir):
    summary = coverage_summary(load_knowledge(kb_dir).kb)
    assert "Bellevue 2/1/1 sur 2" in summary  # mairie hours are "à vérifier": not counted
    assert "Europe 0/1/0 sur 1" in summary
    assert "toute la ville 1/0/0 sur 1" in summary
    assert "\n" not in summary


@pytest.mark.parametrize(
    ("today", "bellevue", "lines"),
    [(dt.date(2025, 6, 1), "Bellevue 2 sur 2", "2 sur 2"), (dt.date(2026, 12, 1), "Bellevue 0 sur 2", "0 sur 2")],
    ids=["five-months-after", "23-months-after"],
)
def test_freshness_summary_counts_places_and_lines_checked_within_the_limit(kb_dir, today, bellevue, lines):
    summary = freshness_summary(load_knowledge(kb_dir).kb, today, max_age_days=365)
    assert summary.startswith("Lieux vérifiés depuis moins de 12 mois : ")
    assert bellevue in summary and summary.endswith(f"numéros nationaux : {lines}")
    assert "\n" not in summary


@pytest.mark.slow  # `python -m bot` in a subprocess
def test_validate_prints_warnings_and_coverage_but_does_not_fail(kb_dir):
    result = run_bot("validate", str(kb_dir))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "attention : vérifié le" in result.stdout
    assert "Couverture des lieux" in result.stdout and "Lieux vérifiés depuis moins de 12 mois" in result.stdout
    assert result.stdout.strip().splitlines()[-1].startswith("OK")


@pytest.mark.slow  # `python -m bot` in a subprocess
def test_export_keeps_its_keys_and_adds_the_phone_lines(kb_dir):
    document = json.loads(run_bot("export", "--json", kb=kb_dir).stdout)
    assert {"entries", "places", "quartiers", "offtopic"} <= set(document)
    assert {line["id"] for line in document["lines"]} == {"assurance-maladie", "renseignements"}
    assert document["lines"][0]["opening_hours"] == "Mo-Fr 08:30-17:00"


def test_a_fact_a_few_days_past_one_year_is_told_in_words_that_agree(kb_dir):
    kb = load_knowledge(kb_dir).kb
    # centre-bellevue.yaml was checked on 01/01/2025: on 05/01/2026 that is 12 calendar months.
    warnings = stale_facts(kb, dt.date(2026, 1, 5), max_age_days=365)
    place = next(w for w in warnings if w.path.name == "centre-bellevue.yaml")
    assert "un peu plus d'un an" in place.message
    assert "12 mois (plus de 12 mois)" not in place.message
