"""A learned reading of questions, trained only on the knowledge base.

The word-level matcher needs the question to share informative words with a
phrasing. Residents often describe a situation in words no phrasing uses, or
misspell the one word that matters; and an out-of-scope question that reuses a
right's word ("la bourse de Paris", "une prime au concours de belote") shares
exactly the word that matters. A linear model over character and word n-grams,
trained on every phrasing, title and keyword (one class per entry, off-topic
entries included), generalises better on both: character n-grams survive typos
and SMS spelling, and the off-topic classes learn which *contexts* of a right's
word are not about the right.

Two models, chosen by the size of the base, because training time grows with
entries x features:

* `logreg`: multinomial logistic regression (scikit-learn, lbfgs), the best
  measured on held-out questions; used up to `LearnedSettings.max_logreg_classes`.
* `centroid`: one TF-IDF centroid per entry, cosine similarity through a
  softmax; no optimisation, so it trains in a fraction of a second even for
  thousands of entries; used up to `max_centroid_classes`.
* beyond that, no learned model: the lexical matcher alone (`train` returns None).

A trained model is a dict of plain numpy arrays (see `to_arrays`), so it can be
cached on disk with `allow_pickle=False` and rebuilt without scikit-learn:
answering never imports scikit-learn, only training does.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from bot.understanding import tfidf
from bot.understanding.merged_columns import largest, merge_equal_columns
from bot.understanding.model_cache import DEFAULT_CACHE, ModelCache
from bot.understanding.situation import with_age_bands

if TYPE_CHECKING:  # the knowledge package imports this one: no import cycle at run time
    from scipy import sparse  # only training needs scipy, imported there

    from bot.knowledge.model import KnowledgeBase

Arrays = dict[str, np.ndarray]

MODEL_FORMAT = 1  # bump when the arrays' meaning changes: old cache files are then ignored


@dataclass(frozen=True)
class LearnedSettings:
    """How the learned model is built; part of the cache key."""

    char_ngrams: tuple[int, int] = (2, 5)
    word_ngrams: tuple[int, int] = (1, 2)
    max_char_features: int = 8000  # the most frequent n-grams: training time and memory grow with them
    regularisation_c: float = 10.0
    max_iterations: int = 300
    tolerance: float = 1e-3
    centroid_temperature: float = 0.05
    max_logreg_classes: int = 150
    max_centroid_classes: int = 1500  # centroids are dense: classes x features floats
    # A centroid needs far fewer texts than a regression: a spread sample of each entry's texts, and no
    # 2-grams (the most numerous, the least telling), keep a 1,000-entry base's cold build in seconds.
    max_centroid_texts_per_class: int = 16
    centroid_char_ngrams: tuple[int, int] = (3, 5)
    max_word_features: int = 8000
    max_logreg_texts: int = 20000

    def fingerprint(self) -> str:
        return repr((MODEL_FORMAT, self))


# --------------------------------------------------------------------------- features


def char_ngrams(text: str, low: int, high: int) -> list[str]:
    """Character n-grams inside word boundaries, padded with a space (like scikit-learn's `char_wb`)."""
    grams: list[str] = []
    for word in text.split():
        grams.extend(_word_char_ngrams(word, low, high))
    return grams


@lru_cache(maxsize=65536)
def _word_char_ngrams(word: str, low: int, high: int) -> tuple[str, ...]:
    """One word's n-grams, computed once: 64,000 training texts hold only ~20,000 different words."""
    padded = f" {word} "
    length = len(padded)
    grams: list[str] = []
    for n in range(low, high + 1):
        if length < n:
            break
        grams.extend(padded[i : i + n] for i in range(length - n + 1))
    return tuple(grams)


def word_ngrams(text: str, low: int, high: int) -> list[str]:
    words = text.split()
    grams: list[str] = []
    for n in range(low, high + 1):
        grams.extend(" ".join(words[i : i + n]) for i in range(len(words) - n + 1))
    return grams


class _Block:
    """One TF-IDF block (characters or words): vocabulary, idf, sublinear tf, L2 norm."""

    def __init__(self, terms: Sequence[str], idf: np.ndarray, offset: int) -> None:
        self.index = {term: offset + i for i, term in enumerate(terms)}
        self.idf = idf.astype(np.float32)
        self.offset = offset

    def features(self, grams: list[str]) -> tuple[list[int], list[float]]:
        return self._weigh(Counter(g for g in grams if g in self.index))

    def _weigh(self, counts: dict[str, int]) -> tuple[list[int], list[float]]:
        """Sublinear tf x idf, L2-normalised, of n-grams that are all in the vocabulary."""
        if not counts:
            return [], []
        columns = [self.index[g] for g in counts]
        values = np.array([1.0 + math.log(c) for c in counts.values()], dtype=np.float32)
        values *= self.idf[np.array(columns) - self.offset]
        values /= np.linalg.norm(values) or 1.0
        return columns, values.tolist()


# --------------------------------------------------------------------------- model


class LearnedModel:
    """Probabilities over the knowledge base's entries for one normalised question."""

    def __init__(self, arrays: Arrays) -> None:
        self.kind = str(arrays["kind"])
        self.labels: list[str] = [str(x) for x in arrays["labels"]]
        low_c, high_c, low_w, high_w = (int(x) for x in arrays["ngrams"])
        self._char_range, self._word_range = (low_c, high_c), (low_w, high_w)
        char_terms = [str(x) for x in arrays["char_terms"]]
        self._chars = _Block(char_terms, arrays["char_idf"], 0)
        self._words = _Block([str(x) for x in arrays["word_terms"]], arrays["word_idf"], len(char_terms))
        self._weights = np.ascontiguousarray(arrays["weights"], dtype=np.float32)  # features x classes
        self._bias = arrays["bias"].astype(np.float32)
        self._temperature = float(arrays["temperature"])
        self._arrays = arrays

    def to_arrays(self) -> Arrays:
        return self._arrays

    def probabilities(self, normalized: str) -> np.ndarray:
        """One probability per label (in `labels` order), summing to 1."""
        columns, values = self._chars.features(char_ngrams(normalized, *self._char_range))
        word_columns, word_values = self._words.features(word_ngrams(normalized, *self._word_range))
        columns += word_columns
        values += word_values
        logits = self._bias.copy()
        if columns:
            logits += np.asarray(values, dtype=np.float32) @ self._weights[columns]
        logits /= self._temperature
        logits -= logits.max()
        exp = np.exp(logits)
        probabilities: np.ndarray = exp / exp.sum()
        return probabilities


def training_key(texts: Sequence[str], labels: Sequence[str], settings: LearnedSettings) -> str:
    """A hash of everything the model depends on: same content, same model."""
    digest = hashlib.sha256(settings.fingerprint().encode())
    for label, text in zip(labels, texts):
        digest.update(f"{len(label)}:{label}{len(text)}:{text}".encode())
    return digest.hexdigest()[:32]


def choose_kind(n_classes: int, n_texts: int, settings: LearnedSettings) -> str | None:
    """The heaviest model that still trains in a few seconds on this many entries, or None."""
    if n_classes < 2:
        return None
    if n_classes <= settings.max_logreg_classes and n_texts <= settings.max_logreg_texts:
        return "logreg"
    if n_classes <= settings.max_centroid_classes:
        return "centroid"
    return None


def train(texts: Sequence[str], labels: Sequence[str], settings: LearnedSettings | None = None) -> Arrays | None:
    """Train on (normalised text, entry id) pairs; None when the base is too large for any model.

    Only numpy and scipy: scikit-learn's TF-IDF and logistic regression were
    measured first, but its L-BFGS keeps ten gradients of classes x features
    (about 300 MB on the shipped base) and its import alone weighs 90 MB.
    """
    settings = settings or LearnedSettings()
    names = sorted(set(labels))
    kind = choose_kind(len(names), len(texts), settings)
    if kind is None:
        return None
    char_range = settings.char_ngrams
    if kind == "centroid":
        texts, labels = _spread_sample(texts, labels, settings.max_centroid_texts_per_class)
        char_range = settings.centroid_char_ngrams
    # Uncached: GramCodes cuts each distinct word once anyway, and the cache is for answering, not for the
    # ~20,000 training words it would keep all along (tens of MB at the peak of a cold start).
    char_codes = tfidf.GramCodes(lambda word: _word_char_ngrams.__wrapped__(word, *char_range))
    word_codes = tfidf.GramCodes()
    char_block = tfidf.fit_block(
        char_codes.rows_of_words([t.split() for t in texts]), char_codes, settings.max_char_features
    )
    word_block = tfidf.fit_block(
        [word_codes.of_grams(word_ngrams(t, *settings.word_ngrams)) for t in texts],
        word_codes,
        settings.max_word_features,
    )
    char_terms, char_idf, word_terms, word_idf = char_block.terms, char_block.idf, word_block.terms, word_block.idf
    matrix = tfidf.matrix([char_block, word_block], len(texts))
    del char_codes, word_codes, char_block, word_block
    position = {name: i for i, name in enumerate(names)}
    target = np.array([position[label] for label in labels])
    if kind == "logreg":
        weights, bias, temperature = _fit_logreg(matrix, target, len(names), settings)
    else:
        weights, bias, temperature = _fit_centroids(matrix, target, len(names), settings)
    return {
        "kind": np.array(kind),
        "labels": np.array(names),
        "ngrams": np.array([*char_range, *settings.word_ngrams]),
        "char_terms": np.array(char_terms),
        "char_idf": char_idf,
        "word_terms": np.array(word_terms),
        "word_idf": word_idf,
        "weights": weights.astype(np.float32, copy=False),  # float32 already: no second dense copy
        "bias": bias.astype(np.float32, copy=False),
        "temperature": np.array(temperature),
    }


def _spread_sample(texts: Sequence[str], labels: Sequence[str], per_class: int) -> tuple[list[str], list[str]]:
    """At most `per_class` texts of each entry, evenly spread over its texts (phrasings first, then keywords)."""
    by_label: dict[str, list[str]] = {}
    for text, label in zip(texts, labels):
        by_label.setdefault(label, []).append(text)
    kept_texts: list[str] = []
    kept_labels: list[str] = []
    for label, own in by_label.items():
        if len(own) > per_class:
            step = len(own) / per_class
            own = [own[int(i * step)] for i in range(per_class)]
        kept_texts.extend(own)
        kept_labels.extend([label] * len(own))
    return kept_texts, kept_labels


def _fit_logreg(
    matrix: sparse.csr_matrix, target: np.ndarray, n_classes: int, settings: LearnedSettings
) -> tuple[np.ndarray, np.ndarray, float]:
    """Multinomial logistic regression (L2), by L-BFGS with a short memory to keep the footprint small.

    Solved on the matrix with its equal columns merged (`merged_columns`: the same steps, about a tenth
    fewer products), the stopping test read as on the full problem; the weights come back per column.
    """
    merged = merge_equal_columns(matrix)  # float32 throughout: half the memory and time of float64
    matrix, transposed = merged.matrix, merged.transposed
    n_texts, n_features = matrix.shape
    onehot = np.zeros((n_texts, n_classes), dtype=np.float32)
    onehot[np.arange(n_texts), target] = 1.0
    penalty = 1.0 / (settings.regularisation_c * n_texts)  # mean log-loss + ||W||^2 / (2 C n), as scikit-learn

    def loss_and_gradient(theta: np.ndarray) -> tuple[float, np.ndarray]:
        weights = theta[: n_features * n_classes].reshape(n_features, n_classes)
        logits = matrix @ weights + theta[n_features * n_classes :]
        logits -= logits.max(axis=1, keepdims=True)
        log_norm = np.log(np.exp(logits).sum(axis=1))
        loss = float((log_norm - logits[np.arange(n_texts), target]).sum()) / n_texts
        loss += 0.5 * penalty * float(np.vdot(weights, weights))
        # The same float32 operations as before, done in place: every array here is classes x texts or
        # classes x features, and allocating fresh ones each evaluation cost more than the arithmetic.
        error = logits
        error -= log_norm[:, None]
        np.exp(error, out=error)
        error -= onehot
        error /= n_texts
        gradient = np.empty(n_features * n_classes + n_classes, dtype=np.float32)
        gradient_weights = gradient[: n_features * n_classes].reshape(n_features, n_classes)
        np.multiply(weights, np.float32(penalty), out=gradient_weights)
        gradient_weights += transposed @ error
        gradient[n_features * n_classes :] = error.sum(axis=0)
        return loss, gradient

    start = np.zeros(n_features * n_classes + n_classes, dtype=np.float32)
    theta = _lbfgs(loss_and_gradient, start, settings, merged.parameter_scale(n_classes, n_classes))
    weights = merged.expand(theta[: n_features * n_classes].reshape(n_features, n_classes))
    return weights, theta[n_features * n_classes :], 1.0


def _lbfgs(
    loss_and_gradient: Callable[[np.ndarray], tuple[float, np.ndarray]],
    start: np.ndarray,
    settings: LearnedSettings,
    scale: np.ndarray,
) -> np.ndarray:
    """Limited-memory BFGS with a backtracking line search, in numpy.

    scipy's L-BFGS-B spent 150 ms and a few hundred MB per step on this
    problem (classes x features parameters); this keeps `memory` pairs of
    vectors and stops, like scikit-learn, when no gradient component exceeds
    the tolerance (of the full problem: `scale` is what each merged parameter stands for).
    """
    memory = 5
    x = start.astype(np.float32)
    value, gradient = loss_and_gradient(x)
    history: list[tuple[np.ndarray, np.ndarray, float]] = []
    for _ in range(settings.max_iterations):
        if largest(gradient, scale) <= settings.tolerance:
            break
        direction = -gradient
        alphas = []
        for s, y, rho in reversed(history):
            alpha = rho * float(s @ direction)
            direction -= alpha * y  # in place: direction is always this iteration's own array
            alphas.append(alpha)
        if history:
            s, y, _ = history[-1]
            direction *= float(s @ y) / float(y @ y)
        else:
            direction /= max(1.0, float(np.linalg.norm(direction)))
        for (s, y, rho), alpha in zip(history, reversed(alphas)):
            direction += s * (alpha - rho * float(y @ direction))
        slope = float(gradient @ direction)
        if slope >= 0:  # not a descent direction: forget the curvature pairs
            history.clear()
            direction, slope = -gradient, -float(gradient @ gradient)
        step = 1.0
        while True:
            candidate = (x + step * direction).astype(np.float32, copy=False)
            new_value, new_gradient = loss_and_gradient(candidate)
            if new_value <= value + 1e-4 * step * slope or step < 1e-8:
                break
            step *= 0.5
        s, y = candidate - x, new_gradient - gradient
        curvature = float(s @ y)
        if curvature > 1e-12:
            history.append((s, y, 1.0 / curvature))
            if len(history) > memory:
                history.pop(0)
        x, value, gradient = candidate, new_value, new_gradient
    return x


def _fit_centroids(
    matrix: sparse.csr_matrix, target: np.ndarray, n_classes: int, settings: LearnedSettings
) -> tuple[np.ndarray, np.ndarray, float]:
    """Mean TF-IDF vector of each entry's texts, unit length: a cosine per entry, no optimisation."""
    from scipy import sparse

    membership = sparse.csr_matrix(
        (np.ones(len(target), dtype=np.float32), (target, np.arange(len(target)))), shape=(n_classes, len(target))
    )
    centroids = (membership @ matrix.astype(np.float32)).toarray()
    centroids /= np.maximum(np.linalg.norm(centroids, axis=1, keepdims=True), 1e-9)
    # A question's vector is two unit blocks (characters, words): halve to keep cosines in [0, 1].
    # Halved in place, then one transposed copy: the dense classes x features array (64 MB at 1,000
    # entries) exists twice at most, not three times (same values: a halving is exact).
    centroids *= 0.5
    return np.ascontiguousarray(centroids.T), np.zeros(n_classes), settings.centroid_temperature


# --------------------------------------------------------------------------- from a knowledge base

CACHE_NAME = "matcher"


def training_pairs(kb: KnowledgeBase, normalize: Callable[[str], str]) -> tuple[list[str], list[str]]:
    """Every phrasing, title and keyword of every entry, read the way questions are read (age bands included)."""
    texts: list[str] = []
    labels: list[str] = []
    for entry_id, entry in sorted(kb.entries.items()):
        for text in (*kb.phrasings_of(entry_id), entry.title, *entry.keywords):
            normalized = " ".join(with_age_bands(normalize(text).split()))
            if normalized:
                texts.append(normalized)
                labels.append(entry_id)
    return texts, labels


def may_learn(kb: KnowledgeBase, settings: LearnedSettings | None = None) -> bool:
    """Whether a base this size gets a learned model at all (beyond, the lexical matcher alone)."""
    return choose_kind(len(kb.entries), 0, settings or LearnedSettings()) is not None


def model_for(
    kb: KnowledgeBase,
    normalize: Callable[[str], str],
    cache: ModelCache | None = None,
    settings: LearnedSettings | None = None,
    pairs: tuple[list[str], list[str]] | None = None,
) -> LearnedModel | None:
    """The learned model of this base's content: from the cache, or trained now; None when too large.

    `pairs`: the base's texts already normalised (`training_pairs`), when the
    caller has read them anyway.
    """
    settings = settings or LearnedSettings()
    if not may_learn(kb, settings):  # too many entries: not even worth reading them
        return None
    texts, labels = pairs if pairs is not None else training_pairs(kb, normalize)
    if choose_kind(len(set(labels)), len(texts), settings) is None:
        return None
    key = training_key(texts, labels, settings)
    arrays = (cache or DEFAULT_CACHE).get(CACHE_NAME, key, lambda: train(texts, labels, settings) or {})
    try:
        return LearnedModel(arrays) if arrays else None
    except (KeyError, ValueError, TypeError):  # a cache file from another version: train again, uncached
        fresh = train(texts, labels, settings)
        return LearnedModel(fresh) if fresh else None
