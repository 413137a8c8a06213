"""Recognising which quartier a resident lives in from the words they use.

People rarely write "Lambézellec": they write "lambé", a street, a
sub-neighbourhood ("Pontanézen"), a landmark. The gazetteer turns every name
the mediators listed into folded word sequences and looks for them, allowing a
typo in long names. Names the reference is unsure about stay unsure: the
detector reports them as candidates instead of a confident answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from rapidfuzz import fuzz, process

from bot.understanding.normalize import fold

if TYPE_CHECKING:  # the knowledge package imports this one: no import cycle at run time
    from bot.knowledge.model import KnowledgeBase

_FUZZY_MIN_CHARS = 7  # shorter names must be typed exactly: "bouguen" yes, "quizac" no
_FUZZY_CUTOFF = 87
_ARTICLES = frozenset({"le", "la", "les", "l"})


@dataclass(frozen=True)
class _Name:
    words: tuple[str, ...]
    quartier: str
    uncertain: bool


@dataclass
class QuartierGuess:
    """The quartier found in a text, or the candidates when the place is ambiguous."""

    quartier: str | None = None
    matched: str = ""
    candidates: tuple[str, ...] = ()
    spans: list[tuple[int, int]] = field(default_factory=list)  # word spans in fold(text)


class Gazetteer:
    def __init__(self, kb: KnowledgeBase) -> None:
        names: dict[tuple[str, ...], set[tuple[str, bool]]] = {}
        for quartier in kb.quartiers.values():
            certain = (quartier.name, *quartier.names, *quartier.streets, *quartier.landmarks)
            for text in certain:
                self._add(names, text, quartier.id, False)
            for area in quartier.sub_areas:
                for text in (area.name, *area.variants):
                    self._add(names, text, quartier.id, area.uncertain)
        self._names = [
            _Name(words, quartier, uncertain)
            for words, owners in names.items()
            for quartier, uncertain in sorted(owners)
        ]
        self._by_length = sorted({len(n.words) for n in self._names}, reverse=True)
        self._index: dict[tuple[str, ...], list[_Name]] = {}
        for name in self._names:
            self._index.setdefault(name.words, []).append(name)
        # Typo-tolerant candidates, grouped by word count so one batch call
        # (rapidfuzz's cdist) compares every window of a question at once.
        self._fuzzy: dict[int, tuple[list[str], list[_Name]]] = {}
        for name in self._names:
            joined = " ".join(name.words)
            if len(joined) >= _FUZZY_MIN_CHARS:
                texts, owners = self._fuzzy.setdefault(len(name.words), ([], []))
                texts.append(joined)
                owners.append(name)

    @staticmethod
    def _add(names: dict[tuple[str, ...], set[tuple[str, bool]]], text: str, quartier: str, uncertain: bool) -> None:
        words = tuple(fold(text).split())
        if words:
            names.setdefault(words, set()).add((quartier, uncertain))
        if len(words) > 1 and words[0] in _ARTICLES:  # "au Bouguen" names "Le Bouguen"
            names.setdefault(words[1:], set()).add((quartier, uncertain))

    def detect(self, text: str) -> QuartierGuess:
        """Find the first place name in `text`; exact names win over typo-tolerant ones."""
        words = fold(text).split()
        found = self._find(words, exact=True) or self._find(words, exact=False)
        if not found:
            return QuartierGuess()
        start, end, matches = found
        quartiers = sorted({m.quartier for m in matches})
        confident = [m for m in matches if not m.uncertain]
        guess = QuartierGuess(matched=" ".join(words[start:end]), spans=[(start, end)])
        if len(quartiers) == 1 and confident:
            guess.quartier = quartiers[0]
        else:
            guess.candidates = tuple(quartiers)
        return guess

    def _find(self, words: list[str], exact: bool) -> tuple[int, int, list[_Name]] | None:
        """The first (leftmost, then longest) window of words that names a place."""
        fuzzy_hits = {} if exact else self._fuzzy_hits(words)
        for start in range(len(words)):
            for size in self._by_length:
                end = start + size
                if end > len(words):
                    continue
                hits = self._index.get(tuple(words[start:end])) if exact else fuzzy_hits.get((start, size))
                if hits:
                    return start, end, hits
        return None

    def _fuzzy_hits(self, words: list[str]) -> dict[tuple[int, int], list[_Name]]:
        """Every (start, size) window within one typo of a name, in one batch per size."""
        hits: dict[tuple[int, int], list[_Name]] = {}
        for size, (texts, owners) in self._fuzzy.items():
            if size > len(words):
                continue
            windows = [" ".join(words[i : i + size]) for i in range(len(words) - size + 1)]
            scores = process.cdist(windows, texts, scorer=fuzz.ratio, score_cutoff=_FUZZY_CUTOFF, dtype=np.uint8)
            for start, column in zip(*np.nonzero(scores)):
                hits.setdefault((int(start), size), []).append(owners[column])
        return hits
