"""The learned model's life: cached by content outside knowledge/, rebuilt on change, never blocking answers."""

from __future__ import annotations

import os
import threading

import pytest

from bot.knowledge.engine import Engine, model_cache_in
from bot.understanding import learned
from bot.understanding.learned import LearnedSettings, model_for
from bot.understanding.model_cache import ModelCache


def _no_training(*args, **kwargs):
    raise AssertionError("the model should have come from the cache")


def test_a_second_start_reads_the_model_from_the_data_directory(kb_dir, tmp_path, monkeypatch):
    data = tmp_path / "data" / "cache"
    Engine.load(kb_dir, cache=model_cache_in(data, create=True))
    files = list(data.glob("matcher-*.npz"))
    assert len(files) == 1
    assert not list(kb_dir.rglob("*.npz"))  # never in knowledge/
    monkeypatch.setattr(learned, "train", _no_training)
    engine = Engine.load(kb_dir, cache=model_cache_in(data))  # a fresh cache: memory is empty, disk is not
    assert engine.current.matcher.learned is not None
    assert engine.current.matcher.match("mon rsa est suspendu").entry_id == "rsa"


def test_a_changed_base_gets_a_new_model(kb_dir, tmp_path):
    data = tmp_path / "data" / "cache"
    Engine.load(kb_dir, cache=model_cache_in(data, create=True))
    first = {p.name for p in data.glob("matcher-*.npz")}
    path = kb_dir / "droits" / "css.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("  - CSS\n", "  - CSS\n  - lunettes trop cheres\n"), encoding="utf-8"
    )
    Engine.load(kb_dir, cache=model_cache_in(data))
    second = {p.name for p in data.glob("matcher-*.npz")}
    assert second and second != first


def test_a_missing_data_directory_is_not_created_by_a_question(kb_dir, tmp_path):
    missing = tmp_path / "nowhere"
    engine = Engine.load(kb_dir, cache=model_cache_in(missing / "cache"))
    assert engine.current.matcher.learned is not None
    assert not missing.exists()


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root writes through permissions")
def test_a_read_only_data_directory_still_gives_a_model(kb_dir, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    data.chmod(0o500)
    try:
        assert Engine.load(kb_dir, cache=model_cache_in(data / "cache")).current.matcher.learned is not None
    finally:
        data.chmod(0o700)


def test_an_unwritable_cache_path_still_gives_a_model(kb_dir, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory", encoding="utf-8")
    cache = ModelCache(blocker / "cache")  # mkdir fails: the model stays in memory
    assert Engine.load(kb_dir, cache=cache).current.matcher.learned is not None


def test_a_corrupt_cache_file_is_rebuilt(kb_dir, tmp_path):
    data = tmp_path / "data" / "cache"
    Engine.load(kb_dir, cache=model_cache_in(data, create=True))
    (cached,) = data.glob("matcher-*.npz")
    cached.write_bytes(b"garbage")
    engine = Engine.load(kb_dir, cache=model_cache_in(data))
    assert engine.current.matcher.match("mon rsa est suspendu").entry_id == "rsa"


def test_the_old_model_answers_while_a_reload_trains_the_new_one(kb_dir, monkeypatch):
    engine = Engine.load(kb_dir, cache=ModelCache())
    started, release = threading.Event(), threading.Event()
    real_train = learned.train

    def slow_train(*args, **kwargs):
        started.set()
        assert release.wait(10)
        return real_train(*args, **kwargs)

    monkeypatch.setattr(learned, "train", slow_train)
    path = kb_dir / "droits" / "css.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("  - CSS\n", "  - CSS\n  - dentiste hors de prix\n"), encoding="utf-8"
    )
    old = engine.current
    worker = threading.Thread(target=engine.reload)
    worker.start()
    try:
        assert started.wait(10)
        assert engine.current is old  # still serving, and answering, while the new model trains
        assert engine.current.matcher.match("mon rsa est suspendu").entry_id == "rsa"
    finally:
        release.set()
        worker.join(10)
    assert engine.current is not old and engine.current.matcher.learned is not None


def test_a_base_too_large_for_any_model_keeps_the_lexical_matcher(engine):
    kb, normalizer = engine.current.kb, engine.current.matcher.normalizer
    tiny_limits = LearnedSettings(max_logreg_classes=1, max_centroid_classes=1)
    assert model_for(kb, normalizer, ModelCache(), tiny_limits) is None
    lighter = model_for(kb, normalizer, ModelCache(), LearnedSettings(max_logreg_classes=1))
    assert lighter is not None and lighter.kind == "centroid"
