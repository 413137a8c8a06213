"""Equal feature columns merged for the matcher's training: grouped exactly, and the same model comes out."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse

from bot.understanding import learned, merged_columns
from bot.understanding.merged_columns import merge_equal_columns


@pytest.fixture(scope="module")
def problem() -> tuple[sparse.csr_matrix, np.ndarray]:
    """Texts x 30 features, 3 classes; columns 30-39 copy 0-9 and 40-44 copy 0-4 (three copies of 0-4)."""
    rng = np.random.default_rng(11)
    dense = rng.random((200, 30)) * (rng.random((200, 30)) < 0.25)
    target = np.where(dense[:, :5].sum(axis=1) > 0.5, 0, np.where(dense[:, 5:12].sum(axis=1) > 0.6, 1, 2))
    with_copies = np.hstack([dense, dense[:, :10], dense[:, :5]]).astype(np.float32)
    return sparse.csr_matrix(with_copies), target


def _without_merging(matrix: sparse.csr_matrix) -> merged_columns.Merged:
    matrix = matrix.astype(np.float32).tocsr()
    size = matrix.shape[1]
    return merged_columns.Merged(matrix, matrix.T.tocsr(), np.arange(size), np.ones(size, dtype=np.float32))


def test_equal_columns_share_a_group_and_distinct_ones_do_not(problem):
    matrix, _ = problem
    merged = merge_equal_columns(matrix)
    assert merged.matrix.shape == (200, 30)
    assert merged.group[30:40].tolist() == merged.group[:10].tolist()
    assert merged.group[40:45].tolist() == merged.group[:5].tolist()
    assert len(set(merged.group[:30].tolist())) == 30
    assert merged.scale[merged.group[:5]].tolist() == pytest.approx([3**0.5] * 5)
    assert merged.scale[merged.group[5:10]].tolist() == pytest.approx([2**0.5] * 5)


def test_a_column_equal_in_rows_but_not_in_values_is_kept_apart():
    dense = np.array([[1.0, 1.0, 2.0], [0.5, 0.5, 0.5], [0.0, 0.0, 0.0]], dtype=np.float32)
    merged = merge_equal_columns(sparse.csr_matrix(dense))
    assert merged.group.tolist() == [0, 0, 1]


def test_a_hash_collision_merges_nothing(monkeypatch, problem):
    """Columns whose hashes meet but whose values differ are never merged: the merging is given up."""
    matrix, _ = problem
    monkeypatch.setattr(merged_columns, "_mix", lambda values: np.zeros_like(values))  # every column collides
    merged = merge_equal_columns(matrix)
    assert merged.group.tolist() == list(range(45))


def test_the_merged_training_gives_the_weights_of_the_full_problem(monkeypatch, problem):
    matrix, target = problem
    settings = learned.LearnedSettings(tolerance=1e-5, max_iterations=500)
    weights, bias, _ = learned._fit_logreg(matrix, target, 3, settings)
    monkeypatch.setattr(learned, "merge_equal_columns", _without_merging)
    full_weights, full_bias, _ = learned._fit_logreg(matrix, target, 3, settings)
    assert weights.shape == (45, 3) and weights.dtype == np.float32
    assert np.allclose(weights, full_weights, atol=1e-3)
    assert np.allclose(bias, full_bias, atol=1e-3)
    assert np.allclose(weights[30:40], weights[:10])  # copies weigh the same: the penalty splits evenly


def test_an_empty_column_is_merged_like_any_other():
    dense = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 2.0]], dtype=np.float32)
    merged = merge_equal_columns(sparse.csr_matrix(dense))
    assert merged.matrix.shape == (2, 3)
    assert merged.expand(np.ones((3, 2), dtype=np.float32)).shape == (3, 2)
