"""Button actions: what a pressed button sends back, written and read in one place.

A button carries a short string (Telegram's callback data, the console's
numbered choice) such as "e:css" or "rap:type:fin-droits:css": an `Action`
naming the part of the core that handles it, then its fields, joined by ":".
Every button is built with `encode` and every press is read with `parse`, so a
new action is added here once and no channel guesses at the format. What comes
back from a channel is not trusted: an old button, a forged callback or a typo
parses to None, and the core answers it in French instead of failing.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

SEPARATOR = ":"


class Action(StrEnum):
    """The first field of every button's data: which part of the core answers the press."""

    QUARTIER = "q"  # q:<quartier id> | q:autre | q:ailleurs
    ENTRY = "e"  # e:<entry id>: answer that entry (a suggestion, "Et aussi", the simulator)
    MORE = "plus"  # plus:<entry id>: the entry's details
    FEEDBACK = "fb"  # fb:<1|0>:<entry id>
    FORGET = "oubli"  # oubli:<oui|non>
    RIGHTS_CHECK = "dr"  # dr:<step>[:<choice>]: the guided rights check
    REMINDER = "rap"  # rap:<step>[:…]: opting in to a reminder
    CALLBACK = "cb"  # cb:<step>[:…]: asking to be called back
    MEDIATOR = "cbm"  # cbm:<pris|fait>:<request id>: a mediator's answer to a call-back request


class ReminderStep(StrEnum):
    """The second field of a "rap:" button: which step of opting in to (or stopping) a reminder."""

    OFFER = "offre"  # rap:offre:<entry id>: the "🔔 Me le rappeler" under an answer
    KIND = "type"  # rap:type:<kind id>:<entry id>: which reminder
    MONTH = "mois"  # rap:mois:<YYYY-MM>: the month it is about
    YES = "oui"  # rap:oui: the resident agrees to what will be kept
    NO = "non"  # rap:non: cancel, nothing is kept
    LIST = "liste"  # rap:liste: the resident's reminders (/rappels)
    STOP = "stop"  # rap:stop:<reminder id>: stop one series


class CallbackStep(StrEnum):
    """The second field of a "cb:" button: a step of asking to be called back."""

    OFFER = "offre"  # cb:offre:<entry id | ->
    IN_PERSON = "passe"  # cb:passe: "I will come instead", no phone number kept
    NO = "non"  # cb:non: cancel


class MediatorStep(StrEnum):
    """The second field of a "cbm:" button, pressed by a mediator under a call-back request."""

    TAKE = "pris"  # cbm:pris:<request id>: « Pris en charge »
    DONE = "fait"  # cbm:fait:<request id>: « Fait »


class RightsCheckStep(StrEnum):
    """The second field of a "dr:" button: a question of the guided rights check, or a move through it.

    The questions are asked in the order written here (`QUESTIONS` in bot.conversation.orientation).
    """

    START = "go"  # dr:go: start (again) from the first question
    STOP = "stop"  # dr:stop: end the check, answers forgotten
    BACK = "back"  # dr:back: the previous question again
    RESUME = "resume"  # dr:resume: the current question again, after a question answered outside the check
    AGE = "age"  # dr:age:<age band>
    HOUSEHOLD = "foyer"  # dr:foyer:<child band | conj | enc | raz | ok>
    SITUATION = "situation"  # dr:situation:<situation>
    INCOME = "revenus"  # dr:revenus:<income band>
    HOUSING = "logement"  # dr:logement:<housing>
    HEALTH = "sante"  # dr:sante:<oui | non>
    PAPERS = "papiers"  # dr:papiers:<papers>


Step = TypeVar("Step", ReminderStep, CallbackStep, MediatorStep, RightsCheckStep)


def split_step(steps: type[Step], value: str) -> tuple[Step | None, str]:
    """A flow's step and the rest of its fields from what follows the action; None: not a step of this flow.

    An old or forged button ("rap:zz") must reach the flow's "no longer valid"
    answer, never a KeyError: unknown steps come back as None.
    """
    head, _, rest = value.partition(SEPARATOR)
    try:
        return steps(head), rest
    except ValueError:
        return None, rest


@dataclass(frozen=True)
class Pressed:
    """A parsed button press: the action and the rest of the data (its fields, still joined)."""

    action: Action
    value: str

    @property
    def fields(self) -> list[str]:
        return self.value.split(SEPARATOR) if self.value else []


def encode(action: Action, *fields: str) -> str:
    """The data of a button: "e:css", "fb:1:css". Fields may be empty ("q:" never is sent by the core)."""
    return SEPARATOR.join((action.value, *fields))


def parse(data: object) -> Pressed | None:
    """Read a button's data; None when it is not one of ours (empty, not text, unknown action, control characters).

    Telegram's 64-byte limit is the Telegram adapter's business (it drops a
    button whose data is longer), so the console reads what it was shown.
    """
    if not isinstance(data, str) or not data or not data.isprintable():
        return None
    head, _, value = data.partition(SEPARATOR)
    try:
        action = Action(head)
    except ValueError:
        return None
    return Pressed(action, value)
