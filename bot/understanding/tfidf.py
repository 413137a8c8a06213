"""TF-IDF matrices of the training texts, built with array operations.

Both learned models (the matcher's and the danger detector's) read a text as
the character n-grams of its words plus a few word n-grams, weighted by
sublinear tf x smoothed idf and L2-normalised, exactly as scikit-learn's
`TfidfVectorizer(sublinear_tf=True)` does. Counting those n-grams text by text
in Python (a `Counter` per text, a dictionary look-up per n-gram) was the
largest part of the cold start: ~16,000 texts, ~2 million n-grams.

Here the work is done once per *distinct* word instead: a word's n-grams are
turned into integer codes the first time it is seen (a base of 16,000 texts
holds only a few thousand different words), a text is the concatenation of its
words' codes, and the counting (scipy's per-row sort of a few codes), the
vocabulary and the weighting are array operations.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # answering never needs scipy: only training imports it
    from scipy import sparse


class GramCodes:
    """An integer code for each distinct n-gram, in order of first appearance."""

    def __init__(self, word_grams: Callable[[str], Sequence[str]] | None = None) -> None:
        self.ids: dict[str, int] = {}
        self._word_grams = word_grams
        self._word_codes: dict[str, tuple[int, ...]] = {}

    def of_grams(self, grams: Iterable[str]) -> list[int]:
        """The codes of these n-grams, new ones numbered as they come."""
        ids = self.ids
        return [ids.setdefault(gram, len(ids)) for gram in grams]

    def of_words(self, words: Iterable[str]) -> list[int]:
        """The codes of every n-gram of every word (`word_grams`), each distinct word cut only once."""
        assert self._word_grams is not None, "GramCodes built without a word_grams function"
        known = self._word_codes
        codes: list[int] = []
        for word in words:
            word_codes = known.get(word)
            if word_codes is None:
                word_codes = known[word] = tuple(self.of_grams(self._word_grams(word)))
            codes.extend(word_codes)
        return codes

    def names(self) -> list[str]:
        """The n-grams, in code order."""
        return list(self.ids)


@dataclass(frozen=True)
class Block:
    """One kind of features (e.g. characters or words) fitted on the training texts."""

    terms: list[str]  # the vocabulary, in alphabetical order: column i is terms[i]
    idf: np.ndarray  # float32, one per term
    rows: np.ndarray  # (text, column, count) of every n-gram kept, sorted by text then column
    columns: np.ndarray
    counts: np.ndarray


def fit_block(codes_per_text: Sequence[Sequence[int]], codes: GramCodes, max_features: int | None = None) -> Block:
    """Vocabulary, smoothed idf and term counts of one feature block.

    `max_features`: keep only the most frequent n-grams (over all texts, ties in
    alphabetical order), as scikit-learn does. The idf is
    ln((1 + n) / (1 + df)) + 1, computed in double precision then stored in
    single, like the matcher's model always did.
    """
    n_texts = len(codes_per_text)
    names = codes.names()
    size = len(names)
    if size == 0:
        empty = np.zeros(0, dtype=np.int64)
        return Block([""], np.ones(1, dtype=np.float32), empty, empty, empty)
    from scipy import sparse

    lengths = np.fromiter(map(len, codes_per_text), dtype=np.int64, count=n_texts)
    flat = np.fromiter(chain.from_iterable(codes_per_text), dtype=np.int32, count=int(lengths.sum()))
    # Each text's codes counted by scipy (a small sort per row), not by one sort of all 2 million.
    counted = sparse.csr_matrix(
        (np.ones(len(flat), dtype=np.int32), flat, np.concatenate(([0], np.cumsum(lengths)))), shape=(n_texts, size)
    )
    counted.sum_duplicates()
    pair_codes, counts = counted.indices.astype(np.int64), counted.data
    pair_texts = np.repeat(np.arange(n_texts, dtype=np.int64), np.diff(counted.indptr))
    document_frequency = np.bincount(pair_codes, minlength=size)
    alphabetical = np.array(sorted(range(size), key=names.__getitem__), dtype=np.int64)
    kept = alphabetical
    if max_features is not None and size > max_features:
        rank = np.empty(size, dtype=np.int64)
        rank[alphabetical] = np.arange(size)
        total_frequency = np.bincount(pair_codes, weights=counts, minlength=size)
        chosen = np.lexsort((rank, -total_frequency))[:max_features]  # most frequent first, ties alphabetical
        kept = chosen[np.argsort(rank[chosen])]
    column_of = np.full(size, -1, dtype=np.int64)
    column_of[kept] = np.arange(len(kept))
    pair_columns = column_of[pair_codes]
    inside = pair_columns >= 0
    idf = np.array([math.log((1 + n_texts) / (1 + int(df))) + 1.0 for df in document_frequency[kept]], dtype=np.float32)
    rows, columns, kept_counts = pair_texts[inside], pair_columns[inside], counts[inside]
    # Sorted by text then column: scipy sorts each text's few columns (codes are not in column order).
    indptr = np.concatenate(([0], np.cumsum(np.bincount(rows, minlength=n_texts))))
    by_text = sparse.csr_matrix((kept_counts, columns.astype(np.int32), indptr), shape=(n_texts, len(kept)))
    by_text.has_sorted_indices = False
    by_text.sort_indices()
    return Block([names[c] for c in kept], idf, rows, by_text.indices.astype(np.int64), by_text.data.astype(np.int64))


def matrix(blocks: Sequence[Block], n_texts: int) -> sparse.csr_matrix:
    """The TF-IDF rows of the training texts, float32, each block L2-normalised on its own, side by side."""
    from scipy import sparse

    rows: list[np.ndarray] = []
    columns: list[np.ndarray] = []
    values: list[np.ndarray] = []
    offset = 0
    for block in blocks:
        weighted = (1.0 + np.log(block.counts.astype(np.float32))) * block.idf[block.columns]
        squares = np.bincount(block.rows, weights=weighted.astype(np.float64) ** 2, minlength=n_texts)
        norms = np.maximum(np.sqrt(squares), 1e-12).astype(np.float32)
        rows.append(block.rows)
        columns.append(block.columns + offset)
        values.append(weighted / norms[block.rows])
        offset += len(block.terms)
    all_rows = np.concatenate(rows)
    order = np.argsort(all_rows, kind="stable")  # each block is sorted by text, then column: keep that within a text
    indptr = np.concatenate(([0], np.cumsum(np.bincount(all_rows, minlength=n_texts))))
    return sparse.csr_matrix(
        (np.concatenate(values)[order], np.concatenate(columns)[order], indptr), shape=(n_texts, offset)
    )
