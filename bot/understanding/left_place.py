"""A place the resident says they do NOT live in (any more): "j'habite plus à Bellevue".

The gazetteer took the first place name of a message as the resident's
quartier, so "j'habite plus à Bellevue" (they moved away) or "je vis pas à
Bellevue mais à Kérourien" set Bellevue. What decides is the few words right
before the name: a residence verb negated ("habite plus", "vis pas", "suis
plus"), in the past ("j'habitais", "j'étais"), or a departure done ("j'ai
quitté", "déménagé de"), followed only by the little words that introduce a
place. "pas loin de Bellevue" is not a negation of the place ("loin" is no such
word), nor is "je veux quitter Bellevue": the resident still lives there.
"""

from __future__ import annotations

import re

# Little words between the cue and the place name: "plus [a] Bellevue", "quitte [le quartier de] Bellevue".
_LEAD_IN = r"(?: (?:a|au|aux|dans|sur|en|de|du|des|la|le|les|l|vers|cote|quartier|cite|residence|secteur))*"
_LEFT = re.compile(
    r"(?:\b(?:habite|habites|habitons|habitez|jhabite|vis|vit|vivons|vivez|suis|jsuis|chui|sommes|reste|restons"
    r"|loge|logeons) (?:plus|pas|jamais)"
    r"|\b(?:habitais|habitait|habitions|jhabitais|vivais|vivait|vivions|etais|jetais|logeais|restais)"
    r"|\b(?:quitte|demenage de|demenagee de|demenages de|partie de|parti de|partis de"
    r"|ancien|ancienne|anciennement|avant))" + _LEAD_IN + r"$"
)
WINDOW_WORDS = 6  # how far back the cue may be


def left_before(words: list[str], start: int) -> bool:
    """True when the place name starting at `words[start]` (folded words) is one the resident does not live in."""
    before = " ".join(words[max(0, start - WINDOW_WORDS) : start])
    return bool(before) and _LEFT.search(before) is not None
