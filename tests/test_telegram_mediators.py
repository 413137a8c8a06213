"""Mediator mode end to end: /besoin and /semaine through the real PTB Application and the fake Bot API.

User ids are made up; RELAIS_MEDIATEURS is given as parsed settings (config parses the variable).
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from bot.channels.telegram.app import build_application
from bot.channels.telegram.mediators import command_text
from bot.config import REPO_KNOWLEDGE, Settings, parse_mediators
from bot.conversation.core import Conversation
from bot.conversation.recorder import MemoryRecorder
from bot.knowledge.engine import Engine
from bot.laboratoire import build_report
from bot.storage.store import Store
from tests.fake_telegram import FakeTelegram, FakeUser
from tests.telegram_run import polling

pytestmark = pytest.mark.usefixtures("no_proxy_for_localhost")  # every test here may reach 127.0.0.1

SECRET = "secret-for-tests-only"
MEDIATRICE = FakeUser(740000111, "Médiatrice")  # Bellevue
MEDIATEUR = FakeUser(740000222, "Médiateur")  # Europe
RESIDENT = FakeUser(740000333, "Habitant")
aio = pytest.mark.asyncio


@pytest.fixture(scope="module")
def engine(shipped_engine: Engine) -> Engine:
    """The shipped base (overrides conftest's fixture base here): an engine of its own on the session's snapshot."""
    return Engine(REPO_KNOWLEDGE, shipped_engine.current, shipped_engine.problems, cache=shipped_engine.cache)


@asynccontextmanager
async def running_bot(fake: FakeTelegram, tmp_path: Path, engine: Engine, raw: str) -> AsyncIterator[Store]:
    settings = Settings(
        knowledge_dir=engine.directory,
        db_path=tmp_path / "relais.db",
        secret=SECRET,
        telegram_token=fake.token,
        telegram_base_url=fake.root_url,
        mediators=parse_mediators(raw),
    )
    store = Store(settings.db_path, quartiers=engine.current.kb.quartier_names())
    app = build_application(settings, engine, store, reload_interval=60.0, purge_first=3600.0, network_backoff=0.05)
    async with polling(app):
        yield store


async def say(fake: FakeTelegram, user: FakeUser, text: str) -> dict:
    before = len(fake.sent(user.id))
    fake.send_text(user, text)
    message = (await fake.wait_messages(user.id, before + 1))[-1]
    await asyncio.sleep(0.05)
    assert len(fake.sent(user.id)) == before + 1
    return message


MEDIATORS = f"{MEDIATRICE.id}:bellevue, {MEDIATEUR.id}:Europe"


@aio
async def test_a_mediator_records_needs_heard_face_to_face_redacted_for_their_quartier(fake, tmp_path, engine):
    async with running_bot(fake, tmp_path, engine, MEDIATORS) as store:
        done = await say(fake, MEDIATRICE, "/besoin Mme Le Goff 06 12 34 56 78 cherche une aide pour le permis")
        assert "noté pour Bellevue" in done["text"] and "06 12" not in done["text"]
        await say(fake, MEDIATRICE, "/besoin aide pour payer le permis de conduire")
        await say(fake, MEDIATRICE, "/besoin permis de conduire aide financière")
        await say(fake, MEDIATEUR, "/besoin atelier pour réparer son vélo")
        store.flush()
        rows = store.unmet()
        assert {(q.quartier, q.channel) for q in rows} == {("bellevue", "mediation"), ("europe", "mediation")}
        assert all("06 12" not in q.question and "06 12" not in q.normalized for q in rows)
        bellevue = build_report(store, since="7d", quartier="bellevue").needs
        assert [n.count for n in bellevue] == [3]  # the three driving-licence wordings are one need
        week = await say(fake, MEDIATRICE, "/semaine")
        assert "à Bellevue" in week["text"] and f"[{bellevue[0].id}]" in week["text"]
        assert "vélo" not in week["text"]  # Europe's need is not Bellevue's week
        usage = await say(fake, MEDIATRICE, "/besoin")
        assert usage["text"].startswith("Écrivez /besoin suivi de")
        pasted = await say(fake, MEDIATRICE, "/besoin " + "mon voisin fait du bruit la nuit " * 60)
        assert "Besoin non enregistré : question trop longue" in pasted["text"]
        store.flush()
        assert len(store.unmet()) == len(rows)  # refused whole, nothing cut nor lost
    raw = sqlite3.connect(tmp_path / "relais.db").execute("select group_concat(question) from unanswered").fetchone()
    assert str(MEDIATRICE.id) not in raw[0]


@aio
async def test_mediator_commands_are_invisible_to_everyone_else(fake, tmp_path, engine):
    unknown = Conversation(engine, MemoryRecorder(), channel="probe")
    async with running_bot(fake, tmp_path, engine, MEDIATORS) as store:
        for command in ("/besoin aide pour le permis", "/semaine"):
            reply = await say(fake, RESIDENT, command)
            assert reply["text"] == unknown.ask("k", command).text.strip()
        store.flush()
        assert store.unmet() == []  # and nothing was recorded as a need


@aio
async def test_a_mediator_of_an_unknown_quartier_is_ignored_with_a_warning(fake, tmp_path, engine, caplog):
    with caplog.at_level(logging.WARNING, logger="bot.config"):
        async with running_bot(fake, tmp_path, engine, f"{MEDIATRICE.id}:belevue") as store:
            await say(fake, MEDIATRICE, "/besoin aide pour le permis")
            store.flush()
            assert store.unmet() == []
    assert "quartier « belevue » inconnu" in caplog.text and str(MEDIATRICE.id) not in caplog.text


@pytest.mark.parametrize(
    "text, expected",
    [("/besoin aide permis", "aide permis"), ("/besoin@relais_bot  aide\npermis ", "aide\npermis"), ("/besoin", "")],
)
def test_command_text_keeps_what_follows_the_command(text, expected):
    assert command_text(text) == expected


@aio
async def test_noise_typed_in_the_chat_is_not_recorded_but_a_real_question_is(fake, tmp_path, engine):
    async with running_bot(fake, tmp_path, engine, MEDIATORS) as store:
        for text in ("/stats", "/quartier", "bellevue", "au revoir", "merci beaucoup"):
            await say(fake, RESIDENT, text)
        await say(fake, RESIDENT, "ou faire reparer mon velo pas cher")
        store.flush()
        assert [q.question for q in store.unmet()] == ["ou faire reparer mon velo pas cher"]
