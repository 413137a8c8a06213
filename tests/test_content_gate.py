"""The content gate: a weak alert explained by a harmless use of a danger word is vetoed, a danger never is.

The look-alikes and dangers here are written for this file, apart from the
knowledge base and every evaluation set. A tiny detector (a few phrasings,
where « frappe » or « tuer » is danger evidence whatever it hits) shows the
veto at work; the shipped base shows that real dangers still alert.
"""

from __future__ import annotations

import numpy as np
import pytest

from bot.knowledge.engine import Engine
from bot.understanding import danger as danger_module
from bot.understanding.content_gate import harmless_spans, knocks_allowed, masked, message_allows_veto
from bot.understanding.danger import DangerDetector
from bot.understanding.model_cache import ModelCache
from bot.understanding.normalize import fold, glue_elisions

# The words a crude stand-in model reads as danger evidence wherever they are: « frappe » or « tue »
# alert whoever they hit, as n-grams do. The gate must then tell a thing from a person.
TRIGGERS = frozenset(
    "tue frappe frappee tape tapee mordu bats vire touche vivre want like hausse crie murs peur dors dort rue"
    " morte mourir snow voudrais sleep dorment toit".split()
)


# Words that are weak danger evidence alone (0.3: below a whole message's 0.35, above 0.75 of it).
WEAK = frozenset({"seul"})


class TriggerModel:
    """A stand-in for the danger model: 0.6 of violence when a trigger word is read, 0.3 for a weak word, else 0.05."""

    classes = ("none", "violence")
    none_column = 0

    def features_of_words(self, words):
        return [1 if word in TRIGGERS else 2 for word in words if word in TRIGGERS or word in WEAK], True

    def probabilities_of(self, column_lists):
        danger = np.array([0.6 if 1 in columns else 0.3 if columns else 0.05 for columns in column_lists])
        return np.column_stack([1.0 - danger, danger])


def _words(text: str) -> str:
    return glue_elisions(fold(text))


@pytest.fixture(scope="module")
def crude() -> DangerDetector:
    detector = DangerDetector({"violence": ["il me frappe"]}, ["horaires de la mairie"], {}, cache=ModelCache())
    detector.model = TriggerModel()  # type: ignore[assignment]
    return detector


@pytest.mark.parametrize(
    "message",
    [
        "ma fille a tué toutes les mouches de la cuisine",
        "le chiot a mordu mes chaussons neufs",
        "quelqu'un frappe à la porte, sûrement le livreur",
        "mon petit tape dans ses mains en chantant",
        "mon patron m'a viré vendredi, quels papiers pour France Travail",
        "ma belle-sœur touche l'allocation logement depuis mars",
        "combien d'argent il faut pour vivre seule à Brest",
        "I would like to book an appointment",
        "je me bats avec la préfecture pour mon titre",
        "la hausse des prix nous frappe tous",
        "tape ton code pin sur la borne",
        "ce week-end je dors chez ma cousine",
        "le lapin dort dans sa cage sur le balcon",
        "j'habite rue des Glycines, au deuxième",
        "je suis morte de rire devant ce sketch",
        "is it going to snow on Sunday",
        "je voudrais apprendre le breton",
        "avec mon compagnon on aimerait vivre ensemble",
        "ma voisine frappe à la porte pour rendre le plat",
        "mon neveu tape sur son tambour toute la journée",
        "les jumeaux dorment dans la même chambre que nous",
        "on vit à six dans un T2 mais on a un toit",
        "je dors mal à cause du bruit des travaux",
    ],
)
def test_a_look_alike_of_violent_words_on_things_is_vetoed(crude, monkeypatch, message):
    assert crude.detect(message) is None, message
    monkeypatch.setattr(danger_module, "GATE_CEILING", 0.0)  # without the gate, the same reading alerts
    assert crude.detect(message) is not None, message


@pytest.mark.parametrize(
    "message",
    [
        "il m'a frappée avec la télécommande",
        "il tape dans les murs et crie sur moi",
        "mon patron m'a viré et m'a frappé dans le bureau",
        "on frappe à la porte, j'ai peur que ce soit lui",
        "il a mordu ma fille et il a cassé la télé",
        "je dors dans la rue depuis lundi",
        "mon chien et moi on dort dehors",
        "je dors chez mon frère mais il me frappe",
        "on est à la rue de nouveau avec les enfants",
        "je ne peux plus dormir chez ma tante, elle me frappe",
        "I can't sleep at my cousin's anymore, I sleep in the street",
    ],
)
def test_a_danger_with_a_look_alikes_words_is_never_vetoed(crude, message):
    assert crude.detect(message) is not None, message


def test_a_weak_danger_tipped_over_by_a_harmless_span_is_not_vetoed(crude, monkeypatch):
    message = "le petit est seul et ma mère touche sa pension"  # the rest still reads 0.3 of the level's 0.35
    assert crude.detect(message) is not None
    monkeypatch.setattr(danger_module, "GATE_REST_SHARE", 1.0)  # a veto whenever the rest is below the level
    assert crude.detect(message) is None


def test_a_confident_alert_is_never_vetoed(crude, monkeypatch):
    monkeypatch.setattr(danger_module, "GATE_CEILING", 0.5)  # the stand-in's 0.6 is now "confident"
    assert crude.detect("le chiot a mordu mes chaussons neufs") is not None


@pytest.fixture(scope="module")
def shipped(shipped_engine: Engine) -> DangerDetector:
    return shipped_engine.current.danger


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ("mon ex tape à ma porte toute la nuit et hurle mon nom", "violence"),
        ("mon beau-père touche ma petite sœur quand maman dort", "enfant"),
        ("je n'ai plus la force de vivre, je veux que tout s'arrête", "suicide"),
        ("I want to end my life tonight", "suicide"),
        ("il m'a viré de chez lui ce soir et je n'ai nulle part où dormir", "rue"),
        ("mon chef m'a viré et ce soir mon mari m'a tapée parce que je perds mon salaire", "violence"),
        ("il m'a tapé avec le câble du téléphone", "violence"),
        ("mon chien et moi on dort dehors depuis l'expulsion", "rue"),
        ("ma copine m'héberge ce soir mais demain je suis à la rue", "rue"),
        ("je suis morte de peur, il tape à la porte depuis une heure", "violence"),
        ("on n'a plus de toit, on dort dans la voiture avec le bébé", "rue"),
        ("je ne dors plus à cause de lui, il me frappe toutes les nuits", "violence"),
    ],
)
def test_the_shipped_detector_still_finds_dangers_that_hold_a_harmless_span_or_look_like_one(shipped, message, kind):
    found = shipped.detect(message)
    assert found is not None, message
    assert kind in found.kinds


@pytest.mark.parametrize(
    "text",
    [
        "il me frappe avec le téléphone",
        "il l'a tapée avec un livre",
        "mon beau-père touche ma fille",
        "papy la touche sous la culotte",
        "mari frappe, pas papier",
        "il tape contre le mur",
        "je n'ai plus de raison pour vivre",
        "I need to talk to someone",
        "je ne peux plus dormir chez ma sœur",
        "on n'a plus de toit",
    ],
)
def test_a_violent_verb_aimed_at_a_person_is_no_harmless_span(text):
    assert harmless_spans(_words(text)) == ()


def test_a_knock_is_harmless_only_when_no_ex_or_partner_is_named():
    assert knocks_allowed(fold("quelqu'un a frappé à la porte ce matin"))
    assert not knocks_allowed(fold("mon ex a frappé à la porte ce matin"))
    assert harmless_spans(_words("on frappe a la porte"), knock_allowed=False) == ()


def test_fear_or_a_cry_for_help_anywhere_forbids_any_veto():
    assert message_allows_veto(fold("le chien a mordu le canapé"))
    assert not message_allows_veto(fold("le chien a mordu le canapé, au secours il arrive"))
    assert not message_allows_veto(fold("on frappe à la porte, j'ai peur"))


def test_masking_removes_the_words_of_a_span_only():
    words = _words("hier il a tué ma plante verte").split()
    spans = harmless_spans(" ".join(words))
    assert masked(words, spans) == ["hier", "il", "a", "verte"]
