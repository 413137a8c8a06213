"""The console session: typed lines, numbered choices."""

import pytest

from bot.channels.console import ConsoleSession


@pytest.fixture
def session(conversation):
    return ConsoleSession(conversation)


@pytest.mark.parametrize("number", ["0", "99"])
def test_a_number_off_the_menu_says_which_numbers_work_and_is_not_recorded(session, recorder, number):
    session.handle("rsa")
    shown = len(session.actions)
    assert shown >= 2
    recorded = (list(recorder.answered), list(recorder.unanswered))
    text = session.handle(number)
    assert text == f"Tapez un numéro entre 1 et {shown}, ou écrivez votre question."
    assert (recorder.answered, recorder.unanswered) == recorded
    assert len(session.actions) == shown  # the menu still works after the mistake
    assert session.handle("1")


def test_a_number_without_any_menu_is_not_taken_for_a_question(session, recorder):
    text = session.handle("7")
    assert "écrivez votre question" in text
    assert not recorder.unanswered and not recorder.answered


def test_living_elsewhere_is_remembered_like_a_quartier(session):
    menu = session.handle("/quartier")
    elsewhere = next(line for line in menu.splitlines() if "Je n'habite pas dans ces quartiers" in line)
    session.handle(elsewhere.strip()[1])  # "[6] Je n'habite…" -> "6"
    for question in ("rsa", "xqzw vbnk"):
        assert "Dans quel quartier habitez-vous" not in session.handle(question)


@pytest.mark.parametrize("number", ["0612345678", "115", "3919"])
def test_a_phone_number_or_a_helpline_is_read_as_a_message_not_a_choice(session, number):
    session.handle("rsa")
    text = session.handle(number)
    assert "Tapez un numéro" not in text and "pas de choix" not in text


@pytest.mark.parametrize("typed", ["30", "trente", "30 ans"])
def test_an_age_typed_at_the_rights_check_is_read_as_the_age_not_a_menu_number(shipped_engine, recorder, typed):
    from bot.conversation.core import Conversation
    from tests.conftest import MONDAY_MORNING

    session = ConsoleSession(Conversation(shipped_engine, recorder, channel="console", clock=lambda: MONDAY_MORNING))
    first = session.handle("/droits")
    assert "Quel âge" in first and len(session.actions) < 30
    assert "Qui vit avec vous" in session.handle(typed)


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("/help", "Comment ça marche"),
        ("/AIDE", "Comment ça marche"),
        ("/arreter", "rien à arrêter"),
        ("/Aide svp", "Comment ça marche"),  # words after a command leave it a command, as on Telegram
        ("/aide@relais_droits_bot", "Comment ça marche"),
        ("/Stop merci", "rien à arrêter"),
        ("\ufeff/aide", "Comment ça marche"),  # the first line of a file saved by Notepad
    ],
)
def test_the_telegram_aliases_and_capitals_work_on_the_console(session, typed, said):
    assert said in session.handle(typed)


@pytest.mark.parametrize("command", ["/aide", "/start", "/droits", "/Oubli"])
def test_a_danger_typed_after_a_command_is_answered_first(session, conversation, command):
    """ "/aide mon ex bat notre fils": the command's own reply would drop the danger."""
    reply = session.handle(f"{command} mon ex bat notre fils")
    expected = conversation.ask("probe", "mon ex bat notre fils")
    assert expected.kind == "emergency"
    assert reply.startswith(expected.text.split("\n")[0])
    assert not conversation.rights_check.active(session.key)
