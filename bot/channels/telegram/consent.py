"""Telegram side of reminders and call-backs: JobQueue scheduling, sending, faults, mediators.

Why here: only the channel can write to a chat later, and only it knows who
pressed a button. The wording stays in `bot.reminders` (channel-agnostic);
this module decides *when* (PTB's JobQueue, with an injectable clock) and
handles Telegram's answers:
- at start, every stored series is rescheduled; one missed while the bot was
  down is sent once if less than 3 days late, skipped otherwise;
- a 403 (the resident blocked the bot) or "chat not found" ends the series
  and erases its data;
- 429 and 5xx are retried by the rate limiter like every message; if
  Telegram is still unreachable, the reminder is tried again later, while it
  is less than 3 days late.
Logs name no chat, no phone number and no reminder date.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import html
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from telegram import Message, Update
from telegram.error import BadRequest, Forbidden, NetworkError, TelegramError
from telegram.ext import JobQueue

from bot.channels.telegram.context import Context, Queue, Relais, RelaisApplication, relais_in, relais_of
from bot.channels.telegram.render import keyboard, send_reply
from bot.config import mediators_of
from bot.conversation.actions import MediatorStep, split_step
from bot.conversation.reply import Reply
from bot.reminders.calendar import LATE_LIMIT, catch_up, due_at
from bot.reminders.callback import (
    DONE_ELSEWHERE,
    mediator_buttons,
    mediator_text,
    taken_elsewhere_text,
    taken_text,
)
from bot.reminders.flow import reminder_reply
from bot.storage.consented import CallbackRequest, ConsentedData, Reminder
from bot.storage.writer import StoreUnavailable

if TYPE_CHECKING:
    from telegram import Bot

log = logging.getLogger(__name__)

RETRY_DELAY = 15 * 60.0  # seconds before a reminder Telegram could not take is tried again
RETRY_KEY = "relais-rappel-nouvel-essai"  # application.bot_data: that delay, if build_application was given another
JOB_PREFIX = "rappel-"
NOT_FOR_YOU = "Ce bouton est réservé aux médiateurs du quartier de la demande."
GONE = "Cette demande n'existe plus (elle a été traitée, ou effacée après 14 jours)."
DONE_TEXT = "✅ Fait : la demande et le numéro sont effacés."
NOBODY_REACHED = (
    "Désolé : je n'ai pu joindre aucune personne de l'équipe de médiation pour le moment. "
    "J'ai effacé votre demande et votre numéro. Vous pouvez appeler ou passer voir :"
)


# --------------------------------------------------------------------------- reminders
def reschedule_all(application: RelaisApplication, queue: Queue) -> None:
    """At start: put every stored series back on the job queue (the missed-reminder rule applies)."""
    relais: Relais = relais_in(application)
    book = relais.consents
    if book is None:
        return
    now = relais.clock()
    try:
        stored = book.all_reminders()
    except StoreUnavailable:
        log.warning("rappels non replanifiés au démarrage (base indisponible)")
        return
    sent_now = skipped = planned = 0
    for reminder in stored:
        send, ahead = catch_up(list(reminder.days), now)
        if send is not None:
            queue.run_once(send_reminder, when=0, data=reminder.id, name=JOB_PREFIX + reminder.id)
            sent_now += 1
            continue
        if len(ahead) != len(reminder.days):  # missed by 3 days or more: skipped
            skipped += 1
            try:
                book.advance(reminder.id, ahead)
            except StoreUnavailable:
                log.warning("rappel manqué non mis à jour (base indisponible)")
        if ahead:
            plan(relais, queue, reminder.id, ahead[0])
            planned += 1
    log.info(
        "rappels au démarrage : %d à envoyer maintenant, %d planifiés, %d trop anciens ignorés",
        sent_now,
        planned,
        skipped,
    )


def plan(relais: Relais, queue: JobQueue[Any], ident: str, day: dt.date) -> None:
    """One job at the reminder's sending time, measured on the injected clock.

    `JobQueue[Any]`: PTB types a context's `job_queue` with an unbound type variable, so the queue of a
    job's context and the application's queue do not share one precise type.
    """
    delay = max(0.0, (due_at(day) - relais.clock()).total_seconds())
    queue.run_once(send_reminder, when=delay, data=ident, name=JOB_PREFIX + ident)


def planner(application: RelaisApplication) -> Callable[[str, list[dt.date]], None]:
    """What the consented store calls when a resident agrees to a series: plan its first reminder."""

    def on_added(ident: str, days: list[dt.date]) -> None:
        queue = application.job_queue
        if queue is not None and days:
            plan(relais_in(application), queue, ident, min(days))

    return on_added


async def send_reminder(context: Context) -> None:
    """The job: send the due reminder of one series, then plan the next or end the series."""
    relais = relais_of(context)
    book = relais.consents
    ident = context.job.data if context.job else None
    if book is None or not isinstance(ident, str):
        return
    try:
        reminder = await asyncio.to_thread(book.reminder, ident)
    except StoreUnavailable:
        log.warning("rappel non lu (base indisponible) : nouvel essai plus tard")
        _retry(context, ident)
        return
    if reminder is None:  # stopped by the resident, or erased by /oubli
        return
    now = relais.clock()
    send, ahead = catch_up(list(reminder.days), now)
    if send is None:
        if ahead and due_at(ahead[0]) > now and len(ahead) == len(reminder.days):  # woke up early
            if context.job_queue is not None:  # always, in a job; PTB types it optional
                plan(relais, context.job_queue, ident, ahead[0])
            return
        await _advance(book, reminder, ahead, context)
        return
    reply = reminder_message(relais, reminder, last=not ahead)
    try:
        await send_reply(context.bot, reminder.chat_id, reply)
    except Forbidden:
        log.info("rappel arrêté : la personne a bloqué le bot (403) ; ses données sont effacées")
        await asyncio.to_thread(book.drop_reminder, ident)
        return
    except BadRequest as exc:
        if "chat not found" in str(exc).lower():
            log.info("rappel arrêté : conversation introuvable ; ses données sont effacées")
            await asyncio.to_thread(book.drop_reminder, ident)
            return
        log.warning("rappel refusé par Telegram (%s) : série arrêtée", exc)
        await asyncio.to_thread(book.drop_reminder, ident)
        return
    except NetworkError as exc:  # still failing after the rate limiter's retries
        delay = _retry_delay(context)
        if relais.clock() - due_at(send) + dt.timedelta(seconds=delay) < LATE_LIMIT:
            log.warning("rappel non envoyé (%s) : nouvel essai dans %d min", exc, delay // 60)
            _retry(context, ident)
            return
        log.warning("rappel non envoyé (%s) et trop en retard : ignoré", exc)
    await _advance(book, reminder, ahead, context)


def reminder_message(relais: Relais, reminder: Reminder, last: bool) -> Reply:
    """The core's words: what to do, the entry's answer, the quartier's help point, a stop button."""
    conversation = relais.conversation
    entry = conversation.engine.current.kb.entries.get(reminder.entry_id or "")
    return reminder_reply(reminder, entry, conversation.help_point(reminder.quartier, reminder.entry_id), last)


async def _advance(book: ConsentedData, reminder: Reminder, ahead: list[dt.date], context: Context) -> None:
    try:
        await asyncio.to_thread(book.advance, reminder.id, ahead)
    except StoreUnavailable:
        log.warning("rappel envoyé mais série non mise à jour (base indisponible)")
    if ahead and context.job_queue is not None:
        plan(relais_of(context), context.job_queue, reminder.id, ahead[0])


def _retry_delay(context: Context) -> float:
    return float(context.bot_data.get(RETRY_KEY, RETRY_DELAY))


def _retry(context: Context, ident: str) -> None:
    if context.job_queue is not None:
        context.job_queue.run_once(send_reminder, when=_retry_delay(context), data=ident, name=JOB_PREFIX + ident)


async def purge_consented(context: Context) -> None:
    """Daily: erase call-back requests older than 14 days and series past their end (never raises)."""
    book = relais_of(context).consents
    if book is None:
        return
    try:
        erased = await asyncio.to_thread(book.purge)
    except StoreUnavailable as exc:
        log.warning("purge des rappels impossible : %s", exc)
        return
    log.info("purge des rappels : %d ligne(s) effacée(s)", erased)


# --------------------------------------------------------------------------- call-backs
def dispatcher(application: RelaisApplication) -> Callable[[CallbackRequest], None]:
    """The core's port to the mediators: send the request to them without making the resident wait."""

    def dispatch(request: CallbackRequest) -> None:
        application.create_task(send_to_mediators(application.bot, relais_in(application), request))

    return dispatch


@dataclass
class MediatorCopies:
    """Where each mediator's copy of one request is, so all of them show who acts on it.

    Memory only: after a restart the copies sent before it are not updated
    (the buttons still work, and say when a request no longer exists).
    """

    messages: dict[int, int] = field(default_factory=dict)  # mediator chat -> message id
    taker: int | None = None  # the mediator who pressed « Pris en charge »


MAX_TRACKED_REQUESTS = 10_000  # requests live 14 days at most: enough, and bounded


def _copies_of(relais: Relais, ident: str) -> MediatorCopies:
    copies = relais.mediator_copies.setdefault(ident, MediatorCopies())
    while len(relais.mediator_copies) > MAX_TRACKED_REQUESTS:
        relais.mediator_copies.pop(next(iter(relais.mediator_copies)))
    return copies


async def send_to_mediators(bot: Bot, relais: Relais, request: CallbackRequest) -> int:
    """One message with « Pris en charge » / « Fait » to each mediator of the quartier; how many got it."""
    reached = 0
    text, buttons = _mediator_view(relais, request)
    copies = _copies_of(relais, request.id)
    for mediator in mediators_of(relais.settings.mediators, request.quartier or ""):
        try:
            sent = await send_reply(bot, mediator, Reply(text, kind="callback-request", buttons=buttons))
            reached += 1
        except (Forbidden, BadRequest) as exc:  # the mediator never started the bot, or blocked it
            log.warning("un médiateur n'a pas pu recevoir une demande de rappel : %s", exc)
            continue
        if sent:
            copies.messages[mediator] = sent[-1].message_id  # the buttons are under the last part
    if not reached:  # nobody will call: say so honestly, give a number, and keep nothing
        log.warning("demande de rappel reçue par aucun médiateur (quartier %s) : effacée", request.quartier)
        book = relais.consents
        if book is not None:
            try:
                await asyncio.to_thread(book.finish_callback, request.id)
            except StoreUnavailable:
                log.warning("demande de rappel non effacée (base indisponible)")
        help_point = relais.conversation.help_point(request.quartier, request.topic)
        await _tell(bot, request.chat_id, f"{NOBODY_REACHED}\n{help_point}")
    return reached


def has_mediators(relais_settings: Any) -> Callable[[str], bool]:
    return lambda quartier: bool(mediators_of(relais_settings.mediators, quartier))


async def on_mediator_press(update: Update, context: Context, value: str) -> None:
    """« Pris en charge » / « Fait » under a request, pressed by a mediator of its quartier.

    `value` is what follows the `Action.MEDIATOR` field: "pris:<id>" or "fait:<id>".
    """
    relais = relais_of(context)
    query = update.callback_query
    user = update.effective_user
    book = relais.consents
    if query is None or user is None or book is None:
        return
    step, ident = split_step(MediatorStep, value)  # None: an old or forged button, answered by neither branch
    try:
        request = await asyncio.to_thread(book.callback, ident)
    except StoreUnavailable:
        await _tell(context.bot, user.id, "La base est indisponible : réessayez dans un moment.")
        return
    if request is None:
        await _edit(query, GONE, None)
        return
    if relais.settings.mediators.get(user.id) != request.quartier:
        await _tell(context.bot, user.id, NOT_FOR_YOU)
        return
    copies = relais.mediator_copies.get(ident)
    if step is MediatorStep.TAKE:
        taken = await asyncio.to_thread(book.take_callback, ident, "médiation")
        if taken is None:  # already taken: by this mediator (a double press), or by another, quicker one
            request = await asyncio.to_thread(book.callback, ident)
            if request is not None:
                by_other = copies is not None and copies.taker not in (None, user.id)
                await _edit(query, *(_elsewhere_view(relais, request) if by_other else _mediator_view(relais, request)))
            return
        await _edit(query, *_mediator_view(relais, taken))
        if copies is not None:
            copies.taker = user.id
            await _update_other_copies(context.bot, copies, user.id, _elsewhere_view(relais, taken)[0])
        name = relais.conversation.quartier_name(taken.quartier)
        await _tell(context.bot, taken.chat_id, taken_text(taken, name))
    elif step is MediatorStep.DONE:
        await asyncio.to_thread(book.finish_callback, ident)
        await _edit(query, DONE_TEXT, None)
        relais.mediator_copies.pop(ident, None)
        if copies is not None:
            await _update_other_copies(context.bot, copies, user.id, DONE_ELSEWHERE)


def _mediator_view(relais: Relais, request: CallbackRequest) -> tuple[str, Any]:
    kb = relais.conversation.engine.current.kb
    topic = kb.entries[request.topic].title if request.topic in kb.entries else None
    name = relais.conversation.quartier_name(request.quartier)
    return mediator_text(request, name, topic), mediator_buttons(request)


def _elsewhere_view(relais: Relais, request: CallbackRequest) -> tuple[str, None]:
    """Another mediator's copy once the request is taken: no number, no button."""
    kb = relais.conversation.engine.current.kb
    topic = kb.entries[request.topic].title if request.topic in kb.entries else None
    return taken_elsewhere_text(relais.conversation.quartier_name(request.quartier), topic), None


async def _update_other_copies(bot: Bot, copies: MediatorCopies, presser: int, text: str) -> None:
    """Show every other mediator of the quartier that the request is handled (never raises)."""
    for chat_id, message_id in copies.messages.items():
        if chat_id == presser:
            continue
        try:
            await bot.edit_message_text(
                html.escape(text, quote=False), chat_id=chat_id, message_id=message_id, reply_markup=keyboard([])
            )
        except (Forbidden, BadRequest) as exc:  # deleted by the mediator, or the bot blocked since
            log.info("copie d'une demande non modifiée : %s", exc)
        except TelegramError as exc:
            log.warning("copie d'une demande non modifiée : %s", exc)


async def _edit(query: Any, text: str, buttons: Any) -> None:
    """Replace the mediator's copy of the request (text and buttons); an old message may refuse."""
    message = query.message
    if not isinstance(message, Message):
        return
    try:
        await query.edit_message_text(html.escape(text, quote=False), reply_markup=keyboard(buttons or []))
    except BadRequest as exc:
        log.info("message de demande non modifié : %s", exc)


async def _tell(bot: Bot, chat_id: int, text: str) -> None:
    try:
        await send_reply(bot, chat_id, Reply(text, kind="info"))
    except (Forbidden, BadRequest) as exc:
        log.info("message non remis : %s", exc)
    except TelegramError as exc:
        log.warning("message non remis : %s", exc)
