"""pytest's temporary folders on a RAM file system, when the machine has one with room to spare.

Every test store is a SQLite database, and SQLite syncs each commit to the disk:
on the team's machine, opening a store took about 55 ms on disk and 6 ms in
memory, a third of the fast tests' wall time. Nothing the tests check depends on
the disk itself (a full or read-only disk is simulated). pytest reads its
temporary root from PYTEST_DEBUG_TEMPROOT (documented in pytest's reference) when
it first makes a tmp_path; an explicit PYTEST_DEBUG_TEMPROOT or --basetemp wins.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import MutableMapping
from pathlib import Path

VARIABLE = "PYTEST_DEBUG_TEMPROOT"
MEMORY = Path("/dev/shm")
MIN_FREE_BYTES = 1 << 30  # a full run writes under 100 MB; never take the last of a small RAM disk


def use_memory_for_temporary_files(
    environ: MutableMapping[str, str], root: Path = MEMORY, min_free: int = MIN_FREE_BYTES
) -> bool:
    """Point pytest's temporary root at `root` if it is a writable folder with room; whether it did."""
    if VARIABLE in environ:
        return False
    try:
        usable = root.is_dir() and os.access(root, os.W_OK) and shutil.disk_usage(root).free >= min_free
    except OSError:
        return False
    if usable:
        environ[VARIABLE] = str(root)
    return usable
