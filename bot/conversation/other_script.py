"""A message written in another alphabet (Arabic, Cyrillic, Chinese…).

Why: « بدي مساعدة في الإيجار » was answered « Je n'ai pas compris. Dites-moi
ce qui vous arrive, avec vos mots », as if the resident had typed nonsense.
The bot reads French and some English only: it says so plainly (in French
and in English, which a helper nearby may read) and gives a person at once.
"""

from __future__ import annotations

import unicodedata


def writes_another_script(text: str) -> bool:
    """Letters, and not one of them from the Latin alphabet."""
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and not any(unicodedata.name(ch, "").startswith("LATIN") for ch in letters)
