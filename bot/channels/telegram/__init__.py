"""The Telegram channel: python-telegram-bot 22 in front of the conversation core.

This package only translates. Wording and decisions belong to
`bot.conversation.Conversation`; here we turn Telegram updates into calls on
it and its `Reply` objects into Telegram messages (escaped HTML, split at
4096 characters, inline keyboards). What this package owns is operational:
timeouts, retries, rate limits, per-chat ordering, admin commands, knowledge
reloads, the daily purge, logging without the token, and a clean shutdown.

Privacy: the core and the store only ever see the HMAC conversation key of a
chat, never the chat id, a name or a username; handlers never log message text.

One concern per module, as python-telegram-bot itself does: `app` (builder
and run), `context` (shared services), `handlers` (residents), `admin`,
`jobs`, `render` (Reply → messages), `processor` (per-chat order),
`ratelimit`, `logging` (token masked).
"""

from bot.channels.telegram.admin import notify_admins, reload_report
from bot.channels.telegram.app import (
    ALLOWED_UPDATES,
    COMMANDS,
    MISSING_TOKEN,
    REJECTED_TOKEN,
    UNREACHABLE,
    api_base_urls,
    build_application,
    run,
    webhook_secret,
)
from bot.channels.telegram.context import RELAIS, Relais, relais_of
from bot.channels.telegram.handlers import TECHNICAL_ERROR, non_text_kind
from bot.channels.telegram.logging import TokenFilter, configure_logging, install_token_filter
from bot.channels.telegram.processor import PerChatUpdateProcessor
from bot.channels.telegram.ratelimit import RetryingRateLimiter
from bot.channels.telegram.render import MAX_CALLBACK_DATA, MAX_MESSAGE, keyboard, send_reply, split_message, utf16_len

__all__ = [
    "ALLOWED_UPDATES",
    "COMMANDS",
    "MAX_CALLBACK_DATA",
    "MAX_MESSAGE",
    "MISSING_TOKEN",
    "REJECTED_TOKEN",
    "RELAIS",
    "TECHNICAL_ERROR",
    "UNREACHABLE",
    "PerChatUpdateProcessor",
    "Relais",
    "RetryingRateLimiter",
    "TokenFilter",
    "api_base_urls",
    "build_application",
    "configure_logging",
    "install_token_filter",
    "keyboard",
    "non_text_kind",
    "notify_admins",
    "relais_of",
    "reload_report",
    "run",
    "send_reply",
    "split_message",
    "utf16_len",
    "webhook_secret",
]
