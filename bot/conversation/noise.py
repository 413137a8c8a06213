"""Which unanswered messages are not needs, so the laboratoire never has to sort them out.

The core keeps what it could not answer for the laboratoire. But a chat is
also made of commands typed by hand ("/stats" from someone who is not an
admin, "/besoin" from someone who is not a mediator), places given after
"/quartier" ("bellevue", "j'habite à Kérourien"), choices typed instead of
pressed ("oui", "2"), greetings, thanks and goodbyes. None of them says what
a resident needs; kept, they would fill the report with rows to dismiss.

A message is noise when, once the place names are taken out (the matcher's
normalised text has none) and the words of politeness, choice and "I live
in" are set aside, nothing is left. Anything else — even a lone "aide" — is
kept: a vague need is still a need.
"""

from __future__ import annotations

import re

from bot.understanding.normalize import fold

# Politeness, goodbyes, typed choices, and the words of "I live in…": none names a need.
NOISE_WORDS = frozenset(
    """
    bonjour bonsoir salut coucou slt bjr bsr cc hello hi hey yo salam re
    merci mercii remercie remercions thanks thank thx mrc bcp beaucoup infiniment
    revoir aurevoir bye ciao tchao adieu plus bientot prochaine a+ bonne bon journee soiree nuit weekend
    semaine fin courage cordialement bisous bises ok okay oki dac dak daccord accord oui ouais non nan yes no
    super top parfait genial cool bien compris vu entendu voila
    habite habites habitons habitez habitent habiter vis vit vivons vivez vivre reside residons loge
    quartier quartiers ville brest secteur cote pres vers live living
    je j tu il elle on nous vous ils elles me moi m te toi t suis es est sommes etes sont ai as a avons avez
    c ca cest ce le la les l un une des de du d au aux a en y dans sur chez et ou mais donc madame monsieur
    mme mr vraiment tres trop encore aussi the you very much i in at to
    """.split()
)
_LETTER = re.compile(r"[a-z]")


def is_noise(text: str, normalized: str | None = None) -> bool:
    """True when an unanswered message is a command, a place, a choice or politeness only.

    `normalized` is the matcher's normalised text, place names already taken
    out; without it the text is folded as is.
    """
    if text.lstrip().startswith("/"):
        return True
    words = fold(normalized if normalized is not None else text).split()
    if not any(_LETTER.search(w) for w in words):  # "2", "👍", "???": a typed choice or a reaction
        return True
    return all(w in NOISE_WORDS or w.isdigit() for w in words)
