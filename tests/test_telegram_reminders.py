"""Reminders and call-backs end to end: the real PTB Application against the fake Bot API server.

Time: the bot gets an injected clock that runs at the real pace from a chosen
instant, so "10:00 on the reminder day" is a few real seconds away. Chat ids,
user ids and phone numbers are made up.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

from bot.channels.telegram.app import build_application
from bot.channels.telegram.consent import JOB_PREFIX, RETRY_DELAY
from bot.config import REPO_KNOWLEDGE, Settings
from bot.knowledge.engine import Engine
from bot.reminders.calendar import PARIS
from bot.storage.consented import ConsentedData
from bot.storage.privacy import conversation_key
from bot.storage.store import Store
from tests.fake_telegram import FakeTelegram, FakeUser
from tests.model_store import seed_models
from tests.telegram_run import polling

pytestmark = [
    pytest.mark.slow,
    pytest.mark.usefixtures("no_proxy_for_localhost"),
]  # end to end: reminders through the real PTB Application and job queue

SECRET = "secret-for-tests-only"
ALICE = FakeUser(730000111, "Alice")
BOB = FakeUser(730000222, "Bob")
MEDIATOR = FakeUser(730000999, "Médiatrice")
MEDIATOR_2 = FakeUser(730000998, "Médiateur")  # a second mediator of Bellevue
PHONE = "06 47 81 29 35"
aio = pytest.mark.asyncio


class RunningClock:
    """Brest time starting at `start` and running at the real pace (JobQueue waits real seconds)."""

    def __init__(self, start: dt.datetime) -> None:
        self.start, self.t0 = start, time.monotonic()

    def __call__(self) -> dt.datetime:
        return self.start + dt.timedelta(seconds=time.monotonic() - self.t0)


@pytest.fixture(scope="module")
def engine(shipped_engine: Engine) -> Engine:
    """The shipped base (overrides conftest's fixture base here): an engine of its own on the session's snapshot."""
    return Engine(REPO_KNOWLEDGE, shipped_engine.current, shipped_engine.problems, cache=shipped_engine.cache)


def settings_for(
    fake: FakeTelegram, tmp_path: Path, engine: Engine, mediators: dict[int, str] | None = None
) -> Settings:
    return Settings(
        knowledge_dir=engine.directory,
        db_path=tmp_path / "relais.db",
        secret=SECRET,
        telegram_token=fake.token,
        telegram_base_url=fake.root_url,
        mediators=mediators or {MEDIATOR.id: "bellevue"},
    )


@asynccontextmanager
async def running_bot(
    fake: FakeTelegram,
    tmp_path: Path,
    engine: Engine,
    clock,
    mediators: dict[int, str] | None = None,
    reminder_retry: float = RETRY_DELAY,
) -> AsyncIterator[Any]:
    settings = settings_for(fake, tmp_path, engine, mediators)
    store = Store(settings.db_path)
    app = build_application(
        settings,
        engine,
        store,
        reload_interval=60.0,
        purge_first=3600.0,
        network_backoff=0.05,
        clock=clock,
        reminder_retry=reminder_retry,
    )
    async with polling(app):
        yield app


def buttons(message: dict) -> list[str]:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return [button["callback_data"] for row in rows for button in row]


async def say(fake: FakeTelegram, user: FakeUser, text: str) -> dict:
    before = len(fake.sent(user.id))
    fake.send_text(user, text)
    return (await fake.wait_messages(user.id, before + 1))[-1]


async def press(fake: FakeTelegram, user: FakeUser, message: dict, data: str) -> dict:
    assert data in buttons(message), (data, buttons(message))
    before = len(fake.sent(user.id))
    fake.press(user, message, data)
    return (await fake.wait_messages(user.id, before + 1))[-1]


def stored(tmp_path: Path, at: dt.datetime) -> ConsentedData:
    """A second look at the database (for seeding and checking), with its own store."""
    return ConsentedData.open(Store(tmp_path / "relais.db"), tmp_path, lambda: at)


def db_bytes(path: Path) -> bytes:
    return b"".join(Path(str(path) + s).read_bytes() for s in ("", "-wal", "-shm") if Path(str(path) + s).exists())


async def opt_in_css(fake: FakeTelegram, user: FakeUser) -> dict:
    """Choose Bellevue, ask about the CSS, opt in with an end date of 31/03/2027."""
    start = await say(fake, user, "/start")
    await press(fake, user, start, "q:bellevue")
    answer = await say(fake, user, "complémentaire santé solidaire")
    assert "rap:offre:css" in buttons(answer) and "cb:offre:css" in buttons(answer)
    question = await press(fake, user, answer, "rap:offre:css")
    assert "date de fin" in question["text"]
    consent = await say(fake, user, "31/03/2027")
    assert "31 janvier 2027" in consent["text"] and "adresse de cette conversation" in consent["text"]
    return await press(fake, user, consent, "rap:oui")


@aio
async def test_a_reminder_set_before_a_restart_arrives_after_it(fake, tmp_path, engine, caplog):
    caplog.set_level(logging.INFO)
    async with running_bot(fake, tmp_path, engine, RunningClock(dt.datetime(2027, 1, 30, 12, 0, tzinfo=PARIS))):
        saved = await opt_in_css(fake, ALICE)
        assert "31 janvier 2027" in saved["text"]
    before = len(fake.sent(ALICE.id))
    # Restarted two seconds before 10:00 on the reminder day.
    clock = RunningClock(dt.datetime(2027, 1, 31, 9, 59, 58, tzinfo=PARIS))
    async with running_bot(fake, tmp_path, engine, clock):
        reminder = (await fake.wait_messages(ALICE.id, before + 1, timeout=10))[-1]
        sent_at = fake.calls_to("sendMessage", ALICE.id)[-1].at  # monotonic, as the clock runs
        assert clock.start + dt.timedelta(seconds=sent_at - clock.t0) >= dt.datetime(2027, 1, 31, 10, tzinfo=PARIS)
        assert "renouvellement" in reminder["text"] and "Complémentaire santé solidaire" in reminder["text"]
        assert "Bellevue" in reminder["text"] or "Tél." in reminder["text"]  # the quartier's help point
        await asyncio.sleep(0.3)
        assert len(fake.sent(ALICE.id)) == before + 1  # sent once
    # One reminder in that series: it has ended, and nothing is kept for it.
    assert stored(tmp_path, dt.datetime(2027, 1, 31, 11, 0, tzinfo=PARIS)).all_reminders() == []
    assert str(ALICE.id).encode() not in db_bytes(tmp_path / "relais.db")
    assert str(ALICE.id) not in caplog.text


def seed(tmp_path: Path, days: list[dt.date], at: dt.datetime) -> str:
    book = stored(tmp_path, at)
    try:
        return book.add_reminder(
            conversation_key(ALICE.id, SECRET), str(ALICE.id), "trimestrielle", "rsa", "bellevue", days
        )
    finally:
        book.store.close()


@pytest.mark.parametrize("late_hours, sent", [(5, True), (80, False)])
@aio
async def test_a_reminder_missed_while_down_is_sent_once_if_less_than_three_days_late(
    fake, tmp_path, engine, late_hours, sent
):
    seed(tmp_path, [dt.date(2027, 2, 1), dt.date(2027, 5, 1)], dt.datetime(2027, 1, 1, tzinfo=PARIS))
    now = dt.datetime(2027, 2, 1, 10, 0, tzinfo=PARIS) + dt.timedelta(hours=late_hours)
    async with running_bot(fake, tmp_path, engine, RunningClock(now)):
        if sent:
            message = (await fake.wait_messages(ALICE.id, 1))[0]
            assert "déclaration trimestrielle" in message["text"] and buttons(message)[0].startswith("rap:stop:")
        await asyncio.sleep(0.5)
        assert len(fake.sent(ALICE.id)) == (1 if sent else 0)
    [left] = stored(tmp_path, now).all_reminders()
    assert left.days == (dt.date(2027, 5, 1),)  # sent or skipped, the missed one never comes back


@aio
async def test_a_resident_who_blocked_the_bot_has_their_series_erased(fake, tmp_path, engine):
    seed(tmp_path, [dt.date(2027, 2, 1), dt.date(2027, 5, 1)], dt.datetime(2027, 1, 1, tzinfo=PARIS))
    fake.blocked.add(ALICE.id)
    now = dt.datetime(2027, 2, 1, 11, 0, tzinfo=PARIS)
    async with running_bot(fake, tmp_path, engine, RunningClock(now)):
        await fake.wait_for(lambda f: any(c.answered == 403 for c in f.calls_to("sendMessage", ALICE.id)))
        await asyncio.sleep(0.5)
        assert len(fake.calls_to("sendMessage", ALICE.id)) == 1  # not retried: a 403 will not get better
    assert stored(tmp_path, now).all_reminders() == []  # the series and its chat address are erased


@pytest.mark.parametrize("status", [429, 502])
@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")  # raised inside PTB's RetryAfter
@aio
async def test_a_429_or_5xx_on_a_reminder_is_retried_and_sent(fake, tmp_path, engine, status):
    seed(tmp_path, [dt.date(2027, 2, 1)], dt.datetime(2027, 1, 1, tzinfo=PARIS))
    fake.fail_next("sendMessage", status=status, retry_after=1)
    async with running_bot(fake, tmp_path, engine, RunningClock(dt.datetime(2027, 2, 1, 11, 0, tzinfo=PARIS))):
        message = (await fake.wait_messages(ALICE.id, 1, timeout=10))[0]
        assert "déclaration trimestrielle" in message["text"]


# Telegram unreachable for longer than the rate limiter's retries: every attempt of one send fails.
UNREACHABLE_ATTEMPTS = 4  # the first try and RetryingRateLimiter's 3 network retries
DUE = dt.datetime(2027, 2, 1, 10, 0, tzinfo=PARIS)
NEXT = dt.date(2027, 5, 1)


def failed_sends(fake: FakeTelegram, user: FakeUser) -> int:
    return sum(1 for c in fake.calls_to("sendMessage", user.id) if c.answered == 502)


@pytest.mark.parametrize(
    "late, retried",
    [(dt.timedelta(hours=1), True), (dt.timedelta(days=3) - dt.timedelta(minutes=10), False)],
    ids=["une heure de retard", "presque trois jours de retard"],
)
@aio
async def test_a_reminder_telegram_cannot_take_is_tried_again_15_minutes_later_unless_it_would_be_too_late(
    fake, tmp_path, engine, late, retried
):
    ident = seed(tmp_path, [DUE.date(), NEXT], dt.datetime(2027, 1, 1, tzinfo=PARIS))
    fake.fail_next("sendMessage", count=UNREACHABLE_ATTEMPTS, status=502)
    clock = RunningClock(DUE + late)  # the missed reminder is sent at start, and fails
    async with running_bot(fake, tmp_path, engine, clock) as app:
        await fake.wait_for(lambda f: failed_sends(f, ALICE) == UNREACHABLE_ATTEMPTS)

        def planned() -> Any:
            [job] = app.job_queue.get_jobs_by_name(JOB_PREFIX + ident) or [None]
            return job if job is not None and job.next_t is not None else None

        job = await fake.wait_for(lambda f: planned())
        ahead = job.next_t - dt.datetime.now(dt.UTC)
        [left] = stored(tmp_path, clock()).all_reminders()
        if retried:  # tried again in 15 minutes, the reminder still due
            assert dt.timedelta(minutes=14) < ahead <= dt.timedelta(minutes=15)
            assert left.days == (DUE.date(), NEXT)
        else:  # a retry would arrive 3 days late: given up, the series goes on with its next date
            assert ahead > dt.timedelta(days=80)
            assert left.days == (NEXT,)
        assert fake.sent(ALICE.id) == []


@aio
async def test_a_reminder_tried_again_arrives_once_telegram_is_back(fake, tmp_path, engine):
    ident = seed(tmp_path, [DUE.date(), NEXT], dt.datetime(2027, 1, 1, tzinfo=PARIS))
    fake.fail_next("sendMessage", count=UNREACHABLE_ATTEMPTS, status=502)
    clock = RunningClock(DUE + dt.timedelta(hours=1))
    async with running_bot(fake, tmp_path, engine, clock, reminder_retry=0.3):
        [message] = await fake.wait_messages(ALICE.id, 1)
        assert "déclaration trimestrielle" in message["text"]
        await asyncio.sleep(0.6)  # a second retry would have come by now
        assert len(fake.sent(ALICE.id)) == 1 and failed_sends(fake, ALICE) == UNREACHABLE_ATTEMPTS
    [left] = stored(tmp_path, clock()).all_reminders()
    assert left.id == ident and left.days == (NEXT,)  # sent once, never again


@aio
async def test_rappels_lists_and_stops_and_oubli_erases_everything(fake, tmp_path, engine):
    async with running_bot(fake, tmp_path, engine, RunningClock(dt.datetime(2027, 1, 30, 12, 0, tzinfo=PARIS))):
        await opt_in_css(fake, ALICE)
        listing = await say(fake, ALICE, "/rappels")
        assert "complémentaire santé solidaire" in listing["text"] and "31 janvier 2027" in listing["text"]
        [stop] = [b for b in buttons(listing) if b.startswith("rap:stop:")]
        stopped = await press(fake, ALICE, listing, stop)
        assert "arrêté" in stopped["text"]
        assert "aucun rappel" in (await say(fake, ALICE, "/rappels"))["text"]
        await opt_in_css(fake, ALICE)
        answer = await say(fake, ALICE, "rsa")
        offer = await press(fake, ALICE, answer, "cb:offre:rsa")
        await say(fake, ALICE, PHONE)
        confirm = await say(fake, ALICE, "/oubli")
        assert "rappels" in confirm["text"]
        await press(fake, ALICE, confirm, "oubli:oui")
        assert offer
    book = stored(tmp_path, dt.datetime(2027, 1, 30, 13, 0, tzinfo=PARIS))
    assert book.all_reminders() == [] and book.open_callbacks() == []


@aio
async def test_call_back_goes_to_the_quartier_mediators_and_is_erased_when_done(fake, tmp_path, engine, caplog):
    caplog.set_level(logging.DEBUG, logger="bot")
    async with running_bot(fake, tmp_path, engine, RunningClock(dt.datetime(2027, 1, 30, 12, 0, tzinfo=PARIS))):
        start = await say(fake, ALICE, "/start")
        await press(fake, ALICE, start, "q:bellevue")
        answer = await say(fake, ALICE, "rsa")
        offer = await press(fake, ALICE, answer, "cb:offre:rsa")
        assert "médiateurs de Bellevue" in offer["text"] and "14 jours" in offer["text"]
        sent = await say(fake, ALICE, "0647812935")
        assert "06 47 81 29 35" in sent["text"]
        request = (await fake.wait_messages(MEDIATOR.id, 1))[0]
        assert PHONE in request["text"] and "Bellevue" in request["text"] and "RSA" in request["text"]
        [take, done] = buttons(request)
        # Someone who is not a mediator of the quartier cannot take it.
        fake.press(BOB, request, take)
        refused = (await fake.wait_messages(BOB.id, 1))[0]
        assert "réservé aux médiateurs" in refused["text"]
        before = len(fake.sent(ALICE.id))
        fake.press(MEDIATOR, request, take)
        told = (await fake.wait_messages(ALICE.id, before + 1))[-1]
        assert "va vous appeler" in told["text"] and "Bellevue" in told["text"]
        book = stored(tmp_path, dt.datetime(2027, 1, 30, 12, 5, tzinfo=PARIS))
        assert book.open_callbacks()[0].status == "prise"
        assert PHONE.replace(" ", "").encode() not in db_bytes(tmp_path / "relais.db")
        assert PHONE.encode() not in db_bytes(tmp_path / "relais.db")
        fake.press(MEDIATOR, request, done)
        await fake.wait_for(
            lambda f: any("effacés" in (c.params.get("text") or "") for c in f.calls_to("editMessageText"))
        )
        assert book.open_callbacks() == []
        book.store.close()
    assert PHONE not in caplog.text and PHONE.replace(" ", "") not in caplog.text
    assert str(ALICE.id) not in caplog.text and str(MEDIATOR.id) not in caplog.text


async def leave_a_call_back_request(fake: FakeTelegram, user: FakeUser) -> None:
    start = await say(fake, user, "/start")
    await press(fake, user, start, "q:bellevue")
    answer = await say(fake, user, "rsa")
    await press(fake, user, answer, "cb:offre:rsa")
    await say(fake, user, PHONE)


def edits_of(fake: FakeTelegram, user: FakeUser, message: dict) -> list[dict]:
    return [
        c.params for c in fake.calls_to("editMessageText", user.id) if c.params["message_id"] == message["message_id"]
    ]


@pytest.mark.parametrize("taker, other", [(MEDIATOR, MEDIATOR_2), (MEDIATOR_2, MEDIATOR)], ids=["first", "second"])
@aio
async def test_the_other_mediators_copies_show_the_request_is_taken_then_done(fake, tmp_path, engine, taker, other):
    team = {MEDIATOR.id: "bellevue", MEDIATOR_2.id: "bellevue"}
    clock = RunningClock(dt.datetime(2027, 1, 30, 12, 0, tzinfo=PARIS))
    async with running_bot(fake, tmp_path, engine, clock, mediators=team):
        await leave_a_call_back_request(fake, ALICE)
        [taker_copy] = await fake.wait_messages(taker.id, 1)
        [other_copy] = await fake.wait_messages(other.id, 1)
        assert PHONE in other_copy["text"] and any(b.startswith("cbm:pris:") for b in buttons(other_copy))
        [take, done] = buttons(taker_copy)
        assert take.startswith("cbm:pris:") and done.startswith("cbm:fait:")
        fake.press(taker, taker_copy, take)
        [seen] = await fake.wait_for(lambda f: edits_of(f, other, other_copy))
        assert "pris en charge par un·e autre médiateur·ice" in seen["text"].lower()
        assert PHONE not in seen["text"] and "Bellevue" in seen["text"]  # handled: the number leaves their screen
        assert not seen.get("reply_markup")  # nothing left for them to press
        [own] = await fake.wait_for(lambda f: edits_of(f, taker, taker_copy))
        assert PHONE in own["text"] and "autre" not in own["text"]  # the one who calls keeps the number
        fake.press(taker, taker_copy, done)
        await fake.wait_for(lambda f: len(edits_of(f, other, other_copy)) == 2)
        assert "traitée par un·e autre médiateur·ice" in edits_of(fake, other, other_copy)[-1]["text"].lower()
    assert stored(tmp_path, clock()).open_callbacks() == []


@aio
async def test_a_request_no_mediator_could_receive_is_erased_and_the_resident_told(fake, tmp_path, engine):
    fake.blocked.add(MEDIATOR.id)  # the only mediator of Bellevue blocked the bot (or never started it)
    async with running_bot(fake, tmp_path, engine, RunningClock(dt.datetime(2027, 1, 30, 12, 0, tzinfo=PARIS))):
        start = await say(fake, ALICE, "/start")
        await press(fake, ALICE, start, "q:bellevue")
        answer = await say(fake, ALICE, "rsa")
        await press(fake, ALICE, answer, "cb:offre:rsa")
        before = len(fake.sent(ALICE.id))
        fake.send_text(ALICE, PHONE)
        messages = await fake.wait_messages(ALICE.id, before + 2)
        assert any("aucune personne" in m["text"] and "effacé" in m["text"] for m in messages[before:])
    assert stored(tmp_path, dt.datetime(2027, 1, 30, 12, 5, tzinfo=PARIS)).open_callbacks() == []


def test_run_stops_with_a_french_message_when_the_key_does_not_fit_the_data(
    fake, tmp_path, engine, capsys, shipped_models
):
    from bot.channels.telegram.app import run

    if shipped_models is not None:  # the shipped models read back, not trained again before the key is checked
        seed_models(tmp_path / "cache", shipped_models)
    seed(tmp_path, [dt.date(2027, 2, 1)], dt.datetime(2027, 1, 1, tzinfo=PARIS))
    (tmp_path / "cle-chiffrement").unlink()
    assert run(settings_for(fake, tmp_path, engine)) == 1
    err = capsys.readouterr().err
    assert "clé de chiffrement" in err and "absente" in err and "Traceback" not in err
    assert not (tmp_path / "cle-chiffrement").exists()  # no new key hiding the problem
