"""Opaque conversation keys, so no Telegram id is ever stored.

A conversation is known to the store only by an HMAC-SHA256 of its chat id
with a secret kept outside the database: someone who copies the database
cannot tell which Telegram account a key belongs to, nor test a guess,
without the secret too. The secret comes from RELAIS_SECRET or is generated
once into the data directory (mode 0600). It is never logged.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
import stat
from pathlib import Path

from bot.config import Settings

log = logging.getLogger(__name__)

SECRET_FILE = "secret"
KEY_LENGTH = 32  # hex characters: 128 bits, plenty against collisions among residents


def conversation_key(chat_id: int | str, secret: str) -> str:
    """The opaque key of a conversation: HMAC-SHA256(secret, chat id), hex, truncated."""
    if not secret:
        raise ValueError("a conversation key needs a non-empty secret")
    digest = hmac.new(secret.encode("utf-8"), str(chat_id).encode("utf-8"), hashlib.sha256)
    return digest.hexdigest()[:KEY_LENGTH]


def load_or_create_secret(settings: Settings) -> str:
    """RELAIS_SECRET if set, else the secret file in the data directory, created once.

    The file is created with O_EXCL so two processes starting together agree
    on one secret; an existing file with loose permissions is tightened.
    """
    if settings.secret:
        return settings.secret
    path = Path(settings.data_dir) / SECRET_FILE
    existing = _read_secret(path)
    if existing:
        return existing
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_hex(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        # Another process created it between our read and our open, or the
        # file exists but is empty: an empty secret is useless, replace it.
        existing = _read_secret(path)
        if existing:
            return existing
        fd = os.open(path, os.O_WRONLY | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(value + "\n")
    os.chmod(path, 0o600)
    log.info("secret des clés de conversation créé dans %s", path)
    return value


def _read_secret(path: Path) -> str | None:
    """The secret stored in `path`, tightening its permissions to 0600 if needed."""
    try:
        value = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        log.warning("le fichier secret %s était lisible par d'autres : permissions ramenées à 0600", path)
        os.chmod(path, 0o600)
    return value or None
