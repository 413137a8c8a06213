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

    def of_words(self, words: Sequence[str]) -> list[int]:
        """The codes of every n-gram of every word (`word_grams`), each distinct word cut only once.

        Nearly every word of a training text was met before: one set difference finds the new
        ones, and the known words' codes are joined without a Python loop over the words.
        """
        assert self._word_grams is not None, "GramCodes built without a word_grams function"
        known = self._word_codes
        new = set(words).difference(known)
        if new:
            for word in [word for word in dict.fromkeys(words) if word in new]:  # numbered in reading order
                known[word] = tuple(self.of_grams(self._word_grams(word)))
        return list(chain.from_iterable(map(known.__getitem__, words)))

    def rows_of_words(self, texts: Sequence[Sequence[str]]) -> Rows:
        """`of_words` of every text, laid end to end: the same codes, without a Python step per word.

        A training set of 25,000 texts holds 300,000 words but only 9,000 distinct ones: each text
        becomes a list of word numbers, and every word's codes are copied out of one table by array
        indexing (`np.repeat`), instead of joining Python tuples into 3 million list items.
        """
        assert self._word_grams is not None, "GramCodes built without a word_grams function"
        number: dict[str, int] = {}
        occurrences = np.fromiter(
            (number.setdefault(word, len(number)) for words in texts for word in words), dtype=np.int64
        )
        known = self._word_codes
        for word in number:  # first appearance order, as `of_words` numbers new n-grams
            if word not in known:
                known[word] = tuple(self.of_grams(self._word_grams(word)))
        table = [known[word] for word in number]
        sizes = np.fromiter(map(len, table), dtype=np.int64, count=len(table))
        codes = np.fromiter(chain.from_iterable(table), dtype=np.int32, count=int(sizes.sum()))
        starts = np.cumsum(sizes) - sizes
        taken = sizes[occurrences]
        words_per_text = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
        through = np.concatenate(([0], np.cumsum(taken)))
        lengths = np.diff(through[np.concatenate(([0], np.cumsum(words_per_text)))])
        return Rows(codes[_spans(starts[occurrences], taken)], lengths)

    def names(self) -> list[str]:
        """The n-grams, in code order."""
        return list(self.ids)


def _spans(starts: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """starts[0], starts[0] + 1, ... (sizes[0] of them), then starts[1], ...: the positions of spans laid end to end.

    One int32 array and its running sum, in place: a training set's 3 million positions take 13 MB,
    not the three int64 arrays (78 MB) of an arange plus a repeat.
    """
    keep = sizes > 0
    starts, sizes = starts[keep], sizes[keep]
    total = int(sizes.sum())
    steps = np.ones(total, dtype=np.int32)
    if total == 0:
        return steps
    where = np.cumsum(sizes) - sizes  # where each span begins in the output
    steps[0] = starts[0]
    # At a span's first position, jump from the previous span's last position to this span's start.
    steps[where[1:]] = starts[1:] - (starts[:-1] + sizes[:-1] - 1)
    return np.cumsum(steps, out=steps)


@dataclass(frozen=True)
class Rows:
    """Every text's codes end to end (int32) and how many of them belong to each text (int64)."""

    flat: np.ndarray
    lengths: np.ndarray

    @classmethod
    def of_lists(cls, codes_per_text: Sequence[Sequence[int]]) -> Rows:
        n_texts = len(codes_per_text)
        lengths = np.fromiter(map(len, codes_per_text), dtype=np.int64, count=n_texts)
        flat = np.fromiter(chain.from_iterable(codes_per_text), dtype=np.int32, count=int(lengths.sum()))
        return cls(flat, lengths)

    def then(self, other: Rows) -> Rows:
        """Each text's codes here followed by its codes in `other` (same number of texts)."""
        # A code of text i here moves by the codes of `other` in the texts before i; one of `other`, by
        # the codes here in the texts up to i included.
        others_before = np.cumsum(other.lengths) - other.lengths
        own_through = np.cumsum(self.lengths)
        flat = np.empty(len(self.flat) + len(other.flat), dtype=np.int32)
        flat[np.arange(len(self.flat)) + np.repeat(others_before, self.lengths)] = self.flat
        flat[np.arange(len(other.flat)) + np.repeat(own_through, other.lengths)] = other.flat
        return Rows(flat, self.lengths + other.lengths)


@dataclass(frozen=True)
class Block:
    """One kind of features (e.g. characters or words) fitted on the training texts."""

    terms: list[str]  # the vocabulary, in alphabetical order: column i is terms[i]
    idf: np.ndarray  # float32, one per term
    # The counts of every n-gram kept, as CSR arrays: text i's columns (ascending) and counts are
    # columns[indptr[i]:indptr[i + 1]] and counts[...]. int32: half the memory of int64 arrays.
    indptr: np.ndarray
    columns: np.ndarray
    counts: np.ndarray

    @property
    def rows(self) -> np.ndarray:
        """The text of each stored count."""
        return np.repeat(np.arange(len(self.indptr) - 1, dtype=np.int32), np.diff(self.indptr))


def fit_block(
    codes_per_text: Sequence[Sequence[int]] | Rows, codes: GramCodes, max_features: int | None = None
) -> Block:
    """Vocabulary, smoothed idf and term counts of one feature block.

    `max_features`: keep only the most frequent n-grams (over all texts, ties in
    alphabetical order), as scikit-learn does. The idf is
    ln((1 + n) / (1 + df)) + 1, computed in double precision then stored in
    single, like the matcher's model always did.

    The codes are renumbered in alphabetical order first, then each text's
    n-grams are sorted in place and counted (`sum_duplicates`: a sort of each
    text's ~150 codes, half the time of the two transpositions of the whole
    matrix it replaced, same result; int32 throughout).
    """
    rows = codes_per_text if isinstance(codes_per_text, Rows) else Rows.of_lists(codes_per_text)
    n_texts = len(rows.lengths)
    names = codes.names()
    size = len(names)
    if size == 0:
        empty = np.zeros(0, dtype=np.int32)
        return Block([""], np.ones(1, dtype=np.float32), np.zeros(n_texts + 1, dtype=np.int64), empty, empty)
    from scipy import sparse

    lengths, flat = rows.lengths, rows.flat
    alphabetical = np.array(sorted(range(size), key=names.__getitem__), dtype=np.int64)  # codes, by rank
    rank = np.empty(size, dtype=np.int32)
    rank[alphabetical] = np.arange(size, dtype=np.int32)
    unsorted = sparse.csr_matrix(
        (np.ones(len(flat), dtype=np.int32), rank[flat], np.concatenate(([0], np.cumsum(lengths)))),
        shape=(n_texts, size),
    )
    del flat, rows
    counted = unsorted  # each text's ranks sorted in place, repeats summed: its counts, columns ascending
    counted.sum_duplicates()
    ranks, counts = counted.indices, counted.data
    document_frequency = np.bincount(ranks, minlength=size)
    kept = np.arange(size)
    if max_features is not None and size > max_features:
        total_frequency = np.bincount(ranks, weights=counts, minlength=size)
        kept = np.sort(np.lexsort((np.arange(size), -total_frequency))[:max_features])  # most frequent, ties a-z
    column_of = np.full(size, -1, dtype=np.int32)
    column_of[kept] = np.arange(len(kept), dtype=np.int32)
    columns = column_of[ranks]  # ascending ranks give ascending columns: each text stays sorted
    inside = columns >= 0
    kept_before = np.concatenate(([0], np.cumsum(inside, dtype=np.int64)))  # n-grams kept before each position
    indptr = kept_before[counted.indptr]
    # Few distinct document frequencies: each idf computed once, in double precision, as before.
    frequencies, which = np.unique(document_frequency[kept], return_inverse=True)
    idf = np.array([math.log((1 + n_texts) / (1 + int(df))) + 1.0 for df in frequencies], dtype=np.float32)
    return Block(
        [names[code] for code in alphabetical[kept].tolist()],
        idf[which],
        indptr,
        columns[inside],
        counts[inside].astype(np.int32, copy=False),
    )


def matrix(blocks: Sequence[Block], n_texts: int) -> sparse.csr_matrix:
    """The TF-IDF rows of the training texts, float32, each block L2-normalised on its own, side by side."""
    from scipy import sparse

    parts = []
    for block in blocks:
        rows = block.rows
        weighted = (1.0 + np.log(block.counts.astype(np.float32))) * block.idf[block.columns]
        squares = np.bincount(rows, weights=weighted.astype(np.float64) ** 2, minlength=n_texts)
        norms = np.maximum(np.sqrt(squares), 1e-12).astype(np.float32)
        weighted /= norms[rows]
        del rows
        parts.append(sparse.csr_matrix((weighted, block.columns, block.indptr), shape=(n_texts, len(block.terms))))
    if len(parts) == 1:
        return parts[0]
    # Row by row, the first block's columns then the next's (offset): each text's columns stay ascending.
    stacked: sparse.csr_matrix = sparse.hstack(parts, format="csr", dtype=np.float32)
    return stacked
