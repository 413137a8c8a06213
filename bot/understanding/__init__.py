"""Understanding a resident's words: normalisation, places named, and the matcher.

`normalize` folds everyday French (accents, SMS spelling, elisions),
`gazetteer` recognises the quartier a message names, `matcher` finds the
entry behind the words, `danger` recognises a resident in danger first
(`model_cache` keeps its learned model). Nothing here imports the knowledge package at run
time, so that the knowledge package can use `normalize` without a cycle.
"""

from bot.understanding.danger import Danger, DangerDetector
from bot.understanding.gazetteer import Gazetteer, QuartierGuess
from bot.understanding.matcher import Match, Matcher
from bot.understanding.matcher import Settings as MatcherSettings
from bot.understanding.normalize import Lexicon, Normalizer, fold, glue_elisions, strip_accents

__all__ = [
    "Danger",
    "DangerDetector",
    "Gazetteer",
    "Lexicon",
    "Match",
    "Matcher",
    "MatcherSettings",
    "Normalizer",
    "QuartierGuess",
    "fold",
    "glue_elisions",
    "strip_accents",
]
