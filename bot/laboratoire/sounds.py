"""How a French word sounds, roughly: the key that meets its SMS and phonetic spellings.

Residents write words as they hear them: « chofage » for « chauffage »,
« asanceur » for « ascenseur », « electrisien », « plonbier ». Such forms
are often three letters away from the word, further than any typing mistake,
and sometimes one letter from another word (« chofage » / « chômage »). A
rough phonetic key — the letters that spell one sound brought to one
(eau/au -> o, ph -> f, qu/c+a,o,u -> k, c+e,i -> s, z -> s, g+e,i -> j,
en/em -> an, doubled letters once, silent h and endings dropped) — makes such spellings
equal while leaving most different words different. It is only used where
a word is looked up in the mediators' lists, after the exact forms.
"""

from __future__ import annotations

import re
from functools import lru_cache

from bot.understanding.normalize import fold

SOUND_MIN_LENGTH = 5  # shorter words sound too much alike ("pain", "pin", "pont")
_RULES = [
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"eau|au|ault|aut", "o"),
        (r"ph", "f"),
        (r"ch", "§"),  # kept apart from c/h below
        (r"qu|ck|q", "k"),
        (r"s?c(?=[eiy])", "s"),
        (r"c", "k"),
        (r"g(?=[eiy])", "j"),
        (r"gu(?=[eiy])", "g"),
        (r"h", ""),
        (r"n(?=[bp])", "m"),
        (r"z", "s"),  # residents rarely hear s and z apart in writing ("moisisure", "asanceur")
        (r"(.)\1+", r"\1"),
        (r"y", "i"),
        (r"e[nm](?=[^aeiouy]|$)|a[nm](?=[^aeiouy]|$)", "an"),
        (r"(?:ai|ei)(?=[^n]|$)", "e"),
        (r"(?<=.{3})(?:ent|es|e|s|t|x|d)$", ""),
        (r"(?<=.{3})(?:er|ez|et)$", "e"),
    )
]


@lru_cache(maxsize=65536)
def sound_key(word: str) -> str:
    """The rough sound of one word ("chofage" and "chauffage" -> "§ofaj"); "" when too short to tell."""
    key = fold(word).replace(" ", "")
    if len(key) < SOUND_MIN_LENGTH:
        return ""
    for pattern, replacement in _RULES:
        key = pattern.sub(replacement, key)
    return key if len(key) >= SOUND_MIN_LENGTH - 1 else ""
