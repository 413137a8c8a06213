"""Admin commands (/stats, /recharger, /besoins) and the messages admins get about reloads."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from telegram import Update
from telegram.error import BadRequest, Forbidden

from bot.channels.telegram.context import Context, Relais, relais_of
from bot.channels.telegram.render import send_reply
from bot.conversation.reply import Reply
from bot.knowledge.engine import ReloadResult, missing_entries_warning
from bot.laboratoire.report import needs_summary_text

if TYPE_CHECKING:
    from telegram import Bot

log = logging.getLogger(__name__)

STATS_DAYS = 7

# The store's reads and the engine's reload are thread-safe by design (reader
# connection under a lock; reload builds aside then swaps): they run in a
# worker thread so residents' messages never wait on the disk or on YAML parsing.


async def on_stats(update: Update, context: Context) -> None:
    """/stats (admins): questions and answers of the last 7 days per quartier."""
    relais = relais_of(context)
    text = await asyncio.to_thread(relais.store.stats_text, days=STATS_DAYS)
    warning = missing_entries_warning(relais.engine.missing)  # as long as a file stays broken
    if warning:
        text = warning + "\n\n" + text
    await _send_admin(update, context, text)


async def on_reload(update: Update, context: Context) -> None:
    """/recharger (admins): reload the knowledge base now; a broken edit keeps the old one."""
    relais = relais_of(context)
    result = await asyncio.to_thread(relais.engine.reload)
    was_broken = bool(relais.last_problems)
    relais.last_problems = () if result.ok else tuple(str(problem) for problem in result.problems)
    await _send_admin(update, context, reload_report(result))
    if result.ok and was_broken:  # the other admins were told it was broken: tell them it is fixed
        requester = update.effective_user.id if update.effective_user else None
        await notify_admins(context.bot, relais, reload_report(result), skip=requester)


async def on_needs(update: Update, context: Context) -> None:
    """/besoins (admins): the week's top unmet needs."""
    text = await asyncio.to_thread(needs_summary_text, relais_of(context).store, days=STATS_DAYS, limit=5)
    await _send_admin(update, context, text)


async def _send_admin(update: Update, context: Context, text: str) -> None:
    if update.effective_chat is not None:
        await send_reply(context.bot, update.effective_chat.id, Reply(text=text, kind="info"))


MAX_LISTED_PROBLEMS = 20


def reload_report(result: ReloadResult) -> str:
    """An admin's view of a reload: the summary, and on failure every file:line to fix."""
    if result.ok:
        return f"✅ Base de connaissances rechargée.\n{result.summary}".strip()
    problems = [str(problem) for problem in result.problems]
    lines = [
        "❌ Base de connaissances NON rechargée : l'ancienne version reste en service.",
        result.summary,
        "",
        "À corriger :",
        *(f"• {problem}" for problem in problems[:MAX_LISTED_PROBLEMS]),
    ]
    if len(problems) > MAX_LISTED_PROBLEMS:
        lines.append(f"… et {len(problems) - MAX_LISTED_PROBLEMS} autre(s) problème(s).")
    return "\n".join(lines).strip()


async def notify_admins(bot: Bot, relais: Relais, text: str, skip: int | None = None) -> None:
    """Tell every admin but `skip` (in their private chat with the bot); one failure doesn't stop the rest."""
    for admin in sorted(relais.settings.admins - {skip}):
        try:
            await send_reply(bot, admin, Reply(text=text, kind="info"))
        except (Forbidden, BadRequest) as exc:  # the admin never started the bot, or blocked it
            log.warning("an admin could not be told: %s", exc)  # no user id in logs, admins' included
