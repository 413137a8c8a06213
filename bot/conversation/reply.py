"""What the conversation core hands back to a channel: text, buttons, and what was understood.

Channels (console, Telegram) only render these; they never decide wording.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

# What happened, for adapters, tests and `ask --jsonl` (its "kind" key): a closed list, so a typo is a type error.
ReplyKind = Literal[
    "answer",  # an entry answers the question
    "suggest",  # hesitating between entries: buttons to choose
    "unknown",  # not understood: kept for the laboratoire, a person to reach
    "offtopic",  # outside what the bot covers, said kindly, with a person
    "emergency",  # danger recognised: emergency numbers first
    "quartier",  # asking for, or confirming, the quartier
    "quartier-needed",  # a call-back needs the quartier first
    "place",  # a place said alone: the quartier noted or to confirm, not a question
    "info",  # anything else the bot says (help, stale button, small talk)
    "feedback",  # thanks for a 👍 / 👎
    "forgotten",  # /oubli done
    "check",  # a question of the guided rights check
    "check-result",  # the rights the check found
    "reminder",  # a step of opting in to a reminder
    "reminder-saved",
    "reminder-sent",
    "reminder-stopped",
    "callback",  # a step of asking to be called back
    "callback-sent",
    "callback-request",  # the request as shown to a mediator
]


@dataclass(frozen=True)
class Button:
    """A choice offered to the resident.

    `action` is sent back to `Conversation.press` when chosen. It is built by
    `bot.conversation.actions.encode` and read by its `parse`, and is short
    (well under Telegram's 64-byte callback limit) so adapters can pass it as is.
    """

    label: str
    action: str


@dataclass
class Reply:
    """One answer of the bot.

    `text` is plain text (no markup): each channel escapes and formats it.
    `kind` tells adapters and tests what happened without parsing French text
    (one of `ReplyKind`).
    """

    text: str
    kind: ReplyKind = "info"
    buttons: list[list[Button]] = field(default_factory=list)
    entry_id: str | None = None
    score: int = 0
    quartier: str | None = None
    suggestions: list[str] = field(default_factory=list)
    # The help points and the phone line shown (ids), so tests and benchmarks need not parse French.
    places: list[str] = field(default_factory=list)
    phone_line: str | None = None
