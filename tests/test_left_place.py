"""A place the resident says they left, or do not live in, never becomes their quartier.

Made-up messages written for this test (not taken from any evaluation set).
"""

from __future__ import annotations

import pytest

from bot.understanding.left_place import left_before
from bot.understanding.normalize import fold

KEY = "left-1"


def _left(text: str, place: str = "bellevue") -> bool:
    words = fold(text).split()
    return left_before(words, words.index(place))


@pytest.mark.parametrize(
    "text",
    [
        "j'habite plus à Bellevue",
        "je n'habite plus à Bellevue",
        "j'habite pas à bellevue",
        "avant j'étais à Bellevue",
        "j'ai quitté Bellevue",
        "je suis plus dans le quartier de Bellevue",
        "on a déménagé de Bellevue",
    ],
)
def test_a_negated_or_past_residence_names_a_place_left(text):
    assert _left(text)


@pytest.mark.parametrize(
    "text",
    [
        "j'habite à Bellevue",
        "bellevue",
        "j'habite pas loin de Bellevue",  # near it: still the place that helps
        "j'ai déménagé à Bellevue",
        "la caf de bellevue",
        "en fait j'habite à Bellevue",
        "je veux quitter Bellevue pour un autre quartier",  # still lives there today
    ],
)
def test_a_place_lived_in_is_not_a_place_left(text):
    assert not _left(text)


def test_the_place_lived_in_after_a_place_left_is_the_quartier(engine):
    gazetteer = engine.current.matcher.gazetteer
    guess = gazetteer.detect("j'habite plus à Bellevue, maintenant c'est Pontanézen")
    assert guess.quartier == "europe" and guess.left == ("bellevue",) and guess.left_quartiers == ("bellevue",)
    assert len(guess.spans) == 2  # both names are places, neither is a topic


@pytest.fixture
def shipped_conversation(shipped_engine, recorder):
    from bot.conversation.core import Conversation
    from tests.conftest import MONDAY_MORNING

    return Conversation(shipped_engine, recorder, channel="test", clock=lambda: MONDAY_MORNING)


def test_a_place_left_said_alone_is_a_place_not_a_question(engine):
    match = engine.current.matcher.match("j'habite plus à Bellevue")
    assert match.place_only and match.entry_id is None and match.suggestions == []
    assert match.quartier is None and match.quartier_candidates == () and match.quartier_left == ("bellevue",)


def test_a_place_left_forgets_the_quartier_and_asks_for_the_new_one(shipped_conversation, recorder):
    shipped_conversation.ask(KEY, "bellevue")
    assert recorder.quartier_of(KEY) == "bellevue"
    reply = shipped_conversation.ask(KEY, "j'habite plus à Bellevue")
    assert reply.kind == "quartier"  # "Dans quel quartier habitez-vous ?" with the quartiers' buttons
    assert recorder.quartier_of(KEY) is None
    assert recorder.unanswered == [] and recorder.answered == []


def test_moving_from_one_quartier_to_another_sets_the_new_one(shipped_conversation, recorder):
    shipped_conversation.ask(KEY, "bellevue")
    reply = shipped_conversation.ask(KEY, "je vis plus à Bellevue, maintenant c'est Pontanézen")
    assert reply.kind == "place"
    assert recorder.quartier_of(KEY) == "europe"
