"""The everyday vocabulary the laboratoire groups unmet needs with (`knowledge/mots-du-quotidien.yaml`).

A new need nobody covers is asked in words that often share nothing
("évier bouché", "fuite sous le lavabo", "the sink is clogged"). Only a list
of words that name the same kind of everyday need brings them together, and
no program can guess it: mediators know that a « toutou » is a dog. So the
list is data in the knowledge base, in groups (« plomberie: [évier, lavabo,
fuite, …] »), read and checked like every other file, with French errors
`path:line: message`. A word may sit in several groups; words are matched
whole, or by their stem (« bouchée » finds « bouché »).

Its problems are warnings, never errors: the file only shapes the
laboratoire's report, so a mistake in it must not stop the bot from taking
in a corrected entry (the sound groups are still used).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.knowledge.model import Problem
from bot.knowledge.optional_file import SHIPPED_KNOWLEDGE, line_in, load_optional, warning, word_groups

CONCEPTS_FILE = "mots-du-quotidien.yaml"
REPO_CONCEPTS = SHIPPED_KNOWLEDGE / CONCEPTS_FILE

Concepts = dict[str, tuple[str, ...]]


def parse_concepts(path: Path, data: Any, problems: list[Problem]) -> Concepts:
    """Groups of words from the file's data; every problem found becomes a French `Problem`."""
    from bot.understanding.normalize import fold  # local: the knowledge model stays importable alone

    concepts: Concepts = {}
    for name, words in word_groups(path, data, problems, example="plomberie"):
        kept: list[str] = []
        for index, word in enumerate(words):
            folded = fold(str(word)) if isinstance(word, (str, int)) and not isinstance(word, bool) else ""
            if not folded:
                problems.append(warning(path, line_in(words, index), f"groupe « {name} » : mot vide ou invalide"))
            elif folded in kept:
                problems.append(
                    warning(path, line_in(words, index), f"groupe « {name} » : « {word} » est écrit deux fois")
                )
            else:
                kept.append(folded)
        if kept:
            concepts[name] = tuple(kept)
    return concepts


def load_concepts(directory: Path | None) -> tuple[Concepts, list[Problem]]:
    """The knowledge base's everyday vocabulary; the shipped one when the base has no such file.

    A small test or local knowledge base without the file still groups needs
    by everyday meaning; a file that exists but is broken keeps what is sound.
    """
    return load_optional(directory, CONCEPTS_FILE, parse_concepts, {})
