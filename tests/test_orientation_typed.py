"""Words typed during the rights check: a short plain answer is read, anything else is asked again.

A resident who types "30 ans" instead of pressing a button must not lose the
check to a topic match; one who types something unclear gets the question
again with a French sentence saying how to answer or leave; a real question is
answered with a button to take the check up again; a danger is never read as
an answer.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.conversation import check_typing
from bot.conversation.core import Conversation
from bot.conversation.orientation import (
    AGE_BANDS,
    AGE_LOWER_EDGES,
    INCOME_BANDS,
    NOT_UNDERSTOOD,
    RESUME,
    RESUMED,
    STOPPED,
)
from bot.knowledge.engine import Engine
from tests.conftest import MONDAY_MORNING, Clock, RecordingRecorder
from tests.orientation_fixtures import KEY, press_label, walk


@pytest.fixture
def talk(check_kb: Path, recorder: RecordingRecorder) -> Conversation:
    """The small fixture base with the made-up RSA and CSS rules of the flow tests."""
    return Conversation(Engine.load(check_kb), recorder, channel="test", clock=Clock(MONDAY_MORNING))


AGE_EDGES = [(code, AGE_LOWER_EDGES[code]) for code, _, _ in AGE_BANDS]
INCOME_HIGHS = [(c, None if c == "plus" else int(c)) for c, _, _ in INCOME_BANDS if c != "nsp"]

# --------------------------------------------------------------------------- reading one answer


@pytest.mark.parametrize(
    "typed, band",
    [
        ("30", "25-59"),
        ("30 ans", "25-59"),
        ("J'ai 19 ans", "18-24"),
        ("j’ai 64 ans.", "60-64"),
        ("82", "65+"),
        ("15 ans", "m18"),
        ("3", None),  # the third button, not an age
        ("130 ans", None),
        ("j'ai 30 ans et deux enfants", None),  # a sentence is not guessed
        ("trente", "25-59"),
        ("Trente ans", "25-59"),
        ("j'ai quarante-cinq ans", "25-59"),
        ("dix-neuf ans", "18-24"),
        ("soixante et un", "60-64"),
        ("quatre-vingt-deux ans", "65+"),
        ("deux trente", None),  # not a number
        ("trois", None),
        ("bonjour", None),
    ],
)
def test_a_typed_age_reads_as_its_band(typed, band):
    assert check_typing.age_band(check_typing.fold(typed), AGE_EDGES) == band


@pytest.mark.parametrize(
    "typed, band",
    [
        ("0", "0"),
        ("500", "700"),
        ("900 €", "1200"),
        ("environ 1 500 euros par mois", "1800"),
        ("1.800€", "2500"),
        ("4000", "plus"),
        ("beaucoup", None),
        ("900 € mais ça dépend des mois", None),
    ],
)
def test_a_typed_amount_reads_as_its_income_band(typed, band):
    assert check_typing.income_band(check_typing.fold(typed), INCOME_HIGHS) == band


@pytest.mark.parametrize("typed, answer", [("Oui !", "oui"), ("ouais", "oui"), ("NON", "non"), ("peut-être", None)])
def test_yes_and_no_read_as_the_health_buttons(typed, answer):
    assert check_typing.yes_no(check_typing.fold(typed)) == answer


# --------------------------------------------------------------------------- in the conversation


def test_a_whole_check_can_be_answered_by_typing(talk: Conversation):
    reply = talk.check_rights(KEY)
    for typed in ["45 ans", "personne", "aucun revenu", "à la rue", "non", "française"]:
        assert reply.kind == "check", reply.text
        reply = talk.ask(KEY, typed)
    assert reply.kind == "check-result"
    assert "rsa" in reply.suggestions and "css" in reply.suggestions
    assert not talk.rights_check.active(KEY)


def test_a_typed_age_moves_to_the_next_question(talk, recorder):
    talk.check_rights(KEY)
    reply = talk.ask(KEY, "30 ans")
    assert reply.kind == "check" and reply.text.startswith("Question 2")
    assert recorder.unanswered == [] and recorder.answered == []


@pytest.mark.parametrize("typed", ["blabla", "ok", "3", "euh bof"])
def test_an_unclear_answer_asks_the_same_question_again_in_french(talk, recorder, typed):
    talk.check_rights(KEY)
    reply = talk.ask(KEY, typed)
    assert reply.kind == "check"
    assert reply.text.startswith(NOT_UNDERSTOOD) and "Question 1" in reply.text
    assert "Arrêter" in reply.text and any(b.label == "Arrêter" for row in reply.buttons for b in row)
    assert recorder.unanswered == []  # an answer to the check is not an unmet need
    assert talk.rights_check.active(KEY)


def test_a_real_question_is_answered_with_a_button_back_to_the_check(talk):
    walk(talk, ["25 à 59", "C'est tout"])
    answer = talk.ask(KEY, "mutuelle gratuite")
    assert answer.entry_id == "css"
    assert answer.buttons[0][0].action == RESUME
    resumed = press_label(talk, answer, "Reprendre")
    assert resumed.kind == "check" and resumed.text.startswith(RESUMED) and "Question 3" in resumed.text


def test_resume_after_the_check_ended_says_so(talk):
    walk(talk, ["25 à 59"])
    talk.stop(KEY)
    reply = talk.press(KEY, RESUME)
    assert reply.kind == "info" and "/droits" in reply.text


def test_a_danger_with_an_age_in_it_is_never_read_as_an_answer(talk):
    talk.check_rights(KEY)
    reply = talk.ask(KEY, "j'ai 30 ans et je veux mourir")
    assert reply.kind == "emergency"


@pytest.mark.parametrize("typed", ["mon mari", "Ma copine", "en couple", "avec ma femme", "pacsée"])
def test_the_partner_typed_at_who_lives_with_you_counts_once(talk, typed):
    walk(talk, ["25 à 59"])
    reply = talk.ask(KEY, typed)
    assert reply.kind == "check" and "Pour l'instant : en couple" in reply.text
    again = talk.ask(KEY, typed)  # typed twice: still a couple (the button itself switches on and off)
    assert "Pour l'instant : en couple" in again.text and not again.text.startswith(NOT_UNDERSTOOD)
    assert "Question 3" in talk.ask(KEY, "c'est tout").text


@pytest.mark.parametrize(
    "typed, count",
    [("2 enfants", 2), ("deux enfants", 2), ("j'ai 3 gosses", 3), ("J'ai trois gamins.", 3), ("mes 2 filles", 2)],
)
def test_a_number_of_children_typed_says_to_press_each_childs_age(talk, recorder, typed, count):
    walk(talk, ["25 à 59"])
    reply = talk.ask(KEY, typed)
    assert reply.kind == "check" and "Question 2" in reply.text
    assert not reply.text.startswith(NOT_UNDERSTOOD)
    assert f"{count} enfants" in reply.text and f"{count} fois" in reply.text
    assert recorder.unanswered == [] and recorder.answered == []
    assert talk.rights_check.active(KEY)


def test_children_counted_then_typed_again_are_confirmed(talk):
    walk(talk, ["25 à 59", "Enfant de 3 à 5 ans", "Enfant de 6 à 10 ans"])
    reply = talk.ask(KEY, "deux enfants")
    assert reply.text.startswith("C'est noté : 2 enfants") and "enfant de 3 à 5 ans : 1" in reply.text


def test_a_partner_and_children_typed_together_note_the_partner(talk):
    walk(talk, ["25 à 59"])
    reply = talk.ask(KEY, "ma femme et 2 enfants")
    assert "Pour l'instant : en couple" in reply.text and "2 fois" in reply.text


@pytest.mark.parametrize("typed", ["30 enfants", "enfants", "2 enfants malades", "mes 2 enfants et ma mere"])
def test_children_are_not_guessed_from_a_longer_sentence(typed):
    assert check_typing.household_said(check_typing.fold(typed)) is None


@pytest.mark.parametrize(
    "typed, counted",
    [
        ("2 enfants de 4 et 7 ans", "enfant de 3 à 5 ans : 1, enfant de 6 à 10 ans : 1"),
        ("une fille de 5 ans", "enfant de 3 à 5 ans : 1"),
        ("mes 3 enfants de 1, 12 et 16 ans", "enfant de moins de 3 ans : 1, enfant de 11 à 14 ans : 1, enfant de 15"),
        ("mon mari et ma fille de 3 ans", "en couple, enfant de 3 à 5 ans : 1"),
    ],
)
def test_children_typed_with_their_ages_are_counted_as_their_buttons(talk, typed, counted):
    walk(talk, ["25 à 59", "Enfant de moins de 3 ans"])  # typed ages describe the household: they replace this
    reply = talk.ask(KEY, typed)
    assert reply.text.startswith("C'est noté") and f"Pour l'instant : {counted}" in reply.text
    assert "Question 3" in talk.ask(KEY, "c'est tout").text


@pytest.mark.parametrize("typed", ["2 enfants de 4 ans", "un fils de 30 ans"])
def test_ages_that_do_not_fit_one_per_child_are_not_guessed(talk, typed):
    walk(talk, ["25 à 59"])
    reply = talk.ask(KEY, typed)
    assert "Pour l'instant : personne" in reply.text and "Appuyez sur" in reply.text


@pytest.mark.parametrize("typed", ["pas d'enfant", "Je n'ai pas d'enfants.", "aucun enfant"])
def test_no_child_typed_asks_only_about_a_partner(talk, typed):
    walk(talk, ["25 à 59"])
    reply = talk.ask(KEY, typed)
    assert reply.text.startswith("D'accord, pas d'enfant") and "Question 2" in reply.text
    assert "Question 3" in talk.ask(KEY, "c'est tout").text


@pytest.fixture
def shipped_talk(shipped_engine: Engine, recorder: RecordingRecorder) -> Conversation:
    """The shipped base: its goodbye and stop intents (the fixture base has none)."""
    return Conversation(shipped_engine, recorder, channel="test", clock=Clock(MONDAY_MORNING))


@pytest.mark.parametrize("typed", ["bye bye merci", "ok merci a plus tard"])
def test_a_goodbye_during_the_check_ends_it_and_says_goodbye(shipped_talk, recorder, typed):
    shipped_talk.check_rights(KEY)
    reply = shipped_talk.ask(KEY, typed)
    assert not shipped_talk.rights_check.active(KEY)
    assert reply.text.startswith(STOPPED) and reply.entry_id == "au-revoir"
    assert NOT_UNDERSTOOD not in reply.text and recorder.unanswered == []


def test_asking_to_stop_in_a_sentence_ends_the_check_as_stop_does(shipped_talk):
    shipped_talk.check_rights(KEY)
    reply = shipped_talk.ask(KEY, "laisse tomber on arrete")
    assert not shipped_talk.rights_check.active(KEY)
    assert reply.text == STOPPED


@pytest.mark.parametrize(("typed", "opening"), [("salut", "Bonjour !"), ("merci beaucoup", "Avec plaisir !")])
def test_a_greeting_or_thanks_during_the_check_is_answered_politely_then_the_question(
    shipped_talk, recorder, typed, opening
):
    shipped_talk.check_rights(KEY)
    reply = shipped_talk.ask(KEY, typed)
    assert shipped_talk.rights_check.active(KEY)
    assert reply.kind == "check" and reply.text.startswith(opening) and "Question 1" in reply.text
    assert NOT_UNDERSTOOD not in reply.text and recorder.unanswered == []
