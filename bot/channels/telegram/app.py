"""The Telegram application: its builder (timeouts, rate limiter, handlers, jobs) and `run`.

`run` is what `python -m bot run` calls: it checks the token and Telegram
before polling (or serving a webhook), so that a bad token or a network
problem gives a clear message and an exit code, not a traceback.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import hmac
import logging
import sys
from collections.abc import Callable
from dataclasses import replace
from urllib.parse import urlsplit

from telegram import BotCommand, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import InvalidToken, NetworkError, TelegramError, TimedOut
from telegram.ext import (
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    Defaults,
    MessageHandler,
    filters,
)

from bot.channels.telegram.admin import on_needs, on_reload, on_stats
from bot.channels.telegram.consent import RETRY_DELAY, RETRY_KEY, dispatcher, has_mediators, planner
from bot.channels.telegram.context import RELAIS, Relais, RelaisApplication
from bot.channels.telegram.handlers import (
    on_error,
    on_forget,
    on_help,
    on_location,
    on_non_text,
    on_press,
    on_quartier,
    on_reminders,
    on_rights,
    on_start,
    on_stop,
    on_text,
)
from bot.channels.telegram.jobs import PURGE_FIRST, RELOAD_INTERVAL, make_job_queue, schedule_jobs
from bot.channels.telegram.logging import TokenFilter, configure_logging
from bot.channels.telegram.mediators import on_heard_need, on_week
from bot.channels.telegram.processor import MAX_CONCURRENT_UPDATES, PerChatUpdateProcessor
from bot.channels.telegram.ratelimit import RetryingRateLimiter
from bot.config import Settings, check_mediators, zone
from bot.conversation.core import Conversation
from bot.conversation.hours import paris_now
from bot.knowledge.engine import Engine
from bot.knowledge.model import DangerDataError, KnowledgeError
from bot.storage.consented import ConsentedData
from bot.storage.crypto import KeyProblem
from bot.storage.db_file import database_problem
from bot.storage.privacy import load_or_create_secret
from bot.storage.store import Store
from bot.storage.writer import StoreUnavailable
from bot.understanding.model_cache import ModelCache

log = logging.getLogger(__name__)

POLL_TIMEOUT = 30  # long-poll seconds; Telegram keeps the request open that long
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY]

# The French command menu registered with set_my_commands (admin commands stay hidden).
COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", "Commencer : ce que fait Relais Droits"),
    ("aide", "Comment ça marche"),
    ("quartier", "Choisir ou changer de quartier"),
    ("rappels", "Voir ou arrêter mes rappels"),
    ("droits", "À quoi j'ai droit ? Un premier point en 7 questions"),
    ("oubli", "Effacer ce que le bot garde de cette conversation"),
)

DANGER_DATA_BROKEN = (
    "Les données d'urgence (knowledge/urgences/) sont absentes ou invalides : le bot ne démarre pas sans elles, "
    "pour ne jamais laisser une personne en danger sans les bons numéros. Lancez « python -m bot validate »."
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
    clock: Callable[[], dt.datetime] | None = None,
    reminder_retry: float = RETRY_DELAY,
) -> RelaisApplication:
    """The configured Application: handlers, jobs, rate limiter, timeouts, menu, shutdown.

    `reminder_retry`: seconds before a reminder Telegram could not take is tried again
    (tests shorten it to see the retry arrive).
    """
    if not settings.telegram_token:
        raise InvalidToken(MISSING_TOKEN)
    builder = (
        ApplicationBuilder()
        .token(settings.telegram_token)
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
                tzinfo=zone(settings.timezone),
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
        .job_queue(make_job_queue())
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
    )
    if settings.telegram_base_url:
        base_url, base_file_url = api_base_urls(settings.telegram_base_url)
        builder = builder.base_url(base_url).base_file_url(base_file_url)
    application = builder.build()
    # Mediators of a quartier the knowledge base does not know are dropped here, with a warning.
    settings = replace(settings, mediators=check_mediators(settings.mediators, engine.current.kb.quartiers))
    clock = clock or paris_now
    # KeyProblem (French) when the key file does not fit the stored reminders: `run` prints it and
    # stops, rather than run with rows it can no longer read. A database that refuses writes (full or
    # read-only disk) only disables reminders: residents still get answers.
    consents: ConsentedData | None
    try:
        consents = ConsentedData.open(store, settings.data_dir, clock)
        consents.on_reminder_added.append(planner(application))
    except StoreUnavailable as exc:
        log.error("rappels et demandes de rappel désactivés : base indisponible (%s)", exc)
        consents = None
    conversation = Conversation(
        engine,
        recorder=store,
        channel="telegram",
        clock=clock,
        consents=consents,
        has_mediators=has_mediators(settings),
        dispatch=dispatcher(application),
    )
    application.bot_data[RELAIS] = Relais(
        settings=settings,
        engine=engine,
        store=store,
        conversation=conversation,
        secret=load_or_create_secret(settings),
        consents=consents,
        clock=clock,
    )
    application.bot_data[RETRY_KEY] = reminder_retry
    _add_handlers(application, settings)
    schedule_jobs(application, reload_interval=reload_interval, purge_first=purge_first)
    return application


def _add_handlers(application: RelaisApplication, settings: Settings) -> None:
    """Order matters: commands first, then the catch-all text handler."""
    private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
    admins = filters.User(user_id=settings.admins)
    mediators = filters.User(user_id=list(settings.mediators))
    application.add_handlers(
        [
            CommandHandler("start", on_start, filters=private),
            CommandHandler(["aide", "help"], on_help, filters=private),
            CommandHandler("quartier", on_quartier, filters=private),
            CommandHandler("oubli", on_forget, filters=private),
            CommandHandler("rappels", on_reminders, filters=private),
            CommandHandler("droits", on_rights, filters=private),
            CommandHandler(["stop", "arreter"], on_stop, filters=private),
            # Admin commands: for anyone else these don't match and fall to on_text.
            CommandHandler("stats", on_stats, filters=private & admins),
            CommandHandler("recharger", on_reload, filters=private & admins),
            CommandHandler("besoins", on_needs, filters=private & admins),
            # Mediator commands: likewise invisible to everyone else.
            CommandHandler("besoin", on_heard_need, filters=private & mediators),
            CommandHandler("semaine", on_week, filters=private & mediators),
            CallbackQueryHandler(on_press),
            MessageHandler(private & filters.LOCATION, on_location),
            MessageHandler(private & filters.TEXT, on_text),
            MessageHandler(private & ~filters.TEXT & ~filters.LOCATION & ~filters.StatusUpdate.ALL, on_non_text),
        ]
    )
    application.add_error_handler(on_error)


async def _post_init(application: RelaisApplication) -> None:
    """Register the French command menu once the bot is known to Telegram."""
    try:
        await application.bot.set_my_commands([BotCommand(name, text) for name, text in COMMANDS])
    except TelegramError as exc:  # the menu is a comfort, not a reason to stop
        log.warning("command menu not registered: %s", exc)
    log.info("Telegram bot @%s ready", application.bot.username)


async def _post_shutdown(application: RelaisApplication) -> None:
    """Nothing stored may be lost on SIGTERM: flush and close the store last."""
    relais: Relais | None = application.bot_data.get(RELAIS)
    if relais is None:
        return
    # Off the loop: both wait for the store's writer thread to drain its queue.
    await asyncio.to_thread(relais.store.flush)
    await asyncio.to_thread(relais.store.close)
    log.info("store flushed and closed")


def webhook_secret(token: str) -> str:
    """A stable secret for Telegram's X-Telegram-Bot-Api-Secret-Token header, derived from the token."""
    return hmac.new(token.encode(), b"relais-droits webhook", hashlib.sha256).hexdigest()


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
        # Answers from the start; the sentence reading switches on in the background when ready.
        engine = Engine.load(
            settings.knowledge_dir, cache=ModelCache(settings.model_cache_dir), sentences=settings.sentences
        )
    except KnowledgeError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        if isinstance(exc, DangerDataError):
            print(DANGER_DATA_BROKEN, file=sys.stderr)
        print("Base de connaissances invalide / invalid knowledge base.", file=sys.stderr)
        return 1
    unusable = database_problem(settings.db_path)
    if unusable is not None:  # a text file or a folder: said once, never written over
        print(f"Erreur : {unusable}", file=sys.stderr)
        return 1
    store = Store(settings.db_path, timezone=settings.timezone, quartiers=engine.current.kb.quartier_names())
    try:
        application = build_application(settings, engine, store)
    except InvalidToken:
        store.close()
        print(REJECTED_TOKEN, file=sys.stderr)
        return 2
    except KeyProblem as exc:  # the reminders' key does not fit the stored rows
        store.close()
        print(f"Erreur : {exc}", file=sys.stderr)
        return 1
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


async def _connect(application: RelaisApplication, attempts: int = 3) -> str | None:
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


async def _close_requests(application: RelaisApplication) -> None:
    """Close the HTTP clients a failed initialize() left open (Bot.shutdown skips them)."""
    for request in getattr(application.bot, "_request", ()):
        try:
            await request.shutdown()
        except Exception:  # best effort on the way out
            log.debug("request client not closed", exc_info=True)
