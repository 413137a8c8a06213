"""A bare cry for help (« au secours ») gets every danger's numbers and a question, never a right."""

from __future__ import annotations

import pytest

from bot.cli import ask_record
from bot.conversation.texts import CRY_FOR_HELP, CRY_FOR_HELP_QUESTION, HESITATE
from bot.understanding.cry_for_help import is_bare_cry_for_help

KEY = "chat-cry"

CRIES = [
    "au secours",
    "AU SECOURS !!!",
    "o secour",
    "à l'aide",
    "Aidez-moi svp",
    "aide moi vite s'il te plaît",
    "help",
    "help me please!!",
    "SOS",
    "au secours au secours",
    "c'est urgent, aidez-nous",
    "je suis en danger aidez moi",
]
NOT_CRIES = [
    "aide",  # a word of many rights' names: the matcher reads it
    "aide au logement",
    "aidez-moi pour ma demande de RSA",
    "au secours la CAF me demande de rembourser 2000 euros",
    "help with my rent",
    "j'ai besoin d'aide",  # no cry: what for is asked as usual
    "SOS médecins c'est quel numéro",
    "svp",
    "bonjour",
    "",
]


@pytest.mark.parametrize("message", CRIES)
def test_a_message_of_cry_words_only_is_a_bare_cry(message):
    assert is_bare_cry_for_help(message)


@pytest.mark.parametrize("message", NOT_CRIES)
def test_a_cry_with_a_need_or_no_cry_at_all_is_not_a_bare_cry(message):
    assert not is_bare_cry_for_help(message)


def test_a_cry_gets_every_kinds_numbers_and_a_question_then_a_person(conversation, engine):
    conversation.press(KEY, "q:bellevue")
    reply = conversation.ask(KEY, "au secours")
    assert reply.kind == "emergency" and reply.entry_id is None and reply.suggestions == []
    assert reply.text.startswith(CRY_FOR_HELP) and CRY_FOR_HELP_QUESTION in reply.text
    dangers = engine.current.kb.dangers
    for kind in dangers.kinds.values():
        assert kind.brief in reply.text
    assert HESITATE not in reply.text
    assert "Centre social imaginaire de Bellevue" in reply.text  # the quartier's help point still follows


def test_a_cry_is_not_kept_for_the_laboratoire(conversation, recorder):
    conversation.ask(KEY, "aidez moi")
    assert recorder.unanswered == []


def test_a_cry_naming_a_danger_gets_that_dangers_numbers_first(conversation):
    reply = conversation.ask(KEY, "au secours mon mari me frappe")
    assert reply.kind == "emergency" and not reply.text.startswith(CRY_FOR_HELP)


@pytest.mark.parametrize("message", ["au secours", "help", "à l'aide !"])
def test_ask_record_says_a_cry_offers_no_right_and_names_no_kind(shipped_engine, message):
    record = ask_record(shipped_engine, message)
    assert record["appel_aide"] is True
    assert record["id"] is None and record["suggestions"] == [] and record["urgence"] is None


@pytest.mark.parametrize("message", ["aide au logement", "mon mari me frappe"])
def test_ask_record_is_no_cry_for_a_need_or_a_named_danger(shipped_engine, message):
    assert ask_record(shipped_engine, message)["appel_aide"] is False
