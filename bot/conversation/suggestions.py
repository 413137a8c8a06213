"""Which of the matcher's runner-ups a resident is offered: entries worth opening, never small talk.

The matcher ranks every entry, intents included, so a weather question's
runner-up can be « au revoir » and a maths homework's « comment ça marche ».
Offered as a button (or listed by `ask --jsonl`), such an entry leads nowhere.
Rights and services are kept; when nothing is answered, so are the intents
that hand the resident over to a person (« parler à quelqu'un », the
quartier's mediation), because that is a real way forward. Under an answer
they are left out: every answer already offers a person.
"""

from __future__ import annotations

import dataclasses

from bot.knowledge.model import KnowledgeBase
from bot.understanding.matcher import Match

HANDS_OVER = frozenset({"parler-humain", "mediation-quartier"})


def offers(kb: KnowledgeBase, entry_id: str, answered: bool) -> bool:
    """True when `entry_id` may be offered beside an answer (`answered`) or instead of one."""
    entry = kb.entries.get(entry_id)
    if entry is None:
        return False
    return entry.kind != "intent" or (not answered and entry_id in HANDS_OVER)


def openable(kb: KnowledgeBase, match: Match) -> Match:
    """`match` with only the suggestions a resident can usefully open."""
    answered = match.entry_id is not None
    kept = [s for s in match.suggestions if offers(kb, s, answered)]
    if kept == match.suggestions:
        return match
    second = match.second_need if match.second_need in kept else None
    return dataclasses.replace(match, suggestions=kept, second_need=second)
