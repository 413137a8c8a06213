"""Letter formulas: the words of a formal letter that say nothing about the need.

Residents who write as to an administration wrap their need in formulas
("Madame, Monsieur, je me permets de vous écrire…", "Je vous prie d'agréer,
Madame, Monsieur, l'expression de mes salutations distinguées"). Their words
are in no phrasing: on the lexical side they dilute the question's weight,
on the learned side they pull towards whichever entry shares a few letters.
They are removed before a message is read, like place names are; what the
resident asks for is left as written.

The patterns work on folded text (see `normalize.fold`): no accents, no
punctuation, apostrophes as spaces ("l attente").
"""

from __future__ import annotations

import re

_PATTERNS = (
    # Openings
    r"(?:madame|monsieur)(?: ou| et)? (?:madame|monsieur)",
    r"messieurs(?: dames)?",
    r"(?:madame|monsieur) l[ae] (?:directeur|directrice|responsable|conseiller|conseillere|president|presidente|maire)",
    r"je me permets? de vous (?:ecrire|contacter|solliciter|adresser ce (?:message|courrier|mail))",
    r"je vous (?:ecris|contacte|sollicite|adresse ce (?:message|courrier|mail))",
    r"je prends contact avec vous",
    r"par la presente",
    r"je soussignee?",
    # Closings
    r"(?:je vous prie|nous vous prions|veuillez)(?: de bien vouloir)? (?:d |de )?(?:agreer|recevoir|croire|accepter)"
    r"(?: \w+){0,14}? (?:salutations|sentiments|consideration|respects?|hommages)"
    r"(?: (?:distinguee?s|les meilleurs|respectueu(?:x|ses)|sinceres|les plus \w+))?",
    r"dans l attente de (?:votre reponse|votre retour|vous lire|une reponse)(?: favorable)?(?: de votre part)?",
    r"(?:en vous|je vous) remercie?(?:ant)?(?: par avance| d avance| de votre attention| pour votre attention"
    r"| de votre aide| pour votre aide| pour votre reponse)+",
    r"merci (?:d avance|par avance)(?: pour votre (?:aide|reponse|attention|retour))?",
    r"je reste a votre (?:entiere )?disposition"
    r"(?: pour (?:tout|toute|tous|toutes) (?:renseignement|information|document|question)s?(?: complementaires?)?)?",
    r"(?:bien |tres )?cordialement",
    r"bien a vous",
    r"respectueusement",
    r"(?:mes|nos|sinceres|respectueuses|meilleures) salutations(?: distinguees| respectueuses)?",
)
_FORMULAS = re.compile(r"\b(?:" + "|".join(_PATTERNS) + r")\b")


def strip_formulas(words: list[str]) -> list[str]:
    """The folded words of a message without its letter formulas."""
    if not words:
        return words
    return _FORMULAS.sub(" ", " ".join(words)).split()
