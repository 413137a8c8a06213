"""Danger decisions the model alone got wrong: a high fever now is the 15's, a word alone says too little."""

from __future__ import annotations

import pytest

from bot.cli import ask_record
from bot.understanding import danger as danger_module
from bot.understanding.danger import DangerDetector
from bot.understanding.high_fever import may_tell_fever, tells_high_fever
from bot.understanding.model_cache import ModelCache
from bot.understanding.normalize import fold

HIGH_FEVERS = [
    "mon fils est malade il a 40 de fièvre",
    "ma petite a 39,7 depuis cet après-midi",
    "bb de 5 semaines, 38,4 de température",
    "mon nourrisson est chaud, il a de la fièvre",
    "mon garçon de 3 ans a une très forte fièvre",
    "my daughter has a very high fever",
    "j'ai 40,5 de fièvre et je suis seule",
    "ma grand-mère a 41 de fièvre",
    "ma fille de 2 ans a 40°C",
]
NOT_HIGH_FEVERS = [
    "ma fille a 38 de fièvre, elle joue, quel médecin demain ?",
    "mon bébé a de la fièvre depuis 2 jours, il mange bien",  # 2 days of fever is no baby of 2 days
    "il avait 40 de fièvre hier mais ça va mieux",
    "la fièvre est tombée, elle avait 39,8",
    "à partir de combien de fièvre faut-il consulter ?",
    "mon fils de 40 ans a un rhume",
    "ma fille de 4 ans a 39 de fièvre",  # below 39.5 for a child past three months: not the 15 by itself
    "le bus 40 passe à 38",
]


@pytest.mark.parametrize("message", HIGH_FEVERS)
def test_a_high_fever_now_or_a_young_babys_fever_is_told(message):
    assert tells_high_fever(fold(message))


@pytest.mark.parametrize("message", [*HIGH_FEVERS, "FIÊVRE 40 CHEZ MON BÉBÉ", "ma fille 39,6 dégrés"])
def test_the_quick_first_look_never_skips_a_fever_the_full_reading_finds(message):
    """The detector folds and reads a text for a fever only when the raw text may tell one: never skip one."""
    assert tells_high_fever(fold(message)) and may_tell_fever(message)


@pytest.mark.parametrize("message", ["mon mari me frappe", "je dors dehors ce soir", "aide au logement"])
def test_the_quick_first_look_skips_a_text_with_no_fever_word_and_no_figure(message):
    assert not may_tell_fever(message)


@pytest.mark.parametrize("message", NOT_HIGH_FEVERS)
def test_a_mild_past_or_asked_about_fever_is_not(message):
    assert not tells_high_fever(fold(message))


@pytest.mark.parametrize("message", ["mon fils est malade il a 40 de fièvre", "bb de 5 semaines, 38,4 de température"])
def test_on_the_shipped_base_a_high_fever_gets_the_medical_numbers_and_no_right(shipped_engine, message):
    record = ask_record(shipped_engine, message)
    assert record["urgence"] == "medical"
    assert record["id"] is None and record["suggestions"] == []  # not the AME: the call comes first


def test_a_high_fever_told_as_long_over_does_not_alert_alone():
    detector = DangerDetector({"medical": ["il ne respire plus", "elle a perdu connaissance"]}, ["bonjour"], {})
    assert "medical" in detector.read("ma fille a 40 de fièvre").expression_kinds
    assert "medical" not in detector.read("Il y a dix ans ma fille a eu 40 de fièvre.").expression_kinds


@pytest.fixture(scope="module")
def tiny() -> DangerDetector:
    examples = {"medical": ["il respire bizarrement", "il ne respire plus", "elle a perdu connaissance"]}
    return DangerDetector(examples, ["bonjour", "merci"], {"medical": ["inconscient"]}, cache=ModelCache())


def test_a_word_alone_must_reach_more_than_a_short_message(tiny):
    (alone,) = tiny.read("bizarrement").pieces
    (two,) = tiny.read("respire bizarrement").pieces
    assert alone.level == danger_module.ONE_WORD_ALERT_FROM > danger_module.ALERT_FROM
    assert two.level == danger_module.ALERT_FROM


def test_a_word_alone_between_the_two_levels_is_no_danger(tiny, monkeypatch):
    (piece,) = tiny.read("bizarrement").pieces
    monkeypatch.setattr(danger_module, "ALERT_FROM", piece.danger - 0.01)
    monkeypatch.setattr(danger_module, "ONE_WORD_ALERT_FROM", piece.danger + 0.01)
    assert tiny.detect("bizarrement") is None
    monkeypatch.setattr(danger_module, "ONE_WORD_ALERT_FROM", piece.danger - 0.01)
    assert tiny.detect("bizarrement") is not None


def test_an_expression_typed_alone_still_alerts(tiny):
    found = tiny.detect("inconscient")
    assert found is not None and found.kind == "medical"


@pytest.mark.parametrize("message, kind", [("bizarre", None), ("chelou", None), ("mourir", "suicide")])
def test_on_the_shipped_base_a_word_alone_alerts_only_when_it_says_a_danger(shipped_engine, message, kind):
    assert ask_record(shipped_engine, message)["urgence"] == kind
