"""Button actions: one format written by `encode`, read by `parse`, used by every channel.

What comes back from a channel is not trusted: an old button, a forged callback
or random bytes must get a short French answer, never a traceback.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.channels.console import ConsoleSession
from bot.conversation.actions import (
    Action,
    CallbackStep,
    MediatorStep,
    Pressed,
    ReminderStep,
    RightsCheckStep,
    encode,
    parse,
    split_step,
)
from bot.conversation.core import Conversation
from bot.conversation.orientation import STEPS, Done, Questionnaire
from bot.conversation.texts import STALE_BUTTON
from bot.storage.consented import CallbackStatus
from tests.conftest import MONDAY_MORNING

KEY = "cle-de-test"
ADDRESS = "7319046852"  # a made-up chat address


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("fields", [(), ("css",), ("1", "css"), ("type", "fin-droits", "css"), ("offre", "")])
def test_every_action_round_trips(action, fields):
    data = encode(action, *fields)
    pressed = parse(data)
    assert pressed == Pressed(action, ":".join(fields))
    assert encode(pressed.action, *pressed.fields) == data


def test_actions_are_distinct_and_free_of_the_separator():
    values = [action.value for action in Action]
    assert len(set(values)) == len(values)
    assert all(":" not in value and value for value in values)


@pytest.mark.parametrize("steps", [ReminderStep, CallbackStep, MediatorStep, RightsCheckStep])
def test_every_step_is_read_back_and_an_unknown_one_is_none(steps):
    for step in steps:
        assert ":" not in step.value
        assert split_step(steps, encode(Action.REMINDER, step, "x", "y").partition(":")[2]) == (step, "x:y")
        assert split_step(steps, step.value) == (step, "")
    assert split_step(steps, "zz:1") == (None, "1")
    assert split_step(steps, "") == (None, "")


def test_rights_check_steps_keep_the_values_of_buttons_already_sent():
    """Chats hold buttons sent before a change ("dr:age:25-59"): renaming a step would make them stale."""
    assert [step.value for step in RightsCheckStep] == [
        "go",
        "stop",
        "back",
        "resume",
        "age",
        "foyer",
        "situation",
        "revenus",
        "logement",
        "sante",
        "papiers",
    ]


def test_every_rights_check_button_names_one_of_its_steps():
    """Answering with the first choice of each question walks through all of them, every button a known step."""
    questionnaire = Questionnaire(clock=lambda: MONDAY_MORNING)
    question = questionnaire.start(KEY)
    asked = []
    while not isinstance(question, Done):
        presses = [parse(button.action) for row in question.buttons for button in row]
        assert all(p is not None and p.action is Action.RIGHTS_CHECK for p in presses)
        steps = [split_step(RightsCheckStep, p.value) for p in presses]
        assert all(step is not None for step, _ in steps)
        step, choice = next((step, choice) for step, choice in steps if choice)  # not « Arrêter » nor « Revenir »
        asked.append(step)
        choice = "ok" if step is RightsCheckStep.HOUSEHOLD else choice  # « C'est tout »: nobody else at home
        question = questionnaire.press(KEY, f"{step}:{choice}")
    assert asked == list(STEPS)


def test_call_back_statuses_keep_the_values_already_stored():
    """Databases in service hold these words in callbacks.status: renaming one would orphan their requests."""
    assert [status.value for status in CallbackStatus] == ["ouverte", "prise"]


@pytest.mark.parametrize(
    "data",
    ["", "zz", "zz:css", "E:css", " e:css", "e:css\n", "q:bell\x00evue", "\u202ee:css", None, 42, b"e:css"],
)
def test_foreign_data_is_not_an_action(data):
    assert parse(data) is None


@pytest.mark.parametrize(
    "data",
    [
        "",
        "zz:css",
        "e:n'existe-pas",
        "plus:../../etc/passwd",
        "fb:7:css",
        "fb:1",
        "q:mars",
        "q:",
        "oubli:peut-etre",
        "dr:age:999",
        "dr:",
        "rap:",
        "rap:type:inconnu:css",
        "rap:mois:2027-99",
        "rap:mois:abc",
        "rap:stop:pas-un-nombre",
        "rap:oui",
        "cb:",
        "cb:offre:n'existe-pas",
        "cb:passe",
        "cbm:pris:1",
        "e:css\x00",
    ],
)
def test_forged_or_stale_buttons_get_a_french_answer(talk, data):
    reply = talk.press(KEY, data, address=ADDRESS)
    assert reply.text.strip()
    assert "Traceback" not in reply.text and "Error" not in reply.text


def test_data_that_is_not_an_action_gets_the_stale_button_answer_and_records_nothing(talk, recorder):
    for data in ("zz:css", "", "e:css\n"):
        assert talk.press(KEY, data).text == STALE_BUTTON
    assert recorder.answered == [] and recorder.unanswered == [] and recorder.feedback == []


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(action=st.sampled_from(list(Action)), rest=st.text(max_size=40))
def test_any_value_after_a_known_action_never_fails(talk, action, rest):
    reply = talk.press(KEY, f"{action.value}:{rest}", address=ADDRESS)
    assert reply.text.strip()


def collect_buttons(talk: Conversation) -> list[str]:
    """The data of every button a resident meets on a walk through the bot's main paths."""
    replies = [
        talk.start(KEY),
        talk.press(KEY, encode(Action.QUARTIER, "bellevue")),
        talk.help(KEY),
        talk.confirm_forget(KEY),
        talk.check_rights(KEY),
        talk.ask(KEY, "css"),
        talk.press(KEY, encode(Action.ENTRY, "css"), address=ADDRESS),
        talk.press(KEY, encode(Action.REMINDER, "offre", "css"), address=ADDRESS),
        talk.press(KEY, encode(Action.CALLBACK, "offre", "css"), address=ADDRESS),
    ]
    check = Questionnaire(lambda: MONDAY_MORNING).start(KEY)  # the fixture base has no rules: the check alone
    rows = [row for reply in replies for row in reply.buttons] + check.buttons
    return [button.action for row in rows for button in row]


def test_every_button_the_core_shows_is_an_action_that_round_trips(talk):
    data = collect_buttons(talk)
    seen = {parse(d).action for d in data if parse(d) is not None}
    assert len(data) > 10
    assert all(parse(d) is not None for d in data), [d for d in data if parse(d) is None]
    assert all(encode(parse(d).action, *parse(d).fields) == d for d in data)
    assert {Action.QUARTIER, Action.FORGET, Action.RIGHTS_CHECK, Action.FEEDBACK, Action.REMINDER} <= seen


def test_the_console_presses_what_it_showed_through_the_same_helper(conversation):
    session = ConsoleSession(conversation)
    session.handle("/quartier")
    assert all(parse(action) is not None for action in session.actions)
    session.choose_quartier("bellevue")
    assert conversation.recorder.quartier_of(session.key) == "bellevue"
