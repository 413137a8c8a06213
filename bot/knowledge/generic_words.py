"""Words any need may hold, which the laboratoire sets aside (`knowledge/mots-passe-partout.yaml`).

Grouping unmet questions by what they are about means dropping the words
that only say *that* someone needs something (« aide », « pas cher »,
« je cherche ») or how to reach someone (« adresse », « horaires »): left in,
« aide pour le permis » and « aide pour la cantine » meet on « aide ». Which
words are that generic is a judgement about residents' vocabulary, not
code: mediators see new fillers (an SMS form, an English word) before any
programmer does. So the list is data in the knowledge base, read by the same
optional-file loader as the everyday concepts and synonyms — a base without
the file uses the shipped one, and its problems are French warnings
`path:line: message` that never block the bot.

The file is made of named groups (« prix: [pas, cher, gratuit, …] ») so a
mediator can find where a word belongs; only the words count. A listed
expression sets each of its words aside.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.knowledge.model import Problem
from bot.knowledge.optional_file import SHIPPED_KNOWLEDGE, line_in, load_optional, warning, word_groups

GENERIC_FILE = "mots-passe-partout.yaml"
REPO_GENERIC = SHIPPED_KNOWLEDGE / GENERIC_FILE

GenericWords = frozenset[str]


def parse_generic_words(path: Path, data: Any, problems: list[Problem]) -> GenericWords:
    """The folded words of every group; each problem found becomes a French warning."""
    words: set[str] = set()
    for name, listed in word_groups(path, data, problems, example="prix"):
        for index, word in enumerate(listed):
            words |= _words_of(path, name, word, line_in(listed, index), problems)
    return frozenset(words)


def _words_of(path: Path, group: str, word: Any, line: int, problems: list[Problem]) -> set[str]:
    """The folded words of one list item, or a warning saying why it is not one."""
    from bot.understanding.normalize import fold  # local: the knowledge model stays importable alone

    if isinstance(word, bool):  # YAML reads on, off, yes, no as true/false
        problems.append(warning(path, line, f'groupe « {group} » : écrivez ce mot entre guillemets (ex. "on")'))
        return set()
    folded = fold(str(word)) if isinstance(word, (str, int)) else ""
    if not folded:
        problems.append(warning(path, line, f"groupe « {group} » : mot vide ou invalide"))
        return set()
    return set(folded.split())


def load_generic_words(directory: Path | None) -> tuple[GenericWords, list[Problem]]:
    """The knowledge base's generic words; the shipped ones when the base has no such file.

    A small test or local knowledge base without the file still sets « aide »
    and « pas cher » aside; a file that exists but is broken keeps what is sound.
    """
    return load_optional(directory, GENERIC_FILE, parse_generic_words, frozenset())
