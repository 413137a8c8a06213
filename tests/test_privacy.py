"""Conversation keys and the secret behind them."""

from __future__ import annotations

import logging
import stat

import pytest

from bot.config import Settings
from bot.storage.privacy import conversation_key, load_or_create_secret


@pytest.mark.parametrize("chat_id", [123456789, -1001234567890, "123456789", 0, 7])
def test_key_is_opaque_and_never_the_raw_id(chat_id):
    key = conversation_key(chat_id, "secret-de-test")
    assert key != str(chat_id)
    if len(str(chat_id)) >= 6:  # a digit or two can appear in any hex string by chance
        assert str(chat_id).lstrip("-") not in key
    assert len(key) == 32 and all(c in "0123456789abcdef" for c in key)


def test_key_is_stable_per_secret_and_differs_between_secrets():
    assert conversation_key(42, "a") == conversation_key("42", "a")
    assert conversation_key(42, "a") != conversation_key(42, "b")
    assert conversation_key(42, "a") != conversation_key(43, "a")


def test_empty_secret_is_refused():
    with pytest.raises(ValueError):
        conversation_key(42, "")


def test_environment_secret_wins(tmp_path):
    settings = Settings(db_path=tmp_path / "relais.db", secret="depuis-l-environnement")
    assert load_or_create_secret(settings) == "depuis-l-environnement"
    assert not (tmp_path / "secret").exists()


def test_secret_is_generated_once_with_0600(tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    settings = Settings(db_path=tmp_path / "data" / "relais.db")
    first = load_or_create_secret(settings)
    path = tmp_path / "data" / "secret"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(first) >= 32
    assert load_or_create_secret(settings) == first
    assert first not in caplog.text


def test_loose_permissions_are_tightened_and_empty_file_replaced(tmp_path):
    settings = Settings(db_path=tmp_path / "relais.db")
    path = tmp_path / "secret"
    path.write_text("ancien-secret\n")
    path.chmod(0o644)
    assert load_or_create_secret(settings) == "ancien-secret"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    path.write_text("")
    renewed = load_or_create_secret(settings)
    assert renewed and renewed != "ancien-secret"
    assert path.read_text().strip() == renewed


# --------------------------------------------------------------------------- consented data on disk
def test_reminders_and_call_backs_leave_no_chat_id_nor_phone_in_the_database(tmp_path, engine, caplog):
    """A whole session through the core: opt in, ask a call-back, type the number, chat on; then scan the file."""
    import datetime as dt

    from bot.conversation.core import Conversation
    from bot.laboratoire.report import needs_summary_text
    from bot.storage.consented import ConsentedData
    from bot.storage.store import Store

    caplog.set_level(logging.DEBUG)
    chat, phone = 7319046852, "06 47 81 29 35"  # made up
    now = dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.UTC)
    db = tmp_path / "data" / "relais.db"
    with Store(db, clock=lambda: now) as store:
        book = ConsentedData.open(store, db.parent, lambda: now)
        talk = Conversation(
            engine,
            store,
            channel="telegram",
            clock=lambda: now,
            consents=book,
            has_mediators=lambda quartier: True,
            dispatch=lambda request: None,
        )
        key, address = conversation_key(chat, "secret-de-test"), str(chat)
        talk.press(key, "q:bellevue", address)
        talk.press(key, "rap:offre:css", address)
        talk.ask(key, "31/03/2027", address)
        assert talk.press(key, "rap:oui", address).kind == "reminder-saved"
        talk.press(key, "cb:offre:css", address)
        assert talk.ask(key, phone.replace(" ", ""), address).kind == "callback-sent"
        talk.ask(key, f"mon numéro est {phone}, aidez moi pour la cantine", address)  # free text: redacted
        store.flush()
        views = store.stats_text(30) + needs_summary_text(store, days=30)
        data = b"".join(p.read_bytes() for p in db.parent.glob("relais.db*"))
        for form in (str(chat), phone, phone.replace(" ", ""), "6 47 81 29 35", "647812935"):
            assert form.encode() not in data, form
            assert form not in views and form not in caplog.text, form
        assert book.reminders_of(key) and book.callbacks_of(key)  # stored, but only encrypted
        talk.press(key, "oubli:oui", address)
        assert book.reminders_of(key) == [] and book.callbacks_of(key) == []
