"""Where the test session keeps the shipped base's learned models between pytest runs.

Training the shipped base's matcher and danger detector took most of the fast
tests' wall time, and every run (every landing, every engineer) trained the same
models again. The models are already cached by content (`ModelCache`: the file
name is a hash of the training texts and settings), but the code that trains
them is not in that key. So each version of the training code gets its own
folder, named by a hash of `bot/understanding/*.py` and of the numerical
libraries' versions: a change to the training code, or an upgraded scikit-learn,
never reuses a model trained by the old one.

The folder is in the system's temporary directory (never in `knowledge/`).
Two pytest runs racing on it are safe: `ModelCache` writes to a file of its own
and renames it into place, and a file it cannot read is trained again.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import shutil
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

from bot.understanding.model_cache import ModelCache

UNDERSTANDING = Path(__file__).resolve().parent.parent / "bot" / "understanding"
LIBRARIES = ("numpy", "scipy", "scikit-learn")
ROOT = Path(tempfile.gettempdir()) / "relais-droits-test-models"
# Other code versions' folders (~14 MB each, one per edit of bot/understanding/ by any engineer on this
# machine) are removed once nobody has used them for this long. An hour is far above one test session
# (a few minutes; each session touches its own folder when it starts, and each model written touches it
# again), so no running session loses its folder; at worst a worktree idle for an hour trains once more.
STALE_AFTER_S = 3600


def _library_versions(names: Iterable[str]) -> list[str]:
    versions = []
    for name in names:
        try:
            versions.append(f"{name}=={importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            versions.append(f"{name} absent")
    return versions


def code_version(sources: Path = UNDERSTANDING, libraries: Iterable[str] = LIBRARIES) -> str:
    """A hash of the training code's source files and of the libraries it trains with."""
    digest = hashlib.sha256()
    for path in sorted(sources.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    for version in _library_versions(libraries):
        digest.update(version.encode() + b"\0")
    return digest.hexdigest()[:16]


def remove_stale(root: Path, keep: Path, now: float, stale_after_s: float = STALE_AFTER_S) -> None:
    """Forget other code versions' folders nobody wrote to for a while: the temporary directory must not grow forever.

    A folder removed under a run still using it only costs that run a training.
    """
    try:
        folders = [folder for folder in root.iterdir() if folder.is_dir() and folder != keep]
    except OSError:
        return
    for folder in folders:
        try:
            if now - folder.stat().st_mtime > stale_after_s:
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            pass


def seed_models(cache_dir: Path, models: Path) -> Path:
    """Put the trained models of `models` into a bot's cache folder, so a bot started there reads them back.

    Hard links when possible (no copy of a dozen megabytes). Safe: a bot that
    trains anew writes a file of its own and renames it over the link, never
    into the shared file.
    """
    cache_dir.mkdir(parents=True, exist_ok=True)
    for model in sorted(models.glob("*.npz")):
        target = cache_dir / model.name
        try:
            os.link(model, target)
        except FileExistsError:
            pass
        except OSError:  # another file system, or no hard links: a copy does the same
            shutil.copyfile(model, target)
    return cache_dir


def _code_folder(root: Path) -> Path | None:
    """This code version's folder, created and marked in use (None if it cannot be created)."""
    folder = root / f"code-{code_version()}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        os.utime(folder)  # in use: not stale for the other runs
    except OSError:
        return None
    remove_stale(root, folder, time.time())
    return folder


def session_model_cache(root: Path = ROOT) -> ModelCache:
    """The models cache of this code version, kept between test sessions (memory only if it cannot be created)."""
    folder = _code_folder(root)
    return ModelCache(folder) if folder is not None else ModelCache()


def keep_default_cache_on_disk(cache: ModelCache, root: Path = ROOT) -> Path | None:
    """Back the process-wide `DEFAULT_CACHE` with this code version's folder of models of any base.

    Tests build engines on the fixture base and on a hundred edited copies of
    it through the default cache; each trains a matcher and a danger detector
    (a second or two), in every session, for every engineer. Keyed by content
    and by code version, a model read back is the model that would be trained.
    Every model is kept (a ~1 MB file per small base, the folder is dropped
    when stale), not only the newest as in a bot's data directory: that would
    have the bases push each other out. A test that must see training brings
    a `ModelCache()` of its own.
    """
    folder = _code_folder(root)
    if folder is None:
        return None
    cache.directory = folder / "any-base"
    cache.newest_only = False
    return cache.directory
