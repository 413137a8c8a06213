"""French numbers in words, as residents type their age: only well-formed numbers are read."""

import pytest

from bot.conversation.number_words import french_number


@pytest.mark.parametrize(
    "words, number",
    [
        ("trente", 30),
        ("trente deux", 32),
        ("quarante-cinq", 45),
        ("vingt et un", 21),
        ("soixante et onze", 71),
        ("soixante dix neuf", 79),
        ("quatre-vingts", 80),
        ("quatre vingt dix neuf", 99),
        ("dix sept", 17),
        ("cent vingt", 120),
        ("deux cent trente", 230),
        ("septante", 70),
        ("zero", 0),
    ],
)
def test_numbers_in_words(words, number):
    assert french_number(words) == number


@pytest.mark.parametrize(
    "words",
    ["", "deux trente", "trente trente", "vingt dix", "dix dix", "vingt zero", "cent cent", "mille", "bonjour", "et"],
)
def test_words_that_are_not_one_number(words):
    assert french_number(words) is None
