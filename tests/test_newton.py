"""The Newton-CG multinomial logistic regression: the optimum scikit-learn's newton-cg reaches."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse

from bot.understanding import danger
from bot.understanding.newton import fit_multinomial
from bot.understanding.tfidf import GramCodes


@pytest.fixture(scope="module")
def problem() -> tuple[sparse.csr_matrix, np.ndarray, np.ndarray]:
    """A small sparse problem with three unbalanced classes that overlap, and uneven sample weights."""
    rng = np.random.default_rng(7)
    dense = rng.random((120, 40)) * (rng.random((120, 40)) < 0.2)
    target = np.where(dense[:, :5].sum(axis=1) > 0.4, 0, np.where(dense[:, 5:10].sum(axis=1) > 0.3, 1, 2))
    weights = np.array([0.5, 2.0, 1.0])[target]
    return sparse.csr_matrix(dense.astype(np.float32)), target, weights


def _probabilities(matrix: sparse.csr_matrix, weights: np.ndarray, intercept: np.ndarray) -> np.ndarray:
    logits = matrix @ weights + intercept
    exp = np.exp(logits - logits.max(axis=1, keepdims=True))
    return np.asarray(exp / exp.sum(axis=1, keepdims=True))


@pytest.mark.parametrize("c", [0.5, 20.0])
def test_same_optimum_as_scikit_learns_newton_cg(problem, c):
    linear_model = pytest.importorskip("sklearn.linear_model")
    matrix, target, weights = problem
    reference = linear_model.LogisticRegression(C=c, solver="newton-cg", tol=1e-7, max_iter=500)
    reference.fit(matrix.astype(np.float64), target, sample_weight=weights)
    fit = fit_multinomial(matrix, target, 3, weights, c=c, tolerance=1e-6)
    assert fit.weights.shape == (40, 3) and fit.weights.dtype == np.float32
    assert np.allclose(fit.weights, reference.coef_.T, atol=2e-3)
    expected = reference.predict_proba(matrix.astype(np.float64))
    assert np.allclose(_probabilities(matrix, fit.weights, fit.intercept), expected, atol=1e-3)


def test_sample_weights_pull_the_decision_towards_the_heavier_class(problem):
    matrix, target, _ = problem
    even = fit_multinomial(matrix, target, 3, None, c=1.0)
    heavy = fit_multinomial(matrix, target, 3, np.where(target == 1, 10.0, 1.0), c=1.0)
    share = lambda fit: _probabilities(matrix, fit.weights, fit.intercept)[:, 1].mean()  # noqa: E731
    assert share(heavy) > share(even) + 0.05


def test_a_stronger_penalty_gives_smaller_weights(problem):
    matrix, target, weights = problem
    loose = fit_multinomial(matrix, target, 3, weights, c=20.0)
    tight = fit_multinomial(matrix, target, 3, weights, c=0.1)
    assert np.linalg.norm(tight.weights) < np.linalg.norm(loose.weights) / 2
    assert 0 < tight.iterations <= 100


@pytest.mark.parametrize("text", ["m a frappe hier soir", "je dors dehors", "l aide", "a"])
def test_the_danger_training_reads_exactly_the_features_answering_reads(text):
    """Training codes a text's n-grams in bulk; answering cuts it with `features`: the same multiset."""
    codes = GramCodes(danger._cached_word_grams)
    names = codes.names
    row = danger._feature_codes(codes, text)
    assert sorted(names()[code] for code in row) == sorted(danger.features(text))


def test_the_danger_training_set_coded_at_once_is_each_text_coded_alone():
    texts = ["m a frappe hier soir", "je dors dehors", "", "l aide", "a", "je dors dehors depuis hier soir"]
    alone = GramCodes(danger._cached_word_grams)
    expected = [[alone.names()[code] for code in danger._feature_codes(alone, text)] for text in texts]
    codes = GramCodes(danger._cached_word_grams)
    rows = danger._training_codes(codes, texts)
    starts = np.concatenate(([0], np.cumsum(rows.lengths))).tolist()
    got = [[codes.names()[code] for code in rows.flat[starts[i] : starts[i + 1]].tolist()] for i in range(len(texts))]
    assert got == expected
