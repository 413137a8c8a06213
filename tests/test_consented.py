"""Reminders and call-back requests at rest: encrypted, erasable, and nowhere in clear on disk.

Every chat id and phone number here is made up.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from bot.storage.consented import CALLBACK_DAYS, CallbackStatus, ConsentedData
from bot.storage.crypto import KEY_FILE, KeyProblem
from bot.storage.privacy import conversation_key
from bot.storage.store import Store
from tests.conftest import Clock

PARIS = dt.timezone(dt.timedelta(hours=1))
SECRET = "secret-de-test"
CHAT = 7319046852  # made-up Telegram chat ids
OTHER_CHAT = 6204817395
PHONE = "06 47 81 29 35"  # made-up phone number
PHONE_FORMS = (PHONE, PHONE.replace(" ", ""), "6 47 81 29 35", "647812935", "+33647812935")


@pytest.fixture
def clock() -> Clock:
    return Clock(dt.datetime(2026, 12, 1, 11, 0, tzinfo=PARIS))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "relais.db"


@pytest.fixture
def store(db_path, clock):
    with Store(db_path, clock=clock) as opened:
        yield opened


@pytest.fixture
def consented(store, db_path, clock) -> ConsentedData:
    return ConsentedData.open(store, db_path.parent, clock)


KEY = conversation_key(CHAT, SECRET)
OTHER_KEY = conversation_key(OTHER_CHAT, SECRET)
DAYS = [dt.date(2027, 1, 1), dt.date(2027, 4, 1)]


def db_bytes(path: Path) -> bytes:
    return b"".join(
        Path(str(path) + s).read_bytes() for s in ("", "-wal", "-shm", "-journal") if Path(str(path) + s).exists()
    )


def assert_nothing_personal_on_disk(path: Path) -> None:
    data = db_bytes(path)
    assert data
    for chat in (CHAT, OTHER_CHAT):
        assert str(chat).encode() not in data, "chat id in clear"
        assert chat.to_bytes(8, "big", signed=True) not in data and chat.to_bytes(8, "little", signed=True) not in data
    for form in PHONE_FORMS:
        assert form.encode() not in data, f"phone in clear as {form!r}"


def fill(consented: ConsentedData) -> tuple[str, str]:
    reminder = consented.add_reminder(KEY, str(CHAT), "trimestrielle", "rsa", "bellevue", DAYS)
    consented.add_reminder(OTHER_KEY, str(OTHER_CHAT), "css", "css", "europe", [dt.date(2027, 1, 31)])
    request = consented.add_callback(KEY, str(CHAT), "bellevue", "rsa", PHONE)
    consented.add_callback(OTHER_KEY, str(OTHER_CHAT), "europe", None, None)
    return reminder, request.id


def test_reminders_round_trip(consented):
    ident = consented.add_reminder(KEY, str(CHAT), "trimestrielle", "rsa", "bellevue", DAYS)
    [stored] = consented.reminders_of(KEY)
    assert (stored.id, stored.chat_id, stored.kind, stored.days) == (ident, CHAT, "trimestrielle", tuple(DAYS))
    assert consented.reminders_of(OTHER_KEY) == []
    consented.advance(ident, DAYS[1:])
    assert consented.reminder(ident).days == (DAYS[1],)
    consented.advance(ident, [])
    assert consented.reminder(ident) is None  # the end of the series erases it


def test_a_resident_can_only_cancel_their_own_reminder(consented):
    ident = consented.add_reminder(KEY, str(CHAT), "ars", "rentree-scolaire", None, DAYS[:1])
    assert consented.cancel_reminder(OTHER_KEY, ident) is False
    assert consented.cancel_reminder(KEY, ident) is True
    assert consented.all_reminders() == []


def test_callbacks_are_taken_once_then_erased_when_done(consented):
    request = consented.add_callback(KEY, str(CHAT), "bellevue", "rsa", PHONE)
    [listed] = consented.open_callbacks("bellevue")
    assert (listed.phone, listed.chat_id, listed.status) == (PHONE, CHAT, CallbackStatus.OPEN)
    assert consented.open_callbacks("europe") == []
    taken = consented.take_callback(request.id, "Centre social de Bellevue")
    assert taken.status == CallbackStatus.TAKEN and taken.taken_by == "Centre social de Bellevue"
    assert consented.take_callback(request.id, "quelqu'un d'autre") is None
    assert consented.finish_callback(request.id) is True
    assert consented.open_callbacks() == []


def test_byte_scan_finds_no_chat_id_and_no_phone(consented, db_path, store):
    fill(consented)
    store.flush()
    assert_nothing_personal_on_disk(db_path)  # open: fresh pages are in the WAL
    store.close()
    assert_nothing_personal_on_disk(db_path)


def test_forget_erases_everything_of_the_conversation_only(consented, db_path, store):
    fill(consented)
    assert consented.forget(KEY) == 2
    assert [r.key for r in consented.all_reminders()] == [OTHER_KEY]
    assert [c.key for c in consented.open_callbacks()] == [OTHER_KEY]
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("select count(*) from callbacks where conv = ?", [KEY]).fetchone() == (0,)


def test_purge_erases_expired_requests_and_ended_series(consented, clock):
    fill(consented)
    clock.now += dt.timedelta(days=CALLBACK_DAYS - 1)
    assert consented.purge() == 0
    clock.now += dt.timedelta(days=1)
    assert consented.purge() == 2  # both call-back requests, 14 days old
    assert consented.open_callbacks() == []
    clock.now = dt.datetime(2027, 4, 2, 12, 0, tzinfo=PARIS)
    assert consented.purge() == 2  # both series are past their last day
    assert consented.all_reminders() == []


def test_purge_of_everything_personal(consented):
    fill(consented)
    assert consented.purge(everything=True) == 4


def test_missing_key_with_stored_data_stops_with_a_french_message(consented, store, db_path, clock):
    fill(consented)
    (db_path.parent / KEY_FILE).unlink()
    with pytest.raises(KeyProblem, match="absente"):
        ConsentedData.open(store, db_path.parent, clock)


def test_another_key_for_the_stored_data_is_refused(consented, store, db_path, clock, tmp_path):
    fill(consented)
    (db_path.parent / KEY_FILE).write_text("ab" * 32 + "\n")
    with pytest.raises(KeyProblem, match="ne correspond pas"):
        ConsentedData.open(store, db_path.parent, clock)


def test_a_new_key_is_adopted_when_nothing_is_stored(consented, store, db_path, clock):
    (db_path.parent / KEY_FILE).unlink()
    reopened = ConsentedData.open(store, db_path.parent, clock)
    reopened.add_reminder(KEY, str(CHAT), "ars", None, None, DAYS)
    assert reopened.reminders_of(KEY)[0].chat_id == CHAT


def test_data_survives_a_restart(db_path, clock):
    with Store(db_path, clock=clock) as store:
        ident = ConsentedData.open(store, db_path.parent, clock).add_reminder(
            KEY, str(CHAT), "impots", "impots", None, DAYS[:1]
        )
    with Store(db_path, clock=clock) as store:
        [again] = ConsentedData.open(store, db_path.parent, clock).all_reminders()
    assert (again.id, again.chat_id) == (ident, CHAT)


def test_datasette_never_shows_consented_tables(consented, db_path):
    import yaml

    metadata = yaml.safe_load((Path(__file__).resolve().parent.parent / "datasette" / "metadata.yml").read_text())
    tables = metadata["databases"]["relais"]["tables"]
    with sqlite3.connect(db_path) as conn:
        names = {row[0] for row in conn.execute("select name from sqlite_master where type = 'table'")}
    for table in ("reminders", "callbacks", "consent_meta"):
        assert table in names
        assert tables[table]["allow"] is False and tables[table]["hidden"] is True
    queries = " ".join(q["sql"] for q in metadata["databases"]["relais"]["queries"].values())
    assert "reminders" not in queries and "callbacks" not in queries


def test_a_database_of_the_first_schema_upgrades_and_keeps_the_consented_data(db_path, clock):
    """A bot upgraded in place: the first store schema, then consented data, then a restart."""
    import sqlite_utils
    from sqlite_utils import Migrations

    from bot.storage.schema import m001_initial

    first_schema = Migrations("relais")
    first_schema()(m001_initial)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    old = sqlite_utils.Database(db_path)
    first_schema.apply(old)
    old.conn.close()
    with Store(db_path, clock=clock) as store:
        ident = ConsentedData.open(store, db_path.parent, clock).add_reminder(
            KEY, str(CHAT), "trimestrielle", "rsa", "bellevue", DAYS
        )
    with Store(db_path, clock=clock) as store:  # restart: no migration runs twice, nothing is lost
        kept = ConsentedData.open(store, db_path.parent, clock).reminders_of(KEY)
    assert [(r.id, r.chat_id, r.days) for r in kept] == [(ident, CHAT, tuple(DAYS))]
    with sqlite3.connect(db_path) as db:
        recorded = db.execute(
            "select migration_set, name from _sqlite_migrations order by migration_set, id"
        ).fetchall()
    assert recorded == [
        ("relais", "m001_initial"),
        ("relais", "m002_unanswered_reason"),
        ("relais", "m003_orientation_daily"),
        ("relais-consent", "m001_consented"),  # the names existing databases recorded: never renamed
    ]
