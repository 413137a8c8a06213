"""« C'est où la mairie de Lambé ? »: a question about a place gets that place, not a right.

Residents ask for a place by its kind ("la mairie", "le centre social",
"l'épicerie solidaire") and its quartier. The matcher reads rights and
services, so "mairie" led to the CCAS entry and the resident never got the
address asked for. When the message asks where (or for the address, hours or
phone) and names a place of the quartier it speaks of (else of the resident's
quartier, else a city-wide one), that place is the answer.

A place is named when the message holds the first word of its name
("mairie", "cpam", "épicerie") or two of its words ("france services"), the
quartier's own names set aside; "logement social" names no "centre social".
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.knowledge.model import CITY_WIDE, KnowledgeBase, Place, Quartier
from bot.understanding.normalize import fold

_ASKS_WHERE = re.compile(
    r"(^ou\b|\bc ?est ou\b|\bou (est|sont|se trouve|se situe|trouver|aller|ca se trouve|c est)\b|\bsitue\b"
    r"|\badresses?\b|\bhoraires?\b|\bheures? d ouverture\b|\bouvert\b|\bouvre\b|\bfermee?s?\b"
    r"|\btelephone\b|\btel\b|\bnumero\b|\bnum\b|\bcoordonnees\b|\bcontacter\b|\bjoindre\b"
    r"|\bwhere\b|\baddress\b|\bopening hours\b|\bphone number\b)"
)
# Words of the question itself and of any place name that say nothing about which place it is.
_GENERIC = frozenset(
    """
    c est cest ou se trouve trouver situe aller ca la le les l de du des d un une au aux a en et pour svp stp
    adresse adresses horaire horaires heure heures ouverture ouvert ouvre ferme fermee quand
    telephone numero tel joindre
    quel quelle quels quelles qui quoi est sont il y avec dans sur vers pres chez mon ma mes notre
    where is the of address opening hours phone number
    quartier quartiers brest permanence accueil
    """.split()
)


def asks_where(text: str) -> bool:
    """True when the message asks where a place is, or for its address, hours or phone."""
    return _ASKS_WHERE.search(fold(text)) is not None


def _quartier_names(kb: KnowledgeBase) -> list[str]:
    """Every folded name of a quartier or sub-area, longest first: "Lambé" is the quartier, not a place."""
    names: set[str] = set()
    for quartier in kb.quartiers.values():
        names.update(fold(n) for n in (quartier.name, *quartier.names, *_areas(quartier)))
    return sorted((n for n in names if n), key=len, reverse=True)


def _areas(quartier: Quartier) -> Iterable[str]:
    for area in quartier.sub_areas:
        yield area.name
        yield from area.variants


def _without_names(folded: str, names: list[str]) -> str:
    """The text with every quartier name taken out as whole words ("centre social de bellevue" keeps "centre")."""
    padded = f" {folded} "
    for name in names:
        padded = padded.replace(f" {name} ", " ")
    return padded


def _plain(word: str) -> str:
    """ "mairies" reads as "mairie": residents write the plural as often as not."""
    return word[:-1] if len(word) > 4 and word.endswith(("s", "x")) else word


def _words(text: str) -> list[str]:
    return [_plain(w) for w in text.split() if w not in _GENERIC and len(w) > 1]


def named_place(kb: KnowledgeBase, text: str, quartier: str | None) -> Place | None:
    """The place the message asks for; None when it asks for none, or for one in several quartiers.

    The places sharing the most words with the message compete; one whose name holds a place
    the message names ("Pontanézen") wins, then one of `quartier`, then a city-wide one, then
    the one whose name is most covered. "C'est où la mairie" with no quartier known names five:
    None, and the quartier is asked instead.
    """
    if not asks_where(text):
        return None
    names = _quartier_names(kb)
    folded = fold(text)
    asked = set(_words(_without_names(folded, names)))
    if not asked:
        return None
    said = [n for n in names if f" {n} " in f" {folded} "]
    scored: list[tuple[int, Place, float, bool]] = []
    for place in kb.places.values():
        name = fold(place.name)
        words = _words(_without_names(name, names))
        shared = asked & set(words)
        if words and (words[0] in shared or len(shared) >= 2):
            cited = any(f" {n} " in f" {name} " for n in said)
            scored.append((len(shared), place, len(shared) / len(set(words)), cited))
    if not scored:
        return None
    most = max(count for count, *_ in scored)
    best = [(place, cover, cited) for count, place, cover, cited in scored if count == most]
    tiers = (
        [(cover, place) for place, cover, cited in best if cited],
        [(cover, place) for place, cover, _ in best if quartier and place.quartier == quartier],
        [(cover, place) for place, cover, _ in best if place.quartier == CITY_WIDE],
    )
    for tier in tiers:
        if tier:
            return max(tier, key=lambda pair: pair[0])[1]
    return best[0][0] if len(best) == 1 else None
