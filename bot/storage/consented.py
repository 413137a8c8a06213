"""What a resident explicitly agreed to let us keep: reminders and call-back requests.

These are the only rows with personal data in the database: the address of
the chat to write to, and for a call-back a phone number. Both are stored
encrypted (`bot.storage.crypto`), never logged, never shown by `review`,
`stats` or Datasette, and erased:
- by /oubli (everything tied to the conversation key),
- at the end of a reminder series (the last reminder sent or skipped),
- when a call-back request is marked done, and in any case after 14 days,
- by `purge` (what has outlived the above, or everything with `--personnelles`).

The rows go through the store's single writer thread (one writing
connection, `secure_delete`, WAL truncated after an erasure), so erased
values leave no copy in the file. Writes here wait for their result: they
are rare (a consent, a cancellation) and the resident must be able to list
what they just agreed to.

Tables have their own migration set ("relais-consent", in `bot.storage.schema`
with the store's) in the same database, applied only when consented data is
opened, so a bot without reminders has no such tables.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database

from bot.config import PARIS
from bot.storage.crypto import (
    CALLBACK_CHAT,
    REMINDER_CHAT,
    Cipher,
    KeyProblem,
    load_or_create_key,
)
from bot.storage.schema import consent_migrations

if TYPE_CHECKING:  # for the type only: this module reuses a Store, it never opens one
    from bot.storage.store import Store

log = logging.getLogger(__name__)

CALLBACK_DAYS = 14  # a call-back request is erased after this many days, done or not


class CallbackStatus(StrEnum):
    """Where a call-back request stands; stored as is in `callbacks.status`: never change a value."""

    OPEN = "ouverte"
    TAKEN = "prise"


@dataclass(frozen=True)
class Reminder:
    """A reminder series, decrypted for the scheduler: days still to come, the chat to write to."""

    id: str
    key: str
    kind: str
    entry_id: str | None
    quartier: str | None
    chat_id: int
    days: tuple[dt.date, ...]


@dataclass(frozen=True)
class CallbackRequest:
    """A resident asked to be called back (or said they would come) by their quartier's mediators."""

    id: str
    key: str
    quartier: str | None
    topic: str | None
    phone: str | None  # None: "je passerai"
    chat_id: int
    created: dt.datetime
    status: str
    taken_by: str | None


class ConsentedData:
    """Reminders and call-back requests of one database, encrypted with one key.

    `store` is the `bot.storage.store.Store` of the database (its writer thread and
    reader connection are reused); `clock` returns an aware datetime.
    """

    def __init__(self, store: Store, cipher: Cipher, clock: Callable[[], dt.datetime] | None = None) -> None:
        self.store = store
        self.cipher = cipher
        self.clock = clock or (lambda: dt.datetime.now(PARIS))
        # Called with (id, days) after a resident agreed to a series: the channel plans its first reminder.
        self.on_reminder_added: list[Callable[[str, list[dt.date]], None]] = []
        self._write("schéma des données consenties", consent_migrations.apply)
        self._check_key()

    @classmethod
    def open(cls, store: Store, data_dir: Path, clock: Callable[[], dt.datetime] | None = None) -> ConsentedData:
        """Open with the key file of `data_dir`; KeyProblem (French) if it is missing or wrong for the data."""
        store.writer.call("schéma des données consenties", consent_migrations.apply)
        cipher = load_or_create_key(data_dir, data_exists=_holds_data(store))
        return cls(store, cipher, clock)

    # ------------------------------------------------------------------ reminders

    def add_reminder(
        self, key: str, address: str, kind: str, entry_id: str | None, quartier: str | None, days: list[dt.date]
    ) -> str:
        """Keep a series the resident agreed to; returns its id (used in "stop" buttons)."""
        if not days:
            raise ValueError("a reminder series needs at least one day")
        ident = secrets.token_hex(6)
        row = {
            "id": ident,
            "conv": key,
            "kind": kind,
            "entry_id": entry_id,
            "quartier": quartier,
            "chat": self.cipher.encrypt_chat(address, REMINDER_CHAT),
            "days": _days_text(days),
            "created_day": self._today().isoformat(),
            "ends_day": max(days).isoformat(),
        }
        self._write("rappel accepté", lambda db: db.table("reminders").insert(row))
        for listener in self.on_reminder_added:
            listener(ident, sorted(days))
        return ident

    def reminders_of(self, key: str) -> list[Reminder]:
        return self._reminders("select * from reminders where conv = ? order by ends_day, id", [key])

    def all_reminders(self) -> list[Reminder]:
        """Every series, for the scheduler at start."""
        return self._reminders("select * from reminders order by id", [])

    def reminder(self, ident: str) -> Reminder | None:
        found = self._reminders("select * from reminders where id = ?", [ident])
        return found[0] if found else None

    def advance(self, ident: str, remaining: list[dt.date]) -> None:
        """After a reminder was sent or skipped: keep the days still to come, or end the series."""
        if not remaining:
            self.drop_reminder(ident)
            return
        self._write(
            "rappel suivant",
            lambda db: db.execute(
                "update reminders set days = ?, ends_day = ? where id = ?",
                [_days_text(remaining), max(remaining).isoformat(), ident],
            ),
        )

    def cancel_reminder(self, key: str, ident: str) -> bool:
        """The resident stopped one series (only their own)."""
        return bool(
            self._write(
                "rappel arrêté",
                lambda db: db.execute("delete from reminders where id = ? and conv = ?", [ident, key]).rowcount,
                erase=True,
            )
        )

    def drop_reminder(self, ident: str) -> None:
        """End of a series, or the resident blocked the bot (403): erase it."""
        self._write("fin d'un rappel", lambda db: db.execute("delete from reminders where id = ?", [ident]), erase=True)

    # ------------------------------------------------------------------ call-backs

    def add_callback(
        self, key: str, address: str, quartier: str | None, topic: str | None, phone: str | None
    ) -> CallbackRequest:
        now = self.clock()
        ident = secrets.token_hex(6)
        row = {
            "id": ident,
            "conv": key,
            "quartier": quartier,
            "topic": topic,
            "phone": self.cipher.encrypt_phone(phone) if phone else None,
            "chat": self.cipher.encrypt_chat(address, CALLBACK_CHAT),
            "created": now.isoformat(timespec="minutes"),
            "status": CallbackStatus.OPEN.value,
            "taken_by": None,
            "expires_day": (now.date() + dt.timedelta(days=CALLBACK_DAYS)).isoformat(),
        }
        self._write("demande de rappel", lambda db: db.table("callbacks").insert(row))
        return CallbackRequest(ident, key, quartier, topic, phone, int(address), now, CallbackStatus.OPEN.value, None)

    def callback(self, ident: str) -> CallbackRequest | None:
        found = self._callbacks("select * from callbacks where id = ?", [ident])
        return found[0] if found else None

    def open_callbacks(self, quartier: str | None = None) -> list[CallbackRequest]:
        """Requests not yet done (open or taken) nor expired, oldest first, for staff."""
        today = self._today().isoformat()
        if quartier:
            return self._callbacks(
                "select * from callbacks where quartier = ? and expires_day > ? order by created", [quartier, today]
            )
        return self._callbacks("select * from callbacks where expires_day > ? order by created", [today])

    def callbacks_of(self, key: str) -> list[CallbackRequest]:
        return self._callbacks("select * from callbacks where conv = ? order by created", [key])

    def take_callback(self, ident: str, by: str) -> CallbackRequest | None:
        """A mediator took the request; returns it (None if it no longer exists, or was taken already)."""
        changed = self._write(
            "demande prise en charge",
            lambda db: (
                db.execute(
                    "update callbacks set status = ?, taken_by = ? where id = ? and status = ?",
                    [CallbackStatus.TAKEN.value, by, ident, CallbackStatus.OPEN.value],
                ).rowcount
            ),
        )
        return self.callback(ident) if changed else None

    def finish_callback(self, ident: str) -> bool:
        """Done: the request and its phone number are erased."""
        return bool(
            self._write(
                "demande terminée",
                lambda db: db.execute("delete from callbacks where id = ?", [ident]).rowcount,
                erase=True,
            )
        )

    def cancel_callback(self, key: str, ident: str) -> bool:
        return bool(
            self._write(
                "demande annulée",
                lambda db: db.execute("delete from callbacks where id = ? and conv = ?", [ident, key]).rowcount,
                erase=True,
            )
        )

    # ------------------------------------------------------------------ erasure

    def forget(self, key: str) -> int:
        """/oubli: every reminder and call-back request of this conversation."""

        def delete(db: Database) -> int:
            return sum(
                db.execute(f"delete from {table} where conv = ?", [key]).rowcount
                for table in ("reminders", "callbacks")
            )

        return int(self._write("oubli des rappels", delete, erase=True) or 0)

    def purge(self, everything: bool = False) -> int:
        """Erase what has expired (call-backs after 14 days, series past their last day), or everything."""
        return purge_consented(self.store, self._today(), everything)

    # ------------------------------------------------------------------ internals

    def _today(self) -> dt.date:
        now = self.clock()
        return (now.astimezone(PARIS) if now.tzinfo else now).date()

    def _write(self, description: str, fn: Callable[[Database], Any], erase: bool = False) -> Any:
        return self.store.writer.call(description, fn, checkpoint=erase)

    def _read(self, sql: str, params: list[Any]) -> list[dict[str, Any]]:
        def rows(db: Database) -> list[dict[str, Any]]:
            found: list[dict[str, Any]] = list(db.query(sql, params))
            return found

        return self.store.writer.read(rows)

    def _holds_data(self) -> bool:
        return _holds_data(self.store)

    def _check_key(self) -> None:
        """The key must be the one the stored rows were written with: say so now, not at the first reminder."""
        rows = self._read("select value from consent_meta where name = 'key'", [])
        if not rows:
            self._write(
                "empreinte de la clé",
                lambda db: db.table("consent_meta").upsert(
                    {"name": "key", "value": self.cipher.fingerprint}, pk="name"
                ),
            )
            return
        if rows[0]["value"] != self.cipher.fingerprint:
            if not self._holds_data():  # nothing to read with the old key: adopt the new one
                self._write(
                    "empreinte de la clé",
                    lambda db: db.table("consent_meta").upsert(
                        {"name": "key", "value": self.cipher.fingerprint}, pk="name"
                    ),
                )
                return
            raise KeyProblem(
                "La clé de chiffrement ne correspond pas aux rappels enregistrés dans la base : remettez le "
                "fichier de clé sauvegardé avec cette base (même dossier), ou effacez ces données avec "
                "« python -m bot purge --personnelles »."
            )

    def _reminders(self, sql: str, params: list[Any]) -> list[Reminder]:
        found = []
        for row in self._read(sql, params):
            try:
                chat = self.cipher.decrypt_chat(row["chat"], REMINDER_CHAT)
            except (KeyProblem, ValueError):
                log.warning("rappel %s illisible (clé ou donnée abîmée) : ignoré", row["id"])
                continue
            found.append(
                Reminder(
                    row["id"], row["conv"], row["kind"], row["entry_id"], row["quartier"], chat, _days_of(row["days"])
                )
            )
        return found

    def _callbacks(self, sql: str, params: list[Any]) -> list[CallbackRequest]:
        found = []
        for row in self._read(sql, params):
            try:
                chat = self.cipher.decrypt_chat(row["chat"], CALLBACK_CHAT)
                phone = self.cipher.decrypt_phone(row["phone"]) if row["phone"] else None
            except (KeyProblem, ValueError):
                log.warning("demande de rappel %s illisible (clé ou donnée abîmée) : ignorée", row["id"])
                continue
            found.append(
                CallbackRequest(
                    row["id"],
                    row["conv"],
                    row["quartier"],
                    row["topic"],
                    phone,
                    chat,
                    dt.datetime.fromisoformat(row["created"]),
                    row["status"],
                    row["taken_by"],
                )
            )
        return found


def purge_consented(store: Store, today: dt.date, everything: bool = False) -> int:
    """The erasure behind `purge`: needs no key, so it works even when the key file is lost."""
    store.writer.call("schéma des données consenties", consent_migrations.apply)

    def delete(db: Database) -> int:
        if everything:
            return sum(db.execute(f"delete from {table}").rowcount for table in ("reminders", "callbacks"))
        return (
            db.execute("delete from callbacks where expires_day <= ?", [today.isoformat()]).rowcount
            + db.execute("delete from reminders where ends_day < ?", [today.isoformat()]).rowcount
        )

    return int(store.writer.call("purge des données personnelles", delete, checkpoint=True) or 0)


def _holds_data(store: Store) -> bool:
    """Encrypted rows are stored: a lost key would make them unreadable."""
    rows = store.writer.read(
        lambda db: list(db.query("select (select count(*) from reminders) + (select count(*) from callbacks) as n"))
    )
    return bool(rows and rows[0]["n"])


def _days_text(days: list[dt.date]) -> str:
    return ",".join(day.isoformat() for day in sorted(days))


def _days_of(text: str) -> tuple[dt.date, ...]:
    return tuple(dt.date.fromisoformat(part) for part in text.split(",") if part)
