"""Whether a message is only a cry for help: « au secours », « aidez-moi », « help », « SOS ».

Such a message names no danger and no need. The danger model, which learns
kinds of danger from what happens (« il me frappe », « je dors dehors »), has
nothing to read in it, and the matcher then guessed a right (« au secours »
was offered the food aid). A social worker hearing « au secours » does not
talk about a right: they give the emergency numbers and ask what is
happening. So a message made only of cry words and polite or urgent fillers,
with at least one real cry (`_CRIES`), is a bare cry for help; the
conversation answers it with every kind's numbers and a question
(bot.conversation.core). Any other word (« aidez-moi pour la CAF », « aide
au logement ») makes it an ordinary message again: recall of real needs
comes first there too.
"""

from __future__ import annotations

import re

from bot.understanding.normalize import fold

# The cries themselves, folded (no accents, apostrophes as spaces), with common typos.
_CRIES = (
    r"au secours?|o secours?|aux secours?|secours|a l aide|a laide|alaide",
    r"aidez ?moi|aide ?moi|aidez ?nous|aide ?nous|aider moi|aidez mw|aide mw",
    r"help(?: me| us)?|sos|mayday",
    r"je suis en danger|on est en danger|nous sommes en danger|en danger|danger|i m in danger|in danger",
)
# Words that may come with a cry without adding a need: politeness, urgency, repetition.
_FILLERS = (
    r"svp|stp|s il vous plait|s il te plait|sil vous plait|sil te plait|please|pls|plz",
    r"vite|urgent|c est urgent|urgence|tout de suite|maintenant|now|quick|quickly|right now",
    r"je vous en supplie|je t en supplie|pitie|par pitie|bonjour|bonsoir|allo|hello|hi",
    r"quelqu un|kelkun|quelqu un svp|someone|somebody|anyone|please someone",
    r"j ai besoin d aide|besoin d aide|i need help|need help",
    r"oh|ah|eh|hey|moi|me",
)
_CRY = re.compile(r"(?<![a-z0-9])(?:" + "|".join(_CRIES) + r")(?![a-z0-9])")
# The whole message, read as cries and fillers only (any order, repeated: « au secours au secours vite »).
_ONLY_CRIES = re.compile(r"(?:\s*(?:" + "|".join((*_CRIES, *_FILLERS)) + r")(?![a-z0-9]))+\s*")
# A cry is short: a longer message says what happens, and is read for its danger or its need.
MAX_WORDS = 12


def is_bare_cry_for_help(text: str) -> bool:
    """Whether `text` is only a cry for help (and fillers), with no danger or need named."""
    if not isinstance(text, str):
        return False
    folded = " ".join(fold(text).split())
    if not folded or len(folded.split()) > MAX_WORDS or not _CRY.search(folded):
        return False
    return _ONLY_CRIES.fullmatch(folded) is not None
