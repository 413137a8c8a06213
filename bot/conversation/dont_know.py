"""« Je sais pas »: a resident saying they do not know, never a topic to match.

Typed alone, "je sais pas" has no right behind it: the matcher read "sais"
near "savoir utiliser internet" and offered the digital-help entry. In the
guided rights check it is an answer ("je ne sais pas" to the income
question), and elsewhere a sign that the resident does not know where to
start, which deserves a gentle prompt rather than a guess.

Only a whole message made of these words counts: "je sais pas remplir le
dossier RSA" is a question and goes to the matcher as usual.
"""

from __future__ import annotations

import re

from bot.understanding.normalize import fold

# Folded forms, SMS and spoken spellings included ("chais pas", "jsp", "g pas d'idée").
_DONT_KNOW = re.compile(
    r"""
    ^(?:(?:bah|ben|bof|euh+|heu+|hum+|ah|oh|alors|ouais|non|oui|franchement|honnetement|en\ fait)\ )*
    (?:
        (?:je\ |j\ |moi\ je\ |moi\ j\ )?(?:ne\ |n\ )?(?:sais|sai|sait|c|se)\ (?:pas|pa|po)
      | (?:je\ |j\ |j\ en\ |jen\ |moi\ j\ en\ )?(?:ne\ |n\ )?(?:sais|sai|sait|c|se)\ (?:rien|que\ dalle)
      | (?:je\ |j\ )?(?:ne\ |n\ )?(?:suis\ |sui\ )?pas\ (?:sur|sure|certain|certaine|sur\ du\ tout)
      | (?:jsp|jsais\ pas|jsai\ pas|jse\ pas|chais\ pas|chai\ pas|ch\ sais\ pas|sais\ pas|sai\ pas)
      | (?:aucune|pas\ d|pas\ la\ moindre)\ idee
      | (?:j\ en\ ai|j\ ai|g|jai|jen\ ai)\ (?:aucune\ idee|pas\ d\ idee|aucune\ idee)
      | (?:je\ )?(?:ne\ )?(?:sais|sai)\ plus
      | nsp | idk | dunno
      | i\ (?:don\ t|dont|do\ not)\ know
      | no\ idea
    )
    (?:\ (?:trop|vraiment|du\ tout|pas\ trop|moi|bien|encore|quoi|dire|quoi\ dire|quoi\ repondre
          |mdr|lol|frr|wsh|desole|desolee|dsl))*$
    """,
    re.VERBOSE,
)


def says_dont_know(text: str) -> bool:
    """True when the whole message only says "I don't know" ("je sais pas", "jsp", "aucune idée")."""
    folded = fold(text)
    return bool(folded) and _DONT_KNOW.match(folded) is not None
