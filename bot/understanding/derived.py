"""What start-up derives from the knowledge base's texts, kept in the model cache by content and code.

Reading the base's 7,000 phrasings the way questions are read (fold, lexicon,
stemmer), indexing them, and sorting the ordinary ones from the dangers took
most of a warm start once the trained models came from the cache. All of it is
a pure function of the base's content and of the code that reads it, so it is
cached like the models (`ModelCache`: memory, then the data directory) under a
key made of both:

* `content_digest`: a canonical digest of the whole knowledge base (every
  field, sets sorted, file paths left out: a copy elsewhere is the same content).
  Everything, not just what today's code reads, so a reader that starts using
  another field can never be served a stale result;
* `code_version`: a hash of the modules that read the texts (bot/understanding,
  the knowledge model) and of the stemmer's version. A new version of the bot
  never reuses what an older one derived.

Strings are stored as one UTF-8 byte array (NUL-separated), never pickled.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import importlib.metadata
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path

import numpy as np

from bot.understanding.model_cache import Arrays, ModelCache, content_key

UNDERSTANDING = Path(__file__).resolve().parent
READERS = (*sorted(UNDERSTANDING.glob("*.py")), UNDERSTANDING.parent / "knowledge" / "model.py")
LIBRARIES = ("snowballstemmer", "PyStemmer", "numpy")
SEPARATOR = "\0"


@lru_cache(maxsize=1)
def code_version() -> str | None:
    """A hash of the code that derives data from the texts; None when its sources cannot be read (no caching)."""
    digest = hashlib.sha256()
    try:
        for path in READERS:
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    except OSError:
        return None
    for name in LIBRARIES:
        try:
            digest.update(f"{name}=={importlib.metadata.version(name)}\0".encode())
        except importlib.metadata.PackageNotFoundError:
            digest.update(f"{name} absent\0".encode())
    return digest.hexdigest()[:32]


def _canonical(value: object, out: list[str]) -> None:
    """Append a deterministic text form of `value` (dataclasses field by field, sets sorted, paths left out)."""
    if value is None or isinstance(value, bool | int | float | str | dt.date):
        out.append(f"{type(value).__name__}:{value!r}")
    elif isinstance(value, Path):
        out.append("path")
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        out.append(f"<{type(value).__name__}")
        for item in dataclasses.fields(value):
            out.append(item.name)
            _canonical(getattr(value, item.name), out)
        out.append(">")
    elif isinstance(value, dict):
        out.append("{")
        for key, item in value.items():
            _canonical(key, out)
            _canonical(item, out)
        out.append("}")
    elif isinstance(value, list | tuple):
        out.append("[")
        for item in value:
            _canonical(item, out)
        out.append("]")
    elif isinstance(value, set | frozenset):
        parts = []
        for item in value:
            part: list[str] = []
            _canonical(item, part)
            parts.append("\x1f".join(part))
        out.append("(" + "\x1e".join(sorted(parts)) + ")")
    else:  # an unknown type: its repr may differ between processes, which only costs a miss
        out.append(f"{type(value).__name__}?{value!r}")


# The digests already taken during the current build (`one_digest_per_build`), by object id, with the object.
_build_digests: ContextVar[dict[int, tuple[object, str]] | None] = ContextVar("build_digests", default=None)


@contextmanager
def one_digest_per_build() -> Iterator[None]:
    """Within this block, a base's digest is taken once: the index and the danger detector both key on it.

    Walking the whole base costs about 0.1 s and one build asks for it twice (cold and warm
    start alike). The base is not changed while its snapshot is built; outside such a block
    (tests editing a base between two builds), every call walks it again.
    """
    token = _build_digests.set({})
    try:
        yield
    finally:
        _build_digests.reset(token)


def content_digest(value: object) -> str:
    """A digest of everything in `value` (a knowledge base), the same in every process for the same content."""
    taken = _build_digests.get()
    known = taken.get(id(value)) if taken is not None else None
    if known is not None and known[0] is value:
        return known[1]
    parts: list[str] = []
    _canonical(value, parts)
    digest = content_key(parts)
    if taken is not None:
        taken[id(value)] = (value, digest)  # the object is kept with its id, so the id cannot be reused meanwhile
    return digest


def pack_strings(strings: Sequence[str]) -> np.ndarray:
    """Strings as one byte array; ValueError if one holds the separator."""
    if any(SEPARATOR in text for text in strings):
        raise ValueError("a text holds the separator")
    return np.frombuffer(SEPARATOR.join(strings).encode("utf-8"), dtype=np.uint8).copy()


def unpack_strings(packed: np.ndarray, count: int) -> list[str]:
    if count == 0:
        return []
    return packed.tobytes().decode("utf-8").split(SEPARATOR)


def cached_lists(
    cache: ModelCache | None, name: str, parts: Iterable[str], derive: Callable[[], Sequence[Sequence[str]]]
) -> list[list[str]]:
    """`derive()` (some lists of strings), or what it returned for the same `parts` and code before."""
    version = code_version()
    if cache is None or version is None:
        return [list(strings) for strings in derive()]
    fresh: list[list[str]] = []

    def build() -> Arrays:
        fresh.extend(list(strings) for strings in derive())
        try:
            arrays = {f"list{i}": pack_strings(strings) for i, strings in enumerate(fresh)}
        except ValueError:
            return {}  # not storable: derived again next time
        arrays["counts"] = np.array([len(strings) for strings in fresh], dtype=np.int64)
        return arrays

    arrays = cache.get(name, content_key([version, *parts]), build)
    if fresh:
        return fresh
    if "counts" not in arrays:
        return [list(strings) for strings in derive()]
    return [unpack_strings(arrays[f"list{i}"], int(count)) for i, count in enumerate(arrays["counts"])]
