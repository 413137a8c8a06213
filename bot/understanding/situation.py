"""Situations the n-grams cannot read: an age written as a number.

What tells `jeunes-cej` from `rsa`, or `aspa` from most other rights, is
often the resident's age, and residents write it as a number: "j'ai 22 ans",
"mon fils de 19 ans", "elle a 67 ans". Character and word n-grams see "22"
and "ans", never that 22 is under 26; to the model "j'ai 22 ans" and
"j'ai 52 ans" are nearly the same text. So an age is also written as a word
of its band (`agejeune`, `ageretraite`…), added after the number, in the
knowledge base's phrasings (at indexing and training) and in the question
alike: the lexical index and the learned model then learn from the base
which entries people of that age ask about.

A number of years shortly after "depuis", "pendant", "il y a", "ça fait"…
is a duration ("j'attends depuis plus de 3 ans"), not an age: no band.
"""

from __future__ import annotations

# Bands by what French rights turn on: under 16, 16-24 (youth schemes; the RSA starts at 25), 25-59, 60 and more.
BANDS = ((16, "ageenfant"), (25, "agejeune"), (60, "ageadulte"), (200, "ageretraite"))
BAND_WORDS = frozenset(word for _, word in BANDS)
_YEARS = frozenset({"ans", "an", "ams", "ants"})  # "ans", and its usual typos
# Words before the number that make it a duration, not an age ("depuis 3 ans", "il y a 2 ans").
_DURATION_BEFORE = frozenset(
    {"depuis", "pendant", "durant", "dans", "fait", "apres", "avant", "tous", "chaque", "encore", "attente", "attends"}
)
_DURATION_TWO_BEFORE = frozenset({("y", "a"), ("ya", "a")})


def band_of(age: int) -> str:
    """The band word of an age in years."""
    return next(word for limit, word in BANDS if age < limit)


def with_age_bands(words: list[str]) -> list[str]:
    """`words` with the band word of every age written as a number of years ("22 ans" -> "22 ans agejeune")."""
    if not any(word[:1].isdigit() for word in words):
        return words  # most texts hold no number: one scan
    out: list[str] = []
    for i, word in enumerate(words):
        out.append(word)
        age = _age_before(words, i)
        if age is not None:
            out.append(band_of(age))
    return out


def _age_before(words: list[str], i: int) -> int | None:
    """The age ending at word `i` ("22 ans", "22ans"), or None when it is no age or a duration."""
    word = words[i]
    if word.isdigit():
        return _english_age(words, i)
    if word in _YEARS and i > 0 and words[i - 1].isdigit():
        number, start = words[i - 1], i - 1
    elif word.endswith("ans") and word[:-3].isdigit():
        number, start = word[:-3], i
    else:
        return None
    if len(number) > 3 or int(number) > 120:
        return None
    age = int(number)
    before = words[max(0, start - 3) : start]  # "depuis 3 ans", "depuis plus de 3 ans", "ça fait 2 ans"
    if _DURATION_BEFORE.intersection(before) or any(pair in _DURATION_TWO_BEFORE for pair in zip(before, before[1:])):
        return None
    if before[-2:] == ["plus", "de"]:  # "plus de 25 ans": over 25
        return age + 1
    if before[-2:] == ["moins", "de"]:  # "moins de 25 ans": under 25
        return age - 1
    return age


def _english_age(words: list[str], i: int) -> int | None:
    """An age said in English: "I am 23", "I'm 30", "under 25", "over 65", "23 years old"."""
    number = words[i]
    if len(number) > 3 or int(number) > 120:
        return None
    age = int(number)
    before, after = words[max(0, i - 2) : i], words[i + 1 : i + 3]
    if before[-1:] == ["under"]:
        return age - 1
    if before[-1:] == ["over"]:
        return age + 1
    if before in (["i", "am"], ["i", "m"]) or before[-1:] in (["im"], ["aged"]):
        return age
    if after == ["years", "old"] or after[:1] == ["yo"]:
        return age
    return None
