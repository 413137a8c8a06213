"""Shared fixtures: a small made-up knowledge base, an engine on it, a recording store."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.conversation.core import Conversation
from bot.conversation.hours import PARIS
from bot.conversation.recorder import MemoryRecorder
from bot.knowledge import QuartierNames, load_knowledge
from bot.knowledge.engine import Engine
from tests.fake_telegram import FakeTelegram

FIXTURE_KB = Path(__file__).parent / "fixtures" / "kb"
SHIPPED_KB = Path(__file__).resolve().parent.parent / "knowledge"

# A Monday at 10:00 in Brest: the fixture's centre social is open, the mairie is not.
MONDAY_MORNING = dt.datetime(2026, 11, 30, 10, 0, tzinfo=PARIS)


class RecordingRecorder(MemoryRecorder):
    """MemoryRecorder that also keeps what the core asked it to store, for assertions."""

    keeps_questions = True

    def __init__(self) -> None:
        super().__init__()
        self.answered: list[tuple] = []
        self.unanswered: list[tuple] = []
        self.reasons: list[str | None] = []
        self.feedback: list[tuple] = []
        self.forgotten: list[str] = []
        self.orientations: list[tuple] = []

    def record_answered(self, entry_id, quartier, channel):
        self.answered.append((entry_id, quartier, channel))

    def record_unanswered(self, question, normalized, quartier, channel, guess, score, *, reason=None):
        self.unanswered.append((question, normalized, quartier, channel, guess, score))
        self.reasons.append(reason)

    def record_feedback(self, entry_id, question, helpful, quartier, channel):
        self.feedback.append((entry_id, question, helpful, quartier, channel))

    def record_orientation(self, rights, channel):
        self.orientations.append((tuple(rights), channel))

    def forget(self, key):
        super().forget(key)
        self.forgotten.append(key)


@pytest.fixture
def kb_dir(tmp_path: Path) -> Path:
    """A writable copy of the fixture knowledge base (tests may break it on purpose)."""
    target = tmp_path / "kb"
    shutil.copytree(FIXTURE_KB, target)
    return target


@pytest.fixture
def engine(kb_dir: Path) -> Engine:
    return Engine.load(kb_dir)


@pytest.fixture
def recorder() -> RecordingRecorder:
    return RecordingRecorder()


@pytest.fixture
def conversation(engine: Engine, recorder: RecordingRecorder) -> Conversation:
    return Conversation(engine, recorder, channel="test", clock=lambda: MONDAY_MORNING)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that talks to the fake Bot API server is end to end, hence `slow`, wherever it is written."""
    for item in items:
        if "fake" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def shipped_engine() -> Engine:
    """The shipped knowledge base with its models, trained once for the whole session."""
    return Engine.load(SHIPPED_KB)


@pytest.fixture(scope="session")
def shipped_quartiers() -> QuartierNames:
    """Ids, names and order of the shipped knowledge/quartiers/ (what the bot passes its store)."""
    return load_knowledge(SHIPPED_KB).kb.quartier_names()


@pytest.fixture
def no_proxy_for_localhost(monkeypatch: pytest.MonkeyPatch) -> None:
    """httpx honours proxy variables: make sure 127.0.0.1 is always reached directly."""
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.setenv(name, "127.0.0.1,localhost")


@pytest.fixture
def fake(no_proxy_for_localhost: None) -> Iterator[FakeTelegram]:
    """The fake Bot API server on 127.0.0.1, reached without any proxy, for one test."""
    with FakeTelegram() as server:
        yield server
