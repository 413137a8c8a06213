"""French stemming as the bot does it: Snowball for long words, short ones only lose a plural mark.

Why one module: the matcher and the laboratoire's grouping must cut words the
same way, or a need would be grouped under a stem the matcher never answers.
Snowball folds short words together too eagerly ("hier" and "hi", "serie" and
"sers"), and a collision on a short word is a wrong answer.

`snowballstemmer.stemmer` hands out PyStemmer's C implementation when it is
installed (a dependency since the cold index build of a 1,000-entry base spent
two seconds in Snowball's pure Python), else its own: the same stems either
way (tests/test_stemmer_c.py compares them word by word).
"""

from __future__ import annotations

from functools import lru_cache

import snowballstemmer


class Stemmer:
    """One Snowball stemmer with its own word cache (`stem`), cleared with `stem.cache_clear()`."""

    def __init__(self) -> None:
        self._snowball = snowballstemmer.stemmer("french")
        self.stem = lru_cache(maxsize=65536)(self._stem)

    def _stem(self, word: str) -> str:
        if word.isdigit() or len(word) <= 3:
            return word
        if len(word) <= 5:
            return word[:-1] if word[-1] in "sx" else word
        stem: str = self._snowball.stemWord(word)  # snowballstemmer has no type hints
        return stem
