"""A third reading of a question for the matcher: its meaning, by the multilingual sentence encoder.

Character and word n-grams need the resident to share letters with some
phrasing of the knowledge base. A message in English, or one that tells a
situation in words no phrasing uses, shares few. The sentence encoder the
laboratoire already ships (`bot/laboratoire/sentences.py`, Universal Sentence
Encoder multilingual v3, numpy only) places sentences of one meaning close
together whatever their words. Every phrasing, title and keyword of the base
is encoded once (cached in the data directory, keyed by the content); a
question is encoded and its nearest texts vote for their entries (k nearest
neighbours, softmax of the cosine). Measured on the base's cross-validation
(`bench/sentence_evidence.py`): the entry read best by the three readings
fused is the expected one 94.1 % of the time, against 93.3 % for the two;
nearest centroids instead of neighbours gained only 0.2-0.3 point.

Encoding the shipped base costs about 12 s of CPU on a cold start and loading
the encoder about 1.4 s, so the bot never waits for it: `bot/knowledge/engine.py`
builds this reading in a background thread and switches it on when it is ready
(the two other readings answer until then). A reload encodes only the texts the
last reading did not hold (`previous`). Nothing is built beyond `MAX_TEXTS`
texts (a 1,000-entry base has 64,000).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from contextlib import AbstractContextManager, nullcontext
from functools import cache
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from bot.understanding.mapped_encoder import map_embedding_table, release_table_pages
from bot.understanding.model_cache import DEFAULT_CACHE, ModelCache

if TYPE_CHECKING:  # the knowledge package imports this one: no import cycle at run time
    from bot.knowledge.model import KnowledgeBase

CACHE_NAME = "sentences"
FORMAT = 1  # bump when the arrays' meaning changes: old cache files are then ignored
NEIGHBOURS = 10  # measured on cross-validation, not tuned further
TEMPERATURE = 0.05  # softmax temperature over cosines: a neighbour 0.05 closer weighs e times more
MAX_TEXTS = 20000  # beyond, encoding at start-up takes minutes: no sentence reading at all
_BATCH = 64


class Encoder(Protocol):
    def encode(self, texts: list[str]) -> np.ndarray: ...


class SentenceEvidence:
    """Per entry, how much the question's nearest knowledge-base texts in meaning vote for it."""

    def __init__(self, arrays: dict[str, np.ndarray], encoder: Encoder, texts: Sequence[str] = ()) -> None:
        self.labels: list[str] = [str(x) for x in arrays["labels"]]
        # dimensions x texts, unit columns: a question's cosines are one row-vector product, about 0.5 ms.
        # A transposed view of the cached array, not a copy: the copy was 18 MB more for the same product.
        self._columns = np.asarray(arrays["vectors"], dtype=np.float32).T
        self._owner = arrays["owner"].astype(np.int64)  # entry index (in `labels`) of each text
        if texts and len(texts) != self._columns.shape[1]:
            raise ValueError("one text per vector")
        self._texts = list(texts)  # what each vector encodes, so that a reload re-encodes only new texts
        self.encoder = encoder

    def warm_up(self) -> None:
        """Have the encoder load its weights now (about 1.4 s), not at the first resident's message."""
        self.encoder.encode(["bonjour"])

    def known_vectors(self) -> dict[str, np.ndarray]:
        """The vector of every text this reading encoded (empty when built without its texts)."""
        return dict(zip(self._texts, self._columns.T))

    def probabilities(self, text: str) -> np.ndarray:
        """One value per label (in `labels` order), summing to 1; flat when the text says nothing to the encoder."""
        n_labels = len(self.labels)
        query = _unit(np.asarray(self.encoder.encode([text]), dtype=np.float32))[0]
        if not query.any() or self._columns.shape[1] == 0:
            return np.full(n_labels, 1.0 / n_labels)
        with _one_blas_thread():
            cosines = query @ self._columns
        k = min(NEIGHBOURS, len(cosines))
        nearest = np.argpartition(-cosines, k - 1)[:k]
        votes = np.exp((cosines[nearest] - cosines[nearest].max()) / TEMPERATURE)
        values = np.bincount(self._owner[nearest], weights=votes, minlength=n_labels)
        result: np.ndarray = values / values.sum()
        return result


def _one_blas_thread() -> AbstractContextManager[object]:
    """One BLAS thread for the product: on two shared cores, BLAS's own threads made it 4x slower in wall time."""
    controller = _blas_controller()
    return controller.limit(limits=1, user_api="blas") if controller is not None else nullcontext()


@cache
def _blas_controller() -> Any:
    try:
        from threadpoolctl import ThreadpoolController  # comes with scikit-learn
    except ImportError:
        return None
    return ThreadpoolController()


def _unit(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    units: np.ndarray = np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 1e-12)
    return units


def sentence_texts(kb: KnowledgeBase) -> tuple[list[str], list[str]]:
    """Every phrasing, title and keyword as written (the encoder reads accents and punctuation), with its entry."""
    texts: list[str] = []
    labels: list[str] = []
    for entry_id, entry in sorted(kb.entries.items()):
        for text in (*kb.phrasings_of(entry_id), entry.title, *entry.keywords):
            if text.strip():
                texts.append(text)
                labels.append(entry_id)
    return texts, labels


def _key(texts: Sequence[str], labels: Sequence[str], encoder_name: str) -> str:
    digest = hashlib.sha256(f"{FORMAT}:{NEIGHBOURS}:{encoder_name}".encode())
    for label, text in zip(labels, texts):
        digest.update(f"{len(label)}:{label}{len(text)}:{text}".encode())
    return digest.hexdigest()[:32]


def encode_all(encoder: Encoder, texts: Sequence[str], known: dict[str, np.ndarray] | None = None) -> np.ndarray:
    """Unit vectors of `texts`, encoded in batches, each written straight into the one result array.

    `known`: vectors already encoded (the last reading's), taken as they are: a
    mediator's edit re-encodes its few new phrasings, not the 9,000 others.
    Cold start-up's peak memory is set here (`_release_pages`): no dict of the
    9,000 fresh vectors beside the result (18 MB), and the encoder's mapped
    table read back to the page cache after every batch.
    """
    known = known or {}
    if not texts:
        return np.zeros((0, 1), dtype=np.float32)
    rows_of: dict[str, list[int]] = {}
    for row, text in enumerate(texts):
        rows_of.setdefault(text, []).append(row)
    missing = [text for text in rows_of if text not in known]
    vectors: np.ndarray | None = None
    for i in range(0, len(missing), _BATCH):
        batch = missing[i : i + _BATCH]
        encoded = _unit(np.asarray(encoder.encode(batch), dtype=np.float32))
        if vectors is None:
            vectors = np.empty((len(texts), encoded.shape[1]), dtype=np.float32)
        for text, vector in zip(batch, encoded):
            vectors[rows_of[text]] = vector
        release_table_pages(encoder)
    if vectors is None:  # every text known already
        vectors = np.empty((len(texts), len(next(iter(known.values())))), dtype=np.float32)
    for text, rows in rows_of.items():
        if text in known:
            vectors[rows] = known[text]
    return vectors


def sentence_evidence_for(
    kb: KnowledgeBase,
    encoder: Encoder | None = None,
    cache: ModelCache | None = None,
    previous: SentenceEvidence | None = None,
) -> SentenceEvidence | None:
    """The sentence reading of this base's content: from the cache, or encoded now.

    None without an encoder (package missing) or beyond `MAX_TEXTS` texts.
    `previous` (the reading of the base before a reload): its vectors are reused.
    """
    texts, labels = sentence_texts(kb)
    if not texts or len(texts) > MAX_TEXTS:
        return None
    if encoder is None:
        from bot.laboratoire.sentences import shipped_encoder  # loaded once per process, shared with the laboratoire

        encoder = shipped_encoder()
        if encoder is None:
            return None
        map_embedding_table(encoder, (cache or DEFAULT_CACHE).directory)  # 62 MB less resident (mapped_encoder.py)
    names = sorted(set(labels))
    position = {name: i for i, name in enumerate(names)}

    def build() -> dict[str, np.ndarray]:
        return {
            "labels": np.array(names),
            "vectors": encode_all(encoder, texts, previous.known_vectors() if previous is not None else None),
            "owner": np.array([position[label] for label in labels], dtype=np.int32),
        }

    key = _key(texts, labels, type(encoder).__module__ + "." + type(encoder).__qualname__)
    arrays = (cache or DEFAULT_CACHE).get(CACHE_NAME, key, build)
    try:
        return SentenceEvidence(arrays, encoder, texts)
    except (KeyError, ValueError, TypeError):  # a cache file from another version: encode again, uncached
        return SentenceEvidence(build(), encoder, texts)
