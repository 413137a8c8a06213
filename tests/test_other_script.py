"""A message in another alphabet: say which languages are read, and give a person."""

import pytest

from bot.conversation.other_script import writes_another_script

KEY = "conv-script"


@pytest.mark.parametrize(
    ("text", "other"),
    [
        ("بدي مساعدة في الإيجار", True),  # Arabic
        ("Мне нужна помощь", True),  # Cyrillic
        ("我需要帮助", True),
        ("ⵣ", True),  # Tifinagh
        ("je n'arrive plus à payer", False),
        ("école", False),
        ("I need help", False),
        ("loyer بدي", False),  # a French word in it: read as usual
        ("😀 ???", False),  # no letters at all: the « no words » reply
        ("", False),
    ],
)
def test_only_letters_of_another_alphabet_are_another_script(text, other):
    assert writes_another_script(text) is other


@pytest.mark.parametrize("text", ["بدي مساعدة في الإيجار", "Мне нужна помощь"])
def test_another_alphabet_is_told_which_languages_are_read_and_gets_a_person(conversation, recorder, text):
    conversation.press(KEY, "q:bellevue")
    reply = conversation.ask(KEY, text)
    assert reply.text.startswith("Je lis seulement le français")
    assert "I can read French" in reply.text
    assert "Tél." in reply.text  # a person to reach, with a phone
    assert recorder.unanswered == []  # nothing the laboratoire could read, nothing kept
