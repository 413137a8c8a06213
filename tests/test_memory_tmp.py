"""pytest's temporary folders go to memory only when that is safe, and never against an explicit choice."""

from __future__ import annotations

from pathlib import Path

from tests.memory_tmp import VARIABLE, use_memory_for_temporary_files


def test_a_roomy_writable_folder_becomes_the_temporary_root(tmp_path: Path) -> None:
    environ: dict[str, str] = {}
    assert use_memory_for_temporary_files(environ, tmp_path, min_free=1)
    assert environ == {VARIABLE: str(tmp_path)}


def test_an_explicit_choice_is_kept(tmp_path: Path) -> None:
    environ = {VARIABLE: "/somewhere/chosen"}
    assert not use_memory_for_temporary_files(environ, tmp_path, min_free=1)
    assert environ == {VARIABLE: "/somewhere/chosen"}


def test_a_missing_folder_or_one_without_room_is_not_used(tmp_path: Path) -> None:
    for root, min_free in ((tmp_path / "absent", 1), (tmp_path, 1 << 60)):
        environ: dict[str, str] = {}
        assert not use_memory_for_temporary_files(environ, root, min_free)
        assert environ == {}
