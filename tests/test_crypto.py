"""Encryption at rest of chat ids and phone numbers (bot.storage.crypto)."""

from __future__ import annotations

import logging
import stat

import pytest

from bot.storage.crypto import (
    CALLBACK_CHAT,
    KEY_FILE,
    REMINDER_CHAT,
    Cipher,
    KeyProblem,
    load_or_create_key,
)

CHAT_ID = 5550001234  # made up
PHONE = "06 12 34 56 78"  # made up


@pytest.fixture
def cipher(tmp_path) -> Cipher:
    return load_or_create_key(tmp_path)


def test_key_file_is_created_once_with_0600_and_never_logged(tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    first = load_or_create_key(tmp_path / "data")
    path = tmp_path / "data" / KEY_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    key_hex = path.read_text().strip()
    assert len(key_hex) == 64
    again = load_or_create_key(tmp_path / "data", data_exists=True)
    assert again.fingerprint == first.fingerprint
    assert again.decrypt_chat(first.encrypt_chat(CHAT_ID)) == CHAT_ID
    assert key_hex not in caplog.text and key_hex not in repr(first)


def test_loose_permissions_are_tightened(tmp_path):
    load_or_create_key(tmp_path)
    (tmp_path / KEY_FILE).chmod(0o644)
    load_or_create_key(tmp_path)
    assert stat.S_IMODE((tmp_path / KEY_FILE).stat().st_mode) == 0o600


@pytest.mark.parametrize("value", [str(CHAT_ID), PHONE, "-1001234567890", "é"])
def test_round_trip_and_no_clear_text_in_the_blob(cipher, value):
    blob = cipher.encrypt(value, REMINDER_CHAT)
    assert isinstance(blob, bytes)
    assert value.encode() not in blob
    assert cipher.decrypt(blob, REMINDER_CHAT) == value


def test_same_value_encrypts_differently_each_time(cipher):
    assert cipher.encrypt_phone(PHONE) != cipher.encrypt_phone(PHONE)
    assert cipher.decrypt_phone(cipher.encrypt_phone(PHONE)) == PHONE


def test_a_value_moved_to_another_column_does_not_decrypt(cipher):
    blob = cipher.encrypt_chat(CHAT_ID, REMINDER_CHAT)
    with pytest.raises(KeyProblem):
        cipher.decrypt_chat(blob, CALLBACK_CHAT)
    with pytest.raises(KeyProblem):
        cipher.decrypt_phone(blob)


def test_tampered_value_or_other_key_is_refused(tmp_path, cipher):
    blob = bytearray(cipher.encrypt_phone(PHONE))
    blob[-1] ^= 1
    with pytest.raises(KeyProblem, match="illisible"):
        cipher.decrypt_phone(bytes(blob))
    other = load_or_create_key(tmp_path / "autre")
    assert other.fingerprint != cipher.fingerprint
    with pytest.raises(KeyProblem):
        other.decrypt_phone(cipher.encrypt_phone(PHONE))
    with pytest.raises(KeyProblem, match="format"):
        cipher.decrypt_phone(b"\x02short")


def test_missing_key_with_data_stored_is_a_clear_french_error(tmp_path):
    with pytest.raises(KeyProblem, match="absente alors que la base contient"):
        load_or_create_key(tmp_path, data_exists=True)
    assert not (tmp_path / KEY_FILE).exists()  # no new key that would hide the problem


@pytest.mark.parametrize("content", ["", "pas une clé", "ab" * 31, "zz" * 32])
def test_corrupt_key_file_is_a_clear_french_error(tmp_path, content):
    (tmp_path / KEY_FILE).write_text(content)
    with pytest.raises(KeyProblem, match="abîmée"):
        load_or_create_key(tmp_path)
    assert (tmp_path / KEY_FILE).read_text() == content  # never overwritten
