"""What every handler shares: the services kept in `application.bot_data`, the chat key, PTB's types."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeAlias

from telegram.ext import Application, ContextTypes, ExtBot, JobQueue

from bot.config import Settings
from bot.conversation.core import Conversation
from bot.knowledge.engine import Engine
from bot.storage.consented import ConsentedData
from bot.storage.privacy import conversation_key
from bot.storage.store import Store

if TYPE_CHECKING:  # consent.py imports this module: no import cycle at run time
    from bot.channels.telegram.consent import MediatorCopies

RELAIS = "relais"  # key of our services in application.bot_data

# PTB's generic parameters, named once: PTB's default context, dict-based user, chat and bot data (our
# services are in bot_data[RELAIS], see `relais_of`), a bot with the rate limiter (ExtBot[int]) and a
# job queue that is None when python-telegram-bot[job-queue] is missing.
Context: TypeAlias = ContextTypes.DEFAULT_TYPE
Queue: TypeAlias = JobQueue[Context]
RelaisApplication: TypeAlias = Application[
    ExtBot[int], Context, dict[Any, Any], dict[Any, Any], dict[Any, Any], Queue | None
]


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
    consents: ConsentedData | None = None
    clock: Callable[[], dt.datetime] = field(default=lambda: dt.datetime.now(dt.UTC))
    # Call-back request id -> where each mediator's copy of it is (bot.channels.telegram.consent), memory only.
    mediator_copies: dict[str, MediatorCopies] = field(default_factory=dict)

    def key(self, chat_id: int) -> str:
        """The conversation key the core sees: an HMAC of the chat id, never the id itself."""
        return conversation_key(chat_id, self.secret)


def _checked(relais: object) -> Relais:
    """bot_data is PTB's untyped dict: a missing or foreign value fails here, clearly, not further on."""
    if not isinstance(relais, Relais):
        raise LookupError("application.bot_data holds no Relais: build the application with build_application")
    return relais


def relais_in(application: RelaisApplication) -> Relais:
    """The shared services of an application built by `build_application`."""
    return _checked(application.bot_data.get(RELAIS))


def relais_of(context: Context) -> Relais:
    """The shared services, from a handler's or a job's context."""
    return _checked(context.bot_data.get(RELAIS))
