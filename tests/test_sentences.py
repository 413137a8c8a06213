"""Questions read whole by the sentence encoder join a need whose words they do not share."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

import bot.laboratoire.sentences as sentences
from bot.laboratoire.meaning import ConceptIndex, group_keys
from bot.laboratoire.sentences import semantic_similarity
from bot.understanding.normalize import fold


class FakeEncoder:
    """Vectors chosen per text: two texts of one meaning get the same one."""

    def __init__(self, vectors: dict[str, Sequence[float]]) -> None:
        self.vectors = vectors
        self.calls = 0

    def encode(self, texts: list[str]) -> np.ndarray:
        self.calls += 1
        return np.array([self.vectors[t] for t in texts], dtype=float)


def _one_hot(i: int, size: int = 4) -> list[float]:
    return [1.0 if j == i else 0.0 for j in range(size)]


INDEX = ConceptIndex({}, synonyms={}, generic={"pour", "mon", "un", "une", "le", "la", "des", "veut"})
BEES = ["ruche au jardin", "élever des abeilles", "apiculture débutant"]  # no word in common
BOARD = ["club de scrabble", "partie de scrabble"]
ENCODER = FakeEncoder({**{t: _one_hot(0) for t in BEES}, **{t: _one_hot(1) for t in BOARD}})


@pytest.fixture
def small_backlogs_read_whole(monkeypatch):
    """The fake backlogs here are tiny: let the encoder read them as it reads a real backlog."""
    monkeypatch.setattr(sentences, "MIN_TEXTS", 1)


@pytest.mark.usefixtures("small_backlogs_read_whole")
def test_questions_of_one_meaning_sharing_no_word_are_one_need():
    texts = BEES + BOARD
    grouped = group_keys([fold(t) for t in texts], index=INDEX, texts=texts, encoder=ENCODER).groups
    assert len(set(grouped[:3])) == 1 and grouped[0] != grouped[3] == grouped[4]


def test_without_the_encoder_the_same_questions_stay_apart():
    texts = BEES + BOARD
    grouped = group_keys([fold(t) for t in texts], index=INDEX, texts=texts, semantic_weight=0.0).groups
    assert len(set(grouped[:3])) == 3


@pytest.mark.usefixtures("small_backlogs_read_whole")
def test_a_question_with_no_content_word_joins_nothing_however_it_reads():
    texts = [*BEES, "pour un"]
    encoder = FakeEncoder({**{t: _one_hot(0) for t in BEES}, "pour un": _one_hot(0)})
    grouped = group_keys([fold(t) for t in texts], index=INDEX, texts=texts, encoder=encoder).groups
    assert grouped[3] not in grouped[:3]


def test_the_grouping_reads_words_only_when_the_encoder_package_is_missing(monkeypatch):
    monkeypatch.setattr(sentences, "shipped_encoder", lambda: None)
    texts = BEES + BOARD
    keys = [fold(t) for t in texts]
    assert group_keys(keys, index=INDEX, texts=texts).groups == group_keys(keys, index=INDEX).groups


@pytest.mark.usefixtures("small_backlogs_read_whole")
def test_similarity_is_centred_on_the_backlog_and_never_negative():
    texts = ["a", "b", "c"]
    encoder = FakeEncoder({"a": [1.0, 1.0], "b": [1.0, 1.0], "c": [1.0, -1.0]})
    similarity = semantic_similarity(texts, encoder)
    assert similarity is not None
    # Every text shares the first coordinate: once centred, only the second one tells them apart.
    assert similarity[0, 1] == pytest.approx(1.0) and similarity[0, 2] == 0.0
    assert np.all(similarity >= 0.0) and np.allclose(similarity, similarity.T)


def test_a_backlog_too_small_to_centre_on_is_grouped_on_its_words_alone():
    texts = [f"question {i}" for i in range(sentences.MIN_TEXTS - 1)]
    encoder = FakeEncoder({t: _one_hot(0) for t in texts})
    assert semantic_similarity(texts, encoder) is None and encoder.calls == 0
    assert (
        semantic_similarity([*texts, "une de plus"], FakeEncoder({**encoder.vectors, "une de plus": _one_hot(1)}))
        is not None
    )


@pytest.mark.usefixtures("small_backlogs_read_whole")
def test_the_shipped_encoder_reads_a_question_and_its_english_like_one_meaning():
    texts = [
        "où donner son sang",
        "blood donation near me",
        "il y a une fuite d'eau sous mon évier",
        "le chauffage ne marche plus",
        "mon vélo est cassé",
        "my bike is broken",
        "chercher un club de scrabble",
    ]
    similarity = semantic_similarity(texts)
    assert similarity is not None
    assert similarity[0, 1] > 0.2 and similarity[4, 5] > 0.2  # one meaning in two languages
    assert similarity[0, 4] < 0.1 and similarity[1, 5] < 0.1  # two needs, even in one language
