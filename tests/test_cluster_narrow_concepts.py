"""An everyday concept names one need: close but different needs do not share one.

Made-up questions. A concept group is what joins two questions sharing no
word (« stage » and « alternance »), and sharing one makes them close enough
to be one need on it alone. A group that listed the words of several needs
(work placement, temp agency, job interview; a boating licence and diving;
a baptism and a birthday; « école » said of any school at all) glued them
into one row the laboratoire would read as one need.
"""

from __future__ import annotations

import pytest

from bot.laboratoire.meaning import concept_index, concepts, group_keys
from bot.understanding.normalize import fold


def named(text: str) -> set[str]:
    return set(concepts(fold(text), concept_index()))


@pytest.mark.parametrize(
    "a, b",
    [
        ("ma fille cherche un stage en 3eme", "une agence d'intérim qui embauche vite"),
        ("ma fille cherche un stage en 3eme", "quoi mettre pour un entretien d'embauche"),
        ("je veux faire une formation pour changer de métier", "pas de boulot depuis un an"),
        ("passer le permis bateau", "apprendre la plongée sous marine"),
        ("baptême de ma fille", "fêter l'anniversaire de mon fils"),
        ("école de portugais le samedi pour les enfants", "inscription en maternelle"),
    ],
)
def test_close_but_different_needs_name_no_common_concept(a, b):
    assert named(a).isdisjoint(named(b)), (named(a), named(b))


@pytest.mark.parametrize(
    "a, b",
    [
        ("ma fille cherche un stage en 3eme", "un patron pour mon alternance"),
        ("rdv d embauche demain", "job interview tomorrow"),
        ("cours de voile pour ado", "louer un kayak"),
        ("faire baptiser mon bébé", "préparer sa première communion"),
        ("inscrire mon fils au collège", "la rentrée en primaire"),
    ],
)
def test_one_need_in_other_words_still_names_one_concept(a, b):
    assert named(a) & named(b), (named(a), named(b))


def test_a_work_placement_and_a_temp_agency_are_two_needs():
    texts = [
        "stage de troisième pour mon fils",
        "trouver un stage d observation de 3e",
        "mon ado doit faire un stage en entreprise",
        "agence d intérim à brest",
        "s inscrire en intérim",
        "une mission d intérim cette semaine",
    ]
    groups = group_keys([fold(t) for t in texts]).groups
    assert len(set(groups[:3])) == 1 and len(set(groups[3:])) == 1
    assert groups[0] != groups[3]


@pytest.mark.parametrize(
    "text, wrong",
    [
        ("couper les cheveux de mon fils", "conceptequitation"),  # « chevaux »
        ("voir les poissons avec les enfants", "conceptpoulesbassecour"),
        ("des cours de chimie pour le lycée", "conceptsantecourante"),  # « chimio »
    ],
)
def test_a_real_word_is_never_read_as_a_typing_mistake_for_a_concept_word(text, wrong):
    assert wrong not in named(text)


@pytest.mark.parametrize(
    "text, concept", [("asenceur en panne", "conceptascenseur"), ("esgrime pour ma fille", "conceptescrime")]
)
def test_a_misspelt_concept_word_still_names_its_concept(text, concept):
    assert concept in named(text)


@pytest.mark.parametrize(
    "text, wrong, right",
    [
        ("faire ramoner le conduit de fumée", "conceptpermis", "conceptchemineepoele"),  # not « conduire »
        ("un local pour jouer de la batterie", "concepttelephone", "conceptinstrumentmusique"),
        ("un foyer avec un babyfoot pour les jeunes", "conceptsport", "conceptjouetsjeux"),
        ("oser jouer un rôle sur scène", "conceptloisirsenfants", "concepttheatreimpro"),
    ],
)
def test_a_word_said_in_another_need_names_that_need(text, wrong, right):
    assert wrong not in named(text) and right in named(text), named(text)


def test_a_phone_battery_is_still_a_phone_need():
    assert "concepttelephone" in named("la batterie de mon portable ne tient plus")
