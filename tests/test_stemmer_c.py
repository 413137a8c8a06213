"""PyStemmer (C) and snowballstemmer's pure Python cut French words the same way.

snowballstemmer hands out PyStemmer's stemmer when it is installed (~35x
faster: most of a large base's cold index build was Snowball in Python); the
bot must answer the same with either, so both must give every word the same stem.
"""

from __future__ import annotations

import random

import pytest

from bot.knowledge import load_knowledge
from bot.understanding.normalize import fold
from bot.understanding.stemmer import Stemmer
from tests.conftest import FIXTURE_KB

c_stemmer = pytest.importorskip("Stemmer")
french_stemmer = pytest.importorskip("snowballstemmer.french_stemmer")


def words_of(kb) -> list[str]:
    texts = [t for e in kb.entries.values() for t in (*kb.phrasings_of(e.id), e.title, *e.keywords)]
    if kb.dangers is not None:
        texts += [p for kind in kb.dangers.kinds.values() for p in kind.phrasings] + list(kb.dangers.lookalikes)
    return sorted({word for text in texts for word in fold(text).split()})


def made_up_words(count: int) -> list[str]:
    """French-looking words nobody wrote, with the endings the stemmer cuts."""
    rng = random.Random(20261202)
    endings = ("", "s", "ment", "ement", "ations", "euse", "ités", "issions", "erions", "ance", "iques", "eaux")
    syllables = ("ba", "cho", "dré", "fi", "gou", "lan", "mé", "noi", "pra", "quen", "ri", "sau", "tè", "vin")
    return [
        "".join(rng.choice(syllables) for _ in range(rng.randint(1, 4))) + rng.choice(endings) for _ in range(count)
    ]


def pure_python(words: list[str]) -> list[str]:
    stemmer = french_stemmer.FrenchStemmer()
    return [stemmer.stemWord(word) for word in words]


@pytest.mark.parametrize("source", ["shipped", "fixture", "made up"])
def test_the_c_stemmer_gives_every_word_the_pure_python_stem(source, shipped_base):
    if source == "shipped":
        words = words_of(shipped_base.kb)
    elif source == "fixture":
        words = words_of(load_knowledge(FIXTURE_KB).kb)
    else:
        words = made_up_words(3000)
    assert len(words) > 100
    assert c_stemmer.Stemmer("french").stemWords(words) == pure_python(words)


def test_the_bots_stemmer_uses_the_c_one_when_it_is_installed():
    assert isinstance(Stemmer()._snowball, c_stemmer.Stemmer)
