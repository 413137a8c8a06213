"""A file saved in the wrong folder (a right in lieux/, a place in droits/), said in one line.

Read with the wrong folder's fields, such a file gives a dozen errors (« nom »
missing, « formulations » unknown, « quartier «  » inconnu »…) that all hide
the one thing to do: move the file. When its fields are another folder's, the
validator says that instead.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.knowledge.model import KIND_FOLDERS, LINES_FOLDER, PLACES_FOLDER, QUARTIERS_FOLDER
from bot.knowledge.parsing import ENTRY_KEYS, LINE_KEYS, PLACE_KEYS, QUARTIER_KEYS

ENTRY_FOLDERS = tuple(KIND_FOLDERS)
_FIELDS = {
    ENTRY_FOLDERS: frozenset(ENTRY_KEYS),
    (PLACES_FOLDER,): frozenset(PLACE_KEYS),
    (LINES_FOLDER,): frozenset(LINE_KEYS),
    (QUARTIERS_FOLDER,): frozenset(QUARTIER_KEYS),
}
_WHAT = {ENTRY_FOLDERS: "une fiche", (PLACES_FOLDER,): "un lieu", (LINES_FOLDER,): "un numéro national",
         (QUARTIERS_FOLDER,): "un quartier"}  # fmt: skip
MIN_FOREIGN_FIELDS = 2  # one unknown field is a typo (« titr »), reported as such


def _folders_text(folders: tuple[str, ...]) -> str:
    names = [f"{name}/" for name in folders]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " ou " + names[-1]


def misplaced_message(folder: str, fields: Iterable[object]) -> str | None:
    """What to say when a file of `folder` has the fields of another folder's files, else None."""
    keys = {str(key) for key in fields}
    own = next((allowed for folders, allowed in _FIELDS.items() if folder in folders), None)
    if own is None or len(keys - own) < MIN_FOREIGN_FIELDS:
        return None
    for folders, allowed in _FIELDS.items():
        if folder not in folders and keys <= allowed:
            return (
                f"ce fichier décrit {_WHAT[folders]} (champs « {' », « '.join(sorted(keys - own)[:3])} ») "
                f"mais il est dans {folder}/ : déplacez-le dans {_folders_text(folders)}"
            )
    return None
