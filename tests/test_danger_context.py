"""A danger long over, or talked about as a topic, is told apart from a danger of now."""

from __future__ import annotations

import pytest

from bot.understanding.danger_context import asks_about_help, distant_parts, is_distant, says_now
from bot.understanding.normalize import fold


@pytest.mark.parametrize(
    "sentence",
    [
        "il y a dix ans il me battait",
        "ça fait 20 ans",
        "y a longtemps j'ai dormi dehors",
        "ya 10 ans j'ai fait une overdose",
        "j'étais à la rue à 20 ans",
        "quand j'étais petite mon père me frappait",
        "lorsque j'avais 8 ans",
        "pendant mon enfance",
        "c'est fini depuis longtemps",
        "tout ça est loin",
        "je m'en suis sortie",
        "aujourd'hui je vais bien",
        "years ago I slept outside",
        "je prépare un exposé sur le suicide",
        "dans le film la femme est battue",
        "une formation sur les violences conjugales",
        "je voudrais des brochures",
    ],
)
def test_a_far_past_or_a_topic_is_distant(sentence):
    assert is_distant(fold(sentence))


@pytest.mark.parametrize(
    "sentence",
    [
        "il me frappe",
        "hier il m'a frappée",  # yesterday is now, for a danger
        "la semaine dernière il a menacé de me tuer",
        "ça fait 10 ans qu'il me bat",  # years of it, still going on
        "il y a deux mois qu'on dort dans la voiture",
        "je dors dehors avec ma fille de 3 ans",  # an age is not a time long ago
        "il a fait une tentative il y a une heure",
        "mon mari me tape, il va me tuer",  # "il va" is not "ça va"
    ],
)
def test_a_danger_of_now_is_not_distant(sentence):
    assert not is_distant(fold(sentence))


@pytest.mark.parametrize(
    "text",
    [
        "il recommence",
        "aujourd'hui c'est mon mari qui me bat",
        "maintenant il frappe ma fille",
        "encore ce soir",
        "depuis hier",
        "j'ai peur",
        "de nouveau",
        "tonight",
        "help me",
        "tous les soirs",
    ],
)
def test_a_present_cue_is_recognised(text):
    assert says_now(fold(text))


@pytest.mark.parametrize("text", ["je suis clean depuis longtemps", "ça va depuis des années", "sorti depuis 5 ans"])
def test_a_long_time_since_is_no_present_cue(text):
    assert not says_now(fold(text))


def test_a_present_cue_anywhere_makes_every_sentence_near():
    sentences = ["Il y a dix ans il me battait", "Il a recommencé"]
    assert distant_parts(sentences) == [False, False]
    assert distant_parts(["Il y a dix ans il me battait", "Je voudrais une aide pour la garde"]) == [True, False]


@pytest.mark.parametrize(
    "clause",
    [
        "le 3919 c'est gratuit",
        "est-ce que le 3114 répond aussi aux proches d'une personne suicidaire",
        "c'est quoi la différence entre le 15 et le 112",
        "je voudrais devenir bénévole au samu social",
        "je veux être famille d'accueil pour des enfants en danger",
        "comment aider les sans abri du quartier",
    ],
)
def test_a_question_about_the_help_itself_is_recognised(clause):
    assert asks_about_help(fold(clause))


@pytest.mark.parametrize(
    "clause",
    [
        "le 115 ne répond pas",  # a danger's own words: the number is not what is asked about
        "appelez le 17",
        "je suis bénévole et ce soir il m'a frappée",  # happening now: read as usual
        "le 3919 c'est gratuit j'ai peur de lui",
        "aidez moi il frappe les enfants",
    ],
)
def test_a_danger_that_names_a_number_is_no_question_about_help(clause):
    assert not asks_about_help(fold(clause))


def test_still_possible_to_file_a_complaint_is_no_present_cue():
    """Asking "je peux encore porter plainte ?" is about a danger long over; "il me frappe encore" goes on."""
    assert not says_now(fold("c'était il y a 15 ans, je voudrais savoir si je peux encore porter plainte"))
    assert distant_parts(["mon ex me frappait il y a 15 ans, je peux encore porter plainte"]) == [True]
    assert says_now(fold("il me frappe encore"))
    assert distant_parts(["il y a 15 ans il me frappait et il recommence encore"]) == [False]
