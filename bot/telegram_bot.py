"""The Telegram channel: python-telegram-bot 22 in front of the conversation core.

This module only translates. Wording and decisions belong to
`bot.conversation.Conversation`; here we turn Telegram updates into calls on
it and its `Reply` objects into Telegram messages (escaped HTML, split at
4096 characters, inline keyboards). What this module owns is operational:
timeouts, retries, rate limits, per-chat ordering, admin commands, knowledge
reloads, the daily purge, logging without the token, and a clean shutdown.

Privacy: the core and the store only ever see the HMAC conversation key of a
chat, never the chat id, a name or a username; handlers never log message text.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import html
import logging
import sys
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from telegram import (
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, TelegramError, TimedOut
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    BaseUpdateProcessor,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    MessageHandler,
    filters,
)

from bot.config import Settings
from bot.conversation import Conversation
from bot.engine import Engine, ReloadResult
from bot.knowledge import KnowledgeError
from bot.privacy import conversation_key, load_or_create_secret
from bot.reply import Button, Reply
from bot.review import needs_summary_text
from bot.store import Store, purge_daily

if TYPE_CHECKING:
    from telegram import Bot

log = logging.getLogger(__name__)

MAX_MESSAGE = 4096  # Telegram's limit, in UTF-16 code units after entity parsing
MAX_CALLBACK_DATA = 64  # bytes
RELOAD_INTERVAL = 5.0  # seconds between checks of the knowledge files
PURGE_INTERVAL = 24 * 3600.0
PURGE_FIRST = 60.0  # first purge a minute after start, then daily
RETENTION_DAYS = 365
POLL_TIMEOUT = 30  # long-poll seconds; Telegram keeps the request open that long
STATS_DAYS = 7
MAX_CONCURRENT_UPDATES = 32
RELAIS = "relais"  # key of our services in application.bot_data
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY]

# The French command menu registered with set_my_commands (admin commands stay hidden).
COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", "Commencer : ce que fait Relais Droits"),
    ("aide", "Comment ça marche"),
    ("quartier", "Choisir ou changer de quartier"),
    ("oubli", "Effacer ce que le bot garde de cette conversation"),
)

MISSING_TOKEN = (
    "Erreur : la variable d'environnement TELEGRAM_TOKEN est absente.\n"
    "Créez un bot avec @BotFather sur Telegram, puis lancez : "
    "TELEGRAM_TOKEN=<jeton> python -m bot run\n"
    "Error: TELEGRAM_TOKEN is not set. Create a bot with @BotFather, then run: "
    "TELEGRAM_TOKEN=<token> python -m bot run"
)
REJECTED_TOKEN = (
    "Erreur : Telegram a refusé le jeton TELEGRAM_TOKEN. Vérifiez-le auprès de @BotFather "
    "(commande /token) et qu'il est copié en entier.\n"
    "Error: Telegram rejected TELEGRAM_TOKEN. Check it with @BotFather (/token) "
    "and that it was copied whole."
)
UNREACHABLE = (
    "Erreur : impossible de joindre Telegram ({detail}). Vérifiez la connexion réseau "
    "ou TELEGRAM_BASE_URL.\n"
    "Error: cannot reach Telegram ({detail}). Check the network or TELEGRAM_BASE_URL."
)
# Shown when a handler crashed: technical, not conversational, so it lives here.
TECHNICAL_ERROR = (
    "Désolé, un problème technique m'empêche de répondre pour l'instant. "
    "Réessayez dans un moment, ou adressez-vous à un point de médiation de votre quartier."
)


# --------------------------------------------------------------------------- services
@dataclass
class Relais:
    """What the handlers share, kept in application.bot_data[RELAIS]."""

    settings: Settings
    engine: Engine
    store: Store
    conversation: Conversation
    secret: str = field(repr=False)
    last_problems: tuple[str, ...] = ()  # what admins were last told was broken

    def key(self, chat_id: int) -> str:
        """The conversation key the core sees: an HMAC of the chat id, never the id itself."""
        return conversation_key(chat_id, self.secret)


def _relais(context: ContextTypes.DEFAULT_TYPE) -> Relais:
    return context.bot_data[RELAIS]


# --------------------------------------------------------------------------- rendering
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


async def send_reply(bot: "Bot", chat_id: int, reply: Reply) -> list[Message]:
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


async def _respond(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
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
    relais = _relais(context)
    reply = ask_core(relais.conversation, relais.key(chat.id))
    await send_reply(context.bot, chat.id, reply)


# --------------------------------------------------------------------------- handlers
async def on_start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/start: welcome and the quartier question."""
    await _respond(update, context, lambda conversation, key: conversation.start(key))


async def on_help(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/aide (and /help, which Telegram users type by habit)."""
    await _respond(update, context, lambda conversation, key: conversation.help(key))


async def on_quartier(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/quartier: change the quartier."""
    await _respond(update, context, lambda conversation, key: conversation.ask_quartier(key))


async def on_forget(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/oubli: ask for confirmation; the confirming button erases."""
    await _respond(update, context, lambda conversation, key: conversation.confirm_forget(key))


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Any text, including unknown commands (and admin commands from non-admins)."""
    message = update.effective_message
    text = (message.text or "") if message else ""
    await _respond(update, context, lambda conversation, key: conversation.ask(key, text))


async def on_location(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
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


async def on_non_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Sticker, photo, voice…: the core explains that the bot reads written messages."""
    message = update.effective_message
    if message is None:
        return
    what = non_text_kind(message)
    caption = message.caption or ""  # "il me frappe" under a photo must still bring the emergency numbers
    await _respond(update, context, lambda conversation, key: conversation.non_text(key, what, caption))


async def on_press(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A button: answer the callback (stops the spinner), retire the keyboard, reply."""
    query = update.callback_query
    if query is None:
        return
    await _answer_quietly(query)
    if not query.data or update.effective_chat is None:
        return
    relais = _relais(context)
    chat_id = update.effective_chat.id
    reply = relais.conversation.press(relais.key(chat_id), query.data)
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


# --------------------------------------------------------------------------- admin
# The store's reads and the engine's reload are thread-safe by design (reader
# connection under a lock; reload builds aside then swaps): they run in a
# worker thread so residents' messages never wait on the disk or on YAML parsing.


async def on_stats(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/stats (admins): questions and answers of the last 7 days per quartier."""
    text = await asyncio.to_thread(_relais(context).store.stats_text, days=STATS_DAYS)
    await _send_admin(update, context, text)


async def on_reload(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/recharger (admins): reload the knowledge base now; a broken edit keeps the old one."""
    relais = _relais(context)
    result = await asyncio.to_thread(relais.engine.reload)
    was_broken = bool(relais.last_problems)
    relais.last_problems = () if result.ok else tuple(str(problem) for problem in result.problems)
    await _send_admin(update, context, reload_report(result))
    if result.ok and was_broken:  # the other admins were told it was broken: tell them it is fixed
        requester = update.effective_user.id if update.effective_user else None
        await notify_admins(context.bot, relais, reload_report(result), skip=requester)


async def on_needs(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/besoins (admins): the week's top unmet needs."""
    text = await asyncio.to_thread(needs_summary_text, _relais(context).store, days=STATS_DAYS, limit=5)
    await _send_admin(update, context, text)


async def _send_admin(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str) -> None:
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


async def notify_admins(bot: "Bot", relais: Relais, text: str, skip: int | None = None) -> None:
    """Tell every admin but `skip` (in their private chat with the bot); one failure doesn't stop the rest."""
    for admin in sorted(relais.settings.admins - {skip}):
        try:
            await send_reply(bot, admin, Reply(text=text, kind="info"))
        except (Forbidden, BadRequest) as exc:  # the admin never started the bot, or blocked it
            log.warning("an admin could not be told: %s", exc)  # no user id in logs, admins' included


# --------------------------------------------------------------------------- jobs
async def watch_knowledge(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Reload the knowledge base when its files change; tell admins when an edit is broken.

    The same problems are reported once, not every few seconds, and admins hear
    when a fix makes the reload succeed again.
    """
    relais = _relais(context)
    result = await asyncio.to_thread(_reload_if_changed, relais.engine)
    if result is None:
        return
    if result.ok:
        log.info("knowledge base reloaded: %s", result.summary)
        if relais.last_problems:
            relais.last_problems = ()
            await notify_admins(context.bot, relais, reload_report(result))
        return
    problems = tuple(str(problem) for problem in result.problems)
    log.warning("knowledge base not reloaded (%d problems); keeping the last good one", len(problems))
    if problems != relais.last_problems:
        relais.last_problems = problems
        await notify_admins(context.bot, relais, reload_report(result))


def _reload_if_changed(engine: Engine) -> ReloadResult | None:
    """The ReloadResult when files changed since the last (attempted) load, else None."""
    return engine.reload() if engine.changed_on_disk() else None


async def purge_old(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Daily retention: forget what is older than RETENTION_DAYS (off the loop, never raises)."""
    await purge_daily(_relais(context).store, RETENTION_DAYS)


# --------------------------------------------------------------------------- errors
async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
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


# --------------------------------------------------------------------------- application
class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Process different chats concurrently but each chat's updates in order.

    Why: a resident who taps a quartier and then types a question must get the
    answer for that quartier; two residents must not wait for each other's
    network round-trips. Locks are created per active chat and dropped after.
    """

    def __init__(self, max_concurrent_updates: int = MAX_CONCURRENT_UPDATES) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._waiting: dict[int, int] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None:
            await coroutine
            return
        lock = self._locks.setdefault(chat.id, asyncio.Lock())
        self._waiting[chat.id] = self._waiting.get(chat.id, 0) + 1
        try:
            async with lock:
                await coroutine
        finally:
            self._waiting[chat.id] -= 1
            if not self._waiting[chat.id]:
                del self._waiting[chat.id]
                del self._locks[chat.id]

    async def initialize(self) -> None:
        """Nothing to allocate."""

    async def shutdown(self) -> None:
        """Nothing to free."""


class RetryingRateLimiter(AIORateLimiter):
    """PTB's AIORateLimiter (flood limits, waits out 429 retry_after) that also retries 5xx.

    A 502/503 from Telegram (or a dropped connection) means the message was not
    taken: sending it again after a short pause is what keeps an answer from
    being lost. Timeouts and 4xx errors are not retried (a timed-out send may
    have been delivered; a Bad Request will not get better).
    """

    def __init__(self, *, max_retries: int = 3, network_retries: int = 3, backoff: float = 0.5) -> None:
        super().__init__(max_retries=max_retries)
        self._network_retries = network_retries
        self._backoff = backoff

    async def process_request(  # type: ignore[override]
        self,
        callback: Callable[..., Any],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Any:
        delay = self._backoff
        for attempt in range(self._network_retries + 1):
            try:
                return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
            except NetworkError as exc:
                if type(exc) is not NetworkError or attempt == self._network_retries:
                    raise
                log.warning("Telegram %s failed (%s); retrying in %.1f s", endpoint, exc, delay)
                await asyncio.sleep(delay)
                delay *= 2
        raise AssertionError("unreachable")  # pragma: no cover


def api_base_urls(root: str) -> tuple[str, str]:
    """TELEGRAM_BASE_URL → (base_url, base_file_url) as PTB 22 wants them.

    PTB appends the token to base_url ("https://api.telegram.org/bot" + token),
    so we accept the server root ("http://localhost:8081", a self-hosted Bot API
    server or the test server) or the same root ending in "/bot".
    """
    root = root.strip().rstrip("/")
    if root.endswith("/bot"):
        root = root[: -len("/bot")]
    return f"{root}/bot", f"{root}/file/bot"


def build_application(
    settings: Settings,
    engine: Engine,
    store: Store,
    *,
    reload_interval: float = RELOAD_INTERVAL,
    purge_first: float = PURGE_FIRST,
    network_backoff: float = 0.5,
) -> Application:
    """The configured Application: handlers, jobs, rate limiter, timeouts, menu, shutdown."""
    if not settings.telegram_token:
        raise InvalidToken(MISSING_TOKEN)
    builder = (
        ApplicationBuilder()
        .token(settings.telegram_token)
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
                tzinfo=ZoneInfo(settings.timezone),
            )
        )
        .rate_limiter(RetryingRateLimiter(backoff=network_backoff))
        .concurrent_updates(PerChatUpdateProcessor(MAX_CONCURRENT_UPDATES))
        # Requests other than getUpdates: one connection per concurrent update, plus jobs.
        .connection_pool_size(MAX_CONCURRENT_UPDATES + 4)
        .connect_timeout(10.0)
        .read_timeout(15.0)
        .write_timeout(15.0)
        .pool_timeout(10.0)
        # getUpdates: PTB adds the long-poll timeout to this read timeout.
        .get_updates_connection_pool_size(1)
        .get_updates_connect_timeout(10.0)
        .get_updates_read_timeout(10.0)
        .get_updates_write_timeout(10.0)
        .get_updates_pool_timeout(10.0)
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
    )
    if settings.telegram_base_url:
        base_url, base_file_url = api_base_urls(settings.telegram_base_url)
        builder = builder.base_url(base_url).base_file_url(base_file_url)
    application = builder.build()
    application.bot_data[RELAIS] = Relais(
        settings=settings,
        engine=engine,
        store=store,
        conversation=Conversation(engine, recorder=store, channel="telegram"),
        secret=load_or_create_secret(settings),
    )
    _add_handlers(application, settings)
    _schedule_jobs(application, reload_interval=reload_interval, purge_first=purge_first)
    return application


def _add_handlers(application: Application, settings: Settings) -> None:
    """Order matters: commands first, then the catch-all text handler."""
    private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
    admins = filters.User(user_id=settings.admins)
    application.add_handlers(
        [
            CommandHandler("start", on_start, filters=private),
            CommandHandler(["aide", "help"], on_help, filters=private),
            CommandHandler("quartier", on_quartier, filters=private),
            CommandHandler("oubli", on_forget, filters=private),
            # Admin commands: for anyone else these don't match and fall to on_text.
            CommandHandler("stats", on_stats, filters=private & admins),
            CommandHandler("recharger", on_reload, filters=private & admins),
            CommandHandler("besoins", on_needs, filters=private & admins),
            CallbackQueryHandler(on_press),
            MessageHandler(private & filters.LOCATION, on_location),
            MessageHandler(private & filters.TEXT, on_text),
            MessageHandler(private & ~filters.TEXT & ~filters.LOCATION & ~filters.StatusUpdate.ALL, on_non_text),
        ]
    )
    application.add_error_handler(on_error)


def _schedule_jobs(application: Application, *, reload_interval: float, purge_first: float) -> None:
    jobs = application.job_queue
    if jobs is None:
        log.warning(
            "python-telegram-bot[job-queue] is not installed: no automatic reload or daily purge"
        )
        return
    jobs.run_repeating(watch_knowledge, interval=reload_interval, first=reload_interval, name="knowledge-watch")
    jobs.run_repeating(purge_old, interval=PURGE_INTERVAL, first=purge_first, name="daily-purge")


async def _post_init(application: Application) -> None:
    """Register the French command menu once the bot is known to Telegram."""
    try:
        await application.bot.set_my_commands([BotCommand(name, text) for name, text in COMMANDS])
    except TelegramError as exc:  # the menu is a comfort, not a reason to stop
        log.warning("command menu not registered: %s", exc)
    log.info("Telegram bot @%s ready", application.bot.username)


async def _post_shutdown(application: Application) -> None:
    """Nothing stored may be lost on SIGTERM: flush and close the store last."""
    relais: Relais | None = application.bot_data.get(RELAIS)
    if relais is None:
        return
    # Off the loop: both wait for the store's writer thread to drain its queue.
    await asyncio.to_thread(relais.store.flush)
    await asyncio.to_thread(relais.store.close)
    log.info("store flushed and closed")


# --------------------------------------------------------------------------- logging
class TokenFilter(logging.Filter):
    """Masks the bot token in log records (httpx and PTB log URLs that contain it)."""

    def __init__(self, token: str) -> None:
        super().__init__()
        secrets = [token]
        if ":" in token:
            secrets.append(token.split(":", 1)[1])  # the secret half alone
        self._secrets = [s for s in secrets if len(s) >= 8]

    def mask(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "<TELEGRAM_TOKEN>")
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is not ours to fix
            return True
        masked = self.mask(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.mask(record.exc_text)
        return True


def configure_logging(settings: Settings) -> None:
    """Log to stderr at RELAIS_LOG_LEVEL, with the token masked and chatty libraries quiet."""
    logging.basicConfig(
        level=getattr(logging, settings.log_level, logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # httpx logs every request URL at INFO, and the URL contains the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    # APScheduler logs each run of the 5-second knowledge watch at INFO.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    if settings.telegram_token:
        install_token_filter(settings.telegram_token)


def install_token_filter(token: str) -> TokenFilter:
    """Attach the mask to every root handler (filters on loggers don't see propagated records)."""
    token_filter = TokenFilter(token)
    root = logging.getLogger()
    for handler in root.handlers:
        handler.addFilter(token_filter)
    return token_filter


def webhook_secret(token: str) -> str:
    """A stable secret for Telegram's X-Telegram-Bot-Api-Secret-Token header, derived from the token."""
    return hmac.new(token.encode(), b"relais-droits webhook", hashlib.sha256).hexdigest()


# --------------------------------------------------------------------------- run
def run(
    settings: Settings,
    webhook_url: str | None = None,
    listen: str = "0.0.0.0",
    port: int = 8443,
    *,
    poll_timeout: int = POLL_TIMEOUT,
) -> int:
    """Run the bot until SIGINT/SIGTERM; return the process exit code.

    0 after a clean stop, 2 for a missing or rejected token, 1 when the
    knowledge base cannot be loaded or Telegram cannot be reached at start.
    """
    configure_logging(settings)
    if not settings.telegram_token:
        print(MISSING_TOKEN, file=sys.stderr)
        return 2
    try:
        engine = Engine.load(settings.knowledge_dir)
    except KnowledgeError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print("Base de connaissances invalide / invalid knowledge base.", file=sys.stderr)
        return 1
    store = Store(settings.db_path)
    try:
        application = build_application(settings, engine, store)
    except InvalidToken:
        store.close()
        print(REJECTED_TOKEN, file=sys.stderr)
        return 2
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)  # run_polling/run_webhook pick this loop up
    failure = loop.run_until_complete(_connect(application))
    if failure is not None:
        store.close()
        loop.close()
        print(TokenFilter(settings.telegram_token).mask(failure), file=sys.stderr)
        return 2 if failure == REJECTED_TOKEN else 1
    try:
        if webhook_url:
            application.run_webhook(
                listen=listen,
                port=port,
                url_path=urlsplit(webhook_url).path.strip("/") or "telegram",
                webhook_url=webhook_url,
                secret_token=webhook_secret(settings.telegram_token),
                allowed_updates=ALLOWED_UPDATES,
                bootstrap_retries=5,
            )
        else:
            application.run_polling(
                timeout=poll_timeout,
                allowed_updates=ALLOWED_UPDATES,
                bootstrap_retries=5,
            )
    except InvalidToken:  # revoked while running (post_shutdown has closed the store)
        print(REJECTED_TOKEN, file=sys.stderr)
        return 2
    return 0


async def _connect(application: Application, attempts: int = 3) -> str | None:
    """Initialize (getMe) ourselves so a bad token gives a message, not a traceback.

    run_polling would log InvalidToken with a traceback; doing it first lets us
    say what to do. Network failures are retried with a growing pause (on top of
    the rate limiter's own retries: about 15 s in all before giving up).
    Returns None when connected, else the message to print.
    """
    delay = 1.0
    for attempt in range(attempts):
        try:
            await application.initialize()
            return None
        except InvalidToken:
            await _close_requests(application)
            return REJECTED_TOKEN
        except (TimedOut, NetworkError) as exc:
            if attempt == attempts - 1:
                await _close_requests(application)
                return UNREACHABLE.format(detail=exc)
            log.warning("Telegram unreachable (%s); retrying in %.0f s", exc, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 30.0)
    return None  # pragma: no cover


async def _close_requests(application: Application) -> None:
    """Close the HTTP clients a failed initialize() left open (Bot.shutdown skips them)."""
    for request in getattr(application.bot, "_request", ()):
        try:
            await request.shutdown()
        except Exception:  # best effort on the way out
            log.debug("request client not closed", exc_info=True)
