"""Background jobs: reload the knowledge base when its files change, and the daily purge."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from bot.channels.telegram.admin import notify_admins, reload_report
from bot.channels.telegram.consent import purge_consented, reschedule_all
from bot.channels.telegram.context import Context, Queue, RelaisApplication, relais_of
from bot.knowledge.engine import Engine, ReloadResult
from bot.storage.store import purge_daily

log = logging.getLogger(__name__)

RELOAD_INTERVAL = 5.0  # seconds between checks of the knowledge files
PURGE_INTERVAL = 24 * 3600.0
PURGE_FIRST = 60.0  # first purge a minute after start, then daily


async def watch_knowledge(context: Context) -> None:
    """Reload the knowledge base when its files change; tell admins when an edit is broken.

    The same problems are reported once, not every few seconds, and admins hear
    when a fix makes the reload succeed again.
    """
    relais = relais_of(context)
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


async def purge_old(context: Context) -> None:
    """Daily retention: forget what is older than the retention setting (off the loop, never raises)."""
    relais = relais_of(context)
    await purge_daily(relais.store, relais.settings.retention_days)


class StartedJobQueue(Queue):
    """A JobQueue that adds our jobs only once its scheduler runs, so `first` counts from the start.

    Why: a job's first run is fixed when the job is added. Added while the
    application is being built, before the scheduler starts, a first run that
    has passed by the time the scheduler starts (Telegram retries at start, a
    busy machine) is skipped by APScheduler's interval trigger, which jumps to
    the next interval: the first purge then came a whole day late.
    """

    def __init__(self) -> None:
        super().__init__()
        self._on_start: list[Callable[[Queue], None]] = []

    def when_started(self, add_jobs: Callable[[Queue], None]) -> None:
        """Call `add_jobs(queue)` as soon as the scheduler runs (now, if it already does)."""
        if self.scheduler.running:
            add_jobs(self)
        else:
            self._on_start.append(add_jobs)

    async def start(self) -> None:
        await super().start()
        while self._on_start:
            self._on_start.pop(0)(self)


def make_job_queue() -> Queue | None:
    """Our job queue, or None when python-telegram-bot[job-queue] (APScheduler) is missing."""
    try:
        return StartedJobQueue()
    except RuntimeError:
        return None


def schedule_jobs(application: RelaisApplication, *, reload_interval: float, purge_first: float) -> None:
    """The knowledge watch and the daily purge, counted from when the job queue starts."""
    jobs = application.job_queue
    if jobs is None:
        log.warning("python-telegram-bot[job-queue] is not installed: no automatic reload or daily purge")
        return

    def add_jobs(queue: Queue) -> None:
        queue.run_repeating(watch_knowledge, interval=reload_interval, first=reload_interval, name="knowledge-watch")
        queue.run_repeating(purge_old, interval=PURGE_INTERVAL, first=purge_first, name="daily-purge")
        # Reminders: stored series back on the queue, and expired personal data erased daily.
        reschedule_all(application, queue)
        queue.run_repeating(purge_consented, interval=PURGE_INTERVAL, first=purge_first, name="consent-purge")

    if isinstance(jobs, StartedJobQueue):
        jobs.when_started(add_jobs)
    else:
        add_jobs(jobs)
