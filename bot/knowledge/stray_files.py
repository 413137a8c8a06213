"""Files the loader never reads, said out loud: a mediator's work must not vanish without a word.

Windows' Notepad saves « rsa.yaml.txt », Word « rsa.docx »; a file put at the
top of knowledge/, in a folder inside droits/, or in a misspelt folder
(« droit/ ») is never read. Without a warning the mediator sees no error, and
the bot simply does not know what they wrote. These are warnings: the rest of
the base is sound, and the files the bot does read are unchanged.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from rapidfuzz import process

from bot.knowledge.concepts import CONCEPTS_FILE
from bot.knowledge.generic_words import GENERIC_FILE
from bot.knowledge.model import (
    DANGERS_FOLDER,
    KIND_FOLDERS,
    LEARNED_FILE,
    LEXICON_FILE,
    LINES_FOLDER,
    PLACES_FOLDER,
    QUARTIERS_FOLDER,
    Problem,
)
from bot.knowledge.synonyms import SYNONYMS_FILE

GUIDE_FILE = "LISEZMOI.md"
YAML_SUFFIXES = (".yaml", ".yml")
# One file per item: every .yaml file of these folders is read.
ITEM_FOLDERS = (*KIND_FOLDERS, QUARTIERS_FOLDER, PLACES_FOLDER, LINES_FOLDER, DANGERS_FOLDER)


def _single_files() -> dict[str, str]:
    """Folders of which only one file is read, and that file's name."""
    from bot.orientation.rules import RULES_FILE  # here: bot.orientation imports the knowledge model

    return {LEARNED_FILE.parent.name: LEARNED_FILE.name, RULES_FILE.parent.name: RULES_FILE.name}


def _ignorable(path: Path) -> bool:
    """Hidden files, editors' backups and lock files, system files: nobody's work."""
    name = path.name
    return (
        name.startswith((".", "~$", "#"))
        or name.endswith(("~", ".bak", ".swp", ".tmp"))
        or name.lower() in ("thumbs.db", "desktop.ini", "__pycache__")
    )


def _entries(folder: Path) -> Iterator[Path]:
    return (p for p in sorted(folder.iterdir()) if not _ignorable(p))


def _file_message(path: Path, folder: str) -> str | None:
    """Why a file of an item folder is not read, or None when it is."""
    name = path.name
    if path.suffix in YAML_SUFFIXES:
        return None
    lowered = name.lower()
    for suffix in YAML_SUFFIXES:
        if lowered.endswith(suffix + ".txt"):
            right = name[: -len(".txt")]
            return (
                f"fichier jamais lu : son nom finit par « .txt » ; renommez-le « {right} » "
                "(le Bloc-notes ajoute parfois .txt : choisissez « Tous les fichiers » en enregistrant)"
            )
        if lowered.endswith(suffix):
            right = name[: -len(suffix)] + suffix
            return f"fichier jamais lu : l'extension doit être en minuscules ; renommez-le « {right} »"
    return (
        f"fichier jamais lu : seuls les fichiers « .yaml » sont lus dans {folder}/ "
        "(un document Word ou PDF n'est pas lu : recopiez son contenu dans un fichier .yaml)"
    )


def find_stray_files(directory: Path, reported: tuple[str, ...] = ()) -> list[Problem]:
    """A warning for every file or folder under `directory` that the bot never reads.

    `reported`: files at the top that the loader already warns about in its own words.
    """
    single = _single_files()
    known = (*ITEM_FOLDERS, *single)
    problems: list[Problem] = []
    for path in _entries(directory):
        if path.is_dir() and path.name in ITEM_FOLDERS:
            problems.extend(_stray_in_item_folder(path))
        elif path.is_dir() and path.name in single:
            problems.extend(
                Problem(
                    other,
                    1,
                    f"jamais lu : dans {path.name}/, seul le fichier « {single[path.name]} » est lu",
                    error=False,
                )
                for other in _entries(path)
                if other.name != single[path.name]
            )
        elif path.is_dir():
            hint = process.extractOne(path.name, known, score_cutoff=70)
            also = f" (vouliez-vous dire « {hint[0]} » ?)" if hint else ""
            problems.append(
                Problem(
                    path,
                    1,
                    f"dossier « {path.name} » jamais lu{also} : les dossiers lus sont {', '.join(sorted(known))}",
                    error=False,
                )
            )
        elif path.name not in (LEXICON_FILE, CONCEPTS_FILE, SYNONYMS_FILE, GENERIC_FILE, GUIDE_FILE, *reported):
            problems.append(
                Problem(
                    path,
                    1,
                    "fichier jamais lu : rangez-le dans le dossier qui lui correspond (droits/, services/, lieux/…)",
                    error=False,
                )
            )
    return problems


def _stray_in_item_folder(folder: Path) -> Iterator[Problem]:
    for path in _entries(folder):
        if path.is_dir():
            message: str | None = (
                f"dossier jamais lu : les fichiers doivent être directement dans {folder.name}/, "
                "pas dans un dossier à l'intérieur"
            )
        else:
            message = _file_message(path, folder.name)
        if message is not None:
            yield Problem(path, 1, message, error=False)
