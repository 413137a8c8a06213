"""Mediator commands (/besoin, /semaine): what mediators hear face to face reaches the laboratoire.

Mediators are listed in RELAIS_MEDIATEURS with their quartier (`config`).
`/besoin <ce que la personne a demandé>` records a need heard at a
permanence, redacted like every question, for the mediator's quartier and
on the "mediation" channel; `/semaine` shows that quartier's week (the same
report as `python -m bot review --since 7d --quartier Q`, so its ids work
with --teach and --dismiss). For anyone else these commands do not exist:
they fall to the ordinary text handler and get the reply to an unknown
question, like the admin commands. No user id is logged or stored.
"""

from __future__ import annotations

import asyncio
import re

from telegram import Update

from bot.channels.telegram.context import Context, relais_of
from bot.channels.telegram.render import send_reply
from bot.conversation.reply import Reply
from bot.laboratoire.report import ReviewError, needs_summary_text
from bot.laboratoire.teach import add_question

WEEK_DAYS = 7
_COMMAND = re.compile(r"^\s*/\S+\s*", re.S)

USAGE = (
    "Écrivez /besoin suivi de ce que la personne a demandé, avec ses mots, par exemple :\n"
    "/besoin aide pour payer le permis de conduire\n"
    "Pas de nom ni de numéro : ils seraient effacés de toute façon."
)


def command_text(message_text: str | None) -> str:
    """What follows the command ("/besoin@relais_bot aide permis" -> "aide permis"), lines kept."""
    return _COMMAND.sub("", message_text or "", count=1).strip()


async def on_heard_need(update: Update, context: Context) -> None:
    """/besoin TEXTE (mediators): record a need heard face to face, for the mediator's quartier."""
    relais = relais_of(context)
    user, chat, message = update.effective_user, update.effective_chat, update.effective_message
    if user is None or chat is None or message is None:
        return
    quartier = relais.settings.mediators.get(user.id)
    text = command_text(message.text)
    if not text:
        await send_reply(context.bot, chat.id, Reply(USAGE, kind="info"))
        return
    normalized = relais.engine.current.matcher.normalizer(text)
    try:
        recorded = await asyncio.to_thread(add_question, relais.store, text, quartier, normalized)
    except ReviewError as exc:
        await send_reply(context.bot, chat.id, Reply(f"Besoin non enregistré : {exc}.", kind="info"))
        return
    name = relais.store.quartiers.name(quartier)
    await send_reply(
        context.bot,
        chat.id,
        Reply(
            f"Merci, c'est noté pour {name} : « {recorded} ».\n"
            "Il apparaîtra dans /semaine et dans le rapport du laboratoire.",
            kind="info",
        ),
    )


async def on_week(update: Update, context: Context) -> None:
    """/semaine (mediators): the unmet needs of the mediator's quartier over the last 7 days."""
    relais = relais_of(context)
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return
    quartier = relais.settings.mediators.get(user.id)
    text = await asyncio.to_thread(needs_summary_text, relais.store, days=WEEK_DAYS, limit=8, quartier=quartier)
    await send_reply(context.bot, chat.id, Reply(text, kind="info"))
