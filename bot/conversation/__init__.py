"""The channel-agnostic conversation: a message in, a `Reply` out.

`core` decides what to say, `texts` holds the bot's own wording, `places`
describes a help point, `hours` says whether it is open now, `reply` is what
channels render, and `recorder` is the port through which the core records
what the laboratoire will review (the storage package implements it).
"""

from bot.config import PARIS
from bot.conversation.actions import Action, Pressed, encode, parse
from bot.conversation.core import Conversation, quartier_buttons
from bot.conversation.hours import opening_status, paris_now
from bot.conversation.places import describe_place
from bot.conversation.recorder import MemoryRecorder, Recorder
from bot.conversation.reply import Button, Reply, ReplyKind

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
