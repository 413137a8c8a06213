"""Needs are grouped on forms of one word, never on words that only share a stem; labels say a need.

Made-up questions. The matcher's stemmer strips endings that make another
word (« habit-ants », « présent-able »): the laboratoire must not read
« les habitants de la tour » as a question about clothes, nor show a filler
word (« peuvent », « passer », « autour ») as the name of a need.
"""

from __future__ import annotations

import pytest

from bot.laboratoire.clustering import VAGUE_LABEL, cluster
from bot.laboratoire.meaning import CONNECTORS, concept_index, concepts, content_stems, group_keys, same_word
from bot.storage.store import UnmetQuestion
from bot.understanding.normalize import fold


def rows(*texts: str) -> list[UnmetQuestion]:
    return [
        UnmetQuestion(n, f"2026-11-{n:02d}", "2026-W45", None, "telegram", text, fold(text), None, 0, None)
        for n, text in enumerate(texts, start=1)
    ]


@pytest.mark.parametrize(
    "a, b",
    [("chanter", "chant"), ("chante", "chanter"), ("nettoie", "nettoyer"), ("francaise", "francais"),
     ("echec", "echecs"), ("recharger", "recharge"), ("laver", "laverie"), ("activities", "activite")],
)  # fmt: skip
def test_forms_of_one_word_are_one_word(a, b):
    assert same_word(a, b)


@pytest.mark.parametrize(
    "a, b",
    [("habitants", "habits"), ("habitation", "habits"), ("presenter", "presents"), ("presentable", "presents"),
     ("pendent", "pendentif"), ("demenagement", "demenager")],
)  # fmt: skip
def test_words_sharing_only_a_stem_are_two_words(a, b):
    assert not same_word(a, b)


def test_a_word_sharing_a_stem_with_a_concept_word_does_not_name_its_concept():
    index = concept_index()
    assert "conceptvetements" in concepts(fold("mes habits sont trop petits"), index)
    assert "conceptvetements" not in concepts(fold("un barbecue avec les habitants de la tour"), index)
    assert "conceptcadeauxnoel" in concepts(fold("des cadeaux pour noël"), index)
    assert "conceptcadeauxnoel" not in concepts(fold("se présenter à un employeur, être présentable"), index)


def test_the_words_of_a_question_are_kept_apart_from_a_word_sharing_their_stem():
    assert set(content_stems(fold("les habitants"))).isdisjoint(content_stems(fold("les habits")))
    assert content_stems(fold("chanter")) == content_stems(fold("chante"))


def test_questions_about_the_residents_and_about_clothes_are_not_one_need():
    texts = [
        "fête avec les habitants de la tour",
        "repas entre habitants du quartier",
        "des habits chauds pour l'hiver",
        "habits pour mes enfants",
    ]
    groups = group_keys([fold(t) for t in texts]).groups
    assert groups[0] == groups[1] != groups[2] == groups[3]


def test_a_group_of_filler_words_only_is_labelled_as_saying_no_need():
    needs = cluster(rows("ils peuvent passer quand ?", "j'ai besoin d'aide svp", "how can i get help"))
    assert needs and all(need.label == VAGUE_LABEL for need in needs)


def test_a_label_is_never_a_filler_word_alone():
    needs = cluster(
        rows(
            "ils peuvent m'aider à passer le permis ?",
            "passer le permis de conduire pas cher",
            "est ce qu'ils peuvent financer le permis",
            "je veux passer autour de chez moi le code et le permis",
        )
    )
    assert len(needs) == 1
    assert "permis" in needs[0].label
    index = concept_index()
    for word in needs[0].label.replace(":", " ").replace(",", " ").split():
        assert word in CONNECTORS or fold(word) not in index.generic


def test_three_driving_licence_phrasings_are_one_need_named_by_the_licence():
    needs = cluster(rows("aide pour le permis", "aide pour payer le permis", "permis de conduire aide financière"))
    assert len(needs) == 1 and needs[0].count == 3
    assert "permis" in needs[0].label


def test_a_lone_question_somewhat_close_to_one_group_joins_it():
    import numpy as np

    from bot.laboratoire.meaning import _attach_by_closeness

    similarity = np.array(
        [
            [1.0, 0.5, 0.0, 0.0, 0.12, 0.02],
            [0.5, 1.0, 0.0, 0.0, 0.10, 0.03],
            [0.0, 0.0, 1.0, 0.6, 0.02, 0.04],
            [0.0, 0.0, 0.6, 1.0, 0.01, 0.05],
            [0.12, 0.10, 0.02, 0.01, 1.0, 0.0],
            [0.02, 0.03, 0.04, 0.05, 0.0, 1.0],
        ]
    )
    groups = [0, 0, 1, 1, 2, 3]  # two needs of two questions, two questions left alone
    empty = np.zeros(6, dtype=bool)
    joined = _attach_by_closeness(groups, similarity, 0.10, empty)
    assert joined[4] == joined[0] != joined[2]  # close enough to the first need on average: joins it
    assert joined[5] not in (joined[0], joined[2])  # close to nothing: stays alone
    empty[4] = True  # a question with no content word says no need: it never joins one
    assert _attach_by_closeness(groups, similarity, 0.10, empty)[4] not in (joined[0], joined[2])


def test_the_stairwell_as_the_neighbours_is_no_broken_lift():
    index = concept_index()
    assert "conceptascenseur" not in concepts(fold("faire un repas avec tout l'escalier"), index)
    assert "conceptascenseur" in concepts(fold("ascenseur en panne, je monte par l'escalier"), index)
    assert "conceptascenseur" in concepts(fold("je monte les escaliers à pied avec la poussette"), index)


def test_a_month_says_when_not_what():
    needs = cluster(rows("repas entre voisins en juin", "fête des voisins en juillet", "repas des voisins juin"))
    assert len(needs) == 1
    assert "voisins" in needs[0].label and "juin" not in needs[0].label
