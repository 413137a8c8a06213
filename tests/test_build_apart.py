"""A large base's cold models are built by a child process and read back; the bot starts whatever the child does."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from bot.knowledge import apart
from bot.knowledge.apart import ChildBuilds
from bot.knowledge.engine import Engine, model_cache_in
from bot.understanding import danger, learned


def _trained_here(*args, **kwargs):
    raise AssertionError("this process trained a model the child should have built")


@pytest.fixture
def every_base_is_large(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fixture base (300 texts) is built apart as the shipped one (13,500) is."""
    monkeypatch.setattr(apart, "APART_FROM_TEXTS", 0)


@pytest.fixture
def fresh_interpreters(monkeypatch: pytest.MonkeyPatch) -> None:
    """Children are fresh interpreters, never forks: a fork would inherit this test's patched training."""
    monkeypatch.setattr(apart, "FORK_WHEN_ALONE", False)


@pytest.mark.slow
def test_a_cold_large_base_is_trained_by_a_child_then_read_back(
    kb_dir, tmp_path, monkeypatch, every_base_is_large, fresh_interpreters
):
    cache = model_cache_in(tmp_path / "data" / "cache", create=True)
    monkeypatch.setattr(danger, "train", _trained_here)
    monkeypatch.setattr(learned, "train", _trained_here)
    engine = Engine.load(kb_dir, cache=cache)
    assert isinstance(cache.elsewhere, ChildBuilds) and cache.elsewhere.started == ["models"]
    assert engine.current.matcher.learned is not None
    assert engine.current.matcher.match("mon rsa est suspendu").entry_id == "rsa"
    assert engine.current.danger.detect("je veux mourir") is not None
    assert not list(kb_dir.rglob("*.npz"))  # in the data directory, never in knowledge/


@pytest.mark.slow
def test_the_child_builds_the_very_models_this_process_would(kb_dir, tmp_path, every_base_is_large):
    apart_engine = Engine.load(kb_dir, cache=model_cache_in(tmp_path / "a" / "cache", create=True))
    here = model_cache_in(tmp_path / "b" / "cache", create=True)
    here.elsewhere = lambda name: False  # built in this process
    here_engine = Engine.load(kb_dir, cache=here)
    one, other = apart_engine.current, here_engine.current
    assert np.array_equal(one.danger.model.weights, other.danger.model.weights)
    assert one.matcher.learned is not None and other.matcher.learned is not None
    for question in ("mon rsa est suspendu", "je cherche un logement social", "bonjour"):
        assert one.matcher.match(question) == other.matcher.match(question)


@pytest.mark.slow
def test_a_warm_start_starts_no_child(kb_dir, tmp_path, every_base_is_large):
    folder = tmp_path / "data" / "cache"
    Engine.load(kb_dir, cache=model_cache_in(folder, create=True))
    again = model_cache_in(folder)
    Engine.load(kb_dir, cache=again)
    assert isinstance(again.elsewhere, ChildBuilds) and again.elsewhere.started == []


def test_a_failed_child_leaves_the_building_to_this_process_once_warned(kb_dir, tmp_path, caplog):
    cache = model_cache_in(tmp_path / "data" / "cache", create=True)
    failing = (sys.executable, "-c", "import sys; print('boom', file=sys.stderr); sys.exit(3)")
    cache.elsewhere = ChildBuilds(kb_dir, tmp_path / "data" / "cache", stamp=lambda: 1, command=failing)
    with caplog.at_level(logging.WARNING, logger="bot.knowledge.apart"):
        engine = Engine.load(kb_dir, cache=cache)
    assert engine.current.matcher.match("mon rsa est suspendu").entry_id == "rsa"
    assert cache.elsewhere.started == ["models"]  # four models missed; one child was tried, then none
    assert "boom" in caplog.text and "construits dans ce processus" in caplog.text


def test_a_child_that_cannot_start_is_a_warning_too(kb_dir, tmp_path, caplog):
    cache = model_cache_in(tmp_path / "data" / "cache", create=True)
    missing = (str(tmp_path / "no-such-python"),)
    cache.elsewhere = ChildBuilds(kb_dir, tmp_path / "data" / "cache", stamp=lambda: 1, command=missing)
    with caplog.at_level(logging.WARNING, logger="bot.knowledge.apart"):
        engine = Engine.load(kb_dir, cache=cache)
    assert engine.current.danger.detect("je veux mourir") is not None
    assert "construction à part (models) impossible" in caplog.text


def test_a_small_base_is_built_in_this_process(kb_dir, tmp_path):
    cache = model_cache_in(tmp_path / "data" / "cache", create=True)
    Engine.load(kb_dir, cache=cache)
    assert cache.elsewhere is None  # 300 texts: a child's start-up would cost more than their training


def test_without_a_data_directory_nothing_is_built_apart(kb_dir, tmp_path, every_base_is_large):
    cache = model_cache_in(tmp_path / "absent" / "data" / "cache")  # `ask` creates no folder: memory only
    Engine.load(kb_dir, cache=cache)
    assert cache.directory is None and cache.elsewhere is None


@pytest.mark.slow
def test_a_reload_of_changed_files_trains_in_a_child_too(
    kb_dir, tmp_path, monkeypatch, every_base_is_large, fresh_interpreters
):
    cache = model_cache_in(tmp_path / "data" / "cache", create=True)
    engine = Engine.load(kb_dir, cache=cache)
    path = kb_dir / "droits" / "css.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("  - CSS\n", "  - CSS\n  - lunettes trop cheres\n"), encoding="utf-8"
    )
    monkeypatch.setattr(danger, "train", _trained_here)
    monkeypatch.setattr(learned, "train", _trained_here)
    assert engine.reload().ok
    assert isinstance(cache.elsewhere, ChildBuilds) and cache.elsewhere.started == ["models", "models"]
    assert engine.current.matcher.match("lunettes trop cheres").entry_id == "css"


FIRST_START = textwrap.dedent(
    """
    import json, sys, threading
    import numpy as np
    from bot.knowledge import apart
    from bot.knowledge.engine import Engine, model_cache_in
    apart.APART_FROM_TEXTS = 0
    kb_dir, data = sys.argv[1], sys.argv[2]
    alone = threading.active_count() == 1
    cache = model_cache_in(data + "/a/cache", create=True)
    forked = Engine.load(kb_dir, cache=cache).current
    here = model_cache_in(data + "/b/cache", create=True)
    here.elsewhere = lambda name: False
    built_here = Engine.load(kb_dir, cache=here).current
    print(json.dumps({
        "alone": alone,
        "ways": cache.elsewhere.ways,
        "same_danger": bool(np.array_equal(forked.danger.model.weights, built_here.danger.model.weights)),
        "answer": forked.matcher.match("mon rsa est suspendu").entry_id,
    }))
    """
)


@pytest.mark.slow
def test_the_first_start_of_a_process_alone_forks_and_reads_the_same_models(kb_dir, tmp_path):
    """Run in a fresh interpreter: the test process has other threads, which rule a fork out."""
    done = subprocess.run(
        [sys.executable, "-c", FIRST_START, str(kb_dir), str(tmp_path)], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen == {"alone": True, "ways": ["fork"], "same_danger": True, "answer": "rsa"}


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["models"], "usage : python -m bot.knowledge.apart"),
        (["nothing", "{kb}", "{cache}"], "groupe inconnu : nothing"),
        (["models", "{empty}", "{cache}"], "base inutilisable"),
    ],
)
def test_the_child_says_in_french_what_it_cannot_build(kb_dir, tmp_path, capsys, arguments, message):
    (tmp_path / "empty").mkdir()
    filled = [a.format(kb=kb_dir, cache=tmp_path / "cache", empty=tmp_path / "empty") for a in arguments]
    assert apart.main(filled) == 2
    assert message in capsys.readouterr().err
