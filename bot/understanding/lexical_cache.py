"""The matcher's lexical index, kept in the model cache instead of being rebuilt at every start.

Building the index reads every phrasing, title and keyword through the
normaliser and the stemmer: half a second of each warm start on the shipped
base, for the same result every time the content and the code are the same.
So the index is stored like a trained model, under the key of `derived.py`
(the base's content, the matcher's settings, the code's version).

Whatever `_build_index` sets is stored, found by comparing the matcher's
attributes before and after the build: an attribute added to the index later
is cached too, with no list to keep in step. Only plain values are stored
(numpy arrays, numbers, strings, and lists, sets and dicts of them), never
pickled; an index holding anything else is simply not cached.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from bot.understanding.derived import code_version, content_digest, pack_strings, unpack_strings
from bot.understanding.model_cache import Arrays, ModelCache, content_key

CACHE_NAME = "lexical"
FORMAT = "1"  # bump when the encoding below changes


class NotStorable(TypeError):
    """A value of the index that the cache cannot hold without pickling."""


def _all(values: Sequence[object], kind: type | tuple[type, ...]) -> bool:
    return all(isinstance(value, kind) and not isinstance(value, bool) for value in values)


def _ints(values: Sequence[object]) -> np.ndarray:
    return np.array(values, dtype=np.int64)


def _encode(name: str, value: Any, out: Arrays) -> None:
    """Store `value` under `name.*` keys with a tag saying how to read it back."""

    def put(tag: str, **parts: np.ndarray) -> None:
        out[f"{name}.tag"] = np.array(tag)
        for part, array in parts.items():
            out[f"{name}.{part}"] = array

    if isinstance(value, np.ndarray):
        put("ndarray", value=value)
    elif value is None:
        put("none")
    elif isinstance(value, bool | int | float | str):
        put(type(value).__name__, value=np.array(value))
    elif isinstance(value, list | tuple) and _all(value, str):
        put(f"{type(value).__name__}-str", value=pack_strings(value), count=np.array(len(value)))
    elif isinstance(value, tuple) and _all(value, list) and all(_all(item, str) for item in value):
        parts = {f"item{i}": pack_strings(item) for i, item in enumerate(value)}
        put("tuple-lists-str", counts=_ints([len(item) for item in value]), **parts)
    elif isinstance(value, set | frozenset) and _all(list(value), str):
        ordered = sorted(value)
        put(f"{type(value).__name__}-str", value=pack_strings(ordered), count=np.array(len(ordered)))
    elif isinstance(value, set | frozenset) and _all(list(value), int):
        put(f"{type(value).__name__}-int", value=_ints(sorted(value)))
    elif isinstance(value, dict):
        _encode_dict(value, put)
    else:
        raise NotStorable(f"{name}: {type(value).__name__}")


def _encode_dict(value: dict[Any, Any], put: Callable[..., None]) -> None:
    keys, items = list(value), list(value.values())
    if _all(keys, str):
        key_parts = {"keys": pack_strings(keys), "count": np.array(len(keys))}
    elif _all(keys, int):
        key_parts = {"keys": _ints(keys), "count": np.array(len(keys))}
    else:
        raise NotStorable("dict keys")
    key_kind = "str" if _all(keys, str) else "int"
    if not items:
        put(f"dict-{key_kind}-empty", **key_parts)
    elif _all(items, str):
        put(f"dict-{key_kind}-str", values=pack_strings(items), **key_parts)
    elif _all(items, int):
        put(f"dict-{key_kind}-int", values=_ints(items), **key_parts)
    elif _all(items, float):
        put(f"dict-{key_kind}-float", values=np.array(items, dtype=np.float64), **key_parts)
    elif _all(items, frozenset) and all(_all(list(item), str) for item in items):
        flat = [text for item in items for text in sorted(item)]
        put(f"dict-{key_kind}-fs-str", values=pack_strings(flat), lengths=_ints([len(i) for i in items]), **key_parts)
    elif _all(items, frozenset) and all(_all(list(item), int) for item in items):
        flat_ints = [number for item in items for number in sorted(item)]
        put(f"dict-{key_kind}-fs-int", values=_ints(flat_ints), lengths=_ints([len(i) for i in items]), **key_parts)
    else:
        raise NotStorable("dict values")


def _split(flat: list[Any], lengths: np.ndarray) -> list[frozenset[Any]]:
    groups, start = [], 0
    for length in lengths.tolist():
        groups.append(frozenset(flat[start : start + length]))
        start += length
    return groups


def _decode(name: str, arrays: Arrays) -> Any:
    tag = str(arrays[f"{name}.tag"])

    def part(key: str) -> np.ndarray:
        return arrays[f"{name}.{key}"]

    if tag == "ndarray":
        return part("value")
    if tag == "none":
        return None
    if tag in ("bool", "int", "float", "str"):
        return part("value").item()
    if tag.endswith("-str") and not tag.startswith(("dict", "tuple-lists")):
        strings = unpack_strings(part("value"), int(part("count")))
        return {"list": list, "tuple": tuple, "set": set, "frozenset": frozenset}[tag.split("-")[0]](strings)
    if tag in ("set-int", "frozenset-int"):
        return (set if tag == "set-int" else frozenset)(part("value").tolist())
    if tag == "tuple-lists-str":
        counts = part("counts").tolist()
        return tuple(unpack_strings(part(f"item{i}"), count) for i, count in enumerate(counts))
    return _decode_dict(tag, part)


def _decode_dict(tag: str, part: Callable[[str], np.ndarray]) -> dict[Any, Any]:
    _, key_kind, *value_kind = tag.split("-")
    count = int(part("count"))
    keys: list[Any] = unpack_strings(part("keys"), count) if key_kind == "str" else part("keys").tolist()
    kind = "-".join(value_kind)
    if kind == "empty":
        return {}
    if kind == "str":
        return dict(zip(keys, unpack_strings(part("values"), count), strict=True))
    if kind in ("int", "float"):
        return dict(zip(keys, part("values").tolist(), strict=True))
    lengths = part("lengths")
    flat = unpack_strings(part("values"), int(lengths.sum())) if kind == "fs-str" else part("values").tolist()
    return dict(zip(keys, _split(flat, lengths), strict=True))


def encode(values: dict[str, Any]) -> Arrays:
    """The attributes as arrays; NotStorable if one cannot be stored without pickling."""
    out: Arrays = {"names": np.array(sorted(values))} if values else {}
    for name in sorted(values):
        _encode(name, values[name], out)
    return out


def decode(arrays: Arrays) -> dict[str, Any]:
    return {str(name): _decode(str(name), arrays) for name in arrays["names"].tolist()}


def index_key(matcher: Any, also: Sequence[str]) -> str | None:
    """What the index depends on: the code, the settings, the base's content, and which extras it keeps."""
    version = code_version()
    if version is None:
        return None
    return content_key([FORMAT, version, repr(matcher.settings), repr(sorted(also)), content_digest(matcher.kb)])


def build_or_read_index(
    matcher: Any, cache: ModelCache | None, build: Callable[[], None], also: Sequence[str] = ()
) -> bool:
    """Run `build` (the matcher's `_build_index`) or set what it would set from the cache; whether it was read.

    `also`: attributes that exist before the build and that it fills in place
    (the texts kept for the learned model); stored with the rest when not None.
    """
    key = index_key(matcher, [name for name in also if getattr(matcher, name, None) is not None])
    if cache is None or key is None:
        build()
        return False
    before = set(vars(matcher))
    built: list[bool] = []

    def derive() -> Arrays:
        build()
        built.append(True)
        names = (set(vars(matcher)) - before) | {name for name in also if getattr(matcher, name, None) is not None}
        try:
            return encode({name: getattr(matcher, name) for name in names})
        except (NotStorable, ValueError):  # ValueError: a text holding the strings' separator
            return {}

    arrays = cache.get(CACHE_NAME, key, derive)
    if built:
        return False
    if "names" not in arrays:  # an index that could not be stored: built every time
        build()
        return False
    try:
        values = decode(arrays)
    except (KeyError, ValueError, TypeError, UnicodeDecodeError):  # a foreign or damaged file: build it
        build()
        return False
    for name, value in values.items():
        setattr(matcher, name, value)
    return True
