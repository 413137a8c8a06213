"""French text normalisation shared by the matcher, the gazetteer and the validator.

Residents type on phones: no accents, SMS forms, stretched letters ("merciiii"),
glued elisions ("jai", "lapl"). Everything that compares text goes through the
same `fold` so that a phrasing in the knowledge base and a question typed in a
hurry meet on common ground.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss", "€": " euros "})
_NON_WORD = re.compile(r"[^a-z0-9]+")
_STRETCHED = re.compile(r"([a-z])\1{2,}")
_COMBINING = re.compile("[\u0300-\u036f]+")  # the diacritics NFKD splits off Latin letters
# "a+" (SMS for "à plus", a goodbye) would fold to a bare "a", which says nothing: spell it out first.
_SMS_A_PLUS = re.compile(r"(?<![a-z0-9])a ?\+(?![a-z0-9+])")
_MAX_INPUT = 2000  # a question longer than this is cut: no resident question needs more


def strip_accents(text: str) -> str:
    """Remove diacritics ("é" -> "e") while keeping the base letters."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold(text: str, limit: int | None = _MAX_INPUT) -> str:
    """Lowercase, strip accents and punctuation, squeeze stretched letters and spaces.

    Apostrophes become spaces so "l'aide" gives "l aide"; digits are kept
    because "115" and "3919" mean something. Only the first `limit`
    characters are read (None: all), which keeps matching fast.
    """
    if type(text) is str and len(text) <= _MAX_INPUT and (limit is None or len(text) <= limit):
        return _fold_whole(text)  # uncut: the same text gives the same result whatever the limit
    return _fold(text[:limit])


@lru_cache(maxsize=32768)
def _fold_whole(text: str) -> str:
    """`fold` of a text short enough to be read whole, remembered.

    A cold start folds the same ~25,000 phrasings about twice each (validation,
    index, danger detector, its exact expressions); answering folds a message
    and its clauses several times.
    """
    return _fold(text)


def _fold(text: str) -> str:
    if not text.isascii():  # fold runs on every phrasing at load: plain ASCII skips the Unicode work
        text = text.translate(_LIGATURES)
        text = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    text = text.lower()
    if "+" in text:
        text = _SMS_A_PLUS.sub(" a plus ", text)
    text = _NON_WORD.sub(" ", text)
    text = _STRETCHED.sub(r"\1", text)
    return " ".join(text.split())


_ELIDED = frozenset({"j", "l", "d", "m", "t", "s", "n", "c", "qu"})


def glue_elisions(folded: str) -> str:
    """Glue each elided word to the next: "m a frappe" and "ma frappe" both give "ma frappe".

    Residents type "m'a", "ma" or "m a" for the same words; comparing glued
    forms makes them meet, whichever way a phrase or a message was written.
    """
    words = folded.split()
    glued: list[str] = []
    i = 0
    while i < len(words):
        if words[i] in _ELIDED and i + 1 < len(words):
            glued.append(words[i] + words[i + 1])
            i += 2
        else:
            glued.append(words[i])
            i += 1
    return " ".join(glued)


class Lexicon:
    """Rewrites residents' words into the knowledge base's words ("cmu" -> "css").

    Keys may be several words; the longest match wins, on whole words only,
    so "pole emploi" is rewritten but "pole" alone is left alone.
    """

    def __init__(self, mapping: dict[str, str] | None = None) -> None:
        self._map: dict[tuple[str, ...], tuple[str, ...]] = {}
        for source, target in (mapping or {}).items():
            key = tuple(fold(source).split())
            if key:
                self._map[key] = tuple(fold(target).split())
        self._longest = max((len(k) for k in self._map), default=0)
        self._first_words = frozenset(k[0] for k in self._map)  # most words start no key: one set lookup

    def __len__(self) -> int:
        return len(self._map)

    def rewrite(self, words: list[str]) -> list[str]:
        if self._first_words.isdisjoint(words):  # most texts hold no lexicon word: one set operation in C
            return list(words)
        out: list[str] = []
        i = 0
        while i < len(words):
            if words[i] not in self._first_words:
                out.append(words[i])
                i += 1
                continue
            for size in range(min(self._longest, len(words) - i), 0, -1):
                replacement = self._map.get(tuple(words[i : i + size]))
                if replacement is not None:
                    out.extend(replacement)
                    i += size
                    break
            else:
                out.append(words[i])
                i += 1
        return out


class Normalizer:
    """`fold` followed by the lexicon: the one way text is read everywhere."""

    def __init__(self, lexicon: Lexicon | None = None) -> None:
        self.lexicon = lexicon or Lexicon()
        # Large enough for a whole base: at a cold start the danger detector reads again the phrasings
        # the index has just read (~9,000 texts on the shipped base).
        self._cached = lru_cache(maxsize=32768)(self._normalize)

    def _normalize(self, text: str) -> str:
        return " ".join(self.lexicon.rewrite(fold(text).split()))

    def __call__(self, text: str) -> str:
        return self._cached(text)

    def words(self, text: str) -> list[str]:
        return self(text).split()
