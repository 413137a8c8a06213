"""« oui » or « non » typed after /oubli's question, read as the button it stands for.

Why: on a phone many residents type their answer instead of pressing a
button. « oui » to « Voulez-vous vraiment effacer… ? » was read as a bare
agreement (« D'accord. Vous pouvez m'écrire une autre question ») and nothing
was erased, while the resident believed it was. Only a whole, short reply is
read; anything else is a new message as usual.
"""

from __future__ import annotations

from bot.conversation.check_typing import fold, yes_no

# Beyond yes and no: the button's own words, typed.
_ERASE = frozenset({"oui effacer", "oui efface", "effacer", "efface", "efface tout", "oui efface tout", "supprimer"})


def typed_forget_answer(text: str) -> str | None:
    """ "oui" or "non" (the forget button's value) when that is all the message says, else None."""
    folded = fold(text)
    return "oui" if folded in _ERASE else yes_no(folded)
