"""Ages and amounts typed in words or digits during the rights check, in the core and in the console.

A resident who writes « trente ans », « mille deux cents » or « 30 » must be
understood; one who writes something unclear gets the question again with a
sentence saying what can be typed at that step. The result ends with a person to reach.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.channels.console import ConsoleSession
from bot.conversation import check_typing
from bot.conversation.core import Conversation
from bot.conversation.number_words import french_amount
from bot.conversation.orientation import AGE_BANDS, AGE_LOWER_EDGES, INCOME_BANDS, NOT_UNDERSTOOD
from bot.knowledge.engine import Engine
from tests.conftest import MONDAY_MORNING, Clock, RecordingRecorder
from tests.orientation_fixtures import KEY, walk

AGE_EDGES = [(code, AGE_LOWER_EDGES[code]) for code, _, _ in AGE_BANDS]
INCOME_HIGHS = [(c, None if c == "plus" else int(c)) for c, _, _ in INCOME_BANDS if c != "nsp"]


@pytest.fixture
def talk(check_kb: Path, recorder: RecordingRecorder) -> Conversation:
    return Conversation(Engine.load(check_kb), recorder, channel="test", clock=Clock(MONDAY_MORNING))


# --------------------------------------------------------------------------- numbers in words


@pytest.mark.parametrize(
    "words, number",
    [
        ("neuf cents", 900),
        ("mille", 1000),
        ("mille deux cents", 1200),
        ("mille et un", 1001),
        ("deux mille", 2000),
        ("deux mille cinq cents", 2500),
        ("zero", 0),
        ("trente", 30),  # no thousands: the number itself
        ("mille mille", None),
        ("zero mille", None),
        ("mille euros", None),  # the unit is the caller's business
        ("beaucoup", None),
        ("", None),
    ],
)
def test_french_amounts_in_words_read_as_integers(words, number):
    assert french_amount(words) == number


@pytest.mark.parametrize(
    "typed, band",
    [
        ("trente ans", "25-59"),
        ("Trente", "25-59"),
        ("j'ai soixante-deux ans", "60-64"),
        ("j ai vingt ans", "18-24"),
        ("quatre-vingt-deux ans", "65+"),
        ("deux", None),  # too young to be an age typed: more likely a button
        ("trente ans et deux enfants", None),  # a sentence is not guessed
    ],
)
def test_an_age_in_words_reads_as_its_band(typed, band):
    assert check_typing.age_band(check_typing.fold(typed), AGE_EDGES) == band


@pytest.mark.parametrize(
    "typed, band",
    [
        ("mille deux cents euros", "1800"),
        ("environ mille cinq cents euros par mois", "1800"),
        ("neuf cents €", "1200"),
        ("1 200 €", "1800"),
        ("rien", "0"),
        ("je gagne rien", "0"),
        ("Zéro", "0"),
        ("beaucoup d'argent", None),
    ],
)
def test_an_amount_in_words_or_nothing_reads_as_its_income_band(typed, band):
    assert check_typing.income_band(check_typing.fold(typed), INCOME_HIGHS) == band


# --------------------------------------------------------------------------- in the conversation


def test_a_check_answered_with_words_reaches_the_result(talk):
    reply = talk.check_rights(KEY)
    for typed in ["quarante-cinq ans", "personne", "aucun revenu", "à la rue", "non", "française"]:
        assert reply.kind == "check", reply.text
        reply = talk.ask(KEY, typed)
    assert reply.kind == "check-result" and "rsa" in reply.suggestions


@pytest.mark.parametrize(
    "answers_before, hint_word",
    [
        ([], "« 30 »"),
        (["25 à 59"], "« c'est tout »"),
        (["25 à 59", "C'est tout"], "« chômage »"),
        (["25 à 59", "C'est tout", "Je n'ai pas de revenu"], "« chez mes parents »"),
        (["25 à 59", "C'est tout", "Je n'ai pas de revenu", "Locataire dans le privé", "Non"], "« titre de séjour »"),
    ],
    ids=["age", "household", "situation", "housing", "papers"],
)
def test_an_unclear_answer_is_asked_again_saying_what_can_be_typed(talk, answers_before, hint_word):
    walk(talk, answers_before)
    reply = talk.ask(KEY, "euh bof")
    assert reply.kind == "check" and reply.text.startswith(NOT_UNDERSTOOD)
    assert hint_word in reply.text.split("Question", 1)[0]


def test_an_unclear_income_is_asked_again_with_an_example_amount(talk):
    reply = walk(talk, ["25 à 59", "C'est tout", "Je travaille"])
    assert "Combien gagnez-vous" in reply.text
    again = talk.ask(KEY, "ça dépend")
    assert again.text.startswith(NOT_UNDERSTOOD) and "« 1 200 € »" in again.text and "je ne sais pas" in again.text


def test_the_result_ends_with_a_person_to_reach(talk):
    talk.press(KEY, "q:bellevue")
    result = walk(talk, ["25 à 59", "C'est tout", "Je n'ai pas de revenu", "Sans logement", "Non", "Français"])
    assert result.kind == "check-result"
    tail = result.text.split("J'ai oublié vos réponses.", 1)[1]
    assert "À vérifier avec une personne" in tail and "Centre social imaginaire de Bellevue" in tail
    assert "mesdroitssociaux" not in tail  # the simulator comes before the person, not after


# --------------------------------------------------------------------------- the console


@pytest.fixture
def console(check_kb: Path) -> ConsoleSession:
    return ConsoleSession(Conversation(Engine.load(check_kb), RecordingRecorder(), channel="console"))


def test_the_console_reads_30_as_an_age_not_as_a_menu_number(console):
    console.handle("/droits")
    text = console.handle("30") or ""
    assert "Question 2 sur 7" in text and "Tapez un numéro" not in text


def test_the_console_still_presses_a_button_by_its_number_at_the_age_question(console):
    console.handle("/droits")
    text = console.handle("3") or ""  # « 25 à 59 ans », the third button
    assert "Question 2 sur 7" in text


def test_the_console_typed_amount_moves_to_the_housing_question(console):
    console.handle("/droits")
    for line in ("30", "c'est tout", "je travaille"):
        console.handle(line)
    text = console.handle("1 200 €") or ""
    assert "Question 5 sur 7" in text
