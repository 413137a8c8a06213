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
from typing import TYPE_CHECKING

import numpy as np

from bot.understanding.model_cache import DEFAULT_CACHE, ModelCache

if TYPE_CHECKING:  # the knowledge package imports this one: no import cycle at run time
    from bot.knowledge.model import KnowledgeBase

Arrays = dict[str, np.ndarray]

MODEL_FORMAT = 1  # bump when the arrays' meaning changes: old cache files are then ignored


@dataclass(frozen=True)
class LearnedSettings:
    """How the learned model is built; part of the cache key."""

    char_ngrams: tuple[int, int] = (2, 5)
    word_ngrams: tuple[int, int] = (1, 2)
    max_char_features: int = 8000  # the most frequent n-grams: halves training time, same accuracy
    regularisation_c: float = 10.0
    max_iterations: int = 300
    tolerance: float = 1e-3
    centroid_temperature: float = 0.05
    max_logreg_classes: int = 150
    max_centroid_classes: int = 1500  # centroids are dense: classes x features floats
    max_word_features: int = 8000
    max_logreg_texts: int = 20000

    def fingerprint(self) -> str:
        return repr((MODEL_FORMAT, self))


# --------------------------------------------------------------------------- features


def char_ngrams(text: str, low: int, high: int) -> list[str]:
    """Character n-grams inside word boundaries, padded with a space (like scikit-learn's `char_wb`)."""
    grams: list[str] = []
    for word in text.split():
        padded = f" {word} "
        length = len(padded)
        for n in range(low, high + 1):
            if length < n:
                break
            grams.extend(padded[i : i + n] for i in range(length - n + 1))
    return grams


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
        counts = Counter(g for g in grams if g in self.index)
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
        return exp / exp.sum()


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
    """Train on (normalised text, entry id) pairs; None when the base is too large for any model."""
    settings = settings or LearnedSettings()
    names = sorted(set(labels))
    kind = choose_kind(len(names), len(texts), settings)
    if kind is None:
        return None
    from scipy import sparse
    from sklearn.feature_extraction.text import TfidfVectorizer

    def vectorizer(analyzer, max_features: int | None) -> TfidfVectorizer:
        return TfidfVectorizer(analyzer=analyzer, sublinear_tf=True, max_features=max_features, lowercase=False)

    chars = vectorizer(lambda t: char_ngrams(t, *settings.char_ngrams), settings.max_char_features)
    words = vectorizer(lambda t: word_ngrams(t, *settings.word_ngrams), settings.max_word_features)
    matrix = sparse.hstack([chars.fit_transform(texts), words.fit_transform(texts)]).tocsr()
    position = {name: i for i, name in enumerate(names)}
    target = np.array([position[label] for label in labels])
    if kind == "logreg":
        weights, bias, temperature = _fit_logreg(matrix, target, settings)
    else:
        weights, bias, temperature = _fit_centroids(matrix, target, len(names), settings)
    return {
        "kind": np.array(kind),
        "labels": np.array(names),
        "ngrams": np.array([*settings.char_ngrams, *settings.word_ngrams]),
        "char_terms": np.array(chars.get_feature_names_out().tolist() or [""]),
        "char_idf": chars.idf_.astype(np.float32),
        "word_terms": np.array(words.get_feature_names_out().tolist() or [""]),
        "word_idf": words.idf_.astype(np.float32),
        "weights": weights.astype(np.float32),
        "bias": bias.astype(np.float32),
        "temperature": np.array(temperature),
    }


def _fit_logreg(matrix, target: np.ndarray, settings: LearnedSettings) -> tuple[np.ndarray, np.ndarray, float]:
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=settings.regularisation_c, max_iter=settings.max_iterations, tol=settings.tolerance)
    model.fit(matrix, target)
    return model.coef_.T, model.intercept_, 1.0


def _fit_centroids(
    matrix, target: np.ndarray, n_classes: int, settings: LearnedSettings
) -> tuple[np.ndarray, np.ndarray, float]:
    """Mean TF-IDF vector of each entry's texts, unit length: a cosine per entry, no optimisation."""
    from scipy import sparse

    membership = sparse.csr_matrix(
        (np.ones(len(target)), (target, np.arange(len(target)))), shape=(n_classes, len(target))
    )
    centroids = (membership @ matrix).toarray().astype(np.float32)
    centroids /= np.maximum(np.linalg.norm(centroids, axis=1, keepdims=True), 1e-9)
    # A question's vector is two unit blocks (characters, words): halve to keep cosines in [0, 1].
    return centroids.T * 0.5, np.zeros(n_classes), settings.centroid_temperature


# --------------------------------------------------------------------------- from a knowledge base

CACHE_NAME = "matcher"


def training_pairs(kb: KnowledgeBase, normalize: Callable[[str], str]) -> tuple[list[str], list[str]]:
    """Every phrasing, title and keyword of every entry, read the way questions are read."""
    texts: list[str] = []
    labels: list[str] = []
    for entry_id, entry in sorted(kb.entries.items()):
        for text in (*kb.phrasings_of(entry_id), entry.title, *entry.keywords):
            normalized = normalize(text)
            if normalized:
                texts.append(normalized)
                labels.append(entry_id)
    return texts, labels


def model_for(
    kb: KnowledgeBase,
    normalize: Callable[[str], str],
    cache: ModelCache | None = None,
    settings: LearnedSettings | None = None,
) -> LearnedModel | None:
    """The learned model of this base's content: from the cache, or trained now; None when too large."""
    settings = settings or LearnedSettings()
    texts, labels = training_pairs(kb, normalize)
    if choose_kind(len(set(labels)), len(texts), settings) is None:
        return None
    key = training_key(texts, labels, settings)
    arrays = (cache or DEFAULT_CACHE).get(CACHE_NAME, key, lambda: train(texts, labels, settings) or {})
    try:
        return LearnedModel(arrays) if arrays else None
    except (KeyError, ValueError, TypeError):  # a cache file from another version: train again, uncached
        fresh = train(texts, labels, settings)
        return LearnedModel(fresh) if fresh else None
