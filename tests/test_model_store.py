"""The test session's caches of trained models: a new code version never reuses an old model."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
import pytest

from bot.understanding.model_cache import ModelCache
from tests.model_store import (
    UNDERSTANDING,
    code_version,
    keep_default_cache_on_disk,
    remove_stale,
    seed_models,
    session_model_cache,
)


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    """A copy of the training code, to change."""
    target = tmp_path / "understanding"
    shutil.copytree(UNDERSTANDING, target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


def test_the_same_code_has_the_same_version(sources: Path) -> None:
    assert code_version(sources) == code_version(sources) == code_version(UNDERSTANDING)


@pytest.mark.parametrize("name", ["learned.py", "danger.py", "normalize.py"])
def test_a_changed_training_module_gets_a_new_version(sources: Path, name: str) -> None:
    before = code_version(sources)
    with open(sources / name, "a", encoding="utf-8") as handle:
        handle.write("\n# a change\n")
    assert code_version(sources) != before


def test_a_new_module_gets_a_new_version(sources: Path) -> None:
    before = code_version(sources)
    (sources / "extra.py").write_text("X = 1\n", encoding="utf-8")
    assert code_version(sources) != before


def test_another_library_version_gets_a_new_version(sources: Path) -> None:
    assert code_version(sources, ["numpy"]) != code_version(sources, ["numpy", "scikit-learn"])


def test_only_other_stale_folders_are_removed(tmp_path: Path) -> None:
    keep, recent, stale = (tmp_path / name for name in ("keep", "recent", "stale"))
    for folder in (keep, recent, stale):
        folder.mkdir()
    now = 1_000_000.0
    os.utime(keep, (now - 10_000, now - 10_000))
    os.utime(recent, (now - 10, now - 10))
    os.utime(stale, (now - 10_000, now - 10_000))
    remove_stale(tmp_path, keep, now, stale_after_s=100)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep", "recent"]


def test_by_default_a_folder_unused_for_over_an_hour_is_removed_and_a_recent_one_kept(tmp_path: Path) -> None:
    keep, half_hour, two_hours = (tmp_path / name for name in ("keep", "half-hour", "two-hours"))
    now = 1_000_000.0
    for folder, age in ((keep, 10 * 3600), (half_hour, 1800), (two_hours, 7200)):
        folder.mkdir()
        os.utime(folder, (now - age, now - age))
    remove_stale(tmp_path, keep, now)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["half-hour", "keep"]  # this run's folder always stays


def test_the_cache_folder_is_named_by_the_code_version(tmp_path: Path) -> None:
    cache = session_model_cache(tmp_path)
    assert cache.directory == tmp_path / f"code-{code_version()}"
    assert cache.directory.is_dir()


def test_an_unwritable_place_leaves_the_models_in_memory(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    assert session_model_cache(blocker).directory is None


def test_seeded_models_are_read_back_and_a_retrained_one_leaves_the_source_alone(tmp_path: Path) -> None:
    models = tmp_path / "models"
    models.mkdir()
    (models / "matcher-abc.npz").write_bytes(b"trained once")
    (models / "notes.txt").write_text("not a model", encoding="utf-8")
    cache = seed_models(tmp_path / "data" / "cache", models)
    assert sorted(p.name for p in cache.iterdir()) == ["matcher-abc.npz"]
    assert (cache / "matcher-abc.npz").read_bytes() == b"trained once"
    seed_models(cache, models)  # seeding again is harmless
    # What ModelCache does when it trains anew: its own file, renamed over the seeded one.
    fresh = cache / ".matcher-abc.npz.tmp"
    fresh.write_bytes(b"trained again")
    os.replace(fresh, cache / "matcher-abc.npz")
    assert (models / "matcher-abc.npz").read_bytes() == b"trained once"


def _arrays(value: float) -> dict[str, np.ndarray]:
    return {"weights": np.array([value])}


@pytest.mark.parametrize("newest_only, kept", [(True, ["matcher-b.npz"]), (False, ["matcher-a.npz", "matcher-b.npz"])])
def test_a_bot_keeps_only_the_newest_model_of_a_name_and_a_shared_cache_keeps_them_all(
    tmp_path: Path, newest_only: bool, kept: list[str]
) -> None:
    cache = ModelCache(tmp_path, newest_only=newest_only)
    cache.get("matcher", "a", lambda: _arrays(1.0))
    cache.get("matcher", "b", lambda: _arrays(2.0))
    assert sorted(p.name for p in tmp_path.glob("*.npz")) == kept


def test_the_default_cache_backed_on_disk_is_read_back_by_the_next_session_without_training(tmp_path: Path) -> None:
    first = ModelCache()
    folder = keep_default_cache_on_disk(first, tmp_path)
    assert folder == tmp_path / f"code-{code_version()}" / "any-base"
    first.get("danger", "k1", lambda: _arrays(1.0))
    first.get("danger", "k2", lambda: _arrays(2.0))
    next_session = ModelCache()
    keep_default_cache_on_disk(next_session, tmp_path)

    def must_not_train() -> dict[str, np.ndarray]:
        raise AssertionError("trained again")

    assert next_session.get("danger", "k1", must_not_train)["weights"][0] == 1.0
    assert next_session.get("danger", "k2", must_not_train)["weights"][0] == 2.0


def test_the_default_cache_stays_in_memory_when_no_folder_can_be_made(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    cache = ModelCache()
    assert keep_default_cache_on_disk(cache, blocker) is None and cache.directory is None


def test_a_new_model_forgets_only_older_ones_of_its_own_name_not_of_a_longer_name(tmp_path: Path) -> None:
    cache = ModelCache(tmp_path)
    cache.get("danger-read", "k1", lambda: _arrays(1.0))
    cache.get("danger", "k2", lambda: _arrays(2.0))
    cache.get("danger", "k3", lambda: _arrays(3.0))
    assert sorted(p.name for p in tmp_path.glob("*.npz")) == ["danger-k3.npz", "danger-read-k1.npz"]
