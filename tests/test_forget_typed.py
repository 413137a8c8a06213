"""« oui » typed (not pressed) after /oubli's « Voulez-vous vraiment effacer… ? ».

On a phone many residents type their answer. « oui » was read as a bare
agreement (« D'accord. Vous pouvez m'écrire une autre question ») and nothing
was erased, while the resident believed it was: a privacy promise broken
without a word. Only the very next message answers the question.
"""

from __future__ import annotations

import pytest

KEY = "conv-oubli"


@pytest.fixture
def asked(conversation, recorder):
    """A conversation that chose Bellevue, then asked /oubli."""
    conversation.press(KEY, "q:bellevue")
    conversation.confirm_forget(KEY)
    return conversation


@pytest.mark.parametrize("typed", ["oui", "Oui !", "ouais", "yes"])
def test_yes_typed_after_oubli_erases(asked, recorder, typed):
    reply = asked.ask(KEY, typed)
    assert reply.kind == "forgotten"
    assert "j'ai tout effacé" in reply.text
    assert recorder.quartier_of(KEY) is None and KEY in recorder.forgotten


@pytest.mark.parametrize("typed", ["non", "Non.", "nan"])
def test_no_typed_after_oubli_keeps_everything_and_says_so(asked, recorder, typed):
    reply = asked.ask(KEY, typed)
    assert reply.text == "D'accord, je n'efface rien."
    assert recorder.quartier_of(KEY) == "bellevue" and recorder.forgotten == []


def test_only_the_very_next_message_answers_the_question(asked, recorder):
    asked.ask(KEY, "aide pour le rsa")
    asked.ask(KEY, "oui")
    assert recorder.quartier_of(KEY) == "bellevue" and recorder.forgotten == []


def test_yes_without_oubli_erases_nothing(conversation, recorder):
    conversation.press(KEY, "q:bellevue")
    assert conversation.ask(KEY, "oui").kind != "forgotten"
    assert recorder.quartier_of(KEY) == "bellevue"


def test_a_pressed_answer_closes_the_question(asked, recorder):
    asked.press(KEY, "oubli:non")
    asked.ask(KEY, "oui")
    assert recorder.quartier_of(KEY) == "bellevue" and recorder.forgotten == []
