"""Grouping unmet questions by what they are about (bot/laboratoire/meaning.py). Made-up questions."""

from __future__ import annotations

import pytest

from bot.laboratoire.meaning import (
    CONNECTORS,
    concepts,
    content_stems,
    content_words,
    group_keys,
    label,
    spelling_classes,
)
from bot.understanding.normalize import fold


def groups_of(*texts: str) -> list[int]:
    return group_keys([fold(t) for t in texts]).groups


def test_content_words_leave_out_fillers_and_generic_words():
    assert content_words(fold("bonjour je cherche une aide pour payer le permis svp")) == ["permis"]
    assert content_words(fold("internet pas cher")) == ["internet"]
    assert content_words("[téléphone] mon velo") == ["velo"]


def test_synonyms_and_concepts_bring_everyday_words_together():
    assert "obsequ" in content_stems(fold("l'enterrement de mon père"))
    assert concepts(fold("ma chaudière est en panne")) == concepts(fold("plus de chauffage"))
    # A kind of appliance names its own group and the wider one: both kinds of need meet it.
    assert {"conceptelectromenager", "conceptelectromenagerlavage"} <= set(concepts(fold("machine à laver cassée")))
    assert concepts(fold("machine à laver cassée")) == concepts(fold("mon lave-linge ne marche plus"))


def test_the_three_driving_licence_questions_are_one_need():
    assert (
        len(
            set(
                groups_of(
                    "aide pour le permis",
                    "aide pour payer le permis",
                    "permis de conduire aide financière",
                    "machine à laver en panne",
                )
            )
        )
        == 2
    )


@pytest.mark.parametrize(
    "a, b",
    [
        ("internet pas cher", "ordinateur pas cher"),
        ("aide pour payer la cantine", "aide pour payer le loyer"),
        ("bonjour je cherche un avocat gratuit", "bonjour je cherche une crèche"),
        ("réparer mon vélo", "ma machine à laver est en panne"),
    ],
)
def test_what_only_the_surface_shares_stays_apart(a, b):
    assert len(set(groups_of(a, b, "mon voisin fait du bruit"))) == 3


def test_leisure_for_children_asked_many_ways_is_one_need():
    leisure = [
        "centre de loisirs pour mon fils le mercredi",
        "inscrire ma fille au centre aéré",
        "activités pour les enfants le mercredi",
        "kel activite pr mes gosses le mercredi",
        "accueil de loisirs 6 ans",
    ]
    assert len(set(groups_of(*leisure))) == 1


def test_grouping_is_deterministic_and_handles_empty_input():
    texts = ["permis de conduire", "velo", "[nom]", "aide", "permis b"]
    assert groups_of(*texts) == groups_of(*texts)
    assert group_keys([]).groups == []
    assert len(group_keys(["aide", "bonjour"]).groups) == 2  # no content word: each alone


def test_a_large_backlog_beyond_the_exact_limit_is_still_grouped(monkeypatch):
    import bot.laboratoire.meaning as meaning

    monkeypatch.setattr(meaning, "MAX_EXACT", 4)
    texts = [
        "permis de conduire",
        "velo casse",
        "permis b",
        "reparer velo",
        "aide permis",
        "velo a reparer",
        "chien malade",
    ]
    groups = meaning.group_keys([fold(t) for t in texts]).groups
    assert groups[4] == groups[0] and groups[5] == groups[1] and groups[6] not in groups[:6]


@pytest.mark.parametrize(
    "questions, expected",
    [
        (
            [
                "aide pour le permis",
                "aide pour payer le permis",
                "permis de conduire aide financière",
                "financer le permis de conduire",
            ],
            "permis de conduire",
        ),
        (
            ["aide pour payer les obsèques", "frais d'obseques", "l'enterrement de ma mère", "obsèques trop chères"],
            "obsèques",
        ),
        (["j'ai perdu ma carte d'identité", "refaire carte d'identite", "cni perdue"], "carte d'identité"),
    ],
)
def test_labels_are_the_most_telling_words_as_residents_type_them(questions, expected):
    keys = [fold(q) for q in questions]
    shown = label(questions, keys, group_keys(keys + ["velo", "jardin"]).weights)
    assert expected in shown and len(shown.split()) <= 5


def test_a_label_never_shows_a_redaction_tag():
    questions = ["[nom] permis de conduire", "permis de conduire [téléphone]"]
    assert "[" not in label(questions, [fold(q) for q in questions], {})


def test_a_misspelt_word_of_a_new_need_meets_its_right_spelling():
    """No lexicon lists "asenceur": within the backlog, nearly the same word is the same word."""
    groups = groups_of("ascenseur en panne", "asenceur bloqué qui appeler", "ascensseur hs", "évier bouché")
    assert groups[0] == groups[1] == groups[2] != groups[3]


@pytest.mark.parametrize("a, b", [("emménager", "déménager"), ("rendre", "prendre"), ("table", "tablette")])
def test_words_differing_at_their_start_or_by_ending_are_not_one_spelling(a, b):
    assert spelling_classes([[a], [b], [a]]) == {}


def test_a_spelling_class_is_counted_as_its_most_frequent_form():
    assert spelling_classes([["ascenseur"], ["ascenseur"], ["asenceur"], ["ascensseur"]]) == {
        "asenceur": "ascenseur",
        "ascensseur": "ascenseur",
    }


@pytest.mark.parametrize(
    "a, b", [("déchetterie horaires", "médiathèque horaires"), ("adresse du vétérinaire", "adresse de la piscine")]
)
def test_asking_how_to_reach_a_place_says_nothing_of_the_need(a, b):
    assert len(set(groups_of(a, b))) == 2


READABLE_GROUPS = [
    ["faire du sport pas cher adulte", "sport pas cher pour adulte", "salle de sport à petit prix"],
    ["le lampadaire de la rue est éteint", "lampadaire éteint depuis une semaine", "rue sombre lampadaire"],
    ["jcherche 1 poussette pa chere", "je cherche une poussette pas chère", "poussette d'occasion"],
    ["[NOM] a besoin d'un vétérinaire", "vétérinaire pas cher [TÉLÉPHONE]", "veto pour mon chat"],
    ["ma mère ne peut plus sortir, l'ascenseur est en panne", "ascenseur en panne depuis 3 semaines", "ascenseur"],
]


@pytest.mark.parametrize("questions", READABLE_GROUPS)
def test_a_label_holds_content_words_and_the_connectors_between_them_only(questions):
    keys = [fold(q) for q in questions]
    shown = label(questions, keys, group_keys(keys + ["velo", "jardin", "internet"]).weights)
    words = shown.split()
    assert words and len(words) <= 5
    assert all(w not in CONNECTORS for w in (words[0], words[-1]))
    for word in words:
        assert "[" not in word and not any(ch.isdigit() for ch in word), shown
        assert word in CONNECTORS or content_words(fold(word)), (word, shown)  # no "pas", "cher", "est", "la"


@pytest.mark.parametrize(
    "questions, expected",
    [
        (READABLE_GROUPS[0], "sport"),
        (READABLE_GROUPS[1], "lampadaire"),
        (READABLE_GROUPS[2], "poussette"),
        (READABLE_GROUPS[3], "vétérinaire"),
        (READABLE_GROUPS[4], "ascenseur"),
        (["salle des fêtes à louer", "louer la salle des fêtes", "salle des fêtes prix"], "salle des fêtes"),
    ],
)
def test_a_label_is_the_telling_word_residents_typed(questions, expected):
    keys = [fold(q) for q in questions]
    assert label(questions, keys, group_keys(keys + ["velo", "jardin", "internet"]).weights) == expected


def test_a_longer_name_is_shown_only_when_several_residents_typed_it():
    one = ["aide pour le permis", "payer le permis", "financer le permis", "permis de conduire pas cher"]
    two = one + ["aide permis de conduire"]
    weights = group_keys([fold(q) for q in two] + ["velo", "jardin"]).weights
    assert label(one, [fold(q) for q in one], weights) == "permis"
    assert label(two, [fold(q) for q in two], weights) == "permis de conduire"


def label_of(questions: list[str], index=None) -> str:
    normalized = [fold(q) for q in questions]
    weights = {s: 1.0 for n in normalized for s in content_stems(n)}
    return label(questions, normalized, weights, index)


def test_a_group_no_half_of_which_shares_a_word_is_named_by_the_concept_most_of_it_names():
    from bot.laboratoire.meaning import ConceptIndex

    index = ConceptIndex({"plomberie": ["évier", "fuite", "lavabo", "robinet"], "chauffage": ["chaudière"]})
    questions = ["mon évier est bouché", "fuite sous le lavabo", "le robinet goutte", "évier qui déborde"]
    questions.append("fuite d'eau")
    assert label_of(questions, index) == "plomberie : fuite, évier, lavabo"


def test_a_mixed_group_is_called_divers_with_its_most_shared_words():
    from bot.laboratoire.meaning import ConceptIndex

    questions = ["cours de guitare", "guitare pas chère", "mon évier est bouché", "un vélo d'occasion", "permis"]
    assert label_of(questions, ConceptIndex({})) == "divers : guitare, évier, vélo"


@pytest.mark.parametrize(
    "questions, expected",
    [
        # each word speaks for questions the words before it leave out: three things inside, three words
        (["guitare", "guitare électrique", "évier bouché", "évier bouché encore", "vélo volé"], "guitare, évier, vélo"),
        # a word shared by two of the questions comes before the words of one question only
        (["vélo rouge", "moto rouge", "évier bouché", "guitare", "poney"], "rouge, évier, guitare"),
        # three questions, three words: no word drawn from a question already spoken for
        (["cours de guitare", "mon évier est bouché", "un vélo rouge"], "guitare, évier, vélo"),
    ],
)
def test_a_mixed_label_names_what_is_inside_one_word_per_thing(questions, expected):
    from bot.laboratoire.meaning import ConceptIndex

    assert label_of(questions, ConceptIndex({})) == f"divers : {expected}"


def test_a_word_most_of_the_group_shares_still_names_it():
    questions = ["aide pour le permis", "permis de conduire", "permis de conduire pas cher", "évier bouché"]
    assert label_of(questions) == "permis de conduire"
