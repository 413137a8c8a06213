"""What every handler shares: the services kept in `application.bot_data`, and the chat key."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from telegram.ext import ContextTypes

from bot.config import Settings
from bot.conversation.core import Conversation
from bot.knowledge.engine import Engine
from bot.storage.privacy import conversation_key
from bot.storage.store import Store

RELAIS = "relais"  # key of our services in application.bot_data


@dataclass
class Relais:
    """What the handlers share, kept in application.bot_data[RELAIS]."""

    settings: Settings
    engine: Engine
    store: Store
    conversation: Conversation
    secret: str = field(repr=False)
    last_problems: tuple[str, ...] = ()  # what admins were last told was broken
    # Reminders and call-back requests (bot.storage.consented.ConsentedData), and the clock they run on.
    consents: Any | None = None
    clock: Callable[[], dt.datetime] = field(default=lambda: dt.datetime.now(dt.UTC))
    # Call-back request id -> where each mediator's copy of it is (bot.channels.telegram.consent), memory only.
    mediator_copies: dict[str, Any] = field(default_factory=dict)

    def key(self, chat_id: int) -> str:
        """The conversation key the core sees: an HMAC of the chat id, never the id itself."""
        return conversation_key(chat_id, self.secret)


def _relais(context: ContextTypes.DEFAULT_TYPE) -> Relais:
    return context.bot_data[RELAIS]


def relais_of(context: ContextTypes.DEFAULT_TYPE) -> Relais:
    """The shared services, from a handler's or a job's context."""
    return context.bot_data[RELAIS]
