"""The one lookup of a quartier named in words: /quartier in the chat and every --quartier option.

Why one: « /quartier europ » and « --quartier europ » must read the same way,
and the priority neighbourhoods residents name (Pontanézen, Kérourien,
Keredern, Quéliverzan-Pontaniou, Lambézellec Bourg, Kérangoff-Loti, as listed
in knowledge/quartiers/) must work everywhere, not only in the chat.

What is sure is taken at once (a quartier's id or name, a place the base ties
to one quartier). What is not sure is given back to confirm, never set on a
guess, since a wrong quartier sends the resident to the wrong office: a place
the base is unsure of (« Keredern, c'est bien Lambézellec ? ») and a close
spelling (« europ » → « Vouliez-vous dire Europe ? »).
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.knowledge.model import KnowledgeBase
from bot.understanding.gazetteer import Gazetteer
from bot.understanding.normalize import fold

MIN_SIMILARITY = 80  # « europ » / « europe » is 91, « bellevue » / « lambezellec » far below


@dataclass(frozen=True)
class QuartierLookup:
    """What the words name: a sure quartier, or quartiers to confirm, or nothing."""

    quartier: str | None = None
    candidates: tuple[str, ...] = ()  # to confirm before anything is set
    place: str = ""  # the sub-area named, as the mediators spell it (« Keredern »), else ""
    close_spelling: bool = False  # the candidates come from a spelling close to a name, not the name itself


def place_label(kb: KnowledgeBase, folded: str) -> str:
    """The place as the mediators spell it ("Kérourien"), from the folded words the resident typed."""
    for quartier in kb.quartiers.values():
        for area in quartier.sub_areas:
            if folded in {fold(area.name), *(fold(v) for v in area.variants)}:
                return area.name
    return folded.title() if folded else "Cet endroit"


def _sub_area(kb: KnowledgeBase, folded: str) -> str:
    """The sub-area's name when `folded` is one of its spellings, else "" (a quartier's own name)."""
    return next(
        (
            area.name
            for quartier in kb.quartiers.values()
            for area in quartier.sub_areas
            if folded in {fold(area.name), *(fold(v) for v in area.variants)}
        ),
        "",
    )


def lookup_quartier(kb: KnowledgeBase, gazetteer: Gazetteer, words: str) -> QuartierLookup:
    """Read the quartier in `words`: exact names first, then the base's places, then close spellings."""
    folded = fold(words) if isinstance(words, str) else ""
    if not folded:
        return QuartierLookup()
    named = kb.quartier_names().resolve(words)
    if named is not None:
        return QuartierLookup(named)
    exact = gazetteer.detect(words, typos=False)
    place = _sub_area(kb, exact.matched)
    if exact.quartier in kb.quartiers:
        return QuartierLookup(exact.quartier, place=place)
    candidates = tuple(q for q in exact.candidates if q in kb.quartiers)
    if candidates:
        return QuartierLookup(candidates=candidates, place=place or place_label(kb, exact.matched))
    return _close_spelling(kb, gazetteer, words, folded)


def _close_spelling(kb: KnowledgeBase, gazetteer: Gazetteer, words: str, folded: str) -> QuartierLookup:
    """A spelling one typo away from a place or a quartier's name, given back to confirm."""
    near = gazetteer.detect(words)
    found = (
        (near.quartier,) if near.quartier in kb.quartiers else tuple(q for q in near.candidates if q in kb.quartiers)
    )
    if found:
        return QuartierLookup(candidates=found, place=_sub_area(kb, near.matched), close_spelling=True)
    spellings: dict[str, str] = {}
    for quartier in kb.quartiers.values():
        for name in (quartier.name, *quartier.names):
            spellings.setdefault(fold(name), quartier.id)
    best = process.extractOne(folded, list(spellings), scorer=fuzz.ratio, score_cutoff=MIN_SIMILARITY)
    if best is None:
        return QuartierLookup()
    return QuartierLookup(candidates=(spellings[best[0]],), close_spelling=True)
