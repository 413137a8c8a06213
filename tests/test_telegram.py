"""End-to-end tests of the Telegram channel against a fake Bot API server over HTTP.

How it runs: `tests/fake_telegram.py` serves the Bot API on 127.0.0.1 in a
thread; the real python-telegram-bot `Application` built by
`bot.channels.telegram.build_application` polls it through TELEGRAM_BASE_URL, in
the test's own asyncio loop (pytest-asyncio), with a 1-second long poll. We
start it the way `run_polling` does (initialize, post_init, start polling,
start) and stop it the same way (including post_shutdown), so everything but
signal handling is the production path; signal handling is covered by one
test that runs `python -m bot run` as a subprocess and stops it with SIGTERM.

Nothing here reaches the network. Questions are picked from the bundled
knowledge base at run time (an entry's own phrasing, a question the core
hesitates on), so the tests follow the knowledge base as it grows.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import html
import itertools
import json
import logging
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from telegram import Chat, Message, Update

from bot.channels.telegram import (
    COMMANDS,
    MAX_MESSAGE,
    REJECTED_TOKEN,
    RELAIS,
    TECHNICAL_ERROR,
    PerChatUpdateProcessor,
    Relais,
    TokenFilter,
    api_base_urls,
    build_application,
    keyboard,
    split_message,
    utf16_len,
    webhook_secret,
)
from bot.config import REPO_KNOWLEDGE, Settings
from bot.conversation.actions import parse
from bot.conversation.core import Conversation
from bot.conversation.recorder import MemoryRecorder
from bot.conversation.reply import Button, Reply
from bot.conversation.texts import STALE_BUTTON
from bot.knowledge.engine import Engine
from bot.storage.privacy import conversation_key
from bot.storage.store import Store
from tests.fake_telegram import BOT_USERNAME, FakeTelegram, FakeUser, check_html
from tests.telegram_run import polling

pytestmark = [
    pytest.mark.slow,
    pytest.mark.usefixtures("no_proxy_for_localhost"),
]  # end to end: the real PTB Application against the fake Bot API server

REPO = Path(__file__).resolve().parent.parent
SECRET = "secret-for-tests-only"
ADMIN = FakeUser(1001, "Admin")
ALICE = FakeUser(2001, "Alice")
BOB = FakeUser(2002, "Bob")
aio = pytest.mark.asyncio


# --------------------------------------------------------------------------- store
class SpyStore:
    """Wraps the store the bot writes to and remembers what tests assert on."""

    def __init__(self, inner: object) -> None:
        self.inner = inner
        self.feedback: list[tuple] = []
        self.flushed = 0
        self.closed = False
        self.purged: list[int] = []

    def __getattr__(self, name: str):
        return getattr(self.inner, name)

    def record_feedback(self, entry_id, question, helpful, quartier, channel) -> None:
        self.feedback.append((entry_id, helpful, quartier, channel))
        self.inner.record_feedback(entry_id, question, helpful, quartier, channel)

    def flush(self) -> None:
        self.flushed += 1
        self.inner.flush()

    def close(self) -> None:
        self.closed = True
        self.inner.close()

    def purge(self, older_than_days: int = 365) -> int:
        self.purged.append(older_than_days)
        return self.inner.purge(older_than_days)


def make_store(tmp_path: Path) -> SpyStore:
    return SpyStore(Store(tmp_path / "relais.db"))


# --------------------------------------------------------------------------- harness
@dataclass
class Harness:
    app: object
    fake: FakeTelegram
    store: SpyStore
    settings: Settings

    @property
    def relais(self) -> Relais:
        return self.app.bot_data[RELAIS]

    async def exchange(self, user: FakeUser, act, expect: int = 1) -> list[dict]:
        """Do something as `user` and return the `expect` messages the bot sends back."""
        before = len(self.fake.sent(user.id))
        act()
        messages = await self.fake.wait_messages(user.id, before + expect)
        await asyncio.sleep(0.05)  # a surplus message would show up here
        messages = self.fake.sent(user.id)
        assert len(messages) == before + expect, [m["text"][:80] for m in messages[before:]]
        return messages[before:]

    async def say(self, user: FakeUser, text: str, expect: int = 1) -> dict:
        return (await self.exchange(user, lambda: self.fake.send_text(user, text), expect))[-1]

    async def press(self, user: FakeUser, message: dict, data: str, expect: int = 1) -> dict:
        assert data in callback_data(message), (data, callback_data(message))
        return (await self.exchange(user, lambda: self.fake.press(user, message, data), expect))[-1]


def callback_data(message: dict) -> list[str]:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return [button["callback_data"] for row in rows for button in row]


@pytest.fixture(scope="module")
def engine(shipped_engine: Engine) -> Engine:
    """The shipped base (overrides conftest's fixture base here): an engine of its own on the session's snapshot."""
    return Engine(REPO_KNOWLEDGE, shipped_engine.current, shipped_engine.problems, cache=shipped_engine.cache)


@asynccontextmanager
async def running_bot(
    fake: FakeTelegram,
    tmp_path: Path,
    engine: Engine,
    *,
    admins: tuple[int, ...] = (ADMIN.id,),
    reload_interval: float = 60.0,
    purge_first: float = 3600.0,
    start_delay: float = 0.0,
) -> AsyncIterator[Harness]:
    settings = Settings(
        knowledge_dir=engine.directory,
        db_path=tmp_path / "relais.db",
        secret=SECRET,
        telegram_token=fake.token,
        telegram_base_url=fake.root_url,
        admins=frozenset(admins),
    )
    store = make_store(tmp_path)
    app = build_application(
        settings, engine, store, reload_interval=reload_interval, purge_first=purge_first, network_backoff=0.05
    )
    async with polling(app, start_delay):  # start_delay: a slow start (Telegram retries, a busy machine)
        yield Harness(app, fake, store, settings)


# --------------------------------------------------------------------------- knowledge probes
def probe(engine: Engine) -> Conversation:
    """A private core on the same knowledge, to pick questions and predict replies."""
    return Conversation(engine, MemoryRecorder(), channel="probe")


def quartier_with_places(engine: Engine) -> str:
    kb = engine.current.kb
    return next(q for q in sorted(kb.quartiers) if kb.places_in(q))


def answerable_right(engine: Engine) -> tuple[str, str]:
    """(question, entry id): a right whose own first phrasing the core answers."""
    kb, talk = engine.current.kb, probe(engine)
    for entry in sorted(kb.entries.values(), key=lambda e: e.id):
        if entry.kind != "right":
            continue
        for phrasing in kb.phrasings_of(entry.id)[:2]:
            if talk.ask("k", phrasing).entry_id == entry.id:
                return phrasing, entry.id
    pytest.fail("no right of the knowledge base is answered from its own phrasing")


def ambiguous_question(engine: Engine) -> str:
    """A question on which the core offers choices instead of answering.

    A telling keyword drowned in filler words lands in the matcher's uncertain
    band, whatever the knowledge base holds.
    """
    kb, talk = engine.current.kb, probe(engine)
    words = sorted({kw for entry in kb.entries.values() for kw in entry.keywords})
    candidates = itertools.chain(
        (f"{word} truc machin" for word in words),
        (f"{word} bidule" for word in words),
        words,
    )
    for question in candidates:
        if talk.ask("k", question).kind == "suggest":
            return question
    pytest.fail("no question makes the core hesitate")


# --------------------------------------------------------------------------- unit: rendering
def test_split_keeps_short_text_whole() -> None:
    assert split_message("Bonjour") == ["Bonjour"]
    assert split_message("") == []
    assert split_message("\n\n  \n") == []


def test_split_cuts_on_paragraph_boundaries() -> None:
    paragraphs = [f"Paragraphe {i} : " + "droits & démarches <CAF> " * 20 for i in range(40)]
    text = "\n\n".join(paragraphs)
    chunks = split_message(text)
    assert len(chunks) > 1
    for chunk in chunks:
        assert utf16_len(chunk) <= MAX_MESSAGE
        assert check_html(html.escape(chunk, quote=False)) <= MAX_MESSAGE
        # every chunk is made of whole paragraphs
        assert all(part in paragraphs for part in chunk.split("\n\n"))
    assert "\n\n".join(chunks) == text


def test_split_falls_back_to_lines_words_and_characters() -> None:
    lines = "\n".join("ligne " + "x" * 50 for _ in range(200))  # one huge paragraph
    chunks = split_message(lines)
    assert all(utf16_len(c) <= MAX_MESSAGE for c in chunks)
    assert "\n".join(chunks) == lines
    word = "é" * 10000  # a single word longer than two messages
    chunks = split_message(word)
    assert "".join(chunks) == word and all(len(c) <= MAX_MESSAGE for c in chunks)


def test_split_counts_escaping_and_emoji() -> None:
    text = "&" * 1000  # 5 000 characters once escaped
    chunks = split_message(text)
    assert len(chunks) == 2 and "".join(chunks) == text
    emoji = "👍" * 3000  # 6 000 UTF-16 code units
    chunks = split_message(emoji)
    assert all(utf16_len(c) <= MAX_MESSAGE for c in chunks) and "".join(chunks) == emoji


def test_keyboard_uses_actions_as_callback_data_and_drops_oversized() -> None:
    markup = keyboard([[Button("Oui", "oubli:oui"), Button("Non", "oubli:non")], [Button("Trop", "x" * 65)]])
    assert [[b.callback_data for b in row] for row in markup.inline_keyboard] == [["oubli:oui", "oubli:non"]]
    assert keyboard([]) is None


def test_api_base_urls_follow_ptb_convention() -> None:
    assert api_base_urls("http://127.0.0.1:8081") == ("http://127.0.0.1:8081/bot", "http://127.0.0.1:8081/file/bot")
    assert api_base_urls("http://127.0.0.1:8081/bot/") == (
        "http://127.0.0.1:8081/bot",
        "http://127.0.0.1:8081/file/bot",
    )


def test_token_filter_masks_the_token() -> None:
    token = "123456:ABCdefGHIjklMNOpqrSTUvwxYZ"
    record = logging.LogRecord(
        "httpx", logging.INFO, __file__, 1, "POST %s", (f"https://api.telegram.org/bot{token}/getMe",), None
    )
    TokenFilter(token).filter(record)
    assert token not in record.getMessage() and "ABCdefGHI" not in record.getMessage()
    try:
        raise RuntimeError(f"failed on /bot{token}/sendMessage")
    except RuntimeError:
        record = logging.LogRecord("telegram", logging.ERROR, __file__, 1, "boom", (), sys.exc_info())
    TokenFilter(token).filter(record)
    assert token not in logging.Formatter().format(record)


@aio
async def test_updates_of_one_chat_stay_in_order_while_chats_run_concurrently() -> None:
    processor = PerChatUpdateProcessor(8)
    events: list[str] = []

    def update(update_id: int, chat_id: int) -> Update:
        chat = Chat(chat_id, Chat.PRIVATE)
        return Update(update_id, message=Message(update_id, dt.datetime.now(dt.UTC), chat, text="x"))

    async def work(name: str, pause: float) -> None:
        events.append(f"{name}+")
        await asyncio.sleep(pause)
        events.append(f"{name}-")

    await asyncio.gather(
        processor.process_update(update(1, 10), work("a1", 0.1)),
        processor.process_update(update(2, 10), work("a2", 0.0)),
        processor.process_update(update(3, 20), work("b1", 0.0)),
    )
    assert events.index("a1-") < events.index("a2+")  # same chat: strictly one after the other
    assert events.index("b1-") < events.index("a1-")  # another chat did not wait for it
    assert not processor._locks  # no lock left behind for idle chats


# --------------------------------------------------------------------------- end to end
@aio
async def test_start_registers_menu_and_offers_quartiers(fake, tmp_path, engine) -> None:
    async with running_bot(fake, tmp_path, engine) as bot:
        welcome = await bot.say(ALICE, "/start")
        assert fake.commands == [{"command": c, "description": d} for c, d in COMMANDS]
        expected = probe(engine).start("k")
        assert welcome["text"] == expected.text
        data = callback_data(welcome)
        assert data == [b.action for row in expected.buttons for b in row]
        assert len(data) == 6  # five quartiers and "je n'habite pas dans ces quartiers"
        call = fake.calls_to("sendMessage", ALICE.id)[-1]
        assert call.params["parse_mode"] == "HTML"
        assert call.params["link_preview_options"] == {"is_disabled": True}

        quartier = quartier_with_places(engine)
        chosen = await bot.press(ALICE, welcome, f"q:{quartier}")
        place = engine.current.kb.places_in(quartier)[0]
        assert engine.current.kb.quartiers[quartier].name in chosen["text"]
        assert any(p.name in chosen["text"] for p in engine.current.kb.places_in(quartier)), place.name
        assert fake.calls_to("answerCallbackQuery")
        retired = fake.calls_to("editMessageReplyMarkup")
        assert retired and retired[-1].params["message_id"] == welcome["message_id"]
        key = conversation_key(ALICE.id, SECRET)
        assert bot.store.quartier_of(key) == quartier
        assert bot.store.quartier_of(str(ALICE.id)) is None  # never the raw chat id


@aio
async def test_question_answered_with_local_mediation_point(fake, tmp_path, engine) -> None:
    question, entry_id = answerable_right(engine)
    quartier = quartier_with_places(engine)
    async with running_bot(fake, tmp_path, engine) as bot:
        welcome = await bot.say(ALICE, "/start")
        await bot.press(ALICE, welcome, f"q:{quartier}")
        answer = await bot.say(ALICE, question)
        kb = engine.current.kb
        assert kb.entries[entry_id].title in answer["text"]
        assert any(p.name in answer["text"] for p in kb.places_in(quartier))
        assert {f"fb:1:{entry_id}", f"fb:0:{entry_id}"} <= set(callback_data(answer))


@aio
async def test_disambiguation_buttons_lead_to_an_answer(fake, tmp_path, engine) -> None:
    question = ambiguous_question(engine)
    async with running_bot(fake, tmp_path, engine) as bot:
        offer = await bot.say(BOB, question)
        choices = [d for d in callback_data(offer) if d.startswith("e:")]
        assert choices, offer
        answer = await bot.press(BOB, offer, choices[0])
        assert engine.current.kb.entries[choices[0][2:]].title in answer["text"]


@aio
async def test_feedback_is_recorded_and_acknowledged(fake, tmp_path, engine) -> None:
    question, entry_id = answerable_right(engine)
    async with running_bot(fake, tmp_path, engine) as bot:
        answer = await bot.say(ALICE, question)
        thanks = await bot.press(ALICE, answer, f"fb:0:{entry_id}")
        assert thanks["text"].startswith("Merci")
        assert bot.store.feedback == [(entry_id, False, None, "telegram")]
        assert fake.calls_to("editMessageReplyMarkup")[-1].params["message_id"] == answer["message_id"]
        answer = await bot.say(BOB, question)
        thanks = await bot.press(BOB, answer, f"fb:1:{entry_id}")
        assert thanks["text"].startswith("Merci")
        assert bot.store.feedback[-1] == (entry_id, True, None, "telegram")


@aio
async def test_location_gives_nearest_help_with_distance(fake, tmp_path, engine) -> None:
    kb = engine.current.kb
    place = next(
        p for p in sorted(kb.places.values(), key=lambda p: p.id) if p.lat is not None and p.quartier in kb.quartiers
    )
    async with running_bot(fake, tmp_path, engine) as bot:
        reply = await bot.exchange(ALICE, lambda: fake.send_location(ALICE, place.lat, place.lon))
        assert reply[0]["text"] == probe(engine).locate("k", place.lat, place.lon).text
        assert place.name in reply[0]["text"] and "km" in reply[0]["text"]


@aio
async def test_sticker_photo_and_voice_get_a_kind_reply(fake, tmp_path, engine) -> None:
    async with running_bot(fake, tmp_path, engine) as bot:
        sticker = (await bot.exchange(ALICE, lambda: fake.send_sticker(ALICE)))[0]
        assert sticker["text"] == probe(engine).non_text("k", "sticker").text
        assert "écrits" in sticker["text"]
        photo = (await bot.exchange(ALICE, lambda: fake.send_photo(ALICE)))[0]
        assert photo["text"] == probe(engine).non_text("k", "photo").text
        caption = "c quoi ce courrier de la caf"
        question = (await bot.exchange(ALICE, lambda: fake.send_photo(ALICE, caption=caption)))[0]
        assert question["text"] == probe(engine).non_text("k", "photo", caption).text  # the caption is answered
        assert question["text"] != photo["text"] and "Je n'ai pas regardé" in question["text"]
        voice = (await bot.exchange(ALICE, lambda: fake.send_voice(ALICE)))[0]
        assert voice["text"] == probe(engine).non_text("k", "voice").text


@aio
async def test_an_emergency_in_a_photo_caption_is_not_missed(fake, tmp_path, engine) -> None:
    violence = engine.current.kb.dangers.kinds["violence"]
    caption = f"regardez, {violence.expressions[0]}"
    expected = probe(engine).non_text("k", "photo", caption)
    assert expected.kind == "emergency"
    async with running_bot(fake, tmp_path, engine) as bot:
        photo = (await bot.exchange(ALICE, lambda: fake.send_photo(ALICE, caption=caption)))[0]
        assert photo["text"] == expected.text
        assert photo["text"].startswith(violence.message.strip().splitlines()[0])


@aio
async def test_an_unreachable_admin_is_logged_without_their_user_id(caplog) -> None:
    from types import SimpleNamespace

    from telegram.error import Forbidden

    from bot.channels.telegram import notify_admins

    class BlockedBot:
        async def send_message(self, **kwargs):
            raise Forbidden("Forbidden: bot was blocked by the user")

    relais = SimpleNamespace(settings=Settings(admins=frozenset({987654321})))
    with caplog.at_level(logging.WARNING, logger="bot.channels.telegram"):
        await notify_admins(BlockedBot(), relais, "Base rechargée")
    assert caplog.records
    assert "987654321" not in caplog.text


COMMANDS_AS_TYPED = [
    ("/AIDE", "/aide"),
    ("/Aide", "/aide"),
    (f"/aide@{BOT_USERNAME}", "/aide"),
    (f"/AIDE@{BOT_USERNAME.upper()}", "/aide"),
    ("/Aide svp", "/aide"),
    (f"/Start@{BOT_USERNAME}", "/start"),
    ("/QUARTIER", "/quartier"),
]


@aio
async def test_a_command_in_capitals_or_with_the_bots_name_works_like_the_command(fake, tmp_path, engine) -> None:
    """Phones capitalise the first letter, and some Telegram clients add « @name » to a command."""
    async with running_bot(fake, tmp_path, engine) as bot:
        for typed, command in COMMANDS_AS_TYPED:
            expected = await bot.say(ALICE, command)
            reply = await bot.say(ALICE, typed)
            assert (reply["text"], callback_data(reply)) == (expected["text"], callback_data(expected)), typed


@aio
async def test_a_danger_typed_after_a_command_is_answered_first(fake, tmp_path, engine) -> None:
    """ "/aide mon ex bat notre fils": the command's handler gets the whole message; the danger must not be lost."""
    danger = "mon ex bat notre fils"
    expected = probe(engine).ask("k", danger)
    assert expected.kind == "emergency"
    async with running_bot(fake, tmp_path, engine) as bot:
        for command in ("/aide", "/Start", "/droits", "/oubli"):
            reply = await bot.say(ALICE, f"{command} {danger}")
            assert reply["text"].startswith(expected.text.split("\n")[0]), command


@aio
async def test_oubli_erases_after_confirmation(fake, tmp_path, engine) -> None:
    quartier = quartier_with_places(engine)
    key = conversation_key(ALICE.id, SECRET)
    async with running_bot(fake, tmp_path, engine) as bot:
        welcome = await bot.say(ALICE, "/start")
        await bot.press(ALICE, welcome, f"q:{quartier}")
        assert bot.store.quartier_of(key) == quartier
        confirm = await bot.say(ALICE, "/oubli")
        assert bot.store.quartier_of(key) == quartier  # nothing erased before the button
        done = await bot.press(ALICE, confirm, "oubli:oui")
        assert "effacé" in done["text"]
        assert bot.store.quartier_of(key) is None


@aio
async def test_oubli_answered_by_typing_oui_erases_and_quartier_with_a_word_sets_it(fake, tmp_path, engine) -> None:
    """On a phone many type « oui » rather than press « Oui, effacer », and « /quartier europ » then « oui »."""
    key = conversation_key(ALICE.id, SECRET)
    async with running_bot(fake, tmp_path, engine) as bot:
        asked = await bot.say(ALICE, "/quartier europ")  # a close spelling is confirmed, never taken on a guess
        assert asked["text"] == "Vouliez-vous dire Europe ?"
        set_by_oui = await bot.say(ALICE, "oui")
        assert set_by_oui["text"].startswith("C'est noté : Europe.")
        assert bot.store.quartier_of(key) == "europe"
        await bot.say(ALICE, "/oubli")
        done = await bot.say(ALICE, "oui")
        assert "effacé" in done["text"]
        assert bot.store.quartier_of(key) is None


@aio
async def test_admin_commands_only_for_admins(fake, tmp_path, engine) -> None:
    async with running_bot(fake, tmp_path, engine) as bot:
        for command in ("/stats", "/recharger", "/besoins"):
            as_resident = await bot.say(BOB, command)
            assert as_resident["text"] == probe(engine).ask("k", command).text, command
        stats = await bot.say(ADMIN, "/stats")
        assert stats["text"] == bot.store.stats_text(days=7).strip()
        reloaded = await bot.say(ADMIN, "/recharger")
        assert reloaded["text"].startswith("✅")
        needs = await bot.say(ADMIN, "/besoins")
        assert needs["text"]


@aio
@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")  # raised inside PTB's RetryAfter
async def test_429_and_502_are_retried_and_polling_goes_on(fake, tmp_path, engine) -> None:
    async with running_bot(fake, tmp_path, engine) as bot:
        fake.fail_next("sendMessage", 1, status=429, retry_after=1)
        reply = await bot.say(ALICE, "/aide")
        assert reply["text"] == probe(engine).help("k").text
        calls = fake.calls_to("sendMessage", ALICE.id)
        assert [c.answered for c in calls] == [429, 200]
        assert calls[1].at - calls[0].at >= 1.0  # Telegram's retry_after was honoured

        fake.fail_next("sendMessage", 1, status=502)
        reply = await bot.say(ALICE, "/aide")
        assert [c.answered for c in fake.calls_to("sendMessage", ALICE.id)][-2:] == [502, 200]

        fake.fail_next("getUpdates", 1, status=502)
        await fake.wait_for(lambda f: any(c.answered == 502 for c in f.calls_to("getUpdates")))
        reply = await bot.say(BOB, "/aide")  # still polling after the gateway error
        assert reply["text"] == probe(engine).help("k").text


class Scripted:
    """The real core, except for the scripted questions: lets us test rendering limits."""

    def __init__(self, real: Conversation, replies: dict[str, Reply]) -> None:
        self.real, self.replies = real, replies

    def __getattr__(self, name: str):
        return getattr(self.real, name)

    def ask(self, key: str, text: str, address: str | None = None) -> Reply:
        return self.replies.get(text) or self.real.ask(key, text, address)


@aio
async def test_long_answer_is_split_and_html_escaped(fake, tmp_path, engine) -> None:
    paragraphs = [f"Étape {i} : remplir le formulaire <Cerfa 1234*05> & l'envoyer « vite »." * 6 for i in range(30)]
    long_text = "\n\n".join(paragraphs)
    tricky = "Tarif <b>réduit</b> & R&D <script>alert(1)</script> &amp; 5 > 3"
    buttons = [[Button("👍 Ça m'aide", "fb:1:rsa")]]
    async with running_bot(fake, tmp_path, engine) as bot:
        bot.relais.conversation = Scripted(
            bot.relais.conversation,
            {"long": Reply(long_text, kind="answer", buttons=buttons), "tricky": Reply(tricky, kind="answer")},
        )
        expected = len(split_message(long_text))
        assert expected >= 3
        parts = await bot.exchange(ALICE, lambda: fake.send_text(ALICE, "long"), expect=expected)
        assert "\n\n".join(p["text"] for p in parts) == long_text
        assert all(utf16_len(p["text"]) <= MAX_MESSAGE for p in parts)
        assert [bool(p.get("reply_markup")) for p in parts] == [False] * (expected - 1) + [True]

        shown = await bot.say(ALICE, "tricky")
        assert shown["text"] == tricky  # what the resident sees: the text, not markup
        sent = fake.calls_to("sendMessage", ALICE.id)[-1].params["text"]
        assert "<script>" not in sent and "&lt;script&gt;" in sent and "&amp;amp;" in sent


class Exploding(Scripted):
    def ask(self, key: str, text: str, address: str | None = None) -> Reply:
        if text == "boom":
            raise RuntimeError("a bug in the core")
        return self.real.ask(key, text, address)


@aio
async def test_a_failing_update_is_logged_and_the_bot_goes_on(fake, tmp_path, engine, caplog) -> None:
    async with running_bot(fake, tmp_path, engine) as bot:
        bot.relais.conversation = Exploding(bot.relais.conversation, {})
        with caplog.at_level(logging.ERROR, logger="bot.channels.telegram"):
            sorry = await bot.say(ALICE, "boom")
        assert sorry["text"] == TECHNICAL_ERROR
        assert any("failed" in r.getMessage() and r.exc_info for r in caplog.records)
        assert all("boom" not in r.getMessage() for r in caplog.records)  # no message text in logs
        reply = await bot.say(ALICE, "/aide")
        assert reply["text"] == probe(engine).help("k").text


@aio
async def test_every_callback_data_fits_64_bytes(fake, tmp_path, engine) -> None:
    question, entry_id = answerable_right(engine)
    async with running_bot(fake, tmp_path, engine) as bot:
        await bot.say(ALICE, "/start")
        await bot.say(ALICE, question)
        await bot.say(ALICE, ambiguous_question(engine))
        await bot.say(ALICE, "/oubli")
        await bot.say(ALICE, "/quartier")
        data = [d for m in fake.sent(ALICE.id) for d in callback_data(m)]
        assert len(data) > 10
        assert all(1 <= len(d.encode()) <= 64 for d in data)
        assert all(parse(d) is not None for d in data)  # every button is written by the one helper


@aio
@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("zz:injecte", STALE_BUTTON),
        ("é" * 30, STALE_BUTTON),
        ("e:n'existe-pas", STALE_BUTTON),
        ("rap:stop:abc", None),  # the reminders' own French answer
        ("cbm:pris:1", None),  # a mediator's button pressed by a resident: nothing to say to them
    ],
)
async def test_forged_callback_data_gets_a_french_reply_and_the_bot_goes_on(
    fake, tmp_path, engine, data, expected
) -> None:
    async with running_bot(fake, tmp_path, engine) as bot:
        welcome = await bot.say(ALICE, "/start")
        forged = {**welcome, "reply_markup": {"inline_keyboard": [[{"text": "?", "callback_data": data}]]}}
        answered = not data.startswith("cbm:")

        def press_then_ask_for_help() -> None:  # one chat's updates are handled in order: the help comes last
            fake.press(ALICE, forged, data)
            fake.send_text(ALICE, "/aide")

        replies = await bot.exchange(ALICE, press_then_ask_for_help, expect=2 if answered else 1)
        assert replies[-1]["text"] == probe(engine).help("k").text
        for reply in replies[:-1]:
            assert reply["text"] != html.escape(TECHNICAL_ERROR, quote=False) and "Traceback" not in reply["text"]
            if expected:
                assert reply["text"] == html.escape(expected, quote=False)


@aio
async def test_knowledge_reloads_on_change_and_reports_broken_files(fake, tmp_path, engine) -> None:
    knowledge = tmp_path / "knowledge"
    shutil.copytree(engine.directory, knowledge)
    own_engine = Engine.load(knowledge, cache=engine.cache)  # the shipped models, trained once per session
    broken = knowledge / "droits" / "zz-en-cours.yaml"
    async with running_bot(fake, tmp_path, own_engine, reload_interval=0.2) as bot:
        before = own_engine.current
        draft = broken.with_suffix(".tmp")  # written aside then renamed: the watcher sees it whole
        draft.write_text("id: zz-en-cours\ntitre: [pas fermé\n", encoding="utf-8")
        draft.replace(broken)
        alert = (await bot.exchange(ADMIN, lambda: None))[0]
        assert "NON rechargée" in alert["text"]
        assert "zz-en-cours.yaml:" in alert["text"]  # file and line for the mediator
        assert own_engine.current is before  # the last good base stays in service
        await asyncio.sleep(0.6)
        assert len(fake.sent(ADMIN.id)) == 1  # told once, not every few seconds

        manual = await bot.say(ADMIN, "/recharger")
        assert "zz-en-cours.yaml:" in manual["text"]

        broken.unlink()
        fixed = (await bot.exchange(ADMIN, lambda: None))[0]
        assert fixed["text"].startswith("✅")


@aio
async def test_a_fix_reloaded_by_one_admin_is_announced_to_the_others(fake, tmp_path, engine) -> None:
    knowledge = tmp_path / "knowledge"
    shutil.copytree(engine.directory, knowledge)
    own_engine = Engine.load(knowledge, cache=engine.cache)  # the shipped models, trained once per session
    broken = knowledge / "droits" / "zz-en-cours.yaml"
    other_admin = FakeUser(1002, "Admine")
    async with running_bot(fake, tmp_path, own_engine, admins=(ADMIN.id, other_admin.id)) as bot:
        broken.write_text("id: zz-en-cours\ntitre: [pas fermé\n", encoding="utf-8")
        assert "NON rechargée" in (await bot.say(ADMIN, "/recharger"))["text"]
        broken.unlink()
        assert (await bot.say(ADMIN, "/recharger"))["text"].startswith("✅")
        told = await fake.wait_for(lambda f: f.sent(other_admin.id))
        assert told[-1]["text"].startswith("✅")
        assert len(fake.sent(ADMIN.id)) == 2  # the admin who reloaded is not told twice


@aio
async def test_daily_purge_job_runs(fake, tmp_path, engine) -> None:
    async with running_bot(fake, tmp_path, engine, purge_first=0.1) as bot:
        await fake.wait_for(lambda f: bot.store.purged)
        assert bot.store.purged == [365]


@aio
async def test_daily_purge_runs_even_when_the_bot_starts_late(fake, tmp_path, engine) -> None:
    # Jobs are scheduled when the application is built: a start slower than the
    # scheduler's grace time (1 s) must delay the first purge, not skip it for a day.
    async with running_bot(fake, tmp_path, engine, purge_first=0.1, start_delay=1.5) as bot:
        await fake.wait_for(lambda f: bot.store.purged)
        assert bot.store.purged == [365]


@aio
async def test_store_is_flushed_and_closed_on_shutdown(fake, tmp_path, engine) -> None:
    async with running_bot(fake, tmp_path, engine) as bot:
        await bot.say(ALICE, "/aide")
        store = bot.store
    assert store.flushed >= 1 and store.closed


# --------------------------------------------------------------------------- the real process
def _bot_env(fake: FakeTelegram, tmp_path: Path, token: str | None = None, log_level: str = "DEBUG") -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RELAIS_", "TELEGRAM_"))}
    env.update(
        TELEGRAM_TOKEN=token or fake.token,
        TELEGRAM_BASE_URL=fake.root_url,
        RELAIS_DB=str(tmp_path / "data" / "relais.db"),
        RELAIS_SECRET=SECRET,
        RELAIS_ADMINS=str(ADMIN.id),
        RELAIS_LOG_LEVEL=log_level,  # DEBUG by default: the most verbose level must still hide the token
        PYTHONPATH=str(REPO),
        NO_PROXY="127.0.0.1,localhost",
        no_proxy="127.0.0.1,localhost",
    )
    return env


def test_rejected_token_gives_a_clear_message_and_exit_2(fake, tmp_path, warm_data_dir) -> None:
    wrong = "123456:ThisTokenIsNotTheRightOne_xxxxxxxx"
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        cwd=REPO,
        env=_bot_env(fake, tmp_path, token=wrong),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2, result.stderr
    assert REJECTED_TOKEN in result.stderr
    assert "Traceback" not in result.stderr
    assert "ThisTokenIsNotTheRightOne" not in result.stderr + result.stdout


def test_missing_token_gives_a_clear_message_and_exit_2(fake, tmp_path) -> None:
    env = _bot_env(fake, tmp_path)
    del env["TELEGRAM_TOKEN"]
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"], cwd=REPO, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert "TELEGRAM_TOKEN" in result.stderr and "@BotFather" in result.stderr
    assert "Traceback" not in result.stderr


def test_python_m_bot_run_stops_cleanly_on_sigterm(fake, tmp_path, engine, warm_data_dir) -> None:
    quartier = quartier_with_places(engine)
    question, entry_id = answerable_right(engine)
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        cwd=REPO,
        env=_bot_env(fake, tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_until_started(fake, proc, "getUpdates")
        assert [c["command"] for c in fake.commands] == [c for c, _ in COMMANDS]
        fake.send_command(ALICE, "/start")
        welcome = fake.wait_for_sync(lambda f: f.sent(ALICE.id))[-1]
        fake.press(ALICE, welcome, f"q:{quartier}")
        fake.wait_for_sync(lambda f: len(f.sent(ALICE.id)) >= 2)
        fake.send_text(ALICE, question)
        answer = fake.wait_for_sync(lambda f: len(f.sent(ALICE.id)) >= 3 and f.sent(ALICE.id))[-1]
        fake.press(ALICE, answer, f"fb:0:{entry_id}")
        fake.wait_for_sync(lambda f: len(f.sent(ALICE.id)) >= 4)
        stderr = _stop_with_sigterm(proc)
    finally:
        _kill_if_running(proc)
    assert proc.returncode == 0, stderr[-3000:]
    assert "Traceback" not in stderr
    assert fake.token not in stderr and fake.token.split(":")[1] not in stderr
    # Everything the conversation stored made it to disk before the process ended.
    with sqlite3.connect(tmp_path / "data" / "relais.db") as db:
        feedback = db.execute("select entry_id, helpful from feedback").fetchall()
    assert feedback == [(entry_id, 0)]
    store = Store(tmp_path / "data" / "relais.db")
    try:
        assert store.quartier_of(conversation_key(ALICE.id, SECRET)) == quartier
        assert [(t.entry_id, t.count) for t in store.answered_topics()] == [(entry_id, 1)]
    finally:
        store.close()
    raw = b"".join(p.read_bytes() for p in (tmp_path / "data").glob("relais.db*"))
    assert str(ALICE.id).encode() not in raw  # no raw chat id stored


# A real process may have to train a model again (a cache it cannot use) on a busy machine:
# tens of seconds. The tests are about behaviour, not start-up time (bench/speed.py measures that).
START_SECONDS = 120.0


def _wait_until_started(fake: FakeTelegram, proc: subprocess.Popen, method: str) -> list:
    """The calls to `method` once the bot has made one; fail at once, with its stderr, if it exited instead."""
    deadline = time.monotonic() + START_SECONDS
    while not (calls := fake.calls_to(method)):
        if proc.poll() is not None:
            raise AssertionError(f"the bot exited ({proc.returncode}) before {method}: {proc.communicate()[1][-3000:]}")
        if time.monotonic() > deadline:
            proc.kill()
            raise AssertionError(f"no {method} after {START_SECONDS:.0f} s; stderr: {proc.communicate()[1][-3000:]}")
        time.sleep(0.05)
    return calls


def _stop_with_sigterm(proc: subprocess.Popen) -> str:
    """Stop the bot as `docker stop` does; return what it wrote on stderr."""
    proc.send_signal(signal.SIGTERM)
    return proc.communicate(timeout=20)[1]


def _kill_if_running(proc: subprocess.Popen) -> None:
    """Never leave a bot process behind a failed test."""
    if proc.poll() is None:
        proc.kill()
        proc.communicate()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _post_update(url: str, update: dict, secret: str | None) -> int:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    request = urllib.request.Request(url, data=json.dumps(update).encode(), headers=headers, method="POST")
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(request, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except urllib.error.URLError:
        return -1  # not listening yet


def test_webhook_mode_receives_updates_and_stops_on_sigterm(fake, tmp_path, warm_data_dir) -> None:
    pytest.importorskip("tornado", reason="webhook mode needs python-telegram-bot[webhooks]")
    port = _free_port()
    url = f"http://127.0.0.1:{port}/relais/telegram"
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "run", "--webhook-url", url, "--listen", "127.0.0.1", "--port", str(port)],
        # INFO: at DEBUG, PTB logs the forged request below with a traceback, by design.
        cwd=REPO,
        env=_bot_env(fake, tmp_path, log_level="INFO"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        registered = _wait_until_started(fake, proc, "setWebhook")[-1].params
        assert registered["url"] == url
        secret = registered["secret_token"]
        assert secret == webhook_secret(fake.token) and fake.token not in secret
        update = {
            "update_id": 1,
            "message": {
                "message_id": 1,
                "date": int(time.time()),
                "chat": ALICE.chat(),
                "from": ALICE.as_dict(),
                "text": "/aide",
                "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
            },
        }
        deadline = time.monotonic() + 10
        while (status := _post_update(url, update, "not-the-secret")) != 403 and time.monotonic() < deadline:
            time.sleep(0.1)  # the webhook server may still be starting
        assert status == 403  # Telegram's secret header is checked
        assert _post_update(url, update, secret) == 200
        reply = fake.wait_for_sync(lambda f: f.sent(ALICE.id))[-1]
        assert reply["text"].startswith("Comment ça marche")
        stderr = _stop_with_sigterm(proc)
    finally:
        _kill_if_running(proc)
    assert proc.returncode == 0, stderr[-3000:]
    assert "Traceback" not in stderr, stderr
    assert fake.token not in stderr


@aio
async def test_stats_warn_admins_of_entries_left_out_by_a_broken_file(fake, tmp_path, kb_dir) -> None:
    rsa = kb_dir / "droits" / "rsa.yaml"
    rsa.write_text(rsa.read_text(encoding="utf-8") + "titre: [\n", encoding="utf-8")
    broken = Engine.load(kb_dir, learn=False)
    async with running_bot(fake, tmp_path, broken) as bot:
        stats = await bot.say(ADMIN, "/stats")
        assert stats["text"].startswith("Attention : le bot répond sans ces entrées")
        assert "« rsa »" in stats["text"]


# --------------------------------------------------------------------------- places said alone, second needs
def uncertain_places(engine: Engine) -> dict[int, tuple[str, tuple[str, ...]]]:
    """An uncertain place of the knowledge base per number of candidate quartiers (1: yes/no, 2+: choice)."""
    kb, matcher = engine.current.kb, engine.current.matcher
    found: dict[int, tuple[str, tuple[str, ...]]] = {}
    for quartier in sorted(kb.quartiers.values(), key=lambda q: q.id):
        for area in quartier.sub_areas:
            if not area.uncertain:
                continue
            match = matcher.match(f"j'habite à {area.name}")
            if match.place_only and match.quartier_candidates:
                found.setdefault(min(len(match.quartier_candidates), 2), (area.name, match.quartier_candidates))
    return found


def two_needs_message(engine: Engine) -> tuple[str, str, str]:
    """(message, main entry, second entry): two rights' own phrasings joined the way residents join them."""
    kb, matcher = engine.current.kb, engine.current.matcher
    rights = [e for e in sorted(kb.entries.values(), key=lambda e: e.id) if e.kind == "right"]
    phrasings = {e.id: [p for p in kb.phrasings_of(e.id) if len(p.split()) >= 4][:2] for e in rights}
    for first, second in itertools.permutations(rights, 2):
        for one, two in itertools.product(phrasings[first.id], phrasings[second.id]):
            message = f"{one} et en plus {two}"
            match = matcher.match(message)
            if match.entry_id and match.second_need and match.second_need != match.entry_id:
                return message, match.entry_id, match.second_need
    pytest.fail("no two phrasings of the knowledge base make a message with two needs")


@aio
async def test_an_uncertain_place_is_confirmed_with_yes_no_buttons(fake, tmp_path, engine) -> None:
    places = uncertain_places(engine)
    if 1 not in places:
        pytest.skip("no uncertain place with a single candidate quartier in this knowledge base")
    place, (quartier,) = places[1]
    name = engine.current.kb.quartiers[quartier].name
    async with running_bot(fake, tmp_path, engine) as bot:
        confirm = await bot.say(ALICE, f"j'habite à {place}")
        assert confirm["text"].endswith(f"c'est bien {name} ?")
        assert callback_data(confirm) == [f"q:{quartier}", "q:autre"]
        noted = await bot.press(ALICE, confirm, f"q:{quartier}")
        assert noted["text"].startswith(f"C'est noté : {name}.")
        assert bot.store.quartier_of(conversation_key(ALICE.id, SECRET)) == quartier

        refused = await bot.say(BOB, f"j'habite à {place}")
        asked = await bot.press(BOB, refused, "q:autre")
        assert asked["text"] == probe(engine).ask_quartier("k").text
        assert bot.store.quartier_of(conversation_key(BOB.id, SECRET)) is None


@aio
async def test_a_place_with_several_candidates_offers_each_quartier(fake, tmp_path, engine) -> None:
    places = uncertain_places(engine)
    if 2 not in places:
        pytest.skip("no uncertain place shared by several quartiers in this knowledge base")
    place, candidates = places[2]
    async with running_bot(fake, tmp_path, engine) as bot:
        choice = await bot.say(ALICE, f"je suis de {place}")
        assert [f"q:{q}" for q in candidates] + ["q:autre"] == callback_data(choice)
        noted = await bot.press(ALICE, choice, f"q:{candidates[-1]}")
        assert noted["text"].startswith(f"C'est noté : {engine.current.kb.quartiers[candidates[-1]].name}.")


@aio
async def test_a_second_need_is_an_et_aussi_button_that_answers_it(fake, tmp_path, engine) -> None:
    message, main, second = two_needs_message(engine)
    kb = engine.current.kb
    async with running_bot(fake, tmp_path, engine) as bot:
        answer = await bot.say(ALICE, message)
        assert kb.entries[main].title in answer["text"]
        rows = answer["reply_markup"]["inline_keyboard"]
        labels = {button["callback_data"]: button["text"] for row in rows for button in row}
        assert labels[f"e:{second}"].startswith("Et aussi : ")
        other = await bot.press(ALICE, answer, f"e:{second}")
        assert kb.entries[second].title in other["text"]
        assert {f"fb:1:{second}", f"fb:0:{second}"} <= set(callback_data(other))
