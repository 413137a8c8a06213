"""« Vous voulez parler de… ? » answered in words: « oui », « le premier », « 2 ».

Why: on a phone, many residents answer the bot's question by typing rather
than pressing a button. "oui" to "Vous voulez parler de l'allocation
familiale ?" was read as a bare agreement ("D'accord, écrivez-moi une autre
question") and the answer they asked for never came. Only a whole, short
reply is read; anything else is a new message as usual.
"""

from __future__ import annotations

import re

from bot.understanding.normalize import fold

_YES = frozenset({"oui", "ouais", "ouai", "oui oui", "yes", "c est ca", "cest ca", "voila", "exactement", "oui merci"})
_ORDINALS = {
    1: ("1", "1er", "1ere", "premier", "premiere", "un", "une"),
    2: ("2", "2e", "2eme", "deuxieme", "second", "seconde", "deux"),
    3: ("3", "3e", "3eme", "troisieme", "trois"),
    4: ("4", "4e", "4eme", "quatrieme", "quatre"),
}
_BY_WORD = {word: rank for rank, words in _ORDINALS.items() for word in words}
_CHOICE = re.compile(r"^(?:(?:le|la|l|c est|cest|numero|n|choix)\s+)*(\S+)(?:\s+(?:choix|svp|merci|stp))*$")


def offered_choice(text: str, offered: list[str]) -> str | None:
    """The offered entry the reply designates ("oui" when one was offered, "le 2"), or None."""
    folded = fold(text)
    if not folded or not offered:
        return None
    if folded in _YES:
        return offered[0] if len(offered) == 1 else None
    if folded in ("le dernier", "la derniere", "dernier", "derniere"):
        return offered[-1]
    found = _CHOICE.match(folded)
    rank = _BY_WORD.get(found.group(1)) if found else None
    return offered[rank - 1] if rank is not None and rank <= len(offered) else None
