"""Reading a French phone number as residents type it, for a call-back request.

Why strict: a mediator will dial it. "06 12 34 56 78", "06.12.34.56.78",
"+33 6 12 34 56 78" and "0033612345678" are the same number; anything else
gets a French message rather than a guess.
"""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s.\-/()]+")
NOT_A_PHONE = (
    "Je n'ai pas reconnu de numéro de téléphone. Écrivez un numéro français à 10 chiffres, "
    "par exemple 06 12 34 56 78, ou choisissez « Je passerai »."
)


def read_phone(text: str) -> str | None:
    """The number in the display form "06 12 34 56 78", or None if it is not a French phone number."""
    compact = _SEPARATORS.sub("", (text or "").strip())
    if compact.startswith("+33"):
        compact = "0" + compact[3:]
    elif compact.startswith("0033"):
        compact = "0" + compact[4:]
    if compact.startswith("00"):
        return None
    if not re.fullmatch(r"0[1-9]\d{8}", compact):
        return None
    return " ".join(compact[i : i + 2] for i in range(0, 10, 2))


def looks_like_a_phone(text: str) -> bool:
    """Six digits or more: an attempt at a number (a mistyped one gets a message, not an answer)."""
    return sum(ch.isdigit() for ch in text or "") >= 6
