"""The guided rights check in the conversation: started from the simulator answer or /droits,
walked with buttons in the console and on Telegram, counted in stats, its answers never stored."""

from __future__ import annotations

import datetime as dt
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.channels.console import ConsoleSession, render
from bot.config import REPO_KNOWLEDGE
from bot.conversation.core import Conversation
from bot.conversation.recorder import MemoryRecorder
from bot.conversation.reply import Reply
from bot.knowledge.engine import Engine
from bot.storage.anonymity import shown_count
from tests.conftest import MONDAY_MORNING, Clock, RecordingRecorder
from tests.orientation_fixtures import KEY, RULES, SIMULATOR, press_label, walk
from tests.test_telegram import ADMIN, ALICE, callback_data, running_bot

pytestmark = pytest.mark.usefixtures("no_proxy_for_localhost")  # every test here may reach 127.0.0.1

ROOT = Path(__file__).resolve().parent.parent
# A resident alone, 25 to 59, no child, no income, no home: the questions a resident would answer.
ALONE_NO_INCOME = ["25 à 59", "C'est tout", "Je n'ai pas de revenu", "Sans logement", "Non", "Français"]
ANSWER_WORDS = ("sans-revenu", "sans-logement", "francais-ue", "dr:", "25-59", "situation", "papiers")


@pytest.fixture
def clock() -> Clock:
    return Clock(MONDAY_MORNING)


@pytest.fixture
def talk(check_kb: Path, recorder: RecordingRecorder, clock: Clock) -> Conversation:
    return Conversation(Engine.load(check_kb), recorder, channel="test", clock=clock)


# --------------------------------------------------------------------------- the core


def test_the_simulator_answer_offers_the_check(talk):
    answer = talk.press(KEY, "e:simulateur")
    assert answer.entry_id == "simulateur"
    started = press_label(talk, answer, "Faire un premier point")
    assert started.kind == "check"
    assert "pas une décision" in started.text and "/stop" in started.text and "Question 1 sur 7" in started.text


def test_full_check_lists_rights_with_why_a_person_and_the_simulator(talk, recorder):
    talk.press(KEY, "q:bellevue")
    result = walk(talk, ALONE_NO_INCOME)
    assert result.kind == "check-result"
    assert result.suggestions == ["rsa", "css"]
    assert "vous avez 25 ans ou plus et peu de revenus" in result.text
    assert "à vérifier avec une personne" in result.text.lower()
    assert "Centre social imaginaire de Bellevue" in result.text
    assert "https://www.mesdroitssociaux.gouv.fr" in result.text
    assert "€" not in result.text
    actions = [b.action for row in result.buttons for b in row]
    assert actions[:2] == ["e:rsa", "e:css"]  # the rights first, then their reminders (quarterly return, CSS renewal)
    assert actions[2:] == ["rap:type:trimestrielle:rsa", "rap:type:css:css"]
    opened = talk.press(KEY, "e:rsa")
    assert opened.kind == "answer" and opened.entry_id == "rsa"
    assert recorder.orientations == [(("rsa", "css"), "test")]
    assert recorder.unanswered == []  # button answers are never kept as questions


def test_answers_are_forgotten_at_the_end(talk):
    walk(talk, ALONE_NO_INCOME)
    assert not talk.rights_check.active(KEY)
    again = talk.press(KEY, "dr:papiers:francais-ue")
    assert "oublié" in again.text


def test_stop_leaves_the_check_at_any_time(talk, recorder):
    reply = walk(talk, ["25 à 59"])
    stopped = press_label(talk, reply, "Arrêter")
    assert "oublié" in stopped.text
    assert recorder.orientations == []
    reply = walk(talk, ["25 à 59", "C'est tout"])
    assert "oublié" in talk.stop(KEY).text
    assert "rien à arrêter" in talk.stop(KEY).text


@pytest.mark.parametrize("typed", ["stop", "Arrêter !", "/stop", "quitter"])
def test_typing_stop_leaves_the_check(talk, typed):
    walk(talk, ["25 à 59"])
    assert "oublié" in talk.ask(KEY, typed).text
    assert not talk.rights_check.active(KEY)


def test_a_sentence_with_stop_words_still_goes_to_the_danger_check(talk):
    walk(talk, ["25 à 59"])
    reply = talk.ask(KEY, "je veux tout arrêter, je n'en peux plus de vivre")
    assert reply.kind == "emergency"


def test_answers_expire_after_30_minutes(talk, clock):
    reply = walk(talk, ["25 à 59"])
    clock.now += dt.timedelta(minutes=31)
    expired = press_label(talk, reply, "C'est tout")
    assert expired.kind == "info" and "/droits" in expired.text


def test_a_typed_question_is_still_answered_and_the_check_goes_on(talk):
    reply = walk(talk, ["25 à 59", "C'est tout"])
    answer = talk.ask(KEY, "mutuelle gratuite")
    assert answer.entry_id == "css"
    result = walk_from(talk, reply, ALONE_NO_INCOME[2:])
    assert result.kind == "check-result"


def walk_from(conversation: Conversation, reply: Reply, labels: list[str]) -> Reply:
    for label in labels:
        reply = press_label(conversation, reply, label)
    return reply


def test_oubli_also_forgets_a_check_under_way(talk):
    walk(talk, ["25 à 59"])
    talk.press(KEY, "oubli:oui")
    assert not talk.rights_check.active(KEY)


def test_without_rules_file_the_simulator_answer_stays(kb_dir):
    (kb_dir / "droits" / "simulateur.yaml").write_text(SIMULATOR, encoding="utf-8")
    talk = Conversation(Engine.load(kb_dir), MemoryRecorder(), channel="test", clock=lambda: MONDAY_MORNING)
    reply = talk.check_rights(KEY)
    assert reply.entry_id == "simulateur"
    assert "dr:go" not in [b.action for row in reply.buttons for b in row]


@pytest.mark.slow  # `python -m bot` in a subprocess
def test_a_broken_rules_file_is_reported_by_validate(check_kb):
    (check_kb / "orientation" / "regles.yaml").write_text(RULES.replace("fiche: css", "fiche: csss"), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "bot", "validate", str(check_kb)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert f"{check_kb / 'orientation' / 'regles.yaml'}:12: « fiche » cite « csss »" in result.stdout


# --------------------------------------------------------------------------- the console


def console_numbers(engine: Engine, labels: list[str]) -> tuple[list[str], str]:
    """The lines a resident types in the console for these choices, and the last text printed."""
    session = ConsoleSession(Conversation(engine, MemoryRecorder(), channel="console"))
    typed = ["/droits"]
    text = session.handle("/droits") or ""
    for label in labels:
        reply_labels = [line.split("] ", 1)[1] for line in text.splitlines() if line.startswith("  [")]
        number = next(i for i, shown in enumerate(reply_labels, 1) if shown.startswith(label))
        typed.append(str(number))
        text = session.handle(str(number)) or ""
    return typed, text


def test_console_walks_the_check_with_numbers(check_kb):
    typed, last = console_numbers(Engine.load(check_kb), ALONE_NO_INCOME)
    assert "Voici les droits à vérifier avec une personne" in last
    assert "[1] Revenu de solidarité active" in last or "[1] " in last


@pytest.mark.slow  # `python -m bot` in a subprocess
def test_console_chat_command_runs_the_check_and_writes_nothing(check_kb, tmp_path):
    typed, _ = console_numbers(Engine.load(check_kb), ALONE_NO_INCOME)
    workdir = tmp_path / "cwd"
    workdir.mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "bot", "--knowledge", str(check_kb), "chat"],
        input="\n".join(typed) + "\n",
        capture_output=True,
        text=True,
        cwd=workdir,
        timeout=60,
        check=False,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "HOME": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    assert "Question 1 sur 7" in result.stdout and "Voici les droits à vérifier avec une personne" in result.stdout
    assert "Traceback" not in result.stderr
    for path in workdir.rglob("*"):  # the learned-model cache (built from knowledge/) may be written; no answer
        if path.is_file() and path.suffix != ".npz":
            content = path.read_bytes()
            assert not any(word.encode() in content for word in ANSWER_WORDS), path


def test_console_render_keeps_buttons_as_numbered_choices(talk):
    text, actions = render(talk.check_rights(KEY))
    assert "[1] Moins de 18 ans" in text and actions[0] == "dr:age:m18"


# --------------------------------------------------------------------------- Telegram


@pytest.fixture(scope="module")
def engine(shipped_engine: Engine) -> Engine:
    """An engine of its own on the shipped base, sharing the session's read and trained snapshot."""
    return Engine(REPO_KNOWLEDGE, shipped_engine.current, shipped_engine.problems, cache=shipped_engine.cache)


def telegram_data_for(message: dict, label: str) -> str:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    for row in rows:
        for button in row:
            if button["text"].startswith(label):
                return button["callback_data"]
    raise AssertionError(f"no button {label!r} in {[b['text'] for r in rows for b in r]}")


def database_text(path: Path) -> str:
    """Every value of every table, as one text: what a leak of the answers would show in."""
    with sqlite3.connect(path) as db:
        tables = [r[0] for r in db.execute("select name from sqlite_master where type = 'table'")]
        return "\n".join(repr(row) for table in tables for row in db.execute(f"select * from [{table}]"))


@pytest.mark.asyncio
async def test_telegram_walks_the_check_with_buttons_and_stores_only_counts(fake, tmp_path, engine) -> None:
    async with running_bot(fake, tmp_path, engine) as bot:
        assert {"command": "droits", "description": "À quoi j'ai droit ? Un premier point en 7 questions"} in [
            dict(c) for c in fake.commands
        ]
        message = await bot.say(ALICE, "/droits")
        assert "Question 1 sur 7" in message["text"]
        for label in ALONE_NO_INCOME:
            message = await bot.press(ALICE, message, telegram_data_for(message, label))
        assert "Voici les droits à vérifier avec une personne" in message["text"]
        rights = [d for d in callback_data(message) if d.startswith("e:")]
        assert "e:rsa" in rights and "e:hebergement-urgence" in rights
        opened = await bot.press(ALICE, message, "e:hebergement-urgence")
        assert "115" in opened["text"]
        stopped_check = await bot.say(ALICE, "/droits")
        stopped = await bot.press(ALICE, stopped_check, "dr:stop")
        assert "oublié" in stopped["text"]
        bot.store.flush()
        done, listed = bot.store.orientation_counts(7)
        assert done == 1 and ("rsa", 1) in listed
        stats = await bot.say(ADMIN, "/stats")
        assert f"Points sur les droits terminés : {shown_count(1)}" in stats["text"]  # « moins de 3 »: k-anonymity
    stored = database_text(tmp_path / "relais.db")
    for word in ANSWER_WORDS:
        assert word not in stored, word
    for path in tmp_path.rglob("*"):
        if path.is_file() and path.suffix not in (".db", ".npz") and "relais.db" not in path.name:
            content = path.read_bytes()
            assert b"sans-revenu" not in content and b"sans-logement" not in content, path


@pytest.mark.parametrize("typed", ["je sais pas", "Je ne sais pas.", "jsp", "aucune idée"])
def test_typing_i_dont_know_answers_the_check_instead_of_matching_a_topic(talk, recorder, typed):
    reply = walk(talk, ["25 à 59", "C'est tout", "Je travaille"])
    assert "Question 4" in reply.text
    reply = talk.ask(KEY, typed)
    assert reply.kind == "check" and "Question 5" in reply.text
    assert recorder.unanswered == [] and recorder.answered == []


@pytest.mark.parametrize("typed", ["revenir", "Retour", "je me suis trompé"])
def test_typing_back_goes_to_the_previous_question(talk, typed):
    walk(talk, ["25 à 59", "C'est tout"])
    reply = talk.ask(KEY, typed)
    assert reply.kind == "check" and reply.text.startswith("Question 2")
    reply = press_label(talk, reply, "← Revenir")
    assert reply.text.startswith("Question 1")


def test_back_button_then_a_new_answer_changes_the_result(talk):
    reply = walk(talk, ALONE_NO_INCOME[:2])
    reply = press_label(talk, reply, "← Revenir")
    reply = press_label(talk, reply, "← Revenir")
    result = walk_from(talk, reply, ["18 à 24", *ALONE_NO_INCOME[1:]])
    assert result.kind == "check-result"
    assert "rsa" not in result.suggestions  # under 25: the made-up RSA rule no longer applies
