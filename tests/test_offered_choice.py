"""« Vous voulez parler de… ? » answered by typing « oui », « le premier », « 2 »: that entry, not a new message."""

from __future__ import annotations

import dataclasses

import pytest

from bot.conversation.core import Conversation
from bot.conversation.offered_choice import offered_choice

KEY = "k"


@pytest.mark.parametrize(
    ("typed", "offered", "chosen"),
    [
        ("oui", ["css"], "css"),
        ("Oui !", ["css"], "css"),
        ("oui", ["css", "rsa"], None),  # yes to two things names neither
        ("le premier", ["css", "rsa"], "css"),
        ("la 2", ["css", "rsa"], "rsa"),
        ("2", ["css", "rsa"], "rsa"),
        ("la deuxième", ["css", "rsa"], "rsa"),
        ("le dernier", ["css", "rsa", "caf"], "caf"),
        ("3", ["css", "rsa"], None),  # no third button
        ("non", ["css"], None),
        ("oui mais pour le rsa", ["css"], None),  # a sentence is a new message
    ],
)
def test_a_typed_answer_names_an_offered_entry(typed, offered, chosen):
    assert offered_choice(typed, offered) == chosen


@pytest.fixture
def hesitant(engine, recorder) -> Conversation:
    """A core whose matcher never answers outright, so every question hesitates."""
    from bot.understanding.matcher import Matcher, Settings

    matcher = Matcher(engine.current.kb, Settings(abstain_below=1, answer_from=101))
    engine.current = dataclasses.replace(engine.current, matcher=matcher)
    return Conversation(engine, recorder)


@pytest.mark.parametrize("typed", ["le premier", "1", "la première"])
def test_typing_the_choice_opens_that_entry(hesitant, typed):
    offer = hesitant.ask(KEY, "mutuelle")
    assert offer.kind == "suggest" and offer.suggestions
    reply = hesitant.ask(KEY, typed)
    assert reply.kind == "answer" and reply.entry_id == offer.suggestions[0]


def test_only_the_next_message_answers_the_offer(hesitant):
    offer = hesitant.ask(KEY, "mutuelle")
    assert offer.kind == "suggest"
    hesitant.ask(KEY, "merci")  # something else in between
    assert hesitant.ask(KEY, "le premier").entry_id is None


def test_a_button_pressed_after_the_offer_ends_it(hesitant):
    offer = hesitant.ask(KEY, "mutuelle")
    hesitant.press(KEY, f"e:{offer.suggestions[0]}")  # the resident pressed the button instead
    assert hesitant.ask(KEY, "le premier").kind != "answer"  # a later "le premier" is no longer about that offer
