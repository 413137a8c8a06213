"""Encryption at rest of the only personal data the bot keeps: chat ids and phone numbers.

Why: a resident who asks for a reminder or a call-back consents to us keeping
the address of their chat (to write to it later) and maybe a phone number.
Someone who copies the database file must learn nothing from it, so these
values are stored only as AES-256-GCM ciphertexts (authenticated: a tampered
or swapped value fails to decrypt instead of decrypting to garbage).

The key lives in a file of the data directory, beside the HMAC secret
(`bot.privacy`), created once with 0600 permissions; it is never written to
the database and never logged. Each value is bound to its purpose through the
GCM associated data ("reminder.chat", "callback.phone"…), so a ciphertext
copied from one column into another does not decrypt.

Layout of a stored value: one version byte, a 12-byte random nonce, then the
ciphertext and its 16-byte tag. Raw bytes (a BLOB), not base64 text: random
bytes almost never spell a run of ASCII digits, which is what the privacy
tests look for in the file.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import re
import secrets
import stat
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from bot.french_os import french_reason

log = logging.getLogger(__name__)

KEY_FILE = "cle-chiffrement"
KEY_BYTES = 32  # AES-256
NONCE_BYTES = 12
VERSION = b"\x01"
_HEX_KEY = re.compile(r"^[0-9a-f]{64}$")

# Purposes (GCM associated data): one per column that holds personal data.
REMINDER_CHAT = "reminder.chat"
CALLBACK_CHAT = "callback.chat"
CALLBACK_PHONE = "callback.phone"


class KeyProblem(Exception):
    """The encryption key is missing, unreadable or not the one the data was written with.

    The message is French and says what to do: it is shown to whoever runs the bot.
    """


class Cipher:
    """Encrypts and decrypts short personal values with one AES-GCM key."""

    def __init__(self, key: bytes) -> None:
        if len(key) != KEY_BYTES:
            raise KeyProblem(f"clé de chiffrement invalide : {len(key)} octets au lieu de {KEY_BYTES}")
        self._aead = AESGCM(key)
        # A fingerprint stored in the database lets us tell at start that the
        # key file is the one the data was written with (HMAC: reveals nothing of the key).
        self.fingerprint = hmac.new(key, b"relais-droits key check", hashlib.sha256).hexdigest()[:16]

    def __repr__(self) -> str:  # never show the key, even in a traceback
        return "Cipher(<clé masquée>)"

    def encrypt(self, value: str, purpose: str) -> bytes:
        nonce = secrets.token_bytes(NONCE_BYTES)
        return VERSION + nonce + self._aead.encrypt(nonce, value.encode("utf-8"), purpose.encode("ascii"))

    def decrypt(self, blob: bytes, purpose: str) -> str:
        """The clear value; KeyProblem if the blob was not written with this key for this purpose."""
        blob = bytes(blob)
        if len(blob) < 1 + NONCE_BYTES + 16 or blob[:1] != VERSION:
            raise KeyProblem("donnée chiffrée illisible (format inconnu)")
        nonce, sealed = blob[1 : 1 + NONCE_BYTES], blob[1 + NONCE_BYTES :]
        try:
            return self._aead.decrypt(nonce, sealed, purpose.encode("ascii")).decode("utf-8")
        except InvalidTag:
            raise KeyProblem("donnée chiffrée illisible : autre clé, ou donnée modifiée") from None

    # The two kinds of personal data, named so callers cannot mix up the purposes.
    def encrypt_chat(self, chat_id: int | str, purpose: str = REMINDER_CHAT) -> bytes:
        return self.encrypt(str(chat_id), purpose)

    def decrypt_chat(self, blob: bytes, purpose: str = REMINDER_CHAT) -> int:
        return int(self.decrypt(blob, purpose))

    def encrypt_phone(self, phone: str) -> bytes:
        return self.encrypt(phone, CALLBACK_PHONE)

    def decrypt_phone(self, blob: bytes) -> str:
        return self.decrypt(blob, CALLBACK_PHONE)


def key_path(data_dir: Path) -> Path:
    return Path(data_dir) / KEY_FILE


def load_or_create_key(data_dir: Path, *, data_exists: bool = False) -> Cipher:
    """The Cipher of the key file in `data_dir`, creating the file (0600) the first time.

    `data_exists`: encrypted rows are already stored. Then a missing key is
    not silently replaced by a new one (that would make those rows unreadable
    for ever): a KeyProblem explains what to do instead.
    """
    path = key_path(data_dir)
    existing = _read_key(path)
    if existing is not None:
        return Cipher(existing)
    if data_exists:
        raise KeyProblem(
            f"La clé de chiffrement {path} est absente alors que la base contient des rappels ou des "
            "demandes de rappel chiffrés. Remettez le fichier de clé sauvegardé avec la base (même dossier), "
            "ou, pour repartir de zéro, effacez ces données avec « python -m bot purge --personnelles »."
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(KEY_BYTES)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process created it between our read and our open
        existing = _read_key(path)
        if existing is not None:
            return Cipher(existing)
        raise
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key.hex() + "\n")
    os.chmod(path, 0o600)
    log.info("clé de chiffrement créée dans %s (sauvegardez-la avec la base)", path)
    return Cipher(key)


def _read_key(path: Path) -> bytes | None:
    """The key stored in `path` (None if there is no file), tightening loose permissions."""
    try:
        text = path.read_text(encoding="ascii", errors="replace").strip().lower()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise KeyProblem(f"La clé de chiffrement {path} est illisible ({french_reason(exc)}).") from None
    if not _HEX_KEY.match(text):
        raise KeyProblem(
            f"La clé de chiffrement {path} est abîmée (64 caractères hexadécimaux attendus). "
            "Remettez le fichier sauvegardé avec la base ; ne le modifiez pas à la main."
        )
    if stat.S_IMODE(path.stat().st_mode) & 0o077:
        log.warning("la clé de chiffrement %s était lisible par d'autres : permissions ramenées à 0600", path)
        os.chmod(path, 0o600)
    return bytes.fromhex(text)
