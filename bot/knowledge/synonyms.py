"""Everyday synonyms the laboratoire reads as one word (`knowledge/synonymes-du-quotidien.yaml`).

Two residents asking for the same thing often use two words for it
(« enterrement », « obsèques »; « frigo », « réfrigérateur »; « bike »,
« vélo »). The matcher's lexicon (`lexique.yaml`) has no reason to know words
no entry uses, and the laboratoire groups exactly the questions no entry
answers. So the words the laboratoire brings to one are data mediators can
extend — « mot-d-arrivée: [mot, mot, …] » — read and checked like every other
file, with French warnings `path:line: message`. The reserved group `ignorer`
lists words that say *when* a need arises, not *what* it is (« pendant les
vacances »): they are set aside.

Like the everyday concepts (`concepts`), problems are warnings, never
errors: the file only shapes the laboratoire's report, and the sound lines
are still used.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.knowledge.model import Problem
from bot.knowledge.optional_file import RESERVED_KEYS, SHIPPED_KNOWLEDGE, line_in, load_optional, warning

SYNONYMS_FILE = "synonymes-du-quotidien.yaml"
REPO_SYNONYMS = SHIPPED_KNOWLEDGE / SYNONYMS_FILE
IGNORED = "ignorer"  # the group whose words are dropped, not rewritten

Synonyms = dict[str, str]  # folded word or expression -> folded word it is read as ("" : set aside)


def _folded(value: Any) -> str:
    from bot.understanding.normalize import fold  # local: the knowledge model stays importable alone

    return fold(str(value)) if isinstance(value, (str, int)) and not isinstance(value, bool) else ""


def parse_synonyms(path: Path, data: Any, problems: list[Problem]) -> Synonyms:
    """Word -> the word it is read as, from the file's data; every problem found becomes a French warning."""
    synonyms: Synonyms = {}
    if data is None:
        return synonyms
    if not isinstance(data, dict):
        problems.append(warning(path, 1, "le fichier doit contenir des lignes « mot-d-arrivée: [mot, mot, …] »"))
        return synonyms
    first_line: dict[str, int] = {}
    for target, words in data.items():
        if target in RESERVED_KEYS:
            continue
        line = line_in(data, target)
        folded_target = "" if target == IGNORED else _folded(target)
        if target != IGNORED and not folded_target:
            problems.append(warning(path, line, f"mot d'arrivée « {target} » vide ou invalide"))
            continue
        if not isinstance(words, list) or not words:
            problems.append(warning(path, line, f"« {target} » : il faut une liste de mots [mot, mot, …]"))
            continue
        for index, word in enumerate(words):
            here = line_in(words, index)
            folded = _folded(word)
            if not folded:
                problems.append(warning(path, here, f"« {target} » : mot vide ou invalide"))
            elif folded == folded_target:
                problems.append(warning(path, here, f"« {target} » : « {word} » est déjà le mot d'arrivée"))
            elif folded in synonyms:
                where = first_line[folded]
                problems.append(
                    warning(path, here, f"« {word} » est déjà ramené à un autre mot (ligne {where}) : gardez-en un")
                )
            else:
                synonyms[folded] = folded_target
                first_line[folded] = here
    return synonyms


def load_synonyms(directory: Path | None) -> tuple[Synonyms, list[Problem]]:
    """The knowledge base's everyday synonyms; the shipped ones when the base has no such file.

    A small test or local knowledge base without the file still reads
    « frigo » as « réfrigérateur »; a file that exists but is broken keeps
    what is sound.
    """
    return load_optional(directory, SYNONYMS_FILE, parse_synonyms, {})
