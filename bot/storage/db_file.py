"""Is the file RELAIS_DB points to a database we may open? Asked before anything opens it.

A mistyped RELAIS_DB can point at a text file, a folder or a file nobody may
read; a disk or a copy gone wrong can leave a file with SQLite's header and
garbage after it. SQLite would then fail deep in the writer thread, after
retries, and the command printed several log lines in a row; worse, a file that
is not a database must never be written over. One French sentence naming the
path, said before the store is opened, replaces all that.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

# Every SQLite database starts with these 16 bytes (https://www.sqlite.org/fileformat.html, 1.3.1).
_SQLITE_HEADER = b"SQLite format 3\x00"
# Byte 18 of the header: 2 when the database is in WAL mode (fileformat.html, 1.3.4).
_WAL_VERSION_OFFSET = 18
_WAL_VERSION = 2
# Result codes that mean the bytes are no readable database (https://www.sqlite.org/rescode.html).
_SQLITE_CORRUPT = 11
_SQLITE_NOTADB = 26

_CHECK_THE_PATH = "vérifiez le chemin donné par RELAIS_DB"


def database_problem(path: Path) -> str | None:
    """A French sentence saying why `path` cannot be our database; None if it can (or does not exist yet).

    An empty file is a database SQLite has not written yet: accepted.
    """
    if not path.exists():
        return None
    advice = _CHECK_THE_PATH
    if path.is_dir():
        reason = "c'est un dossier, pas un fichier"
    elif not path.is_file():
        reason = "ce n'est pas un fichier ordinaire"
    else:
        try:
            with path.open("rb") as file:
                head = file.read(_WAL_VERSION_OFFSET + 1)
        except OSError as exc:
            reason = f"le fichier ne peut pas être lu ({exc.strerror or exc})"
        else:
            if not head:
                return None
            if not head.startswith(_SQLITE_HEADER):
                reason = "ce fichier n'est pas une base de données SQLite"
            elif _readable(path, head):
                return None
            else:
                reason = "le fichier est abîmé (début de base SQLite, mais la suite est illisible)"
                advice = "restaurez la dernière sauvegarde ou " + _CHECK_THE_PATH
    return f"la base de données « {path} » (RELAIS_DB) est inutilisable : {reason} ; rien n'a été modifié, {advice}"


def _readable(path: Path, head: bytes) -> bool:
    """Whether SQLite can read the schema of `path`, opened so that nothing is written beside it.

    A header alone proves little: the first 100 bytes of a real database and
    garbage after them pass it. Reading the schema is cheap and finds that.
    A WAL-mode file with no -wal beside it has no writer, so it is read as
    immutable (read-only would create -wal and -shm files next to a file that
    may be no database); otherwise read-only with locks, which writes nothing
    for a rollback-journal file and only shares the running bot's -shm.
    Only corruption counts: a busy or locked database is the store's business.
    """
    wal_mode = len(head) > _WAL_VERSION_OFFSET and head[_WAL_VERSION_OFFSET] == _WAL_VERSION
    no_writer = wal_mode and not Path(f"{path}-wal").exists()
    uri = path.resolve().as_uri() + ("?immutable=1" if no_writer else "?mode=ro")
    try:
        connection = sqlite3.connect(uri, uri=True, timeout=1.0)
        try:
            connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        return getattr(exc, "sqlite_errorcode", 0) & 0xFF not in (_SQLITE_CORRUPT, _SQLITE_NOTADB)
    return True
