"""The guided check's questions: few, buttons only, adapted, forgotten at the end or after 30 minutes."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.conversation.orientation import (
    SESSION_MINUTES,
    STEPS,
    Done,
    Gone,
    Question,
    Questionnaire,
)
from tests.conftest import Clock

START = dt.datetime(2026, 12, 1, 10, 0)


@pytest.fixture
def clock() -> Clock:
    return Clock(START)


@pytest.fixture
def check(clock) -> Questionnaire:
    return Questionnaire(clock)


def actions(question: Question) -> list[str]:
    return [b.action for row in question.buttons for b in row]


def press_label(check: Questionnaire, key: str, question: Question, label_start: str):
    """Press the button whose label starts with `label_start`, as a resident would."""
    for row in question.buttons:
        for button in row:
            if button.label.startswith(label_start):
                assert button.action.startswith("dr:")
                return check.press(key, button.action[3:])
    raise AssertionError(f"no button {label_start!r} in {[b.label for r in question.buttons for b in r]}")


def walk(check: Questionnaire, key: str, labels: list[str]):
    reply = check.start(key)
    asked = 1
    for label in labels:
        assert isinstance(reply, Question)
        previous = reply.text
        reply = press_label(check, key, reply, label)
        if isinstance(reply, Question) and reply.text.split(".")[0] != previous.split(".")[0]:
            asked += 1
    return reply, asked


FAMILY = [
    "25 à 59",
    "Mon conjoint",
    "Enfant de moins de 3",
    "Enfant de 6 à 10",
    "C'est tout",
    "Je travaille",
    "De 1 200 à 1 800",
    "Locataire dans",
    "Non",
    "Français",
]


def test_start_says_what_it_is_and_how_to_leave(check):
    question = check.start("k")
    assert "pas une décision" in question.text and "je ne garde pas vos réponses" in question.text
    assert "/stop" in question.text and "dr:stop" in actions(question)


def test_full_walk_gives_the_profile_and_forgets_the_session(check):
    done, asked = walk(check, "k", FAMILY)
    assert isinstance(done, Done)
    assert asked <= 7
    profile = done.profile
    assert profile.couple is True and sorted(profile.enfants) == [1, 8] and profile.situation == "emploi"
    assert profile.revenus_mensuels == 1200 and profile.logement == "locataire" and profile.papiers == "francais-ue"
    assert not check.active("k")


def test_every_question_is_buttons_only_with_short_actions(check):
    reply = check.start("k")
    seen = 0
    for label in FAMILY:
        assert isinstance(reply, Question) and reply.buttons
        assert all(len(action.encode()) <= 64 for action in actions(reply))
        seen += 1
        reply = press_label(check, "k", reply, label)
    assert seen == len(FAMILY)


def test_alone_without_income_is_not_asked_the_income(check):
    labels = ["25 à 59", "C'est tout", "Je n'ai pas de revenu", "Sans logement", "Non", "Français"]
    done, _ = walk(check, "k", labels)
    assert isinstance(done, Done) and done.profile.revenus_mensuels == 0


def test_i_dont_know_leaves_income_unanswered(check):
    labels = ["25 à 59", "C'est tout", "Je travaille", "Je ne sais pas", "Locataire HLM", "Non", "Titre"]
    done, _ = walk(check, "k", labels)
    assert isinstance(done, Done) and done.profile.revenus_mensuels is None


def test_health_question_speaks_of_daily_help_from_60(check):
    check.start("k")
    check.press("k", "age:65+")
    check.press("k", "foyer:ok")
    question = check.press("k", "situation:retraite")
    question = check.press("k", "revenus:1200")
    question = check.press("k", "logement:proprietaire")
    assert isinstance(question, Question) and "gestes de tous les jours" in question.text


def test_household_counts_each_child_and_can_be_reset(check):
    check.start("k")
    check.press("k", "age:25-59")
    check.press("k", "foyer:e0")
    question = check.press("k", "foyer:e0")
    assert "enfant de moins de 3 ans : 2" in question.text
    question = check.press("k", "foyer:raz")
    assert "personne, vous vivez seul(e)" in question.text


def test_stop_forgets_everything(check):
    check.start("k")
    check.press("k", "age:25-59")
    gone = check.press("k", "stop")
    assert isinstance(gone, Gone) and "oublié" in gone.text
    assert isinstance(check.press("k", "foyer:ok"), Gone)


def test_answers_are_forgotten_after_30_minutes(check, clock):
    check.start("k")
    check.press("k", "age:25-59")
    clock.now += dt.timedelta(minutes=SESSION_MINUTES - 1)
    assert isinstance(check.press("k", "foyer:ok"), Question)  # a press keeps it alive
    clock.now += dt.timedelta(minutes=SESSION_MINUTES + 1)
    assert not check.active("k")
    gone = check.press("k", "situation:emploi")
    assert isinstance(gone, Gone) and "/droits" in gone.text


def test_an_old_button_repeats_the_current_question(check):
    check.start("k")
    check.press("k", "age:25-59")
    question = check.press("k", "age:65+")
    assert isinstance(question, Question) and question.text.startswith("Question 2")


def test_conversations_do_not_share_answers(check):
    check.start("a")
    check.start("b")
    check.press("a", "age:65+")
    question = check.press("b", "foyer:ok")
    assert isinstance(question, Question) and question.text.startswith("Question 1")


def test_at_most_seven_steps():
    assert len(STEPS) <= 7


def test_back_returns_to_the_previous_question_and_corrects_the_answer(check):
    check.start("k")
    check.press("k", "age:25-59")
    check.press("k", "foyer:conj")
    check.press("k", "foyer:ok")
    question = check.press("k", "back")
    assert isinstance(question, Question) and question.text.startswith("Question 2")
    assert "en couple" in question.text  # the household as it was answered, to correct it
    check.press("k", "foyer:conj")
    check.press("k", "foyer:ok")
    question = check.press("k", "back")
    question = check.press("k", "back")
    assert question.text.startswith("Question 1")
    check.press("k", "age:65+")
    done, _ = None, None
    for value in ("foyer:ok", "situation:retraite", "revenus:1200", "logement:proprietaire", "sante:non"):
        check.press("k", value)
    done = check.press("k", "papiers:francais-ue")
    assert isinstance(done, Done)
    assert done.profile.age == 70 and done.profile.couple is False


def test_back_is_offered_from_the_second_question_only(check):
    first = check.start("k")
    assert "dr:back" not in actions(first)
    second = check.press("k", "age:25-59")
    assert "dr:back" in actions(second) and "dr:stop" in actions(second)
    again = check.press("k", "back")
    assert again.text.startswith("Question 1") and check.press("k", "back").text.startswith("Question 1")


def test_back_over_a_skipped_income_question_restores_the_situation(check):
    check.start("k")
    check.press("k", "age:25-59")
    check.press("k", "foyer:ok")
    question = check.press("k", "situation:sans-revenu")  # alone without income: income not asked
    assert question.text.startswith("Question 5")
    question = check.press("k", "back")
    assert question.text.startswith("Question 3")
    question = check.press("k", "situation:emploi")
    assert question.text.startswith("Question 4")  # now the income is asked


def test_dont_know_presses_the_steps_own_choice_or_skips_the_step(check):
    check.start("k")
    skipped = check.dont_know("k")
    assert isinstance(skipped, Question) and skipped.text.startswith("D'accord, je passe")
    assert "Question 2" in skipped.text
    check.press("k", "foyer:ok")
    check.press("k", "situation:emploi")
    after_income = check.dont_know("k")
    assert "Question 5" in after_income.text and not after_income.text.startswith("D'accord")
    for value in ("logement:locataire", "sante:non"):
        check.press("k", value)
    done = check.dont_know("k")
    assert isinstance(done, Done)
    assert done.profile.age is None and done.profile.revenus_mensuels is None and done.profile.papiers is None
    assert isinstance(check.dont_know("k"), Gone)
