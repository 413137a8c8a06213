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

from bot.understanding.left_place import left_before
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
    # Places named as ones the resident does not live in ("j'habite plus à Bellevue"): never their quartier.
    left: tuple[str, ...] = ()  # as written (folded)
    left_quartiers: tuple[str, ...] = ()  # the quartiers they name


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

    def detect(self, text: str, *, typos: bool = True) -> QuartierGuess:
        """Find the first place name in `text` the resident lives in; exact names win over typo-tolerant ones.

        `typos=False`: exact names only (/quartier asks to confirm a close spelling instead of taking it).

        A place said as left or not lived in ("j'habite plus à Bellevue", "je vis pas à Bellevue mais à
        Kérourien") is skipped: its words are still a place (in `spans`), its quartier is not the resident's.
        """
        words = fold(text).split()
        left: list[tuple[int, int]] = []
        left_quartiers: set[str] = set()
        begin = 0
        while True:
            found = self._find(words, exact=True, begin=begin)
            if found is None and typos:
                found = self._find(words, exact=False, begin=begin)
            if not found or not left_before(words, found[0]):
                break
            left.append((found[0], found[1]))
            left_quartiers.update(name.quartier for name in found[2])
            begin = found[1]
        names_left = tuple(" ".join(words[a:b]) for a, b in left)
        quartiers_left = tuple(sorted(left_quartiers))
        if not found:
            return QuartierGuess(spans=left, left=names_left, left_quartiers=quartiers_left)
        start, end, matches = found
        quartiers = sorted({m.quartier for m in matches})
        confident = [m for m in matches if not m.uncertain]
        guess = QuartierGuess(
            matched=" ".join(words[start:end]),
            spans=[*left, (start, end)],
            left=names_left,
            left_quartiers=quartiers_left,
        )
        if len(quartiers) == 1 and confident:
            guess.quartier = quartiers[0]
        else:
            guess.candidates = tuple(quartiers)
        return guess

    def _find(self, words: list[str], exact: bool, begin: int = 0) -> tuple[int, int, list[_Name]] | None:
        """The first (leftmost, then longest) window of words from `begin` on that names a place."""
        fuzzy_hits = {} if exact else self._fuzzy_hits(words)
        for start in range(begin, len(words)):
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
