"""Why a file could not be read or written, in French.

Python's `OSError.strerror` is the C library's English ("No such file or
directory"): staff and mediators who type a wrong folder must read what is
wrong in their language, and what to do about it.
"""

from __future__ import annotations

import errno

_REASONS = {
    errno.ENOENT: "fichier ou dossier introuvable",
    errno.ENOTDIR: "une partie du chemin n'est pas un dossier",
    errno.EISDIR: "c'est un dossier : donnez un nom de fichier",
    errno.EACCES: "permission refusée",
    errno.EPERM: "opération non permise",
    errno.EROFS: "le disque est en lecture seule",
    errno.ENOSPC: "le disque est plein",
    errno.EEXIST: "ce fichier existe déjà",
    errno.ENAMETOOLONG: "nom de fichier trop long",
    errno.EPIPE: "la sortie a été fermée avant la fin (par exemple par « | head »)",
}


def french_reason(error: OSError) -> str:
    """The French reason of an OS error ("permission refusée"); a generic one for a rare errno."""
    if error.errno is None:
        return "erreur du système"
    return _REASONS.get(error.errno, f"erreur du système (code {error.errno})")
