"""Is the file RELAIS_DB points to a database we may open? Asked before anything opens it.

A mistyped RELAIS_DB can point at a text file, a folder or a file nobody may
read. SQLite would then fail deep in the writer thread, after retries, and the
command printed several log lines in a row; worse, a file that is not a
database must never be written over. One French sentence naming the path,
said before the store is opened, replaces all that.
"""

from __future__ import annotations

from pathlib import Path

# Every SQLite database starts with these 16 bytes (https://www.sqlite.org/fileformat.html, 1.3.1).
_SQLITE_HEADER = b"SQLite format 3\x00"


def database_problem(path: Path) -> str | None:
    """A French sentence saying why `path` cannot be our database; None if it can (or does not exist yet).

    An empty file is a database SQLite has not written yet: accepted.
    """
    if not path.exists():
        return None
    if path.is_dir():
        reason = "c'est un dossier, pas un fichier"
    elif not path.is_file():
        reason = "ce n'est pas un fichier ordinaire"
    else:
        try:
            with path.open("rb") as file:
                head = file.read(len(_SQLITE_HEADER))
        except OSError as exc:
            reason = f"le fichier ne peut pas être lu ({exc.strerror or exc})"
        else:
            if not head or head == _SQLITE_HEADER:
                return None
            reason = "ce fichier n'est pas une base de données SQLite"
    return (
        f"la base de données « {path} » (RELAIS_DB) est inutilisable : {reason} ; rien n'a été modifié, "
        "vérifiez le chemin donné par RELAIS_DB"
    )
