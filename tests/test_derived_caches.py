"""What start-up derives from the texts (lexical index, danger training set) read back from the cache.

The cache only saves time: an index or a detector read back must be exactly
the one a fresh build gives, and answer every message the same way.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from bot.knowledge import load_knowledge
from bot.knowledge.model import KnowledgeBase
from bot.understanding import danger as danger_module
from bot.understanding import derived, lexical_cache
from bot.understanding.danger import detector_for
from bot.understanding.lexical_cache import NotStorable, build_or_read_index, decode, encode
from bot.understanding.matcher import Matcher
from bot.understanding.model_cache import ModelCache
from tests.conftest import FIXTURE_KB

# Made-up messages in residents' styles, danger included: the readings must not depend on the cache.
MESSAGES = [
    "mon rsa est suspendu",
    "jai plus de mutuelle et je suis malade",
    "bonjour je voudrais savoir pour la css a bellevue",
    "recette des crepes",
    "mon mari me frappe tous les soirs",
    "je veux en finir",
    "merci beaucoup au revoir",
    "aide pr payer le loyer svp",
    "jhabite a keredern",
    "caf",
    "euh",
    "ma fille a 16 ans et elle dort dehors depuis hier",
]

# Attributes that are not part of the index: the reading tools and their word caches.
NOT_INDEX = {"settings", "kb", "normalizer", "gazetteer", "_stemmer", "_resolve", "learned", "_learned_order"}


def same(a: Any, b: Any) -> bool:
    """Equal values of equal types; dicts in the same order (the order of surfaces decides fuzzy ties)."""
    if isinstance(a, np.ndarray):
        return isinstance(b, np.ndarray) and a.dtype == b.dtype and a.shape == b.shape and np.array_equal(a, b)
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return bool(a == b)


def index_of(matcher: Matcher) -> dict[str, Any]:
    return {name: value for name, value in vars(matcher).items() if name not in NOT_INDEX}


@pytest.fixture(scope="module")
def fixture_kb() -> KnowledgeBase:
    return load_knowledge(FIXTURE_KB).kb


def _fresh_and_read_back(kb: KnowledgeBase, folder: Path, keep: bool) -> tuple[Matcher, Matcher]:
    fresh = Matcher(kb, keep_read_texts=keep)  # no cache: built as before caching existed
    Matcher(kb, keep_read_texts=keep, cache=ModelCache(folder))  # built and stored
    return fresh, Matcher(kb, keep_read_texts=keep, cache=ModelCache(folder))  # a new process: read from disk


@pytest.mark.parametrize("keep", [True, False])
def test_an_index_read_back_is_the_index_a_fresh_build_gives(fixture_kb, tmp_path, monkeypatch, keep):
    fresh, _ = _fresh_and_read_back(fixture_kb, tmp_path, keep)
    monkeypatch.setattr(Matcher, "_build_index", lambda self: pytest.fail("built again instead of read back"))
    read_back = Matcher(fixture_kb, keep_read_texts=keep, cache=ModelCache(tmp_path))
    assert index_of(fresh).keys() == index_of(read_back).keys()
    for name, value in index_of(fresh).items():
        assert same(value, getattr(read_back, name)), name
    assert read_back.take_read_texts() == fresh.take_read_texts()


def test_the_shipped_index_read_back_answers_every_message_as_a_fresh_one(shipped_base, tmp_path):
    fresh, read_back = _fresh_and_read_back(shipped_base.kb, tmp_path, keep=False)
    for name, value in index_of(fresh).items():
        assert same(value, getattr(read_back, name)), name
    for message in MESSAGES:
        assert read_back.match(message) == fresh.match(message), message


def test_a_changed_phrasing_is_indexed_anew_not_read_from_the_old_index(fixture_kb, tmp_path):
    cache = ModelCache(tmp_path, newest_only=False)
    Matcher(fixture_kb, cache=cache)
    entry = fixture_kb.entries["rsa"]
    changed = dataclasses.replace(
        fixture_kb,
        entries={**fixture_kb.entries, "rsa": dataclasses.replace(entry, phrasings=(*entry.phrasings, "zorglub"))},
    )
    assert "zorglub" in Matcher(changed, cache=cache)._surface_to_stem
    assert "zorglub" not in Matcher(fixture_kb, cache=cache)._surface_to_stem


def test_the_same_content_elsewhere_has_the_same_digest_and_any_field_changes_it(fixture_kb, tmp_path):
    assert derived.content_digest(fixture_kb) == derived.content_digest(
        dataclasses.replace(fixture_kb, directory=tmp_path)
    )
    assert derived.content_digest(fixture_kb) != derived.content_digest(
        dataclasses.replace(fixture_kb, lexicon={**fixture_kb.lexicon, "zorglub": "rsa"})
    )
    assert derived.content_digest(fixture_kb) != derived.content_digest(
        dataclasses.replace(fixture_kb, generic_words=fixture_kb.generic_words | {"zorglub"})
    )


def test_within_one_build_a_base_is_walked_once_and_its_digest_unchanged(fixture_kb, monkeypatch):
    expected = derived.content_digest(fixture_kb)
    walks: list[object] = []
    walk = derived._canonical
    monkeypatch.setattr(derived, "_canonical", lambda value, out: (walks.append(value), walk(value, out)))
    with derived.one_digest_per_build():
        assert derived.content_digest(fixture_kb) == expected
        assert derived.content_digest(fixture_kb) == expected
        other = dataclasses.replace(fixture_kb, lexicon={**fixture_kb.lexicon, "zorglub": "rsa"})
        assert derived.content_digest(other) != expected  # another object: walked on its own
    assert walks.count(fixture_kb) == 1 and walks.count(other) == 1


def test_outside_a_build_an_edited_base_gets_a_new_digest(fixture_kb):
    base = dataclasses.replace(fixture_kb, lexicon=dict(fixture_kb.lexicon))
    before = derived.content_digest(base)
    base.lexicon["zorglub"] = "rsa"  # edited in place, as a test may do between two builds
    assert derived.content_digest(base) != before


def test_a_set_digests_the_same_whatever_its_order():
    assert derived.content_digest(frozenset(["b", "a", "c"])) == derived.content_digest(frozenset(["c", "b", "a"]))
    assert derived.content_digest(["a", "b"]) != derived.content_digest(["b", "a"])


@pytest.mark.parametrize(
    "value",
    [
        np.arange(5, dtype=np.int32),
        np.array([0.5, 0.25], dtype=np.float32),
        None,
        7,
        2.5,
        True,
        "mot",
        ["a", "", "é"],
        ("a", "b"),
        [],
        {"b", "a"},
        frozenset({"x"}),
        frozenset({3, 1}),
        {"b": "x", "a": "y"},
        {"b": 2, "a": 1},
        {"b": 0.1, "a": 1e-300},
        {3: frozenset({"rsa", "css"}), 1: frozenset()},
        {"rsa": frozenset({4, 2})},
        {},
        (["a", "b"], ["c", "d"]),
    ],
)
def test_every_kind_of_value_of_an_index_comes_back_equal(value):
    assert same(decode(encode({"x": value}))["x"], value)


def test_a_value_that_would_need_pickling_is_refused():
    with pytest.raises(NotStorable):
        encode({"x": object()})


class _Holder:
    """Something with an index-like build, to drive `build_or_read_index` alone."""

    def __init__(self, kb: KnowledgeBase, value: object) -> None:
        self.kb, self.settings, self.value, self.builds = kb, "settings", value, 0

    def build(self) -> None:
        self.builds += 1
        self.thing = self.value


def test_an_index_that_cannot_be_stored_is_built_every_time(fixture_kb, tmp_path):
    cache = ModelCache(tmp_path)
    for expected_builds in (1, 1):
        holder = _Holder(fixture_kb, object())
        assert not build_or_read_index(holder, cache, holder.build)
        assert holder.builds == expected_builds


def test_without_a_code_version_nothing_is_cached(fixture_kb, tmp_path, monkeypatch):
    monkeypatch.setattr(lexical_cache, "code_version", lambda: None)
    cache = ModelCache(tmp_path)
    for _ in range(2):
        holder = _Holder(fixture_kb, ["a"])
        assert not build_or_read_index(holder, cache, holder.build)
    assert list(tmp_path.iterdir()) == []


def test_a_stored_index_is_set_back_without_building(fixture_kb, tmp_path):
    first = _Holder(fixture_kb, {"a": 1})
    build_or_read_index(first, ModelCache(tmp_path), first.build)
    second = _Holder(fixture_kb, {"a": 1})
    assert build_or_read_index(second, ModelCache(tmp_path), second.build)
    assert second.builds == 0 and second.thing == {"a": 1}


def test_a_detector_read_back_learns_and_reads_every_message_as_a_fresh_one(shipped_engine, monkeypatch):
    kb, normalizer = shipped_engine.current.kb, shipped_engine.current.matcher.normalizer
    folder = shipped_engine.cache.directory  # the session's shipped models: nothing is trained here
    detector_for(kb, normalizer, shipped_engine.cache)  # the derived lists stored, if they were not yet
    read_back = detector_for(kb, normalizer, ModelCache(folder) if folder is not None else shipped_engine.cache)
    monkeypatch.setattr(danger_module, "cached_lists", lambda cache, name, parts, derive: [*map(list, derive())])
    fresh = detector_for(kb, normalizer, shipped_engine.cache)
    assert fresh.training == fresh._training_set()  # what detector_for read is what the detector reads itself
    assert read_back.negatives == fresh.negatives
    assert read_back.training == fresh.training
    for message in MESSAGES:
        assert read_back.detect(message) == fresh.detect(message), message


def test_a_second_start_reads_models_index_and_training_set_back_and_derives_nothing(kb_dir, tmp_path, monkeypatch):
    from bot.knowledge.engine import Engine, model_cache_in
    from bot.understanding import learned

    data = tmp_path / "data" / "cache"
    first = Engine.load(kb_dir, cache=model_cache_in(data, create=True))
    for module, name in ((learned, "train"), (danger_module, "train"), (danger_module, "training_set")):
        monkeypatch.setattr(module, name, lambda *a, **k: pytest.fail("derived again instead of read back"))
    monkeypatch.setattr(Matcher, "_build_index", lambda self: pytest.fail("indexed again instead of read back"))
    second = Engine.load(kb_dir, cache=model_cache_in(data))  # a new process: an empty memory, the same folder
    for message in MESSAGES:
        assert second.current.matcher.match(message) == first.current.matcher.match(message), message
        assert second.current.danger.detect(message) == first.current.danger.detect(message), message
