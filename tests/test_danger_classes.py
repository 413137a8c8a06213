"""Classes of danger phrasing the detector used to miss, read by the shipped base's detector (issue #9).

Each class (English despair without the word « suicide », harassment by an ex,
fear alone as a cry for help, an adult child hitting a parent, a child's
disclosure at school) was taught with phrasings in knowledge/urgences/; the
messages here are written apart from them, so the tests check that the class
generalises, not that a sentence was pasted. The household look-alikes
(knowledge/urgences/pas-urgence-maison.yaml) are checked the same way.
"""

from __future__ import annotations

import pytest

from bot.knowledge.engine import Engine


@pytest.fixture(scope="module")
def detect(shipped_engine: Engine):
    return shipped_engine.current.danger.detect


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        # English despair, no word for suicide
        ("i can't keep doing this, i want out for good", "suicide"),
        ("they'd all be better off if I was gone", "suicide"),
        ("there's nothing to live for anymore", "suicide"),
        # harassment, stalking, threats by messages
        ("he won't stop messaging me and says he'll come to my work", "violence"),
        ("il menace de diffuser une vidéo de moi", "violence"),
        # fear alone as a cry for help: violence, not a child's danger nor suicide
        ("j'ai peur qu'il revienne ce soir", "violence"),
        ("I'm scared to go home", "violence"),
        # an adult son or daughter hitting a parent
        ("my adult son pushed me and took my pension", "violence"),
        ("mon fils de 45 ans m'a frappée hier", "violence"),
        # a child's disclosure at school, a report of a child in danger
        ("je voudrais signaler un enfant maltraité dans mon immeuble", "enfant"),
        ("l'infirmière du lycée a vu des traces de coups sur mon fils", "enfant"),
        ("je suis enseignant, un enfant m'a dit que sa mère le brûle", "enfant"),
    ],
)
def test_a_danger_of_a_once_missed_class_starts_with_its_kind(detect, message, kind):
    found = detect(message)
    assert found is not None, message
    assert found.kind == kind


@pytest.mark.parametrize(
    "message",
    [
        "the paperwork is killing me lol",
        "le four fait sauter les plombs",
        "on a eu un cambriolage il y a un mois, comment remplacer la serrure ?",
    ],
)
def test_a_household_breakdown_or_an_english_idiom_raises_no_alarm(detect, message):
    assert detect(message) is None
