"""Names written bare, with no punctuation or capitals to help: the cues `redact` alone misses.

`bot.storage.redact` catches the textbook introductions (« je m'appelle »,
« mon nom est », « Mme Le Goff »). Residents type faster than that:
« moi c Jordan », « c moi Jordan », « mme kerbrat », « Mme KERBRAT »,
« Monsieur le Gall », « Nom : Le Gall », « merci, Kevin Le Gall »,
« my name's Aisha ». Each pattern here has an ``intro`` group (kept) and a
``name`` group (replaced by the name tag); `redact` runs them after its own
name rules and spares the knowledge base's places (« moi c Pontanézen »
keeps its quartier).

Ordinary words must survive: a lowercase word after a title is a name only
when it is not a function word (« Madame la directrice », « bonjour madame
je voudrais » stay), and the weak cues (« moi c », « merci ») want a name as
people write it, a capital then lowercase letters, so « CAF » or « RSA » are
never taken for one.

Self-contained on purpose: `redact` imports it, it imports nothing of `redact`.
"""

from __future__ import annotations

import re

_APOS = r"['’ʼ`]"
# A name as people write it: capital then lowercase ("RSA", "CAF" are acronyms, not names).
_CAP = r"[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ][\w'’\-]*"
# After a title, a surname in capitals is a name too ("Mme KERBRAT"): nobody writes "Mme CAF".
_CAP_OR_UPPER = r"(?:" + _CAP + r"|[A-ZÀ-ÖØ-Þ]{2,}(?:-[A-ZÀ-ÖØ-Þ]{2,})?\b)"
_PARTICLE = r"(?:(?i:le|la|de|du|des|van|ben|el|al|d" + _APOS + r")\s*)"

# Words that follow a title or a label without being a name: articles, pronouns, greetings.
_FUNCTION_WORDS = (
    "la le les l de du des d un une et ou est a à au aux je j tu il elle on nous vous ils elles "
    "mon ma mes ton ta tes son sa ses votre vos notre nos ce cet cette ces qui que quoi quand comment "
    "pourquoi bonjour bonsoir merci svp stp s il si ne pas oui non pour par avec sur dans chez en y "
    "me te se m t s c ça ca cest c'est voila voilà alors excusez pardon désolé desole "
    "maire directrice directeur docteur assistante assistant sociale social juge conseillère conseiller "
    # Capitalised by phones that capitalise every word: « Merci Beaucoup », « Bien à vous, Cordialement ».
    "beaucoup bien infiniment encore avance moi rien cordialement bonne journée journee soirée soiree "
    "tous toutes toi aussi même meme"
)
_NOT_A_NAME = (
    r"(?!(?:" + "|".join(re.escape(w) for w in sorted(set(_FUNCTION_WORDS.split()), key=len, reverse=True)) + r")\b)"
)
_LOWER_WORD = r"[a-zà-öø-ÿ][a-zà-öø-ÿ'’\-]{1,}"

# Titles are no names: « merci Madame » keeps its word, « moi c Mme Kerbrat » loses only the surname.
_NO_TITLE = r"(?!(?:Madame|Monsieur|Mme|Mlle|Mademoiselle|Mr|M)\b)"


def _cued_name(intro: str, surname: str, *, words: str = "", tail: str = "") -> re.Pattern[str]:
    """A weak cue, then one capitalised first name and maybe a surname (a title or a function word is none).

    The weak cues differ only in their intro, the surname form they accept, how many names may
    follow (`words`, a quantifier) and what must come after (`tail`, a lookahead): one builder keeps
    the title and function-word guards the same for all of them.
    """
    one_name = r"\s+" + _NO_TITLE + r"(?i:" + _NOT_A_NAME + r")" + _CAP + r"(?:\s+" + _PARTICLE + r"?" + surname + r")?"
    return re.compile(r"\b(?P<intro>(?i:" + intro + r"))(?P<name>(?:" + one_name + r")" + words + r")" + tail)


# « moi c Jordan », « moi cé Jordan », « c moi Jordan », « c'est moi Jordan », « my name's Aisha ».
_WEAK_INTRO = _cued_name(
    r"moi\s+(?:c|c[ée]|s[ée])|c\s+moi|c\s*" + _APOS + r"?\s*est\s+moi|my\s+name\s*" + _APOS + r"\s*s|i\s+am\s+called",
    _CAP,
    words="{1,2}",
)
# A signature at the very end: « merci, Kevin Le Gall » (« merci Madame » and « merci la CAF » stay).
_THANKS_SIGNATURE = _cued_name(
    r"merci(?:\s+beaucoup)?\s*,?|bien\s+[àa]\s+vous\s*,?", _CAP_OR_UPPER, tail=r"(?=\s*[.!]*\s*$)"
)

# A title then a name, whatever its case: « mme kerbrat », « Mme KERBRAT », « Monsieur le Gall ».
# The lowercase branch takes no particle, so « Madame la directrice » and « monsieur le maire » stay.
_TITLE = re.compile(
    r"\b(?P<intro>(?i:madame|monsieur|mme|mlle|mademoiselle|mr|mrs|ms|miss)\.?|M\.)"
    r"(?P<name>\s+(?:" + _PARTICLE + r"?" + _CAP_OR_UPPER + r"(?:\s+" + _CAP_OR_UPPER + r")?"
    r"|(?i:" + _NOT_A_NAME + r")" + _LOWER_WORD + r"))"
)

# A form typed out: « Nom : Le Gall », « prénom: kevin », « Nom: le gall ».
_LABEL_WORD = (
    r"(?:" + _PARTICLE + r"?" + _CAP_OR_UPPER + r"|" + _PARTICLE + r"?(?i:" + _NOT_A_NAME + r")" + _LOWER_WORD + r")"
)
_LABEL = re.compile(
    r"\b(?P<intro>(?i:(?:nom(?:\s+de\s+famille)?|pr[ée]nom|name|first\s+name|last\s+name|surname)\s*:))"
    r"(?P<name>(?:\s*" + _LABEL_WORD + r"){1,3})"
)

PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("bare-name-label", _LABEL),
    ("bare-name-title", _TITLE),
    ("bare-name-weak-intro", _WEAK_INTRO),
    ("bare-name-thanks-signature", _THANKS_SIGNATURE),
)
"""(rule name, pattern) pairs, each with ``intro`` and ``name`` groups; `redact` wires them in."""
