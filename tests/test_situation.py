"""An age written as a number becomes a word of its band, so the matcher can learn who asks what.

Made-up messages written for this test (not taken from any evaluation set).
"""

from __future__ import annotations

import pytest

from bot.understanding import learned
from bot.understanding.learned import LearnedModel
from bot.understanding.normalize import fold
from bot.understanding.situation import band_of, with_age_bands


def _read(text: str) -> list[str]:
    return with_age_bands(fold(text).split())


@pytest.mark.parametrize(
    "text, band",
    [
        ("j'ai 22 ans et pas de travail", "agejeune"),
        ("mon fils de 19ans cherche une formation", "agejeune"),
        ("elle a 67 ans et une petite pension", "ageretraite"),
        ("j'ai 45 ans", "ageadulte"),
        ("ma fille de 5 ans", "ageenfant"),
        ("les moins de 25 ans", "agejeune"),  # under 25
        ("pour les plus de 25 ans", "ageadulte"),  # over 25
        ("je viens de fêter mes 25 ans", "ageadulte"),  # the RSA's age
        ("à partir de 16 ans", "agejeune"),
        ("I am under 25 with no income", "agejeune"),
        ("I'm 30 and unemployed", "ageadulte"),
        ("I am over 65 with almost no pension", "ageretraite"),
        ("my son is 19 years old", "agejeune"),
    ],
)
def test_an_age_gets_the_word_of_its_band_after_it(text: str, band: str) -> None:
    words = _read(text)
    assert band in words
    assert words.index(band) > 0 and words[words.index(band) - 1][-1].isalnum()


@pytest.mark.parametrize(
    "text",
    [
        "j'attends un logement depuis 3 ans",
        "en attente depuis plus de 2 ans",
        "il y a 2 ans j'ai perdu mon travail",
        "ça fait 5 ans que je suis à Brest",
        "pendant 10 ans j'ai travaillé",
        "j'ai 3 enfants",
        "mon loyer est de 450 euros",
        "une dette de 1000 ans",  # not a plausible age
        "I have 3 children",
        "rsa 2025",
    ],
)
def test_a_duration_or_another_number_gets_no_band(text: str) -> None:
    assert _read(text) == fold(text).split()


@pytest.mark.parametrize(
    "age, band",
    [
        (0, "ageenfant"),
        (15, "ageenfant"),
        (16, "agejeune"),
        (24, "agejeune"),
        (25, "ageadulte"),
        (59, "ageadulte"),
        (60, "ageretraite"),
    ],
)
def test_bands_follow_the_ages_rights_turn_on(age: int, band: str) -> None:
    assert band_of(age) == band


# Two entries told apart only by the age of the person, as the knowledge base often does.
YOUTH = ["j'ai 19 ans et pas de travail", "j'ai 22 ans sans emploi ni formation", "à 18 ans je n'ai pas de revenu"]
ADULT = ["j'ai 40 ans et pas de travail", "j'ai 52 ans sans emploi ni revenu", "à 35 ans je n'ai pas de revenu"]


@pytest.fixture(scope="module")
def by_age() -> LearnedModel:
    texts = [" ".join(_read(t)) for t in YOUTH + ADULT]
    arrays = learned.train(texts, ["jeunes"] * len(YOUTH) + ["adultes"] * len(ADULT))
    assert arrays is not None
    return LearnedModel(arrays)


@pytest.mark.parametrize(
    "question, expected", [("j'ai 21 ans sans travail", "jeunes"), ("j'ai 47 ans sans travail", "adultes")]
)
def test_the_learned_model_reads_the_age_band_it_never_saw_as_a_number(
    by_age: LearnedModel, question: str, expected: str
) -> None:
    probabilities = by_age.probabilities(" ".join(_read(question)))
    assert by_age.labels[int(probabilities.argmax())] == expected
