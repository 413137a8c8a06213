"""The quartier named after /quartier (« /quartier europ »), misspelt or not.

Why: « /quartier europ » showed the five buttons again and dropped the word,
so the resident had to answer a question they had already answered. The
matcher knows quartiers' names and places; a close spelling of a quartier's
own name (« europ », « belevu ») is accepted too, nothing looser: a wrong
quartier would send the resident to the wrong office.
"""

from __future__ import annotations

from rapidfuzz import fuzz, process

from bot.knowledge.engine import Snapshot
from bot.understanding.normalize import fold

MIN_SIMILARITY = 80  # « europ » / « europe » is 91, « bellevue » / « lambezellec » far below


def quartier_named(snapshot: Snapshot, words: str) -> str | None:
    """The id of the quartier the words name, or None when they name none (or several)."""
    folded = fold(words) if isinstance(words, str) else ""
    if not folded:
        return None
    kb = snapshot.kb
    match = snapshot.matcher.match(words)
    if match.quartier in kb.quartiers:
        return match.quartier
    spellings = {
        fold(name): quartier.id for quartier in kb.quartiers.values() for name in (quartier.name, *quartier.names)
    }
    best = process.extractOne(folded, list(spellings), scorer=fuzz.ratio, score_cutoff=MIN_SIMILARITY)
    return spellings[best[0]] if best else None
