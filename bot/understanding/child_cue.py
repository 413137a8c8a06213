"""Whether a message about violence names a child: then the child is in danger too (119).

"Mon mari me frappe devant les enfants", "papa tape maman", "mon copain me
bat, j'ai peur pour mon bébé": the danger model reads violence, and rightly
so, but a child who lives with it is a child in danger, which the 119 is for.
The model is trained with one kind per phrasing, so it cannot say "both"; this
cue lets the detector show the child's numbers second, after the violence
ones. It only ever adds a kind to a danger already found, never raises one.

A child is named by a word for a child ("les enfants", "mon fils", "le bébé",
"les petits", a child's "maman"), or by an age under 18 ("j'ai 15 ans", "ma
fille de 4 ans"). "Son" is French for "his" and "mon petit copain" is a
partner: neither counts, and nor does a son or a daughter said to be an adult
("mon fils adulte", "ma fille de 30 ans"): their parent's danger is not a
child's.

The other way round, a child in danger because of violence between the
adults at home ("papa frappe maman", "mes parents se battent", "mon mari
tape les enfants et moi aussi") is violence too: the mother needs the 3919 as
much as the child needs the 119. The model
reads such a message as a child in danger only; `names_a_parent_at_home` lets
the detector add the violence numbers second.
"""

from __future__ import annotations

import re

_CHILD_WORDS = frozenset(
    """
    enfant enfants gosse gosses gamin gamine gamins gamines fils fille filles bebe bebes bb nourrisson
    ado ados adolescent adolescente adolescents adolescentes mineur mineure mineurs mineures
    maman papa petits petites
    child children kid kids baby babies daughter daughters
    """.split()
)
# "le petit", "ma petite", unless it is "mon petit copain" / "ma petite amie".
_LITTLE_ONE = re.compile(r"\b(?:le|la|mon|ma|notre|du) petite? (?!(?:ami|amie|copain|copine)\b)")
# An age under 18 said of someone: "j'ai 15 ans", "ma fille de 4 ans", "elle a 12 ans".
_AGE = re.compile(r"\b(?:de|a|ai) (\d{1,2}) ans\b")
ADULT_AGE = 18
# A son or a daughter said to be an adult ("mon fils adulte", "ma fille majeure", "mon
# fils de 30 ans"): an elderly parent's danger, not a child's. "Petit-fils" stays a
# child: folded, "ma petite fille" may be a little girl, and recall comes first.
_GROWN_UP = re.compile(r"\b(?:fils|filles?|enfants?) (?:adultes?|majeure?s?|(?:de|a) (?:1[89]|[2-9]\d) ans)\b")


def names_a_child(folded: str) -> bool:
    """Whether an already folded text names a child (see the module's docstring)."""
    padded = f" {' '.join(folded.split())} "
    words = _without_grown_up_children(padded).split()
    if _CHILD_WORDS.intersection(words):
        return True
    if _LITTLE_ONE.search(padded):
        return True
    return any(int(age) < ADULT_AGE for age in _AGE.findall(padded))


def _without_grown_up_children(padded: str) -> str:
    """The text without the words naming a son or a daughter who is an adult."""
    return _GROWN_UP.sub(" ", padded)


# The adults at home whose violence a child lives with: a mother, a father, the parents,
# the mother's or the father's partner ("mon mari tape les enfants et moi aussi").
_PARENT_WORDS = frozenset(
    """
    maman mere papa pere parents mum mom mommy mummy mother dad daddy father
    mari epoux femme epouse copain copine compagnon compagne conjoint conjointe concubin concubine
    husband wife boyfriend girlfriend partner stepfather stepmother
    """.split()
)


def names_a_parent_at_home(folded: str) -> bool:
    """Whether an already folded text names a parent or a partner (maman, mon père, mon mari): violence at home.

    Only ever used once a child in danger is found: it adds the violence
    numbers (3919 for the mother) to the child's, and never raises a danger.
    """
    return not _PARENT_WORDS.isdisjoint(folded.split())
