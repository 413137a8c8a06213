"""Words written as they sound meet the word mediators listed (bot/laboratoire/sounds.py).

Made-up spellings of the kind residents type (SMS, phonetic French).
"""

from __future__ import annotations

import pytest

from bot.laboratoire.meaning import ConceptIndex
from bot.laboratoire.sounds import sound_key


@pytest.mark.parametrize(
    "typed, listed",
    [
        ("chofage", "chauffage"),  # o for au, one f: three letters from the word
        ("asanceur", "ascenseur"),
        ("electrisien", "électricien"),
        ("plonbier", "plombier"),
        ("moisisure", "moisissure"),
        ("pissine", "piscine"),
        ("umidité", "humidité"),
        ("garaje", "garage"),
    ],
)
def test_a_word_written_as_it_sounds_has_the_listed_word_s_key(typed, listed):
    assert sound_key(typed) and sound_key(typed) == sound_key(listed)


@pytest.mark.parametrize(
    "a, b",
    [("chomage", "chauffage"), ("coiffeur", "chauffeur"), ("cuisine", "cousine"), ("fenêtre", "ventre")],
)
def test_words_that_sound_different_keep_different_keys(a, b):
    assert sound_key(a) != sound_key(b)


def test_short_words_have_no_key_they_sound_too_much_alike():
    assert sound_key("pain") == "" and sound_key("pont") == ""


def test_a_phonetic_spelling_finds_its_group_before_a_word_one_letter_away():
    index = ConceptIndex({"chauffage": ["chauffage", "radiateur"], "emploi": ["chômage", "travail"]}, {})
    assert index.find(["chofage"]) == {"conceptchauffage"}  # « chômage » is one letter away, but sounds different
    assert index.find(["chomage"]) == {"conceptemploi"}


def test_a_word_any_need_may_hold_names_a_concept_only_as_listed():
    """« cours » sounds like « court », « démarche » shares its stem with « démarcheur »: neither is read so."""
    index = ConceptIndex({"juridique": ["court", "tribunal"], "arnaques": ["démarcheur", "arnaque"]}, {})
    assert index.find(["cours"]) == set() and index.find(["demarche"]) == set()
    assert index.find(["court"]) == {"conceptjuridique"} and index.find(["demarcheurs"]) == {"conceptarnaques"}
