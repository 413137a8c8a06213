"""« Je sais pas » is a resident not knowing, never a topic: a gentle prompt alone, an answer in the check."""

from __future__ import annotations

import pytest

from bot.conversation.dont_know import says_dont_know


@pytest.mark.parametrize(
    "text",
    [
        "je sais pas",
        "Je ne sais pas.",
        "jsp",
        "chais pas",
        "j'sais pas",
        "bah je sais pas trop",
        "Aucune idée !",
        "I don't know",
        "je c pas",
        "j'en ai aucune idée",
        "sais pas",
        "idk",
        "j'en sais rien",
        "je sais rien",
        "jsp mdr",
        "je sais pas dsl",
        "pas sûr",
        "je ne suis pas sûre",
    ],
)
def test_i_dont_know_in_residents_spellings(text):
    assert says_dont_know(text)


@pytest.mark.parametrize(
    "text",
    [
        "je sais pas remplir le dossier rsa",
        "je ne sais pas lire",
        "je sais",
        "pas",
        "",
        "rsa",
        "je sais pas si j'ai droit à la css",
        "je sais rien faire sur internet",
        "pas sûr que le rsa soit pour moi",
    ],
)
def test_a_question_that_starts_with_it_is_still_a_question(text):
    assert not says_dont_know(text)


@pytest.mark.parametrize("text", ["je sais pas", "jsp", "Je ne sais pas"])
def test_alone_it_gets_examples_and_a_person_not_a_guessed_topic(conversation, recorder, text):
    reply = conversation.ask("k", text)
    assert reply.kind == "unknown" and reply.entry_id is None and reply.suggestions == []
    assert "avec vos mots" in reply.text and "par exemple" in reply.text
    assert reply.places, "a person to reach is always shown"
    actions = [b.action for row in reply.buttons for b in row]
    assert any(a.startswith("cb:offre") for a in actions)  # to be called back by a person
    assert any(a.startswith("q:") for a in actions)  # quartier not known yet: asked with buttons
    assert recorder.unanswered == [] and recorder.answered == []


def test_alone_with_a_quartier_known_it_shows_that_quartiers_help(conversation):
    conversation.press("k", "q:bellevue")
    reply = conversation.ask("k", "je sais pas")
    assert reply.quartier == "bellevue" or "Bellevue" in reply.text
    assert not any(b.action.startswith("q:") for row in reply.buttons for b in row)


def test_the_guided_check_is_offered_when_the_base_has_rules(shipped_engine, recorder):
    from bot.conversation.core import Conversation
    from tests.conftest import MONDAY_MORNING

    talk = Conversation(shipped_engine, recorder, channel="test", clock=lambda: MONDAY_MORNING)
    reply = talk.ask("k", "je sais pas")
    assert reply.buttons[0][0].action == "dr:go"
    assert reply.entry_id is None and "aide-numerique" not in reply.suggestions


@pytest.mark.parametrize("text", ["je sais pas", "jsp", "je sé pas", "je sé pa", "chais pas"])
def test_ask_jsonl_says_what_the_bot_does_no_danger_announced(shipped_engine, recorder, text):
    from bot.cli import ask_record
    from bot.conversation.core import Conversation
    from tests.conftest import MONDAY_MORNING

    record = ask_record(shipped_engine, text)
    assert (record["id"], record["urgence"], record["urgences"], record["suggestions"]) == (None, None, [], [])
    reply = Conversation(shipped_engine, recorder, channel="test", clock=lambda: MONDAY_MORNING).ask("k", text)
    assert reply.kind == "unknown"  # the bot gives no emergency numbers for these words: nor does the record
