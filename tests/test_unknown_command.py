"""A command the bot does not have, typed by a resident: say where the commands are, give a person."""

import pytest

KEY = "conv-command"


@pytest.mark.parametrize("typed", ["/inconnu", "/stats", "/Besoins@relais_bot"])
def test_an_unknown_command_points_to_aide_and_a_person_and_is_not_kept(conversation, recorder, typed):
    conversation.press(KEY, "q:bellevue")
    reply = conversation.ask(KEY, typed)
    assert reply.text.startswith("Je ne connais pas cette commande. Tapez /aide")
    assert "Tél." in reply.text
    assert recorder.unanswered == []


@pytest.mark.parametrize("typed", ["/", "1/2", "et/ou", "loyer / caf"])
def test_a_slash_that_is_no_command_is_not_called_one(conversation, typed):
    assert "Je ne connais pas cette commande" not in conversation.ask(KEY, typed).text
