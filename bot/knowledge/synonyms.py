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
from bot.knowledge.optional_file import SHIPPED_KNOWLEDGE, line_in, load_optional, named_lists, warning

SYNONYMS_FILE = "synonymes-du-quotidien.yaml"
REPO_SYNONYMS = SHIPPED_KNOWLEDGE / SYNONYMS_FILE
IGNORED = "ignorer"  # the group whose words are dropped, not rewritten

Synonyms = dict[str, str]  # folded word or expression -> folded word it is read as ("" : set aside)


def _folded(value: Any) -> str:
    from bot.understanding.normalize import fold  # local: the knowledge model stays importable alone

    return fold(str(value)) if isinstance(value, (str, int)) and not isinstance(value, bool) else ""


def _target_problem(target: Any) -> str | None:
    """The warning for a word things are read as that is empty or not a word; None when sound."""
    return None if target == IGNORED or _folded(target) else f"mot d'arrivée « {target} » vide ou invalide"


def parse_synonyms(path: Path, data: Any, problems: list[Problem]) -> Synonyms:
    """Word -> the word it is read as, from the file's data; every problem found becomes a French warning."""
    synonyms: Synonyms = {}
    first_line: dict[str, int] = {}
    for target, words in named_lists(
        path,
        data,
        problems,
        file_shape="le fichier doit contenir des lignes « mot-d-arrivée: [mot, mot, …] »",
        name_problem=_target_problem,
    ):
        folded_target = "" if target == IGNORED else _folded(target)
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
