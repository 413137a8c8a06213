"""Multinomial logistic regression by Newton-CG, in numpy and scipy.sparse only.

The danger detector was trained with scikit-learn's `LogisticRegression(solver="newton-cg")`;
importing scikit-learn alone took about a second of the cold start, before any
training. This is the same problem (weighted mean log-loss + ||W||^2 / (2 C
sum(weights)), intercept not penalised, one column of weights per class) and
the same method (Newton steps solved by conjugate gradient on Hessian-vector
products, stopped when no gradient component exceeds `tolerance`), so it
reaches the same optimum: the loss is strictly convex in the weights.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from scipy import sparse


@dataclass(frozen=True)
class Fit:
    weights: np.ndarray  # features x classes, float32
    intercept: np.ndarray  # classes, float32
    iterations: int


def fit_multinomial(
    matrix: sparse.csr_matrix,
    target: np.ndarray,
    n_classes: int,
    sample_weight: np.ndarray | None = None,
    c: float = 1.0,
    tolerance: float = 1e-4,
    max_iterations: int = 100,
    max_inner: int = 200,
) -> Fit:
    """The weights minimising the regularised, weighted multinomial log-loss of `matrix` rows against `target`."""
    problem = _Problem(matrix, target, n_classes, sample_weight, c)
    theta = np.zeros(problem.size, dtype=np.float32)
    value, gradient, probabilities = problem.evaluate(theta)
    iteration = 0
    while iteration < max_iterations:
        if float(np.abs(gradient).max()) <= tolerance:
            break
        total = float(np.abs(gradient).sum())
        direction = _conjugate_gradient(
            partial(problem.hessian_times, probabilities), gradient, max_inner, min(0.5, total**0.5) * total
        )
        theta, value, gradient, probabilities = _line_search(problem, theta, direction, value, gradient)
        iteration += 1
    weights, intercept = problem.split(theta)
    return Fit(np.ascontiguousarray(weights, dtype=np.float32), intercept.astype(np.float32), iteration)


class _Problem:
    """The loss, its gradient and Hessian-vector products; parameters flattened as (weights, intercept)."""

    def __init__(
        self,
        matrix: sparse.csr_matrix,
        target: np.ndarray,
        n_classes: int,
        sample_weight: np.ndarray | None,
        c: float,
    ) -> None:
        self.matrix = matrix.astype(np.float32, copy=False).tocsr()  # the caller's float32 matrix, not a copy
        self.transposed = self.matrix.T.tocsr()  # X^T products as row products: faster than a CSC one
        n_texts, self.n_features = self.matrix.shape
        self.n_classes = n_classes
        self.size = self.n_features * n_classes + n_classes
        weight = np.ones(n_texts) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
        total = float(weight.sum())
        self.row_scale = (weight / total).astype(np.float32)[:, None]  # each row's share of the mean loss
        self.penalty = np.float32(1.0 / (c * total))
        self.target = np.asarray(target, dtype=np.int64)
        self.rows = np.arange(n_texts)

    def split(self, theta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        cut = self.n_features * self.n_classes
        return theta[:cut].reshape(self.n_features, self.n_classes), theta[cut:]

    def _join(self, weights: np.ndarray, intercept: np.ndarray) -> np.ndarray:
        return np.concatenate([weights.ravel(), intercept]).astype(np.float32)

    def evaluate(self, theta: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
        """Loss, gradient and the rows' class probabilities at `theta`."""
        weights, intercept = self.split(theta)
        logits = self.matrix @ weights + intercept
        logits -= logits.max(axis=1, keepdims=True)
        log_norm = np.log(np.exp(logits).sum(axis=1))
        probabilities = np.exp(logits - log_norm[:, None])
        scale = self.row_scale[:, 0].astype(np.float64)
        loss = float(scale @ (log_norm - logits[self.rows, self.target]).astype(np.float64))
        loss += 0.5 * float(self.penalty) * float(np.vdot(weights, weights))
        error = probabilities.copy()
        error[self.rows, self.target] -= 1.0
        error *= self.row_scale
        gradient = self._join(self.transposed @ error + self.penalty * weights, error.sum(axis=0))
        return loss, gradient, probabilities

    def hessian_times(self, probabilities: np.ndarray, vector: np.ndarray) -> np.ndarray:
        """The loss's Hessian at these probabilities, times `vector`: two sparse products, no Hessian stored."""
        weights, intercept = self.split(vector)
        change = self.matrix @ weights + intercept
        curvature = probabilities * (change - (probabilities * change).sum(axis=1, keepdims=True))
        curvature *= self.row_scale
        return self._join(self.transposed @ curvature + self.penalty * weights, curvature.sum(axis=0))


def _conjugate_gradient(
    hessian_times: Callable[[np.ndarray], np.ndarray], gradient: np.ndarray, max_inner: int, tolerance: float
) -> np.ndarray:
    """An approximate Newton direction: solve H d = -g until sum(|residual|) <= tolerance (scikit-learn's rule)."""
    eps = 16 * np.finfo(np.float32).eps
    solution = np.zeros_like(gradient)
    residual = gradient.copy()
    direction = -residual
    residual_norm = float(residual @ residual)
    direction_norm = residual_norm
    for step in range(max_inner + 1):
        if float(np.abs(residual).sum()) <= tolerance:
            break
        product = hessian_times(direction)
        curvature = float(direction @ product)
        if 0 <= curvature <= eps * direction_norm:
            break
        if curvature < 0:
            if step == 0:
                solution += residual_norm / curvature * direction
            break
        alpha = residual_norm / curvature
        solution += alpha * direction
        residual += alpha * product
        new_norm = float(residual @ residual)
        beta = new_norm / residual_norm
        direction = -residual + beta * direction
        direction_norm = new_norm + beta * beta * direction_norm
        residual_norm = new_norm
    return solution


def _line_search(
    problem: _Problem, theta: np.ndarray, direction: np.ndarray, value: float, gradient: np.ndarray
) -> tuple[np.ndarray, float, np.ndarray, np.ndarray]:
    """The Newton step, halved until the loss decreases enough (Armijo): a full step is almost always taken."""
    slope = float(gradient @ direction)
    step = 1.0
    while True:
        candidate = (theta + step * direction).astype(np.float32)
        new_value, new_gradient, probabilities = problem.evaluate(candidate)
        if new_value <= value + 1e-4 * step * slope or step < 1e-6:
            return candidate, new_value, new_gradient, probabilities
        step *= 0.5
