"""Small learned models, trained once per content and reused.

Models learned from the knowledge base (the danger detector, the learned
matcher) are retrained whenever a mediator changes a file, but most reloads
and every restart see the same content again. So a model is a dict of numpy
arrays, keyed by a hash of everything it was trained from:

- in the process, the last few models are kept in memory (tests and reloads
  build the same base many times);
- on disk, in the bot's data directory (never in `knowledge/`), as `.npz`
  files read with `allow_pickle=False`: a cache file can never run code, and a
  corrupt or foreign one is simply rebuilt.

A model missing from the disk may first be built by another process
(`elsewhere`, set by the engine for large bases: `bot.knowledge.apart`), then
read back as a warm start reads it; the training's heap then dies with that
process instead of staying resident in the bot's.

A model that cannot be written (read-only disk) still works from memory.
The bot keeps only the newest model of each name on disk; a cache shared by
many bases (the test session's) may keep them all (`newest_only=False`).
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import zipfile
from collections import OrderedDict
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

Arrays = dict[str, np.ndarray]
MEMORY_SLOTS = 8


def content_key(parts: Iterable[str]) -> str:
    """A stable hash of the texts a model is trained from (and of its settings)."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8")
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()[:32]


class ModelCache:
    """Memory first, then disk, then `build`; what is built is kept in both."""

    def __init__(self, directory: Path | None = None, *, newest_only: bool = True) -> None:
        self.directory = Path(directory) if directory is not None else None
        self.newest_only = newest_only
        # Asked on a disk miss to build the model `name` into `directory` in another process; True if it ran.
        self.elsewhere: Callable[[str], bool] | None = None
        self._memory: OrderedDict[tuple[str, str], Arrays] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, name: str, key: str, build: Callable[[], Arrays]) -> Arrays:
        """The model `name` trained on content `key`: cached, or built now."""
        slot = (name, key)
        with self._lock:
            if slot in self._memory:
                self._memory.move_to_end(slot)
                return self._memory[slot]
        arrays = self._read(name, key)
        if arrays is None and self.directory is not None and self.elsewhere is not None and self.elsewhere(name):
            arrays = self._read(name, key)  # None if the other process read other content: built here then
        if arrays is None:
            arrays = build()
            self._write(name, key, arrays)
        with self._lock:
            self._memory[slot] = arrays
            while len(self._memory) > MEMORY_SLOTS:
                self._memory.popitem(last=False)
        return arrays

    def _path(self, name: str, key: str) -> Path | None:
        return self.directory / f"{name}-{key}.npz" if self.directory is not None else None

    def _read(self, name: str, key: str) -> Arrays | None:
        path = self._path(name, key)
        if path is None or not path.is_file():
            return None
        try:
            with np.load(path, allow_pickle=False) as data:
                return {k: data[k] for k in data.files}
        except (
            OSError,
            ValueError,
            KeyError,
            EOFError,
            zipfile.BadZipFile,
        ) as exc:  # truncated, foreign or corrupt: rebuild it
            log.warning("cache de modèle illisible %s (%s) : il est recalculé", path, exc)
            return None

    def _write(self, name: str, key: str, arrays: Arrays) -> None:
        path = self._path(name, key)
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            with open(temporary, "wb") as handle:
                np.savez(handle, **arrays)  # type: ignore[arg-type]  # numpy stubs mistake names for allow_pickle
            os.replace(temporary, path)
            if self.newest_only:
                self._forget_older(name, keep=path)
        except OSError as exc:
            log.warning("cache de modèle non écrit dans %s (%s) : le modèle reste en mémoire", path.parent, exc)

    def _forget_older(self, name: str, keep: Path) -> None:
        """Only the newest model of each name stays on disk: the data directory must not grow forever."""
        assert self.directory is not None
        for old in self.directory.glob(f"{name}-*.npz"):
            # "danger-*" also matches "danger-read-<key>": only this name's own files (keys hold no "-").
            if old != keep and old.stem.rsplit("-", 1)[0] == name:
                try:
                    old.unlink()
                except OSError:
                    pass


# One cache per process for callers that do not bring their own (tests, benchmarks).
DEFAULT_CACHE = ModelCache()
