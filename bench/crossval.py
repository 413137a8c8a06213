"""Cross-validation on the knowledge base's own phrasings: held-out questions nobody tuned on.

The 173 development questions no longer pin the matcher's thresholds down
(many settings tie on them, and the ties differ on residents' questions). The
knowledge base itself holds thousands of phrasings in residents' words. Split
each entry's phrasings into k folds; for each fold, build the lexical index
and train the learned model on the other folds (titles and keywords always
stay in), then read the fold's phrasings with that matcher, as questions:

* a phrasing of a right, a service or an intent must find its entry;
* a phrasing of a `hors-sujet/` file is out of scope and must be declined.

Both sides of the fused matcher are rebuilt per fold: a phrasing left in the
lexical index would match itself word for word. What comes out is the same
evidence `bench/tune.py` computes for the dev set (lexical scores and learned
probabilities of the whole message), so the same decision code scores both.

Given an encoder (`meaning_encoder`), each fold's matcher also reads by meaning,
its sentence reading built from the fold's texts only, as the warm bot reads
(the learned side then mixes the n-gram model with the meaning, and the
matcher's settings are the three readings' ones). Every text is encoded once
for all folds. Used by bench/cv.py and bench/cv_confusions.py.
"""

from __future__ import annotations

import dataclasses
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.config import load_settings  # noqa: E402
from bot.knowledge.engine import build_matcher  # noqa: E402
from bot.knowledge.model import KnowledgeBase  # noqa: E402
from bot.understanding.matcher import Matcher  # noqa: E402
from bot.understanding.model_cache import ModelCache  # noqa: E402
from bot.understanding.sentence_evidence import Encoder, encode_all, sentence_evidence_for, sentence_texts  # noqa: E402

SEED = 20261201
# A service that is the main office of at most this many rights is that right's own office
# (mdph, cpam, mission-locale…), not a hub every right sends to (caf, france-services, ccas).
OWN_OFFICE_AT_MOST = 4


@dataclass(frozen=True)
class HeldOut:
    """One phrasing read as a question: the entries that count as right (empty: out of scope)."""

    question: str
    expected: tuple[str, ...]


@dataclass
class Evidence:
    """Per question, the lexical scores and learned probabilities of the whole message (entry order)."""

    lexical: np.ndarray  # questions x entries
    learned: np.ndarray  # questions x entries
    expected: np.ndarray  # questions x entries, True where the entry is an expected answer

    def __len__(self) -> int:
        return len(self.lexical)

    @staticmethod
    def join(parts: list[Evidence]) -> Evidence:
        return Evidence(
            np.vstack([p.lexical for p in parts]),
            np.vstack([p.learned for p in parts]),
            np.vstack([p.expected for p in parts]),
        )


class Remembering:
    """The encoder, but each distinct text is encoded once for all folds."""

    def __init__(self, encoder: Encoder) -> None:
        self.encoder = encoder
        self.vectors: dict[str, np.ndarray] = {}

    def learn(self, texts: list[str]) -> None:
        fresh = [t for t in dict.fromkeys(texts) if t not in self.vectors]
        for text, vector in zip(fresh, encode_all(self.encoder, fresh)):
            self.vectors[text] = vector

    def encode(self, texts: list[str]) -> np.ndarray:
        self.learn(texts)
        return np.array([self.vectors[t] for t in texts])


def meaning_encoder(kb: KnowledgeBase, words_only: bool = False) -> Remembering | None:
    """The shipped sentence encoder, the base's texts encoded up front, as the bot reads (RELAIS_SENTENCES).

    None when `words_only`, when RELAIS_SENTENCES is off or when the encoder is
    not installed: the folds are then read by words and the n-gram model only.
    """
    if words_only or not load_settings().sentences:
        return None
    encoder = encoded_base(kb)
    if encoder is None:
        print("sentence encoder not installed: read by words and the n-gram model only", file=sys.stderr)
    return encoder


def encoded_base(kb: KnowledgeBase) -> Remembering | None:
    """The shipped sentence encoder with each text of the base encoded once, for every fold; None if not installed."""
    from bot.laboratoire.sentences import shipped_encoder

    shipped = shipped_encoder()
    if shipped is None:
        return None
    encoder = Remembering(shipped)
    encoder.learn(sentence_texts(kb)[0])
    return encoder


def with_meaning(matcher: Matcher, encoder: Encoder | None) -> Matcher:
    """`matcher` reading by meaning too (its own base's texts), when an encoder is given."""
    if encoder is not None:
        reading = sentence_evidence_for(matcher.kb, encoder, ModelCache())
        if reading is not None:
            matcher.attach_sentences(reading)
    return matcher


def readings_line(matcher: Matcher) -> str:
    """Which readings a cross-validation's figures are of (they differ by about a point)."""
    return "readings: words + n-gram model" + (" + meaning" if matcher.sentences is not None else "")


def fold_of_phrasings(kb: KnowledgeBase, k: int, seed: int = SEED) -> dict[str, list[int]]:
    """For every entry, the fold (0..k-1) of each of its phrasings: shuffled, then dealt round-robin.

    Dealing round-robin gives every entry about the same share of phrasings
    in each fold, so no fold leaves an entry without training texts.
    """
    rng = random.Random(seed)
    folds: dict[str, list[int]] = {}
    for entry_id in sorted(kb.entries):
        n = len(kb.phrasings_of(entry_id))
        order = list(range(n))
        rng.shuffle(order)
        assignment = [0] * n
        for position, index in enumerate(order):
            assignment[index] = position % k
        folds[entry_id] = assignment
    return folds


def own_offices(kb: KnowledgeBase) -> dict[str, set[str]]:
    """Each entry's interchangeable partners: a right and its own office, both ways.

    "je dois changer mon RIB à la CPAM" is as well answered by the CPAM's
    entry as by the health insurance right's, and the dev set accepts either
    (its expected lists pair a right with its office). A phrasing has only one
    entry, so without this the cross-validation would count such answers wrong
    and push the thresholds towards needless buttons.
    """
    first_service = {e.id: e.services[0] for e in kb.entries.values() if e.kind == "right" and e.services}
    rights_per_office: dict[str, int] = {}
    for office in first_service.values():
        rights_per_office[office] = rights_per_office.get(office, 0) + 1
    partners: dict[str, set[str]] = {entry_id: set() for entry_id in kb.entries}
    for right, office in first_service.items():
        if office in kb.entries and rights_per_office[office] <= OWN_OFFICE_AT_MOST:
            partners[right].add(office)
            partners[office].add(right)
    return partners


def without_fold(kb: KnowledgeBase, folds: dict[str, list[int]], fold: int) -> tuple[KnowledgeBase, list[HeldOut]]:
    """The base without fold `fold`'s phrasings, and those phrasings as questions."""
    entries = {}
    held_out: list[HeldOut] = []
    partners = own_offices(kb)
    for entry_id, entry in kb.entries.items():
        phrasings = kb.phrasings_of(entry_id)
        kept = tuple(p for p, f in zip(phrasings, folds[entry_id]) if f != fold)
        expected = () if entry.offtopic else (entry_id, *sorted(partners[entry_id]))
        held_out += [HeldOut(p, expected) for p, f in zip(phrasings, folds[entry_id]) if f == fold]
        entries[entry_id] = dataclasses.replace(entry, phrasings=kept)
    return dataclasses.replace(kb, entries=entries, learned={}), held_out


def evidence_of(matcher: Matcher, questions: list[tuple[str, tuple[str, ...]]]) -> Evidence:
    """What `Matcher._decide_fused` reads for each question's whole message, as matrices.

    With a sentence reading attached, the learned side holds the meaning of the
    message as written, as `Matcher._understand` mixes it.
    """
    assert matcher.learned is not None, "no learned model on this base"
    position = {entry_id: i for i, entry_id in enumerate(matcher.entry_ids)}
    n, n_entries = len(questions), len(matcher.entry_ids)
    lexical = np.zeros((n, n_entries))
    learned = np.zeros((n, n_entries))
    expected = np.zeros((n, n_entries), dtype=bool)
    for row, (question, wanted) in enumerate(questions):
        guess = matcher.gazetteer.detect(question)
        words = matcher._words_without_places(question, guess)
        lexical[row], learned[row] = matcher._evidence(words, matcher._meaning(question))
        for entry_id in wanted:
            if entry_id in position:
                expected[row, position[entry_id]] = True
    return Evidence(lexical, learned, expected)


def cross_validation(
    kb: KnowledgeBase, k: int = 5, seed: int = SEED, encoder: Encoder | None = None
) -> Iterator[tuple[Matcher, Evidence]]:
    """Per fold, the matcher built without it and its held-out phrasings' evidence (by meaning too, given `encoder`)."""
    folds = fold_of_phrasings(kb, k, seed)
    for fold in range(k):
        fold_kb, held_out = without_fold(kb, folds, fold)
        matcher = with_meaning(build_matcher(fold_kb, ModelCache()), encoder)  # memory only: never reused
        yield matcher, evidence_of(matcher, [(h.question, h.expected) for h in held_out])
