"""Reloading: a broken edit never replaces the last good knowledge base."""

import gc

import pytest

from bot.knowledge import KnowledgeError
from bot.knowledge.engine import Engine, collector_paused


def test_reload_swaps_in_a_valid_edit(engine, kb_dir):
    path = kb_dir / "droits" / "css.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("  - CSS\n", "  - CSS\n  - complementaire piscine\n"), encoding="utf-8"
    )
    assert engine.changed_on_disk()
    result = engine.reload()
    assert result.ok
    assert engine.current.matcher.match("complementaire piscine").entry_id == "css"
    assert not engine.changed_on_disk()


def test_broken_edit_keeps_the_last_good_base_and_says_where(engine, kb_dir):
    before = engine.current
    path = kb_dir / "droits" / "css.yaml"
    path.write_text("id: css\ntitre: [oops\n", encoding="utf-8")
    result = engine.reload()
    assert not result.ok
    assert engine.current is before
    assert any(str(path) in str(p) for p in result.problems)
    assert engine.current.matcher.match("mutuelle gratuite").entry_id == "css"


def test_first_load_of_an_empty_directory_fails_clearly(tmp_path):
    with pytest.raises(KnowledgeError) as info:
        Engine.load(tmp_path)
    assert "aucune fiche" in str(info.value)


@pytest.mark.parametrize("fails", [False, True])
def test_the_garbage_collector_comes_back_after_a_build_even_a_failed_one(fails):
    assert gc.isenabled()
    try:
        with collector_paused():
            assert not gc.isenabled()
            if fails:
                raise RuntimeError("base illisible")
    except RuntimeError:
        pass
    assert gc.isenabled()


def test_a_reload_keeps_serving_with_the_collector_back_on(engine, kb_dir):
    engine.reload()
    assert gc.isenabled()
    assert engine.current.matcher is not None


def test_a_collector_already_off_is_left_off():
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
