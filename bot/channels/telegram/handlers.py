"""The residents' handlers: a Telegram update in, the core's reply out, and the error handler.

Handlers only translate: wording and decisions belong to the conversation
core. They never log message text (residents' personal data).
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable
from typing import Any

from telegram import Message, Update
from telegram.error import BadRequest, Forbidden, NetworkError, TelegramError

from bot.channels.telegram.consent import on_mediator_press
from bot.channels.telegram.context import Context, relais_of
from bot.channels.telegram.render import send_reply
from bot.conversation.actions import Action, parse
from bot.conversation.core import Conversation
from bot.conversation.reply import Reply

log = logging.getLogger(__name__)

# Shown when a handler crashed: technical, not conversational, so it lives here.
TECHNICAL_ERROR = (
    "Désolé, un problème technique m'empêche de répondre pour l'instant. "
    "Réessayez dans un moment, ou adressez-vous à un point de médiation de votre quartier."
)


async def _respond(
    update: Update,
    context: Context,
    ask_core: Callable[[Conversation, str], Reply],
) -> None:
    """The shape of every conversational handler: key of the chat → core → Telegram.

    The core is called on the event loop on purpose: matching takes
    milliseconds, and the store only queues its writes (its own thread does
    the disk), so nothing here waits on I/O except the send itself.
    """
    chat = update.effective_chat
    if chat is None:
        return
    relais = relais_of(context)
    reply = ask_core(relais.conversation, relais.key(chat.id))
    await send_reply(context.bot, chat.id, reply)


async def _respond_to_command(
    update: Update,
    context: Context,
    command_reply: Callable[[Conversation, str], Reply],
) -> None:
    """A resident's command; a danger in the words typed after it ("/aide je veux mourir") is answered instead.

    Telegram gives the whole message to the command's handler, so the words
    after the command would otherwise never reach the danger check.
    """
    words = " ".join(context.args or [])
    address = str(update.effective_chat.id) if update.effective_chat else None

    def reply_of(conversation: Conversation, key: str) -> Reply:
        return conversation.danger_after_command(key, words, address) or command_reply(conversation, key)

    await _respond(update, context, reply_of)


async def on_start(update: Update, context: Context) -> None:
    """/start: welcome and the quartier question."""
    await _respond_to_command(update, context, lambda conversation, key: conversation.start(key))


async def on_help(update: Update, context: Context) -> None:
    """/aide (and /help, which Telegram users type by habit)."""
    await _respond_to_command(update, context, lambda conversation, key: conversation.help(key))


async def on_quartier(update: Update, context: Context) -> None:
    """/quartier: change the quartier; « /quartier europe » sets it at once, « /quartier europ » asks to confirm."""
    words = " ".join(context.args or [])
    await _respond_to_command(update, context, lambda conversation, key: conversation.quartier_command(key, words))


async def on_forget(update: Update, context: Context) -> None:
    """/oubli: ask for confirmation; the confirming button erases."""
    await _respond_to_command(update, context, lambda conversation, key: conversation.confirm_forget(key))


async def on_rights(update: Update, context: Context) -> None:
    """/droits: the guided rights check (the same as the button under the simulator answer)."""
    await _respond_to_command(update, context, lambda conversation, key: conversation.check_rights(key))


async def on_stop(update: Update, context: Context) -> None:
    """/stop: leave the guided rights check; its answers are forgotten."""
    await _respond_to_command(update, context, lambda conversation, key: conversation.stop(key))


async def on_text(update: Update, context: Context) -> None:
    """Any text, including unknown commands (and admin commands from non-admins)."""
    message = update.effective_message
    text = (message.text or "") if message else ""
    address = str(update.effective_chat.id) if update.effective_chat else None  # for reminders, call-backs
    await _respond(update, context, lambda conversation, key: conversation.ask(key, text, address))


async def on_reminders(update: Update, context: Context) -> None:
    """/rappels: the resident's reminders, each with a button to stop it."""
    await _respond_to_command(update, context, lambda conversation, key: conversation.reminders(key))


async def on_location(update: Update, context: Context) -> None:
    """A shared location: the core finds the quartier and the nearest help."""
    location = update.effective_message.location if update.effective_message else None
    if location is None:
        return
    lat, lon = location.latitude, location.longitude
    await _respond(update, context, lambda conversation, key: conversation.locate(key, lat, lon))


# Message attribute → what the core calls it. Order matters: an animation also has `document`.
_NON_TEXT = (
    ("sticker", "sticker"),
    ("voice", "voice"),
    ("video_note", "video_note"),
    ("photo", "photo"),
    ("video", "video"),
    ("audio", "audio"),
    ("animation", "other"),
    ("document", "document"),
    ("contact", "contact"),
)


def non_text_kind(message: Message) -> str:
    """Name a non-text message the way the core's `non_text` expects."""
    for attribute, what in _NON_TEXT:
        if getattr(message, attribute, None):
            return what
    return "other"


async def on_non_text(update: Update, context: Context) -> None:
    """Sticker, photo, voice…: the core explains that the bot reads written messages."""
    message = update.effective_message
    if message is None:
        return
    what = non_text_kind(message)
    caption = message.caption or ""  # "il me frappe" under a photo must still bring the emergency numbers
    await _respond(update, context, lambda conversation, key: conversation.non_text(key, what, caption))


async def on_press(update: Update, context: Context) -> None:
    """A button: answer the callback (stops the spinner), retire the keyboard, reply."""
    query = update.callback_query
    if query is None:
        return
    await _answer_quietly(query)
    if not query.data or update.effective_chat is None:
        return
    pressed = parse(query.data)
    if pressed is not None and pressed.action is Action.MEDIATOR:  # « Pris en charge » / « Fait »: not the core's
        await on_mediator_press(update, context, pressed.value)
        return
    relais = relais_of(context)
    chat_id = update.effective_chat.id
    reply = relais.conversation.press(relais.key(chat_id), query.data, str(chat_id))
    await _retire_keyboard(query)
    await send_reply(context.bot, chat_id, reply)


async def _answer_quietly(query: Any) -> None:
    try:
        await query.answer()
    except BadRequest as exc:  # too old or already answered: the press still counts
        log.info("callback query not answered: %s", exc)


async def _retire_keyboard(query: Any) -> None:
    """Remove the buttons that were pressed so a choice (or a 👍) is made once."""
    message = query.message
    if not isinstance(message, Message) or message.reply_markup is None:
        return
    try:
        await query.edit_message_reply_markup(reply_markup=None)
    except BadRequest as exc:  # message too old to edit, or already without buttons
        log.info("keyboard not removed: %s", exc)


async def on_error(update: object, context: Context) -> None:
    """Log and carry on: one bad update must never stop the bot.

    Only ids are logged, never the message text (residents' personal data).
    """
    error = context.error
    update_id = update.update_id if isinstance(update, Update) else None
    if isinstance(error, Forbidden):  # the resident blocked the bot: nothing to do
        log.info("update %s: chat no longer reachable (%s)", update_id, error)
        return
    if isinstance(error, NetworkError) and not isinstance(error, BadRequest):
        log.warning("Telegram unreachable while handling update %s: %s", update_id, error)
        return
    log.error("update %s failed", update_id, exc_info=error)
    if isinstance(update, Update) and update.effective_chat is not None:
        try:
            await context.bot.send_message(update.effective_chat.id, html.escape(TECHNICAL_ERROR, quote=False))
        except TelegramError as exc:
            log.warning("could not apologise to the chat: %s", exc)
