"""The channel-agnostic conversation: a message in, a `Reply` out.

`core` decides what to say, `texts` holds the bot's own wording, `places`
describes a help point, `hours` says whether it is open now, `reply` is what
channels render, and `recorder` is the port through which the core records
what the laboratoire will review (the storage package implements it).

The names below are loaded on first use (PEP 562), not when the package is
imported: the core builds on the reminder and call-back flows, which build on
`bot.conversation.actions` and `bot.conversation.reply`. Importing the core
here eagerly made `import bot.reminders.flow` (or `.callback`), done first
and alone, fail on a circular import.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.config import PARIS
    from bot.conversation.actions import Action, Pressed, encode, parse
    from bot.conversation.core import Conversation, quartier_buttons
    from bot.conversation.hours import opening_status, paris_now
    from bot.conversation.places import describe_place
    from bot.conversation.recorder import MemoryRecorder, Recorder
    from bot.conversation.reply import Button, Reply, ReplyKind

_HOME = {
    "PARIS": "bot.config",
    "Action": "bot.conversation.actions",
    "Pressed": "bot.conversation.actions",
    "encode": "bot.conversation.actions",
    "parse": "bot.conversation.actions",
    "Conversation": "bot.conversation.core",
    "quartier_buttons": "bot.conversation.core",
    "opening_status": "bot.conversation.hours",
    "paris_now": "bot.conversation.hours",
    "describe_place": "bot.conversation.places",
    "MemoryRecorder": "bot.conversation.recorder",
    "Recorder": "bot.conversation.recorder",
    "Button": "bot.conversation.reply",
    "Reply": "bot.conversation.reply",
    "ReplyKind": "bot.conversation.reply",
}

__all__ = [
    "PARIS",
    "Action",
    "Button",
    "Conversation",
    "MemoryRecorder",
    "Pressed",
    "Recorder",
    "Reply",
    "ReplyKind",
    "describe_place",
    "encode",
    "opening_status",
    "parse",
    "paris_now",
    "quartier_buttons",
]


def __getattr__(name: str) -> object:
    """Load a re-exported name from the module that defines it, on first use."""
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value
