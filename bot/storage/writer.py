"""One thread owns the only writing SQLite connection; everything else queues jobs for it.

Why. sqlite3 connections belong to the thread that made them, and a write can
wait on a lock. So one owner thread holds the only writing connection and
takes jobs from a queue: fire-and-forget jobs return at once — the asyncio
loop never waits on the disk. `flush()` waits for the queue to drain; `call()`
waits for its own result. Reads use a second connection guarded by a lock
rather than the queue: in WAL mode readers do not wait for writers, so a read
is never stuck behind a write that is retrying on a locked database.

Faults. A locked, read-only or full database never raises into the bot: the
write is retried a few times, then the failure is logged (operation name and
SQLite's message, never the data) and that write is dropped. Queued writes
are grouped in one transaction; if a group fails for another reason than a
lock (full disk, bad row), each write gets its own try so the rest is kept.

Erasure. The writer sets `secure_delete`, and jobs marked `checkpoint`
truncate the WAL, so erased text leaves no copy in the file or its WAL.

Nothing here knows the schema or the data: `prepare` (migrations) is passed in.
"""

from __future__ import annotations

import logging
import queue
import sqlite3
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar, cast

from sqlite_utils import Database

from bot.french_os import french_reason
from bot.storage.redact import redact

log = logging.getLogger(__name__)

T = TypeVar("T")  # what a job's function returns

_QUEUE_SIZE = 10_000
_BATCH = 200  # fire-and-forget writes grouped in one transaction
_STOP = object()  # tells the owner thread to finish


class StoreUnavailable(Exception):
    """The database could not do what a synchronous caller (CLI, review) asked."""


@dataclass
class Job:
    """One write: `fn` gets the writing connection; a `future` makes it synchronous."""

    description: str  # French, for the logs: never the data itself
    fn: Callable[[Database], Any] | None  # None: a flush marker
    future: Future[Any] | None = None
    checkpoint: bool = False  # truncate the WAL afterwards (erasure)


class Writer:
    """The owner thread, its queue, and the shared reader connection.

    `prepare` runs once on the writing connection before the first job (and
    again after a failure), e.g. to apply migrations; `on_connect` is called
    on every new connection (tests use it to simulate a full or read-only disk).
    """

    def __init__(
        self,
        path: Path,
        *,
        prepare: Callable[[Database], None],
        retries: int = 3,
        retry_delay: float = 0.1,
        busy_timeout: float = 2.0,
        on_connect: Callable[[sqlite3.Connection], None] | None = None,
        thread_name: str = "relais-store",
    ) -> None:
        self.path = Path(path)
        self._prepare = prepare
        self._retries = max(1, retries)
        self._retry_delay = retry_delay
        self._busy_ms = int(busy_timeout * 1000)
        self._on_connect = on_connect
        self._queue: queue.Queue[Job | object] = queue.Queue(maxsize=_QUEUE_SIZE)
        self._writer: Database | None = None
        self._schema_ready = False
        self._reader: Database | None = None
        self._read_lock = threading.Lock()
        self._closed = False
        self._close_lock = threading.Lock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            log.error("dossier de la base inutilisable (%s) : rien ne sera enregistré", french_reason(exc))
        self._thread = threading.Thread(target=self._run, name=thread_name, daemon=True)
        self._thread.start()
        # Create or migrate the schema now, so that reads right after opening
        # find their tables; a failure is logged and retried on the next write.
        self.submit(Job("ouverture de la base", lambda db: None, Future()), wait=True, raise_errors=False)

    # ------------------------------------------------------------------ API

    def submit(self, job: Job, wait: bool = False, raise_errors: bool = True) -> Any:
        """Queue a job (fire-and-forget unless `wait`); never raises for fire-and-forget jobs."""
        if self._closed or not self._thread.is_alive():
            log.debug("base fermée : « %s » ignoré", job.description)
            if wait and raise_errors:
                raise StoreUnavailable("la base est fermée")
            return None
        if not self._put(job, block=wait):
            if wait and raise_errors:
                raise StoreUnavailable("file d'écriture pleine")
            return None
        if not wait or job.future is None:
            return None
        try:
            return job.future.result()
        except StoreUnavailable:
            if raise_errors:
                raise
            return None

    def call(self, description: str, fn: Callable[[Database], T], checkpoint: bool = False) -> T:
        """Run one write and return its result; StoreUnavailable if it could not be done."""
        # A waited job either raises or resolves its future with fn's own result.
        return cast(T, self.submit(Job(description, fn, Future(), checkpoint), wait=True))

    def read(self, fn: Callable[[Database], T]) -> T:
        """Run a read on the shared reader connection; StoreUnavailable on any fault."""
        with self._read_lock:
            if self._closed:
                raise StoreUnavailable("la base est fermée")
            try:
                if self._reader is None:
                    self._reader = self._connect(reader=True)
                return fn(self._reader)
            except sqlite3.Error as exc:
                if self._reader is not None and self._reader.conn.in_transaction:
                    self._reader.conn.rollback()
                log.warning("lecture impossible : %s", safe_error(exc))
                raise StoreUnavailable(safe_error(exc)) from None

    def flush(self, timeout: float | None = 30.0) -> bool:
        """Wait until every write queued so far is done (or dropped); False on timeout."""
        if self._closed or not self._thread.is_alive():
            return True
        marker = Job("flush", None, Future())
        if not self._put(marker, block=True, timeout=timeout):
            return False
        try:
            marker.future.result(timeout=timeout)  # type: ignore[union-attr]
            return True
        except TimeoutError:
            return False

    def close(self) -> None:
        """Flush pending writes, stop the owner thread and close both connections."""
        with self._close_lock:
            if self._closed:
                return
            self.flush()
            self._closed = True
        self._queue.put(_STOP)
        self._thread.join(timeout=30)
        with self._read_lock:
            if self._reader is not None:
                self._reader.close()
                self._reader = None

    # ------------------------------------------------------------------ internals

    def _connect(self, *, reader: bool) -> Database:
        conn = sqlite3.connect(str(self.path), timeout=self._busy_ms / 1000, check_same_thread=not reader)
        try:
            conn.execute(f"PRAGMA busy_timeout = {self._busy_ms if not reader else min(self._busy_ms, 500)}")
            if reader:
                conn.execute("PRAGMA query_only = 1")
            else:
                # Deleted rows are overwritten with zeros, so forget/purge really erase.
                conn.execute("PRAGMA secure_delete = 1")
            if self._on_connect:
                self._on_connect(conn)
            return Database(conn, execute_plugins=False)
        except BaseException:
            conn.close()
            raise

    def _writer_db(self) -> Database:
        """The owner thread's connection, opened and prepared lazily (retried after faults)."""
        if self._writer is None:
            self._writer = self._connect(reader=False)
        if not self._schema_ready:
            try:
                self._writer.enable_wal()
            except sqlite3.Error as exc:
                log.warning("mode WAL impossible (%s) : la base reste utilisable", safe_error(exc))
            self._prepare(self._writer)
            self._schema_ready = True
        return self._writer

    def _put(self, job: Job, block: bool = False, timeout: float | None = None) -> bool:
        try:
            self._queue.put(job, block=block, timeout=timeout)
            return True
        except queue.Full:
            log.warning("file d'écriture pleine : « %s » abandonné", job.description)
            return False

    def _run(self) -> None:
        """The owner thread: the only place the writing connection is used.

        Fire-and-forget jobs waiting in the queue are written together in one
        transaction (up to _BATCH): one lock and one fsync for many messages,
        and during a long lock a whole backlog fails once instead of one
        retry cycle per message. Flush markers and synchronous jobs are
        handled alone, in queue order.
        """
        pending: Job | object | None = None
        while True:
            job = pending if pending is not None else self._queue.get()
            pending = None
            if job is _STOP:
                break
            assert isinstance(job, Job)
            if job.fn is None:
                job.future.set_result(True)  # type: ignore[union-attr]
                continue
            batch = [job]
            while job.future is None and len(batch) < _BATCH:
                try:
                    following = self._queue.get_nowait()
                except queue.Empty:
                    break
                if not isinstance(following, Job) or following.fn is None or following.future is not None:
                    pending = following  # the stop marker, a flush marker or a synchronous job: alone, next
                    break
                batch.append(following)
            self._execute(batch)
        if self._writer is not None:
            try:
                self._writer.close()
            except sqlite3.Error:
                pass
            self._writer = None

    def _execute(self, batch: list[Job], retries: int | None = None) -> None:
        """Run jobs in one transaction, retrying transient faults; drop them if it still fails."""
        error: BaseException | None = None
        attempt = 0
        for attempt in range(1, (retries or self._retries) + 1):
            try:
                db = self._writer_db()
                with db.atomic():
                    results = [job.fn(db) for job in batch]  # type: ignore[misc]
                if any(job.checkpoint for job in batch):
                    self._checkpoint(db)
                for job, result in zip(batch, results):
                    if job.future is not None:
                        job.future.set_result(result)
                return
            except sqlite3.OperationalError as exc:  # locked, busy, read-only, full, I/O
                error = exc
                if attempt < (retries or self._retries):
                    time.sleep(self._retry_delay * attempt)
            except Exception as exc:  # corrupt file, bad row, bug: retrying won't help
                if len(batch) > 1:  # isolate the culprit so that the others are kept
                    for job in batch:
                        self._execute([job])
                    return
                error = exc
                break
        if len(batch) > 1 and not _is_lock(error):
            # A full disk may still take the small rows: one quick try each.
            for job in batch:
                self._execute([job], retries=1)
            return
        what = batch[0].description if len(batch) == 1 else f"{len(batch)} écritures"
        log.warning("écriture abandonnée (%s) après %d essai(s) : %s", what, attempt, safe_error(error))
        for job in batch:
            if job.future is not None:
                job.future.set_exception(StoreUnavailable(f"{job.description} : {safe_error(error)}"))

    @staticmethod
    def _checkpoint(db: Database) -> None:
        """Copy the WAL into the file and empty it, so erased rows leave no copy behind."""
        try:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error as exc:
            log.info("point de contrôle WAL reporté (%s)", safe_error(exc))


def _is_lock(exc: BaseException | None) -> bool:
    """Locked or busy: waiting is the only cure, so a batch fails or succeeds as a whole."""
    text = str(exc).lower()
    return "locked" in text or "busy" in text


# SQLite's own words for what staff can fix, in French: the CLI shows them as they are.
_SQLITE_IN_FRENCH = {
    "file is not a database": (
        "ce fichier n'est pas une base de données SQLite : vérifiez le chemin donné par RELAIS_DB"
    ),
    "unable to open database file": (
        "impossible d'ouvrir le fichier de la base : vérifiez que son dossier existe, que ce n'est pas un "
        "dossier, et les droits d'écriture (RELAIS_DB)"
    ),
    "database disk image is malformed": "le fichier de la base est abîmé : restaurez la dernière sauvegarde",
    "attempt to write a readonly database": "la base est en lecture seule : vérifiez les droits du fichier",
    "database is locked": "la base est occupée par un autre programme : réessayez dans un moment",
    "disk i/o error": "erreur d'écriture sur le disque (disque plein ou retiré ?)",
    "database or disk is full": "le disque est plein",
}


def safe_error(exc: BaseException | None) -> str:
    """An exception message fit for a log line and a French error: redacted, and short."""
    text = str(exc) if exc is not None else "erreur inconnue"
    french = _SQLITE_IN_FRENCH.get(text.strip().lower())
    return french if french is not None else redact(text)[:200]
