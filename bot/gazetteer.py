"""Recognising which quartier a resident lives in from the words they use.

People rarely write "Lambézellec": they write "lambé", a street, a
sub-neighbourhood ("Pontanézen"), a landmark. The gazetteer turns every name
the mediators listed into folded word sequences and looks for them, allowing a
typo in long names. Names the reference is unsure about stay unsure: the
detector reports them as candidates instead of a confident answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz import fuzz

from bot.knowledge import KnowledgeBase
from bot.normalize import fold

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
            for name in certain:
                self._add(names, name, quartier.id, False)
            for area in quartier.sub_areas:
                for name in (area.name, *area.variants):
                    self._add(names, name, quartier.id, area.uncertain)
        self._names = [
            _Name(words, quartier, uncertain)
            for words, owners in names.items()
            for quartier, uncertain in sorted(owners)
        ]
        self._by_length = sorted({len(n.words) for n in self._names}, reverse=True)
        self._index: dict[tuple[str, ...], list[_Name]] = {}
        for name in self._names:
            self._index.setdefault(name.words, []).append(name)
        self._fuzzy = [n for n in self._names if len(" ".join(n.words)) >= _FUZZY_MIN_CHARS]

    @staticmethod
    def _add(names: dict, text: str, quartier: str, uncertain: bool) -> None:
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
        for start in range(len(words)):
            for size in self._by_length:
                end = start + size
                if end > len(words):
                    continue
                window = tuple(words[start:end])
                if exact:
                    hits = self._index.get(window)
                else:
                    joined = " ".join(window)
                    hits = [
                        n for n in self._fuzzy
                        if len(n.words) == size and fuzz.ratio(joined, " ".join(n.words)) >= _FUZZY_CUTOFF
                    ]
                if hits:
                    return start, end, hits
        return None
