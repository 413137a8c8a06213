"""A core `Reply` as Telegram messages: escaped HTML, split at the size limit, inline keyboard."""

from __future__ import annotations

import html
import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.conversation.reply import Button, Reply

if TYPE_CHECKING:
    from telegram import Bot

log = logging.getLogger(__name__)

MAX_MESSAGE = 4096  # Telegram's limit, in UTF-16 code units after entity parsing
MAX_CALLBACK_DATA = 64  # bytes


def utf16_len(text: str) -> int:
    """Telegram counts lengths in UTF-16 code units: an emoji counts twice."""
    return len(text.encode("utf-16-le")) // 2


def _escaped_size(text: str) -> int:
    # Measuring the escaped form is stricter than Telegram (which measures after
    # parsing) and keeps us safe whatever its parser does with entities.
    return utf16_len(html.escape(text, quote=False))


_SEPARATORS = ("\n\n", "\n", " ")


def split_message(text: str, limit: int = MAX_MESSAGE) -> list[str]:
    """Cut a plain text into chunks that each fit one Telegram message once escaped.

    Paragraphs stay whole when they can: we cut between paragraphs first, then
    between lines, then between words, and only cut a word that is itself
    longer than a message. Blank chunks are dropped (Telegram refuses them).
    """
    chunks = _split(text, limit, _SEPARATORS)
    return [chunk.strip("\n") for chunk in chunks if chunk.strip()]


def _split(text: str, limit: int, separators: Sequence[str]) -> list[str]:
    if _escaped_size(text) <= limit:
        return [text]
    if not separators:
        return _hard_cut(text, limit)
    separator, finer = separators[0], separators[1:]
    chunks: list[str] = []
    current: str | None = None
    for part in text.split(separator):
        for piece in _split(part, limit, finer):
            if current is None:
                current = piece
            elif _escaped_size(current + separator + piece) <= limit:
                current += separator + piece
            else:
                chunks.append(current)
                current = piece
    if current is not None:
        chunks.append(current)
    return chunks


def _hard_cut(text: str, limit: int) -> list[str]:
    chunks, current = [], ""
    for char in text:
        if current and _escaped_size(current + char) > limit:
            chunks.append(current)
            current = ""
        current += char
    if current:
        chunks.append(current)
    return chunks


def keyboard(rows: Sequence[Sequence[Button]]) -> InlineKeyboardMarkup | None:
    """Inline keyboard from the core's buttons; the action is the callback data, as is."""
    built = []
    for row in rows:
        buttons = [
            InlineKeyboardButton(button.label, callback_data=button.action)
            for button in row
            if _callback_data_ok(button)
        ]
        if buttons:
            built.append(buttons)
    return InlineKeyboardMarkup(built) if built else None


def _callback_data_ok(button: Button) -> bool:
    size = len(button.action.encode("utf-8"))
    if 1 <= size <= MAX_CALLBACK_DATA:
        return True
    # Telegram would refuse the whole message: drop the button, keep the answer.
    log.error("button %r dropped: callback data of %d bytes (limit %d)", button.label, size, MAX_CALLBACK_DATA)
    return False


async def send_reply(bot: Bot, chat_id: int, reply: Reply) -> list[Message]:
    """Send a core Reply: escaped HTML, split if long, the keyboard under the last part."""
    chunks = split_message(reply.text)
    if not chunks:
        log.warning("empty reply of kind %s not sent", reply.kind)
        return []
    markup = keyboard(reply.buttons)
    sent = []
    for index, chunk in enumerate(chunks):
        last = index == len(chunks) - 1
        sent.append(
            await bot.send_message(
                chat_id=chat_id,
                text=html.escape(chunk, quote=False),
                reply_markup=markup if last else None,
            )
        )
    return sent
