"""SQLite memory of the bot for the laboratoire: unmet needs, feedback, counts.

What is stored, and what is not:

- unanswered questions: redacted text, redacted normalised text, day and ISO
  week, quartier, channel, the bot's closest guess and its score, and the
  laboratoire's review status;
- feedback: entry id, 👍/👎, and for 👎 only the redacted question;
- daily counts of answered topics per (day, quartier, entry, channel): no text;
- the quartier a conversation chose, keyed by an opaque HMAC key.

Questions and feedback carry no conversation key at all: nobody can line up
what one person asked. Time is kept to the day, which is all the review
needs and makes it harder to match a row with a message. Everything is
redacted by the caller's thread *before* it enters the write queue, so not
even memory holds raw personal data for long.

Threads, faults and erasure are the writer's business (`bot.storage.writer`):
`record_*`, `remember_quartier` and `forget` only redact and enqueue, and
return at once; `purge()` and `mark_reviewed()` wait for their own result.
The conversation quartiers are also cached in memory, which gives the core
read-your-writes even while its write is still queued. The schema lives in
`bot.storage.schema`.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from bot.config import K_ANONYMITY, RETENTION_DAYS, TIMEZONE, zone
from bot.knowledge.model import QuartierNames
from bot.storage.anonymity import shown_count, shown_total
from bot.storage.redact import redact, redact_normalized
from bot.storage.schema import migrations
from bot.storage.writer import Job, StoreUnavailable, Writer

log = logging.getLogger(__name__)

_NO_QUARTIER = ""  # answered_daily is keyed by quartier: NULL would break the upsert

_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,59}$")
_RAW_ID = re.compile(r"^-?\d+$")
_CACHE_SIZE = 50_000
QUESTION_MAX_CHARS = 1000  # what is kept of a question: enough for any real one, bounded for the database
_MISSING = object()


@dataclass(frozen=True)
class UnmetQuestion:
    """One question the bot could not answer, as stored (already redacted)."""

    id: int
    day: str
    week: str
    quartier: str | None
    channel: str
    question: str
    normalized: str
    guess: str | None
    score: int
    status: str | None
    reason: str | None = None  # REASON_OFFTOPIC, REASON_HESITATED (conversation.recorder), or None


@dataclass(frozen=True)
class FeedbackRow:
    """One 👍/👎 as stored: only a 👎 keeps the (redacted) question."""

    id: int
    day: str
    week: str
    entry_id: str
    helpful: bool
    question: str | None
    quartier: str | None
    channel: str


@dataclass(frozen=True)
class QuartierStats:
    """Questions with and without an answer in one quartier (None = not given)."""

    quartier: str | None
    answered: int
    unanswered: int


@dataclass(frozen=True)
class TopicCount:
    """How often a topic was answered in one quartier during one ISO week."""

    week: str
    quartier: str | None
    entry_id: str
    count: int


def iso_week(day: dt.date) -> str:
    """ "2025-W48": the week label used in every table and report."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


class Store:
    """SQLite implementation of `bot.conversation.recorder.Recorder`, plus what the laboratoire reads.

    `clock` returns an aware datetime (tests move time with it); `on_connect`
    is called on every new connection (tests use it to simulate a full or
    read-only disk). Use as a context manager, or call `close()`.
    """

    keeps_questions = True  # unanswered questions go to the laboratoire, redacted

    def __init__(
        self,
        path: Path,
        *,
        clock: Callable[[], dt.datetime] | None = None,
        timezone: str = TIMEZONE,
        quartiers: QuartierNames | None = None,
        retries: int = 3,
        retry_delay: float = 0.1,
        busy_timeout: float = 2.0,
        on_connect: Callable[[sqlite3.Connection], None] | None = None,
    ) -> None:
        self.path = Path(path)
        self._tz = zone(timezone)
        # Ids, names and order of the quartiers, from knowledge/quartiers/ (none: ids as they are).
        self.quartiers = quartiers or QuartierNames()
        self._clock = clock or (lambda: dt.datetime.now(self._tz))
        self._cache: OrderedDict[str, str | None] = OrderedDict()
        self._cache_lock = threading.Lock()
        # Public: other tables of the same database (consented data) share its
        # single writer thread and reader connection through `call` and `read`.
        self.writer = Writer(
            self.path,
            prepare=migrations.apply,
            retries=retries,
            retry_delay=retry_delay,
            busy_timeout=busy_timeout,
            on_connect=on_connect,
        )

    # ------------------------------------------------------------------ Recorder

    def quartier_of(self, key: str) -> str | None:
        """The conversation's quartier: memory first, then the database; None on any fault."""
        with self._cache_lock:
            cached = self._cache.get(key, _MISSING)
            if cached is not _MISSING:
                self._cache.move_to_end(key)
                return cached  # type: ignore[return-value]
        try:
            rows = self.writer.read(
                lambda db: list(db.query("select quartier from conversations where key = ?", [key]))
            )
        except StoreUnavailable:
            return None
        quartier = rows[0]["quartier"] if rows else None
        self._cache_put(key, quartier)
        return quartier

    def remember_quartier(self, key: str, quartier: str | None) -> None:
        """Remember (or clear) the quartier; raw numeric ids are kept in memory only."""
        quartier = _clean_id(quartier)
        self._cache_put(key, quartier)
        if not self._storable_key(key):
            return
        day = self._today().isoformat()
        if quartier is None:
            self.writer.submit(
                Job("oubli du quartier", lambda db: db.execute("delete from conversations where key = ?", [key]))
            )
        else:
            self.writer.submit(
                Job(
                    "choix du quartier",
                    lambda db: db.execute(
                        "insert into conversations (key, quartier, updated_day) values (?, ?, ?) "
                        "on conflict(key) do update set "
                        "quartier = excluded.quartier, updated_day = excluded.updated_day",
                        [key, quartier, day],
                    ),
                )
            )

    def record_answered(self, entry_id: str, quartier: str | None, channel: str) -> None:
        """Add one to today's count for this topic, quartier and channel (no text)."""
        entry = _clean_id(entry_id)
        if entry is None:
            return
        today = self._today()
        row = [today.isoformat(), iso_week(today), _clean_id(quartier) or _NO_QUARTIER, entry, _clean_channel(channel)]
        self.writer.submit(
            Job(
                "comptage d'une réponse",
                lambda db: db.execute(
                    "insert into answered_daily (day, week, quartier, entry_id, channel, count) "
                    "values (?, ?, ?, ?, ?, 1) "
                    "on conflict(day, quartier, entry_id, channel) do update set count = count + 1",
                    row,
                ),
            )
        )

    def record_orientation(self, rights: Sequence[str], channel: str) -> None:
        """Count one completed rights check and each right it listed: counts only, no answer, no key."""
        today = self._today()
        day, week, chan = today.isoformat(), iso_week(today), _clean_channel(channel)
        entries = sorted({e for e in (_clean_id(r) for r in rights) if e})

        def count(db: Database) -> None:
            db.execute(
                "insert into orientation_daily (day, week, channel, count) values (?, ?, ?, 1) "
                "on conflict(day, channel) do update set count = count + 1",
                [day, week, chan],
            )
            for entry in entries:
                db.execute(
                    "insert into orientation_rights_daily (day, week, channel, entry_id, count) "
                    "values (?, ?, ?, ?, 1) "
                    "on conflict(day, channel, entry_id) do update set count = count + 1",
                    [day, week, chan, entry],
                )

        self.writer.submit(Job("comptage d'un point sur les droits", count))

    def orientation_counts(self, days: int | None = 7) -> tuple[int, list[tuple[str, int]]]:
        """Completed rights checks over the period, and how often each right was listed (most first)."""
        where, params = self._since_clause("day", days)
        clause = (" where " + " and ".join(where)) if where else ""

        def query(db: Database) -> tuple[int, list[tuple[str, int]]]:
            done = next(iter(db.query(f"select coalesce(sum(count), 0) as n from orientation_daily{clause}", params)))
            rows = db.query(
                f"select entry_id, sum(count) as n from orientation_rights_daily{clause} "
                "group by entry_id order by n desc, entry_id",
                params,
            )
            return int(done["n"] or 0), [(r["entry_id"], int(r["n"])) for r in rows]

        return self.writer.read(query)

    def record_unanswered(
        self,
        question: str,
        normalized: str,
        quartier: str | None,
        channel: str,
        guess: str | None,
        score: int,
        *,
        reason: str | None = None,
        wait: bool = False,
    ) -> None:
        """Keep a question nobody answered yet, redacted here, before it is queued.

        `reason` says why (REASON_OFFTOPIC, REASON_HESITATED; None: the bot did not know).

        With `wait` (the CLI), return only once it is written and raise
        StoreUnavailable if it could not be, instead of dropping it quietly.
        """
        text = redact(question, self.quartiers.place_names).strip()
        if not text:
            return
        today = self._today()
        row = {
            "day": today.isoformat(),
            "week": iso_week(today),
            "quartier": _clean_id(quartier),
            "channel": _clean_channel(channel),
            "question": text[:QUESTION_MAX_CHARS],
            "normalized": redact_normalized(question, normalized, self.quartiers.place_names)[:QUESTION_MAX_CHARS],
            "guess": _clean_id(guess),
            "score": _clean_score(score),
            "reason": _clean_id(reason),  # an id-shaped word ("hors-sujet"), never free text
        }
        job = Job("question sans réponse", lambda db: db.table("unanswered").insert(row), Future() if wait else None)
        self.writer.submit(job, wait=wait)

    def record_feedback(self, entry_id: str, question: str, helpful: bool, quartier: str | None, channel: str) -> None:
        """Keep a 👍/👎; only a 👎 keeps the (redacted) question, to see what was missed."""
        entry = _clean_id(entry_id)
        if entry is None:
            return
        today = self._today()
        row = {
            "day": today.isoformat(),
            "week": iso_week(today),
            "entry_id": entry,
            "helpful": 1 if helpful else 0,
            "question": None
            if helpful
            else (redact(question, self.quartiers.place_names).strip()[:QUESTION_MAX_CHARS] or None),
            "quartier": _clean_id(quartier),
            "channel": _clean_channel(channel),
        }
        self.writer.submit(Job("avis sur une réponse", lambda db: db.table("feedback").insert(row)))

    def forget(self, key: str) -> None:
        """Erase what is tied to this conversation: its quartier (questions carry no key)."""
        self._cache_put(key, None)
        self.writer.submit(
            Job(
                "oubli d'une conversation",
                lambda db: db.execute("delete from conversations where key = ?", [key]),
                checkpoint=True,
            )
        )

    # ------------------------------------------------------------------ lifecycle

    def flush(self, timeout: float | None = 30.0) -> bool:
        """Wait until every write queued so far is done (or dropped); False on timeout."""
        return self.writer.flush(timeout)

    def close(self) -> None:
        """Flush pending writes, stop the writer thread and close both connections."""
        self.writer.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ retention

    def purge(self, older_than_days: int = RETENTION_DAYS) -> int:
        """Delete every row older than `older_than_days` days; returns how many.

        Raises StoreUnavailable if the database refused (the CLI says so);
        `purge_daily` catches it for the bot.
        """
        if older_than_days < 0:
            raise ValueError("older_than_days must be >= 0")
        try:
            cutoff = (self._today() - dt.timedelta(days=older_than_days)).isoformat()
        except OverflowError:  # "--older-than 99999999": before year 1, so nothing is that old
            return 0

        def delete(db: Database) -> int:
            total = 0
            for table, column in (
                ("unanswered", "day"),
                ("feedback", "day"),
                ("answered_daily", "day"),
                ("orientation_daily", "day"),
                ("orientation_rights_daily", "day"),
                ("conversations", "updated_day"),
            ):
                total += db.execute(f"delete from {table} where {column} < ?", [cutoff]).rowcount
            return total

        deleted = self.writer.call("purge", delete, checkpoint=True)
        with self._cache_lock:
            self._cache.clear()  # purged conversations must not come back from memory
        return deleted

    # ------------------------------------------------------------------ review

    def unmet(
        self, since_days: int | None = None, quartier: str | None = None, include_reviewed: bool = False
    ) -> list[UnmetQuestion]:
        """Unanswered questions, oldest first; by default only those not yet reviewed."""
        where, params = self._since_clause("day", since_days)
        if quartier:
            where.append("quartier = ?")
            params.append(quartier)
        if not include_reviewed:
            where.append("status is null")
        sql = "select * from unanswered" + (" where " + " and ".join(where) if where else "") + " order by id"
        rows = self.writer.read(lambda db: list(db.query(sql, params)))
        return [
            UnmetQuestion(
                id=r["id"],
                day=r["day"],
                week=r["week"],
                quartier=r["quartier"],
                channel=r["channel"],
                question=r["question"],
                normalized=r["normalized"],
                guess=r["guess"],
                score=r["score"] or 0,
                status=r["status"],
                reason=r.get("reason"),
            )
            for r in rows
        ]

    def feedback_rows(self, since_days: int | None = None, quartier: str | None = None) -> list[FeedbackRow]:
        """Every 👍/👎 of the period (and quartier), oldest first."""
        where, params = self._since_clause("day", since_days)
        if quartier:
            where.append("quartier = ?")
            params.append(quartier)
        sql = "select * from feedback" + (" where " + " and ".join(where) if where else "") + " order by id"
        rows = self.writer.read(lambda db: list(db.query(sql, params)))
        return [
            FeedbackRow(
                id=r["id"],
                day=r["day"],
                week=r["week"],
                entry_id=r["entry_id"],
                helpful=bool(r["helpful"]),
                question=r["question"],
                quartier=r["quartier"],
                channel=r["channel"],
            )
            for r in rows
        ]

    def mark_reviewed(self, ids: Iterable[int], status: str) -> int:
        """Set the review status ("ecarte", "appris:rsa") of these questions; returns how many."""
        ids = [int(i) for i in ids]
        day = self._today().isoformat()

        def update(db: Database) -> int:
            changed = 0
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                marks = ",".join("?" * len(chunk))
                changed += db.execute(
                    f"update unanswered set status = ?, reviewed_day = ? where id in ({marks})",
                    [status, day, *chunk],
                ).rowcount
            return changed

        return self.writer.call("revue d'un besoin", update) if ids else 0

    # ------------------------------------------------------------------ statistics

    def stats(self, days: int | None = 7) -> list[QuartierStats]:
        """Questions answered and not answered per quartier over the last `days` days (None: all)."""
        where, params = self._since_clause("day", days)
        clause = " where " + " and ".join(where) if where else ""

        def query(db: Database) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
            answered = list(
                db.query(f"select quartier, sum(count) as n from answered_daily{clause} group by quartier", params)
            )
            unanswered = list(
                db.query(f"select quartier, count(*) as n from unanswered{clause} group by quartier", params)
            )
            return answered, unanswered

        answered, unanswered = self.writer.read(query)
        totals: dict[str | None, list[int]] = {q: [0, 0] for q in self.quartiers.ids}
        for row in answered:
            totals.setdefault(row["quartier"] or None, [0, 0])[0] += row["n"] or 0
        for row in unanswered:
            totals.setdefault(row["quartier"] or None, [0, 0])[1] += row["n"] or 0
        keys = sorted(totals, key=lambda q: (q is None, self.quartiers.rank(q), q or ""))
        return [QuartierStats(q, totals[q][0], totals[q][1]) for q in keys]

    def stats_text(self, days: int | None = 7, quartier: str | None = None, k: int = K_ANONYMITY) -> str:
        """The /stats summary in French, for admins and the CLI; `quartier` keeps only its line.

        Every count under `k` reads « moins de k », as in the review: a 1 in a
        small quartier would point at one resident; the totals never undo
        those masks by subtraction (see `shown_total`).
        """
        try:
            rows = self.stats(days)
            if quartier:
                rows = [row for row in rows if row.quartier == quartier] or [QuartierStats(quartier, 0, 0)]
        except StoreUnavailable:
            return "Les statistiques sont indisponibles pour le moment (base de données inaccessible)."
        lines = [f"Questions {_period_words(days)}, par quartier :"]
        for row in rows:
            if row.quartier is None and not (row.answered or row.unanswered):
                continue
            lines.append(
                f"- {self.quartiers.name(row.quartier)} : {shown_count(row.answered, k)} avec réponse, "
                f"{shown_count(row.unanswered, k)} sans réponse"
            )
        answered = shown_total([r.answered for r in rows], k)
        unanswered = shown_total([r.unanswered for r in rows], k)
        lines.append(f"Total : {answered} avec réponse, {unanswered} sans réponse.")
        orientation = self._orientation_line(days, k)
        if orientation:
            lines.append(orientation)
        return "\n".join(lines)

    def _orientation_line(self, days: int | None, k: int = K_ANONYMITY) -> str | None:
        """Completed rights checks and the rights they listed (counts under `k` masked); None when none."""
        try:
            done, rights = self.orientation_counts(days)
        except StoreUnavailable:
            return None
        if not done:
            return None
        top = ", ".join(f"{entry} {shown_count(n, k)}" for entry, n in rights[:8])
        return f"Points sur les droits terminés : {shown_count(done, k)}" + (
            f" (droits proposés : {top})." if top else "."
        )

    def answered_topics(self, days: int | None = None, quartier: str | None = None) -> list[TopicCount]:
        """Answered topics per ISO week and quartier (newest week first, then by count)."""
        where, params = self._since_clause("day", days)
        if quartier:
            where.append("quartier = ?")
            params.append(quartier)
        sql = (
            "select week, quartier, entry_id, sum(count) as n from answered_daily"
            + (" where " + " and ".join(where) if where else "")
            + " group by week, quartier, entry_id order by week desc, n desc, quartier, entry_id"
        )
        rows = self.writer.read(lambda db: list(db.query(sql, params)))
        return [TopicCount(r["week"], r["quartier"] or None, r["entry_id"], r["n"]) for r in rows]

    def today(self) -> dt.date:
        """The store's idea of today (local time), shared with the reports."""
        return self._today()

    # ------------------------------------------------------------------ internals

    def _today(self) -> dt.date:
        now = self._clock()
        if now.tzinfo is not None:
            now = now.astimezone(self._tz)
        return now.date()

    def _since_clause(self, column: str, days: int | None) -> tuple[list[str], list[Any]]:
        if days is None:
            return [], []
        cutoff = (self._today() - dt.timedelta(days=max(days, 1) - 1)).isoformat()
        return [f"{column} >= ?"], [cutoff]

    def _cache_put(self, key: str, quartier: str | None) -> None:
        with self._cache_lock:
            self._cache[key] = quartier
            self._cache.move_to_end(key)
            while len(self._cache) > _CACHE_SIZE:
                self._cache.popitem(last=False)

    @staticmethod
    def _storable_key(key: str) -> bool:
        """Refuse to persist something that looks like a raw Telegram id."""
        if not key or _RAW_ID.match(str(key)):
            log.warning("clé de conversation refusée : elle ressemble à un identifiant brut (non enregistrée)")
            return False
        return True


@contextmanager
def open_store(path: Path, **options: Any) -> Iterator[Store]:
    """`with open_store(path) as store:` — for the CLI commands."""
    store = Store(path, **options)
    try:
        yield store
    finally:
        store.close()


async def purge_daily(store: Store, days: int = RETENTION_DAYS) -> int:
    """One automatic purge, run off the event loop; never raises (for a JobQueue job).

    Schedule it once a day, e.g. with python-telegram-bot:
    ``app.job_queue.run_daily(lambda ctx: purge_daily(store, RETENTION_DAYS), time=dt.time(4, 0))``.
    """
    import asyncio

    try:
        deleted = await asyncio.to_thread(store.purge, days)
    except (StoreUnavailable, ValueError) as exc:
        log.warning("purge automatique impossible : %s", exc)
        return 0
    log.info("purge automatique : %d ligne(s) de plus de %d jours supprimée(s)", deleted, days)
    return deleted


def _period_words(days: int | None) -> str:
    """« des 7 derniers jours », « du dernier jour », or « depuis le début » (None: the whole history)."""
    if days is None:
        return "depuis le début"
    return "du dernier jour" if days == 1 else f"des {days} derniers jours"


def _clean_id(value: str | None) -> str | None:
    """Ids (quartier, entry) go into columns without redaction: only accept id-shaped text."""
    if value is None:
        return None
    value = str(value).strip()  # ids are lowercase: "Yvette" is not one
    return value if _ID.match(value) and not _RAW_ID.match(value) else None


def _clean_channel(channel: str) -> str:
    return _clean_id(channel) or "autre"


def _clean_score(score: Any) -> int:
    try:
        return max(0, min(100, int(score)))
    except (TypeError, ValueError):
        return 0
