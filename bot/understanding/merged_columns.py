"""Identical feature columns merged before the matcher's model is fitted: the same steps, fewer sparse products.

Training the matcher's logistic regression is mostly sparse products with its
TF-IDF matrix. Many of its columns are exact copies of each other: the
character n-grams of a word found in no other word ("rappe", "frapp" of
"frappe") occur in the same texts, as often, with the same idf, so their
columns are equal (a tenth of the stored values of the shipped base's matrix).

For an L2-penalised linear model, `m` equal columns are the same problem as
one column scaled by sqrt(m): starting from zero, the solver keeps their
weights equal (same gradient), and mapping the common weight t to u = sqrt(m) t
is an isometry (same logits, same penalty, same inner products). So L-BFGS
takes the same steps on the merged matrix, in exact arithmetic, as on the full
one, provided its stopping test reads the gradient of the full problem: a
merged component stands for `m` components of |g| / sqrt(m) each (`largest`,
`total`). Only float rounding differs: on the shipped base the weights move by
1e-4 at most and every answer of `ask --jsonl` is the same.

The danger detector's Newton-CG is not given merged columns: in float32 its
conjugate gradient turns a rounding difference into one more or one fewer inner
step, and the model then moves enough (probabilities by up to 0.05) to change
a few alerts. Its model stays the one the alert thresholds were set on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # only training needs scipy
    from scipy import sparse

_MIX = np.uint64(0x9E3779B97F4A7C15)


@dataclass(frozen=True)
class Merged:
    """A matrix whose equal columns are merged, and how to go back to the original columns."""

    matrix: sparse.csr_matrix  # texts x merged columns, each column scaled by sqrt(its copies)
    transposed: sparse.csr_matrix  # the same, transposed (its rows are the merged columns)
    group: np.ndarray  # for each original column, its merged column
    scale: np.ndarray  # sqrt(copies) of each merged column, float32

    def expand(self, weights: np.ndarray) -> np.ndarray:
        """Weights of the merged columns (merged x classes) as weights of the original ones."""
        return np.ascontiguousarray(weights[self.group] / self.scale[self.group, None], dtype=np.float32)

    def parameter_scale(self, n_classes: int, extra: int) -> np.ndarray:
        """sqrt(copies) of every parameter, flattened as (weights row by row, then `extra` unmerged ones)."""
        return np.concatenate([np.repeat(self.scale, n_classes), np.ones(extra, dtype=np.float32)])


def largest(gradient: np.ndarray, scale: np.ndarray) -> float:
    """The largest component of the full problem's gradient, read from the merged one."""
    return float((np.abs(gradient) / scale).max())


def total(vector: np.ndarray, scale: np.ndarray) -> float:
    """The sum of |components| of the full problem's vector, read from the merged one."""
    return float(np.abs(vector) @ scale)


def merge_equal_columns(matrix: sparse.csr_matrix) -> Merged:
    """The columns of `matrix` (float32 CSR) grouped by exact equality (rows and values), each group one column."""
    matrix = matrix.astype(np.float32, copy=False).tocsr()
    transposed = matrix.T.tocsr()  # row j = column j, rows ascending
    transposed.sort_indices()
    group, first = _groups(transposed)
    copies = np.bincount(group).astype(np.float32)
    scale = np.sqrt(copies)
    kept = transposed[first]  # rows keep their ascending indices
    kept.data *= np.repeat(scale, np.diff(kept.indptr))
    merged = kept.T.tocsr()
    merged.sort_indices()
    return Merged(merged, kept, group, scale)


def _groups(transposed: sparse.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
    """Each column's group (numbered by first appearance) and each group's first column.

    Columns are compared by two 64-bit hashes of their (row, value) pairs and
    their length, then every column is checked value by value against its
    group's first one: a hash collision only ever costs the merging, never
    the model (nothing is merged then).
    """
    n_columns = transposed.shape[0]
    lengths = np.diff(transposed.indptr)
    pairs = (transposed.indices.astype(np.uint64) << np.uint64(32)) | transposed.data.view(np.uint32).astype(np.uint64)
    keys = np.stack([lengths.astype(np.uint64), _column_sums(_mix(pairs), transposed.indptr)])
    keys = np.vstack([keys, _column_sums(_mix(pairs ^ _MIX), transposed.indptr)])
    _, first_of_key, key_of_column = np.unique(keys.T, axis=0, return_index=True, return_inverse=True)
    key_of_column = key_of_column.ravel()
    # Groups numbered in the order of their first column, so the merged matrix keeps the columns' order.
    order = np.argsort(first_of_key, kind="stable")
    number = np.empty(len(order), dtype=np.int64)
    number[order] = np.arange(len(order))
    group = number[key_of_column]
    first = first_of_key[order]
    if not _all_equal_to_first(transposed, group, first):
        return np.arange(n_columns), np.arange(n_columns)
    return group, first


def _mix(values: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: every bit of the input moves every bit of the output (wrapping uint64)."""
    z = values * _MIX
    z ^= z >> np.uint64(30)
    z *= np.uint64(0xBF58476D1CE4E5B9)
    z ^= z >> np.uint64(27)
    z *= np.uint64(0x94D049BB133111EB)
    z ^= z >> np.uint64(31)
    return z


def _column_sums(values: np.ndarray, indptr: np.ndarray) -> np.ndarray:
    """Wrapping uint64 sum of each column's values (0 for an empty column)."""
    totals = np.concatenate([np.zeros(1, dtype=np.uint64), np.cumsum(values, dtype=np.uint64)])
    sums: np.ndarray = totals[indptr[1:]] - totals[indptr[:-1]]
    return sums


def _all_equal_to_first(transposed: sparse.csr_matrix, group: np.ndarray, first: np.ndarray) -> bool:
    """Whether every column has exactly the rows and values of its group's first column."""
    indptr = transposed.indptr
    lengths = np.diff(indptr)
    reference = first[group]
    if not np.array_equal(lengths, lengths[reference]):
        return False
    own = np.arange(int(indptr[-1]))  # every stored value, column after column
    theirs = own + np.repeat(indptr[reference] - indptr[:-1], lengths)  # the same place in the first column
    return bool(
        np.array_equal(transposed.indices, transposed.indices[theirs])
        and np.array_equal(transposed.data.view(np.uint32), transposed.data[theirs].view(np.uint32))
    )
