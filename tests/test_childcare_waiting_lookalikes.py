"""Waiting for a place to have one's child looked after is no danger; a danger in the same words still is.

« toujours pas de place », « personne pour garder » read like despair to the
danger model; the childcare look-alikes in knowledge/urgences/pas-urgence-enfants.yaml
teach it otherwise, and must not hide a real danger said with the same words.
"""

from __future__ import annotations

import pytest

from bot.cli import ask_record
from bot.knowledge import Engine


@pytest.mark.parametrize(
    "message",
    [
        "ma fille a 14 mois et je n'ai toujours pas de place pour la faire garder",
        "toujours pas de place à la crèche pour mon fils de 11 mois, je commence un travail",
    ],
)
def test_waiting_for_childcare_raises_no_alarm(shipped_engine: Engine, message: str) -> None:
    assert ask_record(shipped_engine, message)["urgence"] is None


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ("toujours pas de place pour faire garder ma fille et je veux mourir ce soir", "suicide"),
        ("personne pour garder les enfants, alors je dors dehors avec eux ce soir", "rue"),
    ],
)
def test_a_danger_said_with_the_same_words_still_alerts(shipped_engine: Engine, message: str, kind: str) -> None:
    assert ask_record(shipped_engine, message)["urgence"] == kind
