"""Reminders and call-backs from the command line: console choices, staff listing, purge.

Chat ids and phone numbers are made up.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bot.channels.console import ConsoleSession
from bot.conversation.core import Conversation
from bot.reminders.flow import CONSOLE_ONLY
from bot.storage.consented import ConsentedData
from bot.storage.store import Store

ROOT = Path(__file__).resolve().parent.parent
PHONE = "06 47 81 29 35"


def run_bot(*args: str, db: Path, kb: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "RELAIS_DB": str(db)}
    return subprocess.run(
        [sys.executable, "-m", "bot", "--knowledge", str(kb), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        env=env,
    )


def choice(text: str, label: str) -> str:
    """The number the console shows in front of a choice."""
    found = re.search(r"\[(\d+)\] " + re.escape(label), text)
    assert found, text
    return found.group(1)


def test_console_offers_reminders_as_numbered_choices_and_says_they_need_telegram(engine):
    session = ConsoleSession(Conversation(engine, channel="console"))
    session.choose_quartier("bellevue")
    answer = session.handle("mutuelle gratuite")
    assert answer is not None
    told = session.handle(choice(answer, "🔔 Me le rappeler"))
    assert told == CONSOLE_ONLY
    assert session.handle("/rappels") == CONSOLE_ONLY
    answer = session.handle("mutuelle gratuite")
    assert answer is not None
    callback = session.handle(choice(answer, "📞 Être rappelé(e) par une personne"))
    assert callback is not None and "Telegram" in callback


def seed(db: Path) -> None:
    now = dt.datetime(2026, 12, 1, 11, 0, tzinfo=dt.UTC)
    with Store(db, clock=lambda: now) as store:
        book = ConsentedData.open(store, db.parent, lambda: now)
        book.add_callback("cle-a", "7319046852", "bellevue", "css", PHONE)
        book.add_callback("cle-b", "6204817395", "europe", None, None)
        book.add_reminder("cle-a", "7319046852", "ars", "rentree-scolaire", "bellevue", [dt.date(2027, 8, 1)])


@pytest.mark.slow  # `python -m bot` in a subprocess
def test_rappels_demandes_lists_open_requests_for_staff(tmp_path, kb_dir):
    db = tmp_path / "data" / "relais.db"
    seed(db)
    result = run_bot("rappels-demandes", db=db, kb=kb_dir)
    assert result.returncode == 0, result.stderr
    assert "2 demande(s)" in result.stdout and PHONE in result.stdout and "passera" in result.stdout
    only = run_bot("rappels-demandes", "-q", "europe", db=db, kb=kb_dir)
    assert "1 demande(s)" in only.stdout and PHONE not in only.stdout
    bad = run_bot("rappels-demandes", "-q", "mars", db=db, kb=kb_dir)
    assert bad.returncode != 0 and "quartier inconnu" in bad.stderr and "Traceback" not in bad.stderr


@pytest.mark.slow  # `python -m bot` in a subprocess
def test_rappels_demandes_without_the_key_says_what_to_do(tmp_path, kb_dir):
    db = tmp_path / "data" / "relais.db"
    seed(db)
    (db.parent / "cle-chiffrement").unlink()
    result = run_bot("rappels-demandes", db=db, kb=kb_dir)
    assert result.returncode != 0 and "clé de chiffrement" in result.stderr and "Traceback" not in result.stderr
    assert not (db.parent / "cle-chiffrement").exists()


@pytest.mark.slow  # `python -m bot` in a subprocess
def test_purge_personnelles_erases_every_reminder_and_request_even_without_the_key(tmp_path, kb_dir):
    db = tmp_path / "data" / "relais.db"
    seed(db)
    (db.parent / "cle-chiffrement").unlink()
    kept = run_bot("purge", db=db, kb=kb_dir)
    assert kept.returncode == 0 and "0 ligne(s) de données personnelles" in kept.stdout
    result = run_bot("purge", "--personnelles", db=db, kb=kb_dir)
    assert result.returncode == 0, result.stderr
    assert "3 ligne(s) de données personnelles" in result.stdout
    data = b"".join(Path(str(db) + s).read_bytes() for s in ("", "-wal") if Path(str(db) + s).exists())
    assert b"7319046852" not in data
