"""Two simple matchers the bot must beat, built on the same knowledge base.

The bot's word-level matcher is only worth its complexity if it clearly beats
what anyone would try first:

* `NaiveFuzzy`: one rapidfuzz call over every phrasing (WRatio, default
  processing), the answer is the entry owning the closest phrasing;
* `Bm25`: one BM25 document per entry (phrasings + title + keywords), folded
  like the bot folds text (accents, case, punctuation) and split on spaces.

Both only rank; `best_threshold` then gives each one the abstention threshold
that suits it best on the evaluation set, so the comparison is fair to them.
Used by bench/eval.py (quality) and bench/speed.py (speed).
"""

from __future__ import annotations

import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz, process, utils

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.knowledge import KnowledgeBase  # noqa: E402
from bot.understanding.normalize import fold  # noqa: E402

Ranking = list[tuple[str, float]]  # (entry id, score), best first, one row per entry


class NaiveFuzzy:
    """`process.extractOne(question, all_phrasings, WRatio, default_process)`."""

    name = "naive rapidfuzz"

    def __init__(self, kb: KnowledgeBase) -> None:
        self.phrasings: list[str] = []
        self.owners: list[str] = []
        for entry_id in sorted(kb.entries):
            for phrasing in kb.phrasings_of(entry_id):
                self.phrasings.append(phrasing)
                self.owners.append(entry_id)

    def best(self, question: str) -> tuple[str | None, float]:
        """The single call the baseline is about; this is what speed.py times."""
        hit = process.extractOne(question, self.phrasings, scorer=fuzz.WRatio, processor=utils.default_process)
        if hit is None:
            return None, 0.0
        return self.owners[hit[2]], float(hit[1])

    def rank(self, question: str, k: int = 3) -> Ranking:
        """Top-k entries (an entry scores by its best phrasing); top-1 equals `best`."""
        best_id, best_score = self.best(question)
        if best_id is None:
            return []
        ranking: Ranking = [(best_id, best_score)]
        if k > 1:
            hits = process.extract(
                question, self.phrasings, scorer=fuzz.WRatio, processor=utils.default_process, limit=None
            )
            for _, score, index in hits:
                owner = self.owners[index]
                if all(owner != seen for seen, _ in ranking):
                    ranking.append((owner, float(score)))
                    if len(ranking) == k:
                        break
        return ranking


def bm25_tokens(text: str) -> list[str]:
    """The bot's own folding (no accents, no punctuation), split on spaces."""
    return fold(text).split()


class Bm25:
    """bm25s over one document per entry: its phrasings, title and keywords."""

    name = "BM25 (bm25s)"

    def __init__(self, kb: KnowledgeBase) -> None:
        import bm25s  # here, not at the top: speed.py's memory figures must not carry its ~20 MB

        self.entry_ids = sorted(kb.entries)
        corpus = []
        for entry_id in self.entry_ids:
            entry = kb.entries[entry_id]
            texts = (*kb.phrasings_of(entry_id), entry.title, *entry.keywords)
            corpus.append([token for text in texts for token in bm25_tokens(text)])
        self.retriever = bm25s.BM25()
        self.retriever.index(corpus, show_progress=False)
        self._vocab = self.retriever.vocab_dict

    def scores(self, question: str) -> np.ndarray:
        """One BM25 score per entry (in `entry_ids` order); zeros when no word is known."""
        tokens = [t for t in bm25_tokens(question) if t in self._vocab]
        if not tokens:  # bm25s cannot score an empty query
            return np.zeros(len(self.entry_ids))
        return self.retriever.get_scores(tokens)

    def rank(self, question: str, k: int = 3) -> Ranking:
        scores = self.scores(question)
        order = np.argsort(-scores, kind="stable")[:k]
        return [(self.entry_ids[i], float(scores[i])) for i in order if scores[i] > 0]


@dataclass(frozen=True)
class Threshold:
    """The abstention threshold that maximises correct decisions on a set."""

    value: float  # answer when the top score is >= value
    correct: int  # in-scope top-1 right + out-of-scope left unanswered
    total: int


def best_threshold(tops: Sequence[tuple[str | None, float]], expected: Sequence[Sequence[str]]) -> Threshold:
    """Sweep every useful threshold; keep the one with the most correct decisions.

    `tops[i]` is a baseline's (top entry, score) for question i, `expected[i]`
    its accepted ids (empty = out of scope). A question counts as correct when
    it is in scope and answered with an accepted id, or out of scope and left
    unanswered. Ties go to the lowest threshold (the baseline answers more).
    """
    candidates = sorted({score for _, score in tops}) + [math.inf]
    best: Threshold | None = None
    for value in candidates:
        correct = 0
        for (top_id, score), accepted in zip(tops, expected):
            answered = top_id is not None and score >= value
            if accepted:
                correct += answered and top_id in accepted
            else:
                correct += not answered
        if best is None or correct > best.correct:
            best = Threshold(value, correct, len(tops))
    assert best is not None
    return best


BASELINES = (NaiveFuzzy, Bm25)
