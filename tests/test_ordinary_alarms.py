"""Ordinary questions that share words with a danger raise no alarm, the dangers still do (issues #9, #11).

The look-alikes of knowledge/urgences/pas-urgence-{anglais,demarches,ecole,
loisirs,famille}.yaml teach the detector that « I want… », a school meeting, a
benefit « coupée » or a household breakdown in English are ordinary. The
messages here are written apart from those files, so the tests check that the
lesson generalises (each ordinary one alerted before them), and that a danger
told with the same words still gets the numbers.
"""

from __future__ import annotations

import pytest

from bot.knowledge.engine import Engine
from bot.understanding.danger import Expressions, everyday_words
from bot.understanding.normalize import fold


@pytest.fixture(scope="module")
def danger(shipped_engine: Engine):
    """The shipped base's danger detector: `detect` as the core calls it, `read` for its causes."""
    return shipped_engine.current.danger


@pytest.mark.parametrize(
    "message",
    [
        "the toilet is blocked and the landlord won't answer",
        "the teacher says my son is always tired in class",
        "la maîtresse dit que mon fils tape les autres enfants à la cantine",
        # pas-urgence-famille (couple life and benefits) and pas-urgence-aide (a real person):
        "si je vis avec ma copine on me retire le rsa ?",
        "si mon copain vient chez moi on me retire l'aah ?",
        "je veux une personne svp",
        # « je dors plus » is SMS for « je ne dors plus »: sleeplessness, not a night outside
        # (pas-urgence-sommeil.yaml, fourth series).
        "je dors plus depuis 1 mois, c normal ?",
        "I can't sleep anymore since I lost my job",
    ],
)
def test_an_everyday_question_sharing_words_with_a_danger_raises_no_alarm(danger, message):
    assert danger.detect(message) is None, message


@pytest.mark.parametrize(
    ("message", "kinds"),
    [
        ("il frappe à la porte depuis une heure en criant qu'il va me tuer", {"violence"}),
        ("mon mari m'a mise à la porte ce soir avec le bébé, on dort où", {"rue", "violence"}),
        ("I lost my job and I want to kill myself", {"suicide"}),
        ("the teacher says my son told her his dad beats him", {"enfant", "violence"}),
        ("la maîtresse a vu des bleus sur mon fils, c'est son beau-père qui le frappe", {"enfant", "violence"}),
        ("je veux en finir, laissez tomber", {"suicide"}),
        ("je veux une personne, je vais me jeter par la fenêtre", {"suicide"}),
        ("depuis qu'on vit ensemble il me retire mon argent et me frappe", {"violence"}),
        ("si mon copain vient chez moi il va me tuer", {"violence"}),
        ("je dors plus chez moi, il m'a mis dehors hier soir", {"rue", "violence"}),
        ("ce soir je dors plus nulle part", {"rue"}),
        ("je dors plus, je veux mourir", {"suicide"}),
        ("mon fils dort plus a la maison, il dort dans la rue", {"rue", "enfant"}),
    ],
)
def test_a_danger_told_with_the_same_words_still_alerts(danger, message, kinds):
    found = danger.detect(message)
    assert found is not None, message
    assert found.kind in kinds


@pytest.mark.parametrize(
    "message",
    [
        "mon patron m'a mis à la porte sans préavis, j'ai droit au chômage ?",
        "on m'a mise à la porte de mon stage du jour au lendemain",
        "ça m'a frappée, le prix du pain cette année",
    ],
)
def test_being_fired_or_struck_by_news_is_no_exact_danger_expression(danger, message):
    """The set phrases of pas-urgence.yaml's `expressions:` keep the backstop off; the model still reads them."""
    assert danger.read(message).expression_kinds == [], message


def test_being_put_out_by_a_partner_is_still_an_exact_danger_expression(danger):
    assert "rue" in danger.read("mon copain m'a mise à la porte ce soir, je dors où").expression_kinds


# --- the base's everyday words (mots-du-quotidien.yaml) as ordinary texts -------------------


def test_everyday_words_never_teach_a_danger_word_as_ordinary():
    """A word holding an exact expression, or sharing a word with a danger phrasing, is left out."""
    backstop = Expressions({"violence": ["me frappe"]}, lambda words: words)
    kept = everyday_words(
        {"cuisine": ["couteau", "casserole", "poêle"], "bruit": ["il me frappe fort", "aboie"]},
        {"violence": ["il me menace avec un couteau"]},
        backstop,
        fold,
        known=["aboie"],
    )
    assert kept == ["casserole", "poêle"]


@pytest.mark.parametrize(
    "message", ["mon bracelet de montre est cassé", "ma bouilloire est cassée", "the doorbell doesn't ring anymore"]
)
def test_an_everyday_object_outside_the_rights_raises_no_alarm(danger, message):
    """Each alerted before the everyday words were learned as ordinary (violence 0.41 and 0.49, suicide 0.42)."""
    assert danger.detect(message) is None, message


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ("il me menace avec un couteau de cuisine", "violence"),
        ("il a cassé ma montre et m'a frappée", "violence"),
        ("mon fils a avalé une pile de montre", "medical"),
        ("je dors dans le parc depuis trois nuits", "rue"),
    ],
)
def test_a_danger_told_with_everyday_words_still_alerts(danger, message, kind):
    found = danger.detect(message)
    assert found is not None and found.kind == kind, message
