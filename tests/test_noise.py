"""What is not an unmet need (bot/conversation/noise.py). Made-up messages."""

from __future__ import annotations

import pytest

from bot.conversation.noise import is_noise


@pytest.mark.parametrize(
    "text, normalized",
    [
        ("/stats", None),
        ("  /besoin il me faut un avocat", None),
        ("/semaine", None),
        ("bellevue", ""),  # the matcher took the place name out
        ("j'habite à Kérourien", "j habite a"),
        ("je vis vers saint pierre", "je vis vers"),
        ("au revoir", None),
        ("merci beaucoup, bonne journée !", None),
        ("Bonsoir madame", None),
        ("ok", None),
        ("oui", None),
        ("2", None),
        ("👍", None),
        ("???", None),
        ("bye, thanks", None),
    ],
)
def test_commands_places_choices_and_politeness_are_noise(text, normalized):
    assert is_noise(text, normalized)


@pytest.mark.parametrize(
    "text",
    [
        "aide",
        "j'habite à bellevue et je cherche un centre de loisirs",
        "merci mais je voudrais réparer mon vélo",
        "au revoir, ah si : une aide pour le permis ?",
        "permis",
        "bonjour je suis seule avec 3 enfants",
    ],
)
def test_anything_that_says_what_is_needed_is_kept(text):
    assert not is_noise(text)
