"""Whether a short piece of a message names only people or a moment: "mon mari", "ce soir", "ma fille et moi".

Typed alone, such a fragment is the start of a message or an answer to a
question, not a danger: there is no act, no threat, no place. The danger
model, trained on hundreds of phrasings that start with "mon mari…" or end
with "…ce soir", reads these words as a danger on their own and gives the
emergency numbers to "mon mari". A fragment of at most `MAX_WORDS` words made
only of these framing words is therefore not read by the model; the exact
expressions still apply to it, and any word outside the list ("dehors",
"frappe", "help") makes it an ordinary piece again. Recall comes first: the
list holds only words that carry no danger at all.
"""

from __future__ import annotations

MAX_WORDS = 3

_FRAMING = frozenset(
    """
    mon ma mes ton ta tes son sa ses notre nos votre vos leur leurs le la les l un une des du de d
    moi toi lui elle il ils elles nous vous on je j et ou avec aussi
    mari femme epoux epouse copain copine compagnon compagne conjoint conjointe ex pere mere papa maman
    parents fils fille filles enfant enfants bebe bebes gosse gosses frere freres soeur soeurs oncle tante
    cousin cousine grand beau belle voisin voisine voisins ami amie amis famille petit petite ado ados
    ce cet cette soir nuit matin demain aujourd hui maintenant hier
    my your his her our their the a an and me you him us
    husband wife boyfriend girlfriend partner father mother dad mum mom parents son daughter child children
    kid kids baby brother sister family friend neighbour neighbor tonight now today tomorrow yesterday
    """.split()
)


def is_lone_fragment(normalized: str) -> bool:
    """Whether an already normalised piece is at most `MAX_WORDS` framing words, and nothing else."""
    words = normalized.split()
    return 0 < len(words) <= MAX_WORDS and all(word in _FRAMING for word in words)
