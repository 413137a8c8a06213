"""Messages that are not questions about a right: a place said alone, two needs in one message.

"j'habite à Kérourien", "je suis du côté de Pontanézen" or just "lambe" tell
the bot where the resident lives; answering them with a right (or recording
them as an unmet need) would be wrong. Once the place name is removed, such a
message holds nothing but the words people put around a place, which is what
`is_place_statement` checks.

Long messages often tell a story with two problems ("ma machine à laver est en
panne et en plus la CAF m'a suspendu l'APL"). `clauses` cuts a message where
people join two problems, so each part can be read on its own and the second
need offered as a button.

Both work on folded words (see `normalize.fold`), the way the matcher reads.
"""

from __future__ import annotations

import re

from bot.understanding.normalize import fold

# Words that surround a place when a resident only says where they live.
PLACE_WORDS = frozenset(
    """
    j je jhabite habite habites habitons habitez habiter jvis vis vit vivons vivre suis jsuis chui jsui sui
    on nous moi c ca cest est la le les l au aux a de du des d en dans sur vers pres cote coin
    quartier secteur cite residence brest ici bas haut par chez
    bonjour bonsoir salut coucou hello bjr slt cc merci svp stp oui ok voila alors donc et aussi
    moi meme perso maintenant actuellement depuis longtemps toujours
    plutot mais sinon enfin bon ben bah euh
    me fait finalement non pardon ai demenage demenagee demenages installe installee installes
    i live in at near
    """.split()
)

# Around a place the resident left or does not live in: "j'habite plus à Bellevue", "avant j'étais à Bellevue".
LEFT_PLACE_WORDS = frozenset(
    """
    plus pas ne n jamais habitais habitait habitions jhabitais vivais vivait vivions etais jetais logeais restais
    quitte parti partie partis ancien ancienne anciennement avant
    """.split()
)

# Where people join two problems in one message.
_JOINERS = re.compile(
    r"\b(?:et en plus|en plus de ca|en plus|et aussi|et puis|par ailleurs|autre chose|autre question|"
    r"d autre part|de plus|sans compter que|et surtout|mais aussi|sinon|et du coup|et maintenant)\b"
)
_MIN_CLAUSE_WORDS = 4
MAX_CLAUSES = 4


def is_place_statement(words: list[str], left_a_place: bool = False) -> bool:
    """True when what is left of a message, once its place names are removed, only situates it.

    `left_a_place`: the message named a place the resident left ("j'habite plus à Bellevue, maintenant
    c'est Kérourien"); the words that say so are place words too.
    """
    return all(word in PLACE_WORDS or word.isdigit() or (left_a_place and word in LEFT_PLACE_WORDS) for word in words)


def clauses(folded: str, sentences: list[str] | None = None) -> list[str]:
    """The parts of a message that may each hold a need, longest messages only.

    `folded` is the message as `fold` gives it; `sentences` (optional) are its
    sentences cut on punctuation before folding. Parts shorter than a few
    words are glued to the previous one: "et en plus" alone is not a need.
    """
    pieces: list[str] = []
    for sentence in sentences or [folded]:
        pieces.extend(part for part in _JOINERS.split(sentence) if part.strip())
    return _merge_short(pieces)[:MAX_CLAUSES]


_SENTENCE_END = re.compile(r"[.!?;\n]+")
# Inside a long story, the finer seams between what happened and what is asked: a comma, a colon,
# "et", "mais", "parce que"... Only read when the whole story and its sentences gave no clear need.
_PHRASE_END = re.compile(r"[.!?;:,()\n]+")
_SMALL_JOINERS = re.compile(r"\b(?:et|mais|parce que|parce qu|car|alors que|sauf que|donc|du coup|puis)\b")
MAX_FINE_CLAUSES = 8


def sentences_of(text: str) -> list[str]:
    """Raw sentences, cut where the resident put a full stop, a question mark or a new line."""
    return [part for part in _SENTENCE_END.split(text) if part.strip()]


def fine_clauses(text: str) -> list[str]:
    """The smallest parts of a long story that can still hold a need, folded, at most MAX_FINE_CLAUSES.

    A resident's story ("depuis que je suis au chômage, je peux plus payer la
    cantine des petits, et ma propriétaire...") carries its need in one
    clause among feelings and circumstances; read whole, the need is diluted.
    Cut on commas, colons, "et", "mais", "parce que"; parts shorter than a few
    words are glued to the previous one ("et" alone, "du coup" alone).
    """
    pieces = [part for phrase in _PHRASE_END.split(text) for part in _SMALL_JOINERS.split(fold(phrase)) if part.strip()]
    return _merge_short(pieces)[:MAX_FINE_CLAUSES]


def _merge_short(pieces: list[str]) -> list[str]:
    """Pieces of fewer than `_MIN_CLAUSE_WORDS` words glued to their neighbour: "et en plus" alone is no need."""
    merged: list[str] = []
    for piece in pieces:
        words = piece.split()
        if merged and len(words) < _MIN_CLAUSE_WORDS:
            merged[-1] = f"{merged[-1]} {piece.strip()}"
        elif words:
            merged.append(" ".join(words))
    if len(merged) > 1 and len(merged[0].split()) < _MIN_CLAUSE_WORDS:
        merged[1] = f"{merged[0]} {merged[1]}"
        merged.pop(0)
    return merged
