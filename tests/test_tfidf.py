"""The bulk TF-IDF of training texts: vocabulary cap, idf, weights, and agreement with scikit-learn."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from bot.understanding import tfidf

TEXTS = [
    "je ne peux plus payer mon loyer",
    "loyer impaye depuis deux mois",
    "le frigo est vide ce soir",
    "rien a manger ce soir pour les enfants",
    "le ticket de bus coute cher",
    "mon loyer mon loyer",
]


def letters(word: str) -> list[str]:
    """A small word analyser for the tests: the padded word's 2- and 3-grams, and the word itself."""
    padded = f" {word} "
    return [padded[i : i + n] for n in (2, 3) for i in range(len(padded) - n + 1)] + ["w:" + word]


def fitted(texts: list[str], max_features: int | None = None) -> tuple[tfidf.Block, np.ndarray]:
    codes = tfidf.GramCodes(letters)
    block = tfidf.fit_block([codes.of_words(t.split()) for t in texts], codes, max_features)
    return block, tfidf.matrix([block], len(texts)).toarray()


def test_a_distinct_word_is_cut_once_and_gets_the_same_codes_every_time():
    cuts: list[str] = []

    def counting(word: str) -> list[str]:
        cuts.append(word)
        return letters(word)

    codes = tfidf.GramCodes(counting)
    first = codes.of_words(["loyer", "payer"])
    again = codes.of_words(["payer", "loyer"])
    assert cuts == ["loyer", "payer"]
    assert again[: len(letters("payer"))] == first[len(letters("loyer")) :]


@pytest.mark.parametrize("words", [["loyer", "loyer", "payer"], ["payer", "loyer", "payer", "loyer"], [], ["a"]])
def test_a_text_gets_the_codes_of_its_words_in_order_repeats_included(words):
    codes = tfidf.GramCodes(letters)
    codes.of_words(["loyer"])  # one word known before, the others new in this text
    row = codes.of_words(words)
    assert [codes.names()[code] for code in row] == [gram for word in words for gram in letters(word)]


@pytest.mark.parametrize(
    "texts", [[t.split() for t in TEXTS], [[], ["loyer"], [], ["loyer", "loyer", "payer"]], [], [["a"], ["b", "a"]]]
)
def test_a_training_set_laid_end_to_end_holds_each_texts_codes_in_order(texts):
    one_by_one = tfidf.GramCodes(letters)
    expected = [one_by_one.of_words(words) for words in texts]
    codes = tfidf.GramCodes(letters)
    codes.of_words(["loyer"])  # a word known before, the others new
    rows = codes.rows_of_words(texts)
    assert rows.flat.dtype == np.int32 and rows.lengths.tolist() == [len(row) for row in expected]
    names, got = codes.names(), rows.flat.tolist()
    starts = np.concatenate(([0], np.cumsum(rows.lengths))).tolist()
    for i, row in enumerate(expected):
        assert [names[code] for code in got[starts[i] : starts[i + 1]]] == [one_by_one.names()[code] for code in row]


def test_two_kinds_of_codes_are_joined_text_by_text():
    first = tfidf.Rows.of_lists([[1, 2], [], [3]])
    second = tfidf.Rows.of_lists([[7], [8, 9], []])
    joined = first.then(second)
    assert joined.flat.tolist() == [1, 2, 7, 8, 9, 3]
    assert joined.lengths.tolist() == [3, 2, 1]


def test_a_block_fitted_from_rows_is_the_block_fitted_from_lists():
    lists_codes, rows_codes = tfidf.GramCodes(letters), tfidf.GramCodes(letters)
    from_lists = tfidf.fit_block([lists_codes.of_words(t.split()) for t in TEXTS], lists_codes, 12)
    from_rows = tfidf.fit_block(rows_codes.rows_of_words([t.split() for t in TEXTS]), rows_codes, 12)
    assert from_rows.terms == from_lists.terms
    for name in ("idf", "indptr", "columns", "counts"):
        assert np.array_equal(getattr(from_rows, name), getattr(from_lists, name))


def test_the_most_frequent_ngrams_are_kept_when_the_vocabulary_is_capped():
    codes = tfidf.GramCodes()
    block = tfidf.fit_block(
        [codes.of_grams(t) for t in (["aa"] * 3 + ["bb"], ["aa", "cc"], ["cc", "dd"])], codes, max_features=2
    )
    assert block.terms == ["aa", "cc"]  # aa 4 times, cc twice, bb and dd once
    assert block.idf[0] == block.idf[1]  # both in two of the three texts
    assert block.idf[0] == pytest.approx(np.log(4 / 3) + 1)


def test_a_tie_at_the_vocabulary_cap_keeps_the_alphabetically_first_ngram():
    codes = tfidf.GramCodes()
    block = tfidf.fit_block([codes.of_grams(["zz", "zz", "mm", "mm", "aa", "aa", "bb"])], codes, max_features=2)
    assert block.terms == ["aa", "mm"]


def test_rows_are_unit_length_per_block_and_ngrams_dropped_by_the_cap_weigh_nothing():
    chars = tfidf.GramCodes(letters)
    words = tfidf.GramCodes()
    char_block = tfidf.fit_block([chars.of_words(t.split()) for t in TEXTS], chars, max_features=10)
    word_block = tfidf.fit_block([words.of_grams(t.split()) for t in TEXTS], words)
    matrix = tfidf.matrix([char_block, word_block], len(TEXTS)).toarray()
    assert matrix.shape == (len(TEXTS), 10 + len(word_block.terms))
    left, right = matrix[:, :10], matrix[:, 10:]
    assert np.allclose(np.linalg.norm(right, axis=1), 1.0, atol=1e-6)
    assert np.all(np.linalg.norm(left, axis=1) <= 1.0 + 1e-6)


def test_texts_without_any_ngram_give_empty_rows():
    codes = tfidf.GramCodes()
    block = tfidf.fit_block([codes.of_grams(["aa"]), []], codes)
    matrix = tfidf.matrix([block], 2).toarray()
    assert matrix[1].sum() == 0 and matrix[0, 0] == pytest.approx(1.0)


def test_same_matrix_and_vocabulary_as_scikit_learn():
    """Sublinear tf, smoothed idf, L2 rows: the numbers scikit-learn's TfidfVectorizer gives."""
    text_module = pytest.importorskip("sklearn.feature_extraction.text")
    vectorizer = text_module.TfidfVectorizer(
        analyzer=lambda t: [g for w in t.split() for g in letters(w)], sublinear_tf=True, dtype=np.float32
    )
    expected = vectorizer.fit_transform(TEXTS).toarray()
    block, matrix = fitted(TEXTS)
    assert block.terms == sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.__getitem__)
    assert np.allclose(block.idf, vectorizer.idf_, rtol=1e-6)
    assert np.allclose(matrix, expected, atol=1e-6)


def _random_texts(seed: int, count: int) -> list[str]:
    """Texts of made-up words with repeats, some empty: every shape the sort-and-count path meets."""
    rng = np.random.default_rng(seed)
    syllables = ["lo", "yer", "pa", "ye", "fri", "go", "ma", "ger", "bus", "ca", "f", "aide"]
    words = ["".join(rng.choice(syllables, size=rng.integers(1, 4))) for _ in range(60)]
    return [" ".join(rng.choice(words, size=rng.integers(0, 12))) for _ in range(count)]


def _reference(texts: list[str], max_features: int | None) -> tuple[list[str], np.ndarray]:
    """The definition, text by text: sublinear tf x smoothed idf, L2 rows; a cap keeps the most frequent, ties a-z."""
    counts = [Counter(g for w in t.split() for g in letters(w)) for t in texts]
    total: Counter[str] = Counter()
    for row in counts:
        total.update(row)
    terms = sorted(total)
    if max_features is not None:
        terms = sorted(sorted(terms, key=lambda term: -total[term])[:max_features])
    column = {term: i for i, term in enumerate(terms)}
    df = np.array([sum(term in row for row in counts) for term in terms])
    idf = np.log((1 + len(texts)) / (1 + df)) + 1
    dense = np.zeros((len(texts), len(terms)))
    for i, row in enumerate(counts):
        for term, count in row.items():
            if term in column:
                dense[i, column[term]] = (1 + np.log(count)) * idf[column[term]]
    norms = np.linalg.norm(dense, axis=1, keepdims=True)
    return terms, dense / np.where(norms == 0, 1, norms)


@pytest.mark.parametrize("max_features", [None, 7, 40, 10_000])
@pytest.mark.parametrize("seed", [1, 2])
def test_same_vocabulary_and_matrix_as_the_definition_on_many_texts(seed, max_features):
    """Many texts, empty ones and repeated n-grams, with and without a cap (ties at the cap included)."""
    texts = _random_texts(seed, 300)
    terms, expected = _reference(texts, max_features)
    block, matrix = fitted(texts, max_features)
    assert block.terms == terms
    assert np.allclose(matrix, expected, atol=1e-6)
    for row in range(len(texts)):  # each text's columns stored once each, in ascending order
        columns = block.columns[block.indptr[row] : block.indptr[row + 1]]
        assert np.all(np.diff(columns) > 0)


def test_same_matrix_as_scikit_learn_on_many_texts():
    text_module = pytest.importorskip("sklearn.feature_extraction.text")
    texts = _random_texts(3, 300)
    vectorizer = text_module.TfidfVectorizer(
        analyzer=lambda t: [g for w in t.split() for g in letters(w)], sublinear_tf=True, dtype=np.float32
    )
    expected = vectorizer.fit_transform(texts).toarray()
    block, matrix = fitted(texts)
    assert block.terms == sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.__getitem__)
    assert np.allclose(matrix, expected, atol=1e-6)


@pytest.mark.parametrize(
    "starts, sizes", [([5, 0, 9], [2, 3, 1]), ([4], [0]), ([], []), ([3, 3, 7], [1, 0, 2]), ([0, 8], [4, 1])]
)
def test_spans_laid_end_to_end_are_each_start_counted_up_its_size(starts, sizes):
    expected = [start + k for start, size in zip(starts, sizes) for k in range(size)]
    got = tfidf._spans(np.array(starts, dtype=np.int64), np.array(sizes, dtype=np.int64))
    assert got.dtype == np.int32 and got.tolist() == expected
