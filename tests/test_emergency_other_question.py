"""After the numbers, the resident's other question: said in a line and answered by a button, or asked again.

Made-up messages only. A person in danger who also asks something else must
see where that answer is, in French or in English, and must never get an
unrelated right instead.
"""

from __future__ import annotations

import pytest

from bot.cli import ask_record
from bot.conversation import emergency
from bot.conversation.core import Conversation
from bot.conversation.recorder import MemoryRecorder
from bot.conversation.texts import OTHER_QUESTION_AGAIN, OTHER_QUESTION_BUTTON
from bot.knowledge import Engine
from tests.conftest import MONDAY_MORNING

KEY = "chat-other-question"
MIXED = "mon copain me met des coups et au fait comment faire une demande de rsa"


def other_buttons(reply) -> list:
    return [b for row in reply.buttons for b in row if b.label.startswith(OTHER_QUESTION_BUTTON)]


def test_the_other_question_is_named_in_the_reply_and_its_button_opens_it(conversation):
    reply = conversation.ask(KEY, MIXED)
    assert reply.kind == "emergency" and reply.suggestions == ["rsa"]
    title = conversation.engine.current.kb.entries["rsa"].title
    assert f"« {title} »" in reply.text
    (button,) = other_buttons(reply)
    assert button.action == "e:rsa" and title[:10] in button.label
    assert reply.text.index("Votre autre question") > reply.text.index("17")  # after the danger part


def test_an_other_question_not_surely_recognised_is_asked_again_never_offered(conversation, monkeypatch):
    """Read with less confidence than an other question needs, the entry is not offered: the person asks again."""
    monkeypatch.setattr(emergency, "MIN_OTHER_QUESTION_SCORE", 101)
    reply = conversation.ask(KEY, MIXED)
    assert reply.kind == "emergency" and reply.entry_id == "violences"
    assert reply.suggestions == [] and not other_buttons(reply)
    assert OTHER_QUESTION_AGAIN in reply.text


def test_a_danger_told_without_any_other_question_gets_no_such_line(conversation):
    reply = conversation.ask(KEY, "mon copain me met des coups tous les soirs")
    assert reply.kind == "emergency"
    assert OTHER_QUESTION_AGAIN not in reply.text and "Votre autre question" not in reply.text


# One made-up message per kind of danger, and the entry the reply may continue with.
DANGERS = {
    "violence": ("mon copain me frappe tous les soirs", "violences"),
    "suicide": ("je veux mourir, je n'en peux plus de cette vie", "sante-mentale"),
    "enfant": ("mon beau-père touche ma fille de 8 ans quand je travaille", None),  # no adult page after the 119
    "rue": ("on dort dehors ce soir avec mon bébé", "hebergement-urgence"),
    "medical": ("mon père ne respire plus, il est tout bleu", None),
}
ASKED = {
    "fr": "et au fait comment avoir la complémentaire santé solidaire ?",
    "en": "and also how can I get free health insurance?",
}


@pytest.fixture(scope="module")
def shipped_conversation(shipped_engine: Engine) -> Conversation:
    return Conversation(shipped_engine, MemoryRecorder(), channel="test", clock=lambda: MONDAY_MORNING)


@pytest.mark.parametrize("kind", sorted(DANGERS))
@pytest.mark.parametrize("language", sorted(ASKED))
def test_every_kind_mixed_with_a_clear_question_continues_with_its_entry_then_that_question(
    shipped_conversation, kind, language
):
    danger, entry = DANGERS[kind]
    message = f"{danger}, {ASKED[language]}"
    reply = shipped_conversation.ask(f"{KEY}-{kind}-{language}", message)
    record = ask_record(shipped_conversation.engine, message)
    assert record["urgence"] == kind and reply.kind == "emergency"
    assert reply.entry_id == entry
    # The question is either answered by its button, or the person is asked to write it again:
    # never silently dropped, never another right.
    offered = other_buttons(reply)
    if offered:
        assert reply.suggestions == record["suggestions"] and len(reply.suggestions) == 1
        assert reply.suggestions[0].startswith(("css", "complementaire", "assurance")), reply.suggestions
    else:
        assert OTHER_QUESTION_AGAIN in reply.text and reply.suggestions == []


@pytest.mark.parametrize("kind", sorted(DANGERS))
def test_every_kind_mixed_with_a_telling_clause_continues_with_its_entry_only(shipped_conversation, kind):
    danger, entry = DANGERS[kind]
    reply = shipped_conversation.ask(f"{KEY}-{kind}-told", f"{danger}, j'habite à Bellevue depuis trois ans")
    assert reply.kind == "emergency" and reply.entry_id == entry
    assert reply.suggestions == [] and not other_buttons(reply)
    assert OTHER_QUESTION_AGAIN not in reply.text


# A clause whose question frame ("je voudrais savoir si j'ai droit", "personne m'aide pour")
# pulls the matcher towards another entry than the one its content names: a guess, never offered.
FRAME_AND_CONTENT_DISAGREE = [
    ("il me frappe quand il boit, je voudrais savoir si j'ai droit aux allocations familiales seule", "simulateur"),
    ("je vais me foutre en l'air, personne m'aide pour le dossier de retraite", "apa"),
]


@pytest.mark.parametrize(("message", "guess"), FRAME_AND_CONTENT_DISAGREE)
def test_an_other_question_read_through_its_frame_only_is_not_offered(shipped_engine, message, guess):
    record = ask_record(shipped_engine, message)
    assert record["urgence"] is not None
    assert guess not in record["suggestions"] and record["id"] != guess


@pytest.mark.parametrize(
    ("clause", "entry"),
    [
        ("et sinon comment on fait pour demander la prime d'activité ?", "prime-activite"),
        ("est-ce que je peux avoir une place en crèche pour ma fille ?", "garde-enfant"),
    ],
)
def test_an_other_question_whose_content_names_its_entry_is_still_offered(shipped_engine, clause, entry):
    record = ask_record(shipped_engine, f"mon copain me cogne. {clause}")
    assert record["urgence"] == "violence" and record["suggestions"] == [entry]


def test_the_content_of_a_question_is_what_remains_without_its_asking_words():
    assert emergency.without_asking_words("Comment je peux demander le RSA ?") == "je le rsa"


@pytest.mark.parametrize(
    ("clause", "marked", "asks"),
    [
        ("comment on fait pour demander la prime d'activité", False, True),
        ("et sinon c'est quand le versement de la caf", False, True),
        ("jai droit au rsa", False, True),
        ("je voudrais savoir si j'ai droit aux allocations", False, True),
        ("how do families apply for the school grant", False, True),
        ("le versement de la caf est en retard", True, True),  # a « ? » follows it in the message
        ("j'ai déjà regardé comment je vais m'y prendre", False, False),  # a plan told, not a question
        ("l'aide ménagère de la mairie ne passe que vendredi", False, False),  # « l'aide »: a help named
        ("depuis que j'ai perdu mon travail", False, False),
        ("mon droit au chômage s'est arrêté en mars", False, False),
    ],
)
def test_a_clause_asks_only_when_it_says_so_clearly(clause, marked, asks):
    assert emergency.asks_something(clause, marked) is asks


def test_a_danger_whose_other_clause_only_tells_is_offered_no_other_right(shipped_engine):
    message = (
        "mon mari est tombé dans la cuisine, il respire mal et ne répond plus, "
        "l'aide à domicile de l'APA passe seulement lundi"
    )
    record = ask_record(shipped_engine, message)
    assert record["urgence"] == "medical"
    assert record["suggestions"] == []  # the APA is named in the story, not asked: no button beside the 15


def test_a_question_mark_marks_the_clause_it_follows():
    message = "il me frappe. le versement de la caf est en retard ? merci"
    assert emergency.question_mark_after(message, "le versement de la caf est en retard")
    assert not emergency.question_mark_after(message, "il me frappe")


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("il nous frappe, moi et les enfants", True),
        ("he hits me and the kids", True),
        ("il me dit que je suis nulle et il me frappe", True),
        ("il me frappe et dit que c'est de ma faute", True),  # the verb after « me » is the beating
        ("I'm scared, my neighbour's boyfriend beats her little boy", False),  # « I'm »: the writer speaks
        ("ma nièce me l'a dit hier soir, son beau-père la frappe", False),  # told, not acted on
        ("mon compagnon touche ma fille quand je suis pas là", False),
        ("quand elle vient chez moi elle a des bleus, le copain de sa mère la frappe", False),  # « chez moi »
        ("hier elle m'a montré une brûlure que son père lui a faite", False),  # shown, not acted on
        ("son père le frappe. Moi je touche le RSA", False),  # « moi je »: the writer as subject
    ],
)
def test_the_writer_is_a_target_when_acted_on_not_when_told(text, target):
    assert emergency.writer_is_a_target(text) is target
