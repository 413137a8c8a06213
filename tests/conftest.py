"""Shared fixtures: a small made-up knowledge base, an engine on it, a recording store."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.config import PARIS
from bot.conversation.core import Conversation
from bot.conversation.recorder import MemoryRecorder
from bot.knowledge import QuartierNames, load_knowledge
from bot.knowledge.engine import Engine, Snapshot, build_matcher
from bot.knowledge.model import LoadResult, Problem
from bot.orientation.rules import RULES_FILE, RuleSet, load_rules
from bot.storage.consented import ConsentedData
from bot.storage.store import Store
from bot.understanding.matcher import Matcher
from bot.understanding.model_cache import DEFAULT_CACHE
from tests.fake_telegram import FakeTelegram
from tests.memory_tmp import use_memory_for_temporary_files
from tests.model_store import keep_default_cache_on_disk, seed_models, session_model_cache
from tests.orientation_fixtures import add_check

# Before any tmp_path exists: pytest reads its temporary root lazily.
use_memory_for_temporary_files(os.environ)

# `python -m bot ask` / `chat` started by tests (subprocesses inherit this) read by words only: with
# the sentence reading on, each would load the encoder (1.4 s) and encode its base before answering.
# The switch itself is tested with injected readings (tests/test_sentence_switch.py).
os.environ.setdefault("RELAIS_SENTENCES", "0")

# pytest rewrites the asserts of every test module it imports, a third of the collection time; with
# PYTHONDONTWRITEBYTECODE set (as on the team's machine) it redid that on every run. The rewritten
# modules go to the git-ignored __pycache__/ folders and are checked against their source like any .pyc.
sys.dont_write_bytecode = False

# Models trained through the default cache (the fixture base and its edited copies) are read back
# by the next session instead of being trained again (`tests.model_store`).
keep_default_cache_on_disk(DEFAULT_CACHE)

FIXTURE_KB = Path(__file__).parent / "fixtures" / "kb"


def write_rules(tmp_path: Path, text: str) -> Path:
    """A rights-check rules file in a knowledge folder, for tests of the rules' reader and checks."""
    path = tmp_path / RULES_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


SHIPPED_KB = Path(__file__).resolve().parent.parent / "knowledge"

# A Monday at 10:00 in Brest: the fixture's centre social is open, the mairie is not.
MONDAY_MORNING = dt.datetime(2026, 11, 30, 10, 0, tzinfo=PARIS)


class Clock:
    """An injected clock that stays where a test puts it: set `now`, or `advance` it by whole days."""

    def __init__(self, start: dt.datetime = MONDAY_MORNING) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, days: int) -> None:
        self.now += dt.timedelta(days=days)


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


@dataclass(frozen=True)
class _ReadFixtureBase:
    """The fixture base read, indexed and trained once, with what tells an untouched copy of it."""

    directory: Path
    snapshot: Snapshot
    problems: list[Problem]
    files: tuple[tuple[str, int, int], ...]


def _files(directory: Path) -> tuple[tuple[str, int, int], ...]:
    """Relative names, sizes and modification times of the YAML files (copytree keeps the times)."""
    stats = ((path, path.stat()) for path in sorted(directory.rglob("*.y*ml")))
    return tuple((str(path.relative_to(directory)), st.st_size, st.st_mtime_ns) for path, st in stats)


@pytest.fixture(scope="session")
def read_fixture_base(tmp_path_factory: pytest.TempPathFactory) -> _ReadFixtureBase:
    directory = tmp_path_factory.mktemp("pristine") / "kb"
    shutil.copytree(FIXTURE_KB, directory)
    loaded = Engine.load(directory)
    return _ReadFixtureBase(directory, loaded.current, loaded.problems, _files(directory))


@pytest.fixture
def engine(kb_dir: Path, read_fixture_base: _ReadFixtureBase) -> Engine:
    """An engine on `kb_dir`; reading and indexing the base is shared while the copy is untouched.

    Parsing the YAML and building the index was most of the fast tests' time. The
    engine object is new for every test (tests replace `engine.current` or reload),
    only the immutable snapshot of an unchanged copy is shared.
    """
    if _files(kb_dir) != read_fixture_base.files:  # a fixture changed the files: read them for real
        return Engine.load(kb_dir)
    problems = [
        dataclasses.replace(p, path=kb_dir / p.path.relative_to(read_fixture_base.directory))
        if p.path.is_relative_to(read_fixture_base.directory)
        else p
        for p in read_fixture_base.problems
    ]
    return Engine(kb_dir, read_fixture_base.snapshot, problems)


@pytest.fixture
def recorder() -> RecordingRecorder:
    return RecordingRecorder()


@pytest.fixture
def conversation(engine: Engine, recorder: RecordingRecorder) -> Conversation:
    return Conversation(engine, recorder, channel="test", clock=lambda: MONDAY_MORNING)


@pytest.fixture
def book(tmp_path: Path) -> Iterator[ConsentedData]:
    """Consented data (reminders, call-backs) in a temporary database, on the Monday-morning clock."""
    with Store(tmp_path / "relais.db", clock=lambda: MONDAY_MORNING) as store:
        yield ConsentedData.open(store, tmp_path, lambda: MONDAY_MORNING)


@pytest.fixture
def dispatched() -> list[object]:
    """The call-back requests the core handed to mediators, in order."""
    return []


@pytest.fixture
def talk(engine: Engine, recorder: RecordingRecorder, book: ConsentedData, dispatched: list[object]) -> Conversation:
    """A core with everything switched on (reminders, call-backs, rights check), so every action has a handler.

    Bellevue has mediators (call-backs are offered there), the other quartiers none.
    """
    return Conversation(
        engine,
        recorder,
        channel="test",
        clock=lambda: MONDAY_MORNING,
        consents=book,
        has_mediators=lambda quartier: quartier == "bellevue",
        dispatch=dispatched.append,
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that talks to the fake Bot API server is end to end, hence `slow`, wherever it is written."""
    for item in items:
        if "fake" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def shipped_base() -> LoadResult:
    """The shipped knowledge/ read once for the whole session (tests only read it)."""
    return load_knowledge(SHIPPED_KB)


@pytest.fixture(scope="session")
def shipped_rules(shipped_base: LoadResult) -> RuleSet:
    """The shipped rights-check rules, read once and checked clean (the households of the rules tests use them)."""
    kinds = {e.id: e.kind for e in shipped_base.kb.entries.values()}
    rules, problems = load_rules(SHIPPED_KB, kinds)
    assert [str(p) for p in problems] == []
    return rules


@pytest.fixture
def check_kb(kb_dir: Path) -> Path:
    """The small fixture base with the made-up rights-check rules (`tests/orientation_fixtures.py`)."""
    return add_check(kb_dir)


@pytest.fixture(scope="session")
def shipped_engine(shipped_base: LoadResult) -> Engine:
    """The shipped knowledge base with its models: trained once per version of the training code.

    The models are kept on disk between sessions (`tests.model_store`): training
    them was most of the fast tests' wall time. A cache of their own also keeps the
    many fixture bases' models from pushing them out of memory: a `/recharger` of
    the shipped base then retrained for seconds, longer than a Telegram test waits.
    """
    return Engine.from_result(SHIPPED_KB, shipped_base, cache=session_model_cache())


@pytest.fixture(scope="session")
def shipped_models(shipped_engine: Engine) -> Path | None:
    """The folder holding the shipped base's trained models (None if the temporary folder is not writable)."""
    return shipped_engine.cache.directory


@pytest.fixture
def warm_data_dir(tmp_path: Path, shipped_models: Path | None) -> Path:
    """`tmp_path / "data"`, a bot's data directory whose model cache already holds the shipped models.

    A bot started in a subprocess on the shipped base then reads its models
    back, as after any restart, instead of training them again (seconds each).
    """
    data = tmp_path / "data"
    if shipped_models is not None:
        seed_models(data / "cache", shipped_models)
    return data


@pytest.fixture(scope="session")
def shipped_lexical(shipped_base: LoadResult) -> Matcher:
    """The lexical matcher alone on the shipped base (no learned model), built once."""
    return build_matcher(shipped_base.kb, learn=False)


@pytest.fixture(scope="session")
def shipped_quartiers(shipped_base: LoadResult) -> QuartierNames:
    """Ids, names and order of the shipped knowledge/quartiers/ (what the bot passes its store)."""
    return shipped_base.kb.quartier_names()


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
