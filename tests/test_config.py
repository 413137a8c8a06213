"""Settings from the environment: RELAIS_MEDIATEURS parsing and its check against the quartiers."""

from __future__ import annotations

import logging

import pytest

from bot.config import check_mediators, load_settings, mediators_of, parse_mediators

QUARTIERS = ("bellevue", "lambezellec", "quatre-moulins", "europe", "saint-pierre")


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("111:bellevue,222:europe", {111: "bellevue", 222: "europe"}),
        (" 111 : Bellevue , 222:EUROPE ", {111: "bellevue", 222: "europe"}),
        ("333:Quatre Moulins", {333: "quatre-moulins"}),
        ("444:lambézellec", {444: "lambezellec"}),
        ("", {}),
        (",,", {}),
    ],
)
def test_mediators_are_parsed_forgivingly(raw, expected):
    assert parse_mediators(raw) == expected


@pytest.mark.parametrize("bad", ["555", "abc:bellevue", "555:", ":europe", "555:bellevue:europe", "5 55:europe"])
def test_bad_parts_are_ignored_with_a_warning_that_hides_the_id(bad, caplog):
    with caplog.at_level(logging.WARNING, logger="bot.config"):
        parsed = parse_mediators(f"777:europe,{bad}")
    assert parsed == {777: "europe"}
    assert "partie 2 ignorée" in caplog.text
    assert "777" not in caplog.text and "555" not in caplog.text


def test_a_mediator_keeps_the_first_of_two_quartiers(caplog):
    with caplog.at_level(logging.WARNING, logger="bot.config"):
        assert parse_mediators("111:bellevue,111:europe,111:bellevue") == {111: "bellevue"}
    assert "partie 2 ignorée" in caplog.text


def test_unknown_quartiers_are_dropped_with_a_french_warning(caplog):
    with caplog.at_level(logging.WARNING, logger="bot.config"):
        kept = check_mediators({111: "bellevue", 222: "belevue", 333: "europe"}, QUARTIERS)
    assert kept == {111: "bellevue", 333: "europe"}
    assert "quartier « belevue » inconnu" in caplog.text and "222" not in caplog.text


def test_mediators_of_a_quartier():
    mediators = {30: "europe", 10: "europe", 20: "bellevue"}
    assert mediators_of(mediators, "europe") == [10, 30]
    assert mediators_of(mediators, "saint-pierre") == []


def test_settings_read_relais_mediateurs():
    settings = load_settings({"RELAIS_MEDIATEURS": "111:bellevue,oops,222:europe"})
    assert dict(settings.mediators) == {111: "bellevue", 222: "europe"}
    assert dict(load_settings({}).mediators) == {}
    assert "111" not in repr(settings)


def test_every_module_uses_the_one_local_timezone(tmp_path):
    """Opening hours, reminders, consented data and the store agree on what "today" is in Brest."""
    from bot import config
    from bot.conversation import hours
    from bot.reminders import calendar
    from bot.storage import consented
    from bot.storage.store import Store

    assert hours.PARIS is calendar.PARIS is consented.PARIS is config.PARIS is config.zone(config.TIMEZONE)
    assert str(config.PARIS) == config.TIMEZONE
    with Store(tmp_path / "relais.db") as store:
        assert store._tz is config.PARIS
