"""The SQLite store: what it keeps, what it never keeps, and how it behaves under faults.

Every person, number and address here is made up.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import threading
from pathlib import Path

import pytest
import yaml

from bot.conversation.core import Conversation
from bot.conversation.recorder import Recorder
from bot.laboratoire import build_report
from bot.storage.privacy import conversation_key
from bot.storage.redact import NAME
from bot.storage.store import QuartierStats, Store, StoreUnavailable, iso_week, purge_daily
from bot.storage.writer import Job
from bot.understanding.normalize import fold
from tests.conftest import Clock

ROOT = Path(__file__).resolve().parent.parent
PARIS = dt.timezone(dt.timedelta(hours=1))
SECRET = "secret-de-test-pour-les-cles"

# Personal data a resident might type, and the forms in which it could leak.
PERSONAL = {
    "name": ("Yvette", "Kerhervé", "kerherve", "yvette"),
    "phone": ("06 98 76 54 32", "0698765432", "98 76 54 32"),
    "email": ("yvette.k@example.org", "example.org", "yvette k example org"),
    "nir": ("2 79 03 29 019 123 45", "279032901912345", "019 123"),
    "iban": ("FR76 1234 5678 9012 3456 7890 123", "FR7612345678901234567890123", "5678 9012"),
    "card": ("4970 1012 3456 7890",),
    "allocataire": ("7654321",),
    "address": ("8 rue Fictive", "Fictive", "fictive"),
    "chat": ("987654321",),
}
QUESTIONS = [
    "Bonjour je m'appelle Yvette Kerhervé, comment avoir une aide pour la cantine ?",
    "mon tel 06 98 76 54 32 ou 0698765432, rappelez moi pour la cantine",
    "mail yvette.k@example.org pour un velo d'occasion",
    "sécu 2 79 03 29 019 123 45 et RIB FR76 1234 5678 9012 3456 7890 123 pour la cantine",
    "ma carte 4970 1012 3456 7890 est bloquée, allocataire 7654321",
    "j'habite 8 rue Fictive et ma machine à laver est cassée",
]


@pytest.fixture
def clock() -> Clock:
    return Clock(dt.datetime(2026, 11, 30, 10, 0, tzinfo=PARIS))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "relais.db"


@pytest.fixture
def store(db_path: Path, clock: Clock, shipped_quartiers):
    with Store(db_path, clock=clock, quartiers=shipped_quartiers) as opened:
        yield opened


def db_bytes(path: Path) -> bytes:
    """The database file and its WAL/SHM companions, as they are on disk now."""
    data = b""
    for suffix in ("", "-wal", "-shm", "-journal"):
        candidate = Path(str(path) + suffix)
        if candidate.exists():
            data += candidate.read_bytes()
    return data


def assert_no_personal_data(path: Path) -> None:
    data = db_bytes(path)
    assert data, "the database should exist"
    for kind, forms in PERSONAL.items():
        for form in forms:
            for encoded in {form.encode("utf-8"), form.lower().encode("utf-8")}:
                assert encoded not in data, f"{kind} leaked as {form!r}"


def rows(path: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(path) as conn:
        return conn.execute(sql).fetchall()


# --------------------------------------------------------------------------- basics


def test_store_implements_the_recorder_protocol(store):
    for name in (
        "quartier_of",
        "remember_quartier",
        "record_answered",
        "record_unanswered",
        "record_feedback",
        "record_orientation",
        "forget",
    ):
        assert callable(getattr(store, name))
    recorder: Recorder = store  # type-checks against the protocol
    assert recorder.quartier_of("inconnue") is None


def test_schema_is_created_in_wal_mode_and_migrations_are_recorded(store, db_path):
    tables = {r[0] for r in rows(db_path, "select name from sqlite_master where type = 'table'")}
    assert {"unanswered", "feedback", "answered_daily", "conversations", "_sqlite_migrations"} <= tables
    assert rows(db_path, "pragma journal_mode")[0][0] == "wal"
    assert rows(db_path, "select name from _sqlite_migrations where migration_set = 'relais' order by id") == [
        ("m001_initial",),
        ("m002_unanswered_reason",),
        ("m003_orientation_daily",),
    ]


def test_reopening_does_not_migrate_twice(db_path, clock):
    Store(db_path, clock=clock).close()
    Store(db_path, clock=clock).close()
    assert len(rows(db_path, "select * from _sqlite_migrations where migration_set = 'relais'")) == 3


def test_a_database_of_the_first_schema_keeps_its_questions_and_gains_a_reason(db_path, clock):
    """A bot upgraded in place: the questions stored before the migration stay, with no reason."""
    import sqlite_utils
    from sqlite_utils import Migrations

    from bot.storage.schema import m001_initial

    first_schema = Migrations("relais")
    first_schema()(m001_initial)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    old = sqlite_utils.Database(db_path)
    first_schema.apply(old)
    old["unanswered"].insert(
        {
            "day": "2026-11-02",
            "week": "2026-W45",
            "channel": "telegram",
            "question": "velo casse",
            "normalized": "velo casse",
            "score": 0,
        }
    )
    old.conn.close()
    with Store(db_path, clock=clock) as store:
        store.record_unanswered("la meteo", "la meteo", None, "telegram", None, 0, reason="hors-sujet", wait=True)
        kept = store.unmet()
    assert [(q.question, q.reason) for q in kept] == [("velo casse", None), ("la meteo", "hors-sujet")]


def test_what_is_stored_for_each_kind_of_event(store, db_path):
    key = conversation_key(987654321, SECRET)
    store.remember_quartier(key, "bellevue")
    store.record_answered("rsa", "bellevue", "telegram")
    store.record_answered("rsa", "bellevue", "telegram")
    store.record_answered("css", None, "console")
    store.record_unanswered(
        "ou acheter un velo d occasion", "ou acheter un velo d occasion", "europe", "telegram", "caf", 41
    )
    store.record_feedback("rsa", "mon rsa suspendu", False, "bellevue", "telegram")
    store.record_feedback("rsa", "rsa", True, "bellevue", "telegram")
    assert store.flush()
    assert rows(
        db_path, "select day, week, quartier, entry_id, channel, count from answered_daily order by entry_id"
    ) == [
        ("2026-11-30", "2026-W49", "", "css", "console", 1),
        ("2026-11-30", "2026-W49", "bellevue", "rsa", "telegram", 2),
    ]
    assert rows(db_path, "select day, week, quartier, channel, question, guess, score, status from unanswered") == [
        ("2026-11-30", "2026-W49", "europe", "telegram", "ou acheter un velo d occasion", "caf", 41, None)
    ]
    assert rows(db_path, "select entry_id, helpful, question from feedback order by id") == [
        ("rsa", 0, "mon rsa suspendu"),
        ("rsa", 1, None),
    ]
    assert rows(db_path, "select key, quartier from conversations") == [(key, "bellevue")]
    assert store.quartier_of(key) == "bellevue"


def test_quartier_survives_a_restart_and_can_be_cleared(db_path, clock):
    with Store(db_path, clock=clock) as first:
        first.remember_quartier("cle-opaque", "europe")
    with Store(db_path, clock=clock) as second:
        assert second.quartier_of("cle-opaque") == "europe"
        second.remember_quartier("cle-opaque", None)
        assert second.quartier_of("cle-opaque") is None
    with Store(db_path, clock=clock) as third:
        assert third.quartier_of("cle-opaque") is None


@pytest.mark.parametrize("raw", ["987654321", "-1001234567890", 987654321])
def test_raw_numeric_ids_are_never_persisted(store, db_path, raw):
    store.remember_quartier(raw, "bellevue")
    store.flush()
    assert store.quartier_of(raw) == "bellevue"  # the conversation still works in memory
    assert rows(db_path, "select count(*) from conversations") == [(0,)]


def test_free_text_cannot_hide_in_id_columns(store, db_path):
    store.record_answered("Yvette Kerhervé 0698765432", "quartier de Yvette", "telegram")
    store.record_unanswered("aide cantine", "aide cantine", "06 98 76 54 32", "tg 0698765432", "Yvette", 250)
    store.flush()
    assert rows(db_path, "select count(*) from answered_daily") == [(0,)]
    assert rows(db_path, "select quartier, channel, guess, score from unanswered") == [(None, "autre", None, 100)]


def test_iso_week_labels():
    assert iso_week(dt.date(2026, 1, 1)) == "2026-W01"
    assert iso_week(dt.date(2027, 1, 1)) == "2026-W53"


# --------------------------------------------------------------------------- privacy on disk


def test_database_bytes_hold_no_personal_data_after_a_session(db_path, clock):
    with Store(db_path, clock=clock) as store:
        key = conversation_key(987654321, SECRET)
        store.remember_quartier(key, "bellevue")
        for question in QUESTIONS:
            store.record_unanswered(question, question.lower(), "bellevue", "telegram", "caf", 30)
            store.record_feedback("caf", question, False, "bellevue", "telegram")
        store.flush()
        assert_no_personal_data(db_path)  # while open: the WAL holds the fresh pages
        assert "[téléphone]" in rows(db_path, "select group_concat(question) from unanswered")[0][0]
    assert_no_personal_data(db_path)


def test_a_conversation_full_of_personal_data_leaves_none_on_disk(db_path, clock, engine):
    with Store(db_path, clock=clock) as store:
        conversation = Conversation(engine, store, channel="telegram")
        key = conversation_key(987654321, SECRET)
        assert key != "987654321"
        conversation.press(key, "q:bellevue")
        for question in QUESTIONS:
            conversation.ask(key, question)
        # Names are only recognised after an introduction or a title (see bot/storage/redact.py).
        conversation.ask(key, "mutuelle gratuite pour Mme Yvette Kerhervé 06 98 76 54 32")
        conversation.press(key, "fb:0:css")
        store.flush()
        stored = rows(db_path, "select count(*) from unanswered")[0][0]
        assert stored >= 3, "unanswered questions should have been kept"
        assert rows(db_path, "select count(*) from feedback where question is not null")[0][0] == 1
        assert_no_personal_data(db_path)
    assert_no_personal_data(db_path)


def test_forget_erases_the_conversation_and_its_bytes(store, db_path):
    key = conversation_key(555000111, SECRET)
    store.remember_quartier(key, "saint-pierre")
    store.flush()
    assert key.encode() in db_bytes(db_path)
    store.forget(key)
    assert store.quartier_of(key) is None  # at once, before the write lands
    store.flush()
    assert rows(db_path, "select count(*) from conversations") == [(0,)]
    assert key.encode() not in db_bytes(db_path)


# --------------------------------------------------------------------------- retention


def test_purge_removes_only_what_is_older(store, db_path, clock):
    store.record_unanswered(
        "ancienne question sur la cantine", "ancienne question sur la cantine", "europe", "telegram", None, 0
    )
    store.record_feedback("rsa", "ancien avis negatif", False, None, "telegram")
    store.record_answered("rsa", "europe", "telegram")
    store.remember_quartier("cle-ancienne", "europe")
    store.flush()
    clock.advance(400)
    store.record_unanswered("nouvelle question", "nouvelle question", "europe", "telegram", None, 0)
    store.remember_quartier("cle-recente", "bellevue")
    assert store.purge(365) == 4
    assert [q.question for q in store.unmet()] == ["nouvelle question"]
    assert store.quartier_of("cle-ancienne") is None
    assert store.quartier_of("cle-recente") == "bellevue"
    assert b"ancienne question" not in db_bytes(db_path)
    assert b"ancien avis" not in db_bytes(db_path)
    assert store.purge(365) == 0


def test_purge_rejects_negative_days(store):
    with pytest.raises(ValueError):
        store.purge(-1)


async def test_purge_daily_runs_off_the_loop_and_never_raises(db_path, clock, caplog):
    with Store(db_path, clock=clock) as store:
        store.record_unanswered("vieille", "vieille", None, "telegram", None, 0)
        store.flush()
        clock.advance(10)
        assert await purge_daily(store, 5) == 1
    closed = Store(db_path, clock=clock)
    closed.close()
    assert await purge_daily(closed, 5) == 0  # closed store: logged, not raised
    assert "purge automatique impossible" in caplog.text


# --------------------------------------------------------------------------- statistics


def test_stats_per_quartier_over_the_last_days(store, clock):
    store.record_answered("rsa", "bellevue", "telegram")
    store.record_unanswered("vieux", "vieux", "europe", "telegram", None, 0)
    store.flush()
    clock.advance(8)
    for _ in range(3):
        store.record_answered("css", "bellevue", "telegram")
    store.record_answered("css", None, "console")
    store.record_unanswered("aide cantine", "aide cantine", "europe", "telegram", None, 0)
    store.flush()
    stats = {row.quartier: row for row in store.stats(7)}
    assert stats["bellevue"] == QuartierStats("bellevue", 3, 0)
    assert stats["europe"] == QuartierStats("europe", 0, 1)
    assert stats[None] == QuartierStats(None, 1, 0)
    assert list(stats)[:5] == ["bellevue", "lambezellec", "quatre-moulins", "europe", "saint-pierre"]
    text = store.stats_text(7)
    assert text.startswith("Questions des 7 derniers jours, par quartier :")
    assert "- Bellevue : 3 avec réponse, 0 sans réponse" in text
    assert "- quartier non précisé : moins de 3 avec réponse, 0 sans réponse" in text  # k-anonymity
    assert text.endswith("Total : au moins 4 avec réponse, moins de 3 sans réponse.")  # 4 - 3 gave the 1 back


def test_answered_topics_per_week(store, clock):
    store.record_answered("rsa", "bellevue", "telegram")
    clock.advance(7)
    store.record_answered("rsa", "bellevue", "telegram")
    store.record_answered("rsa", "bellevue", "console")
    store.flush()
    topics = store.answered_topics()
    assert [(t.week, t.quartier, t.entry_id, t.count) for t in topics] == [
        ("2026-W50", "bellevue", "rsa", 2),
        ("2026-W49", "bellevue", "rsa", 1),
    ]
    assert len(store.answered_topics(days=3)) == 1


def test_datasette_canned_queries_run_on_the_schema(store, db_path):
    store.record_unanswered("aide cantine", "aide cantine", "bellevue", "telegram", "caf", 40)
    store.record_feedback("rsa", "pas clair", False, "bellevue", "telegram")
    store.record_answered("rsa", "bellevue", "telegram")
    store.flush()
    metadata = yaml.safe_load((ROOT / "datasette" / "metadata.yml").read_text(encoding="utf-8"))
    queries = metadata["databases"]["relais"]["queries"]
    assert {"besoins_de_la_semaine", "besoins_par_quartier", "avis_negatifs", "sujets_par_quartier"} <= set(queries)
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as conn:
        for query in queries.values():
            conn.execute(query["sql"]).fetchall()  # valid SQL against the real schema
    assert metadata["databases"]["relais"]["tables"]["conversations"]["allow"] is False


# --------------------------------------------------------------------------- faults


def fast_store(path: Path, clock: Clock, **options) -> Store:
    return Store(path, clock=clock, retries=2, retry_delay=0.01, busy_timeout=0.05, **options)


def test_locked_database_never_blocks_or_raises(db_path, clock, caplog):
    with fast_store(db_path, clock) as store:
        store.remember_quartier("cle-a", "europe")
        store.record_unanswered("avant le verrou", "avant le verrou", None, "telegram", None, 0)
        store.flush()
        locker = sqlite3.connect(db_path, isolation_level=None)
        locker.execute("BEGIN EXCLUSIVE")
        try:
            for i in range(50):
                store.record_unanswered(f"pendant le verrou {i}", "pendant", None, "telegram", None, 0)
                store.record_answered("rsa", None, "telegram")
            assert store.quartier_of("cle-a") == "europe"
            assert store.flush(timeout=30)
        finally:
            locker.execute("ROLLBACK")
            locker.close()
        assert "écriture abandonnée" in caplog.text
        assert "pendant le verrou" not in caplog.text  # logs say what failed, never the data
        store.record_unanswered("après le verrou", "apres", None, "telegram", None, 0)
        store.flush()
        assert [q.question for q in store.unmet()] == ["avant le verrou", "après le verrou"]


def test_recording_returns_while_the_writer_is_busy(db_path, clock):
    """Fire-and-forget: a message's recording never waits for the disk (checked without timing it)."""
    with fast_store(db_path, clock) as store:
        writer_free = threading.Event()
        store.writer.submit(Job("bloque l'écrivain", lambda db: writer_free.wait(30)))
        try:
            for i in range(50):  # would wait behind the blocked writer if recording were synchronous
                store.record_unanswered(f"pendant l'attente {i}", "pendant", None, "telegram", None, 0)
                store.record_answered("rsa", None, "telegram")
            assert store.unmet() == []  # returned before anything was written
        finally:
            writer_free.set()
        assert store.flush(timeout=30)
        assert len(store.unmet()) == 50


def test_a_short_lock_is_outlasted_by_the_retries(db_path, clock):
    with Store(db_path, clock=clock, retries=5, retry_delay=0.05, busy_timeout=0.05) as store:
        locker = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False)
        locker.execute("BEGIN EXCLUSIVE")
        threading.Timer(0.15, lambda: (locker.execute("ROLLBACK"), locker.close())).start()
        store.record_unanswered("attendra son tour", "attendra", None, "telegram", None, 0)
        store.flush()
        assert [q.question for q in store.unmet()] == ["attendra son tour"]


def test_read_only_database_keeps_the_bot_answering(db_path, clock, caplog):
    with Store(db_path, clock=clock) as store:
        store.remember_quartier("cle-b", "bellevue")
    read_only = fast_store(db_path, clock, on_connect=lambda conn: conn.execute("PRAGMA query_only = 1"))
    with read_only as store:
        store.record_unanswered("rien ne sera écrit", "rien", None, "telegram", None, 0)
        store.record_feedback("rsa", "non", False, None, "telegram")
        store.remember_quartier("cle-c", "europe")
        assert store.flush(timeout=30)
        assert store.quartier_of("cle-b") == "bellevue"  # reads still work
        assert store.quartier_of("cle-c") == "europe"  # and memory fills the gap
        assert store.unmet() == []
        with pytest.raises(StoreUnavailable):
            store.purge(1)  # a synchronous command is told, in order to tell the user
    assert "écriture abandonnée" in caplog.text


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_read_only_file_keeps_the_bot_answering(db_path, clock):
    Store(db_path, clock=clock).close()
    db_path.chmod(0o444)
    db_path.parent.chmod(0o555)
    try:
        with fast_store(db_path, clock) as store:
            store.record_unanswered("rien", "rien", None, "telegram", None, 0)
            assert store.flush(timeout=30)
    finally:
        db_path.parent.chmod(0o755)
        db_path.chmod(0o644)


def test_full_disk_drops_the_write_and_carries_on(db_path, clock, caplog):
    Store(db_path, clock=clock).close()
    pages = rows(db_path, "pragma page_count")[0][0]
    full = fast_store(db_path, clock, on_connect=lambda conn: conn.execute(f"PRAGMA max_page_count = {pages + 1}"))
    with full as store:
        for i in range(40):
            store.record_unanswered(f"question longue {i} " + "x" * 900, "longue", None, "telegram", None, 0)
        store.record_answered("rsa", None, "telegram")  # a small row still finds room
        assert store.flush(timeout=60)
        assert store.quartier_of("inconnue") is None
        kept = len(store.unmet())
        answered = sum(row.answered for row in store.stats(1))
    assert 0 <= kept < 40
    assert answered == 1
    assert "full" in caplog.text or "plein" in caplog.text


def test_unusable_location_never_raises(tmp_path, clock):
    blocker = tmp_path / "un-fichier"
    blocker.write_text("pas un dossier")
    store = fast_store(blocker / "relais.db", clock)
    store.record_unanswered("question", "question", None, "telegram", None, 0)
    store.remember_quartier("cle", "europe")
    assert store.quartier_of("cle") == "europe"
    assert store.quartier_of("autre") is None
    assert store.flush(timeout=30)
    assert "Aucune" in store.stats_text() or "indisponibles" in store.stats_text()
    store.close()
    store.close()  # twice is fine


def test_writes_after_close_are_ignored(db_path, clock):
    store = Store(db_path, clock=clock)
    store.close()
    store.record_unanswered("trop tard", "trop tard", None, "telegram", None, 0)
    store.remember_quartier("cle", "europe")
    assert store.flush()
    assert store.quartier_of("autre") is None


# --------------------------------------------------------------------------- concurrency


def test_concurrent_bot_purge_and_review(db_path, clock):
    """Bot threads write while a purge and a review (other connections) run at the same time."""
    errors: list[BaseException] = []
    bot = Store(db_path, clock=clock)
    lab = Store(db_path, clock=clock)  # the CLI, as another process would

    def guard(fn):
        def run():
            try:
                fn()
            except BaseException as exc:  # noqa: BLE001 - any failure fails the test
                errors.append(exc)

        return run

    def resident(n: int):
        for i in range(100):
            key = f"cle-{n}-{i % 5}"
            bot.remember_quartier(key, "bellevue" if i % 2 else "europe")
            bot.record_unanswered(f"aide cantine {n} {i}", f"aide cantine {i % 7}", "bellevue", "telegram", None, 0)
            bot.record_answered("rsa", "europe", "telegram")
            bot.quartier_of(key)

    def purger():
        for _ in range(10):
            lab.purge(30)
            bot.purge(30)

    def reviewer():
        for _ in range(10):
            build_report(lab, since="all")
            lab.stats_text()

    threads = [threading.Thread(target=guard(lambda n=n: resident(n))) for n in range(4)]
    threads += [threading.Thread(target=guard(purger)), threading.Thread(target=guard(reviewer))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert bot.flush(timeout=60)
    assert not errors, errors
    assert len(bot.unmet()) == 400
    assert sum(r.answered for r in bot.stats(1)) == 400
    assert build_report(lab, since="all").total_questions == 400
    bot.close()
    lab.close()


def test_a_stored_question_keeps_the_quartier_and_loses_the_first_name(store):
    question = "c'est Pontanézen, et c'est Mohamed qui m'a dit de demander la mutuelle"
    store.record_unanswered(question, fold(question), "europe", "telegram", None, 0, wait=True)
    [kept] = store.unmet()
    assert kept.question == f"c'est Pontanézen, et c'est {NAME} qui m'a dit de demander la mutuelle"
    assert "pontanezen" in kept.normalized.split() and "mohamed" not in kept.normalized
