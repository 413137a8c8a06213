"""A person in danger: the right numbers first, only what fits after them, and no typo can switch it off."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.channels.telegram.app import run as run_telegram
from bot.cli import ask_record
from bot.config import Settings
from bot.conversation.core import Conversation
from bot.conversation.emergency import OTHER_NUMBERS, EmergencyPlan, emergency_text, entry_that_fits
from bot.conversation.texts import HESITATE, OTHER_QUESTION_BUTTON, UNKNOWN
from bot.knowledge import DangerDataError, Engine, load_knowledge
from bot.understanding.danger import Danger
from tests.conftest import MONDAY_MORNING

ROOT = Path(__file__).resolve().parent.parent
KEY = "chat-emergency"


def run_bot(*args: str, kb: Path, tmp_path: Path, stdin: str = "") -> subprocess.CompletedProcess:
    env = {**os.environ, "RELAIS_DB": str(tmp_path / "data" / "relais.db")}
    command = [sys.executable, "-m", "bot", "--knowledge", str(kb), *args]
    return subprocess.run(command, input=stdin, capture_output=True, text=True, cwd=ROOT, env=env, timeout=60)


def errors_for(kb_dir: Path) -> list[str]:
    return [str(p) for p in load_knowledge(kb_dir).errors]


def put_a_tab(path: Path) -> int:
    """Indent the `formulations:` list of a danger file with a tab; return the line of the tab."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if line.startswith("formulations:")) + 1
    lines[index] = "\t" + lines[index].lstrip()
    path.write_text("".join(lines), encoding="utf-8")
    return index + 1


# --------------------------------------------------------------------------- what the person reads


@pytest.mark.parametrize(
    "message, kind, first_line",
    [
        ("mon mari me frappe tous les soirs", "violence", "URGENCE : appelez le 17"),
        ("je ne veux plus vivre", "suicide", "Pensées de suicide : appelez le 3114"),
        ("on dort dans la voiture ce soir", "rue", "Pas d'endroit pour dormir ce soir : appelez le 115"),
        ("mon bébé ne respire plus", "medical", "Urgence médicale : appelez le 15"),
        ("le voisin frappe son enfant tous les jours", "enfant", "Enfant en danger : appelez le 119"),
    ],
)
def test_the_reply_starts_with_the_numbers_of_that_danger_then_the_others_briefly(
    conversation, message, kind, first_line
):
    reply = conversation.ask(KEY, message)
    assert reply.kind == "emergency"
    assert reply.text.startswith(first_line)
    briefs = {"violence": "Violences : 17", "suicide": "Suicide : 3114", "enfant": "Enfant en danger : 119.",
              "rue": "Dormir ce soir : 115", "medical": "Urgence médicale : 15."}  # fmt: skip
    for other, brief in briefs.items():
        if other != kind:
            assert f"• {brief}" in reply.text, other


def test_an_emergency_continues_with_the_entry_that_fits_the_danger_only(conversation):
    reply = conversation.ask(KEY, "mon mari me frappe, j'ai besoin du rsa")
    assert reply.kind == "emergency" and reply.entry_id == "violences"
    assert "Violences à la maison" in reply.text
    # The RSA is only offered, by its title and a button: its answer is not in the emergency reply.
    rsa = conversation.engine.current.kb.entries["rsa"]
    assert rsa.answer.strip().splitlines()[0] not in reply.text


def test_the_entry_after_the_numbers_does_not_say_them_twice(kb_dir, recorder):
    path = kb_dir / "droits" / "violences.yaml"
    repeated = "En danger : appelez le 17 ou le 112, SMS au 114."
    answer = (
        f"reponse: |\n  {repeated}\n  Une association imaginaire écoute les victimes de violences, gratuitement.\n"
        "  Son accueil : 02 98 00 00 00, ou le 17 la nuit.\n  Permanence le 15/03/2026, 24 h/24 ensuite.\n"
    )
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(next(line for line in text.splitlines() if line.startswith("reponse:")), answer))
    conversation = Conversation(Engine.load(kb_dir), recorder, channel="test", clock=lambda: MONDAY_MORNING)

    reply = conversation.ask(KEY, "mon mari me frappe tous les soirs")
    assert reply.kind == "emergency" and reply.entry_id == "violences"
    assert repeated not in reply.text  # the numbers were just given
    for kept in ("Violences à la maison", "Une association imaginaire", "02 98 00 00 00", "Permanence le 15/03/2026"):
        assert kept in reply.text, kept  # its title, what it adds, someone new to call, a date
    assert repeated in conversation.press(KEY, "e:violences").text  # read on its own, the entry is whole


def test_a_danger_without_an_entry_gets_nothing_unrelated_but_a_person_nearby(conversation):
    conversation.press(KEY, "q:bellevue")
    reply = conversation.ask(KEY, "je ne veux plus vivre, je veux en finir")
    assert reply.kind == "emergency" and reply.entry_id is None
    assert UNKNOWN.splitlines()[0] not in reply.text and HESITATE not in reply.text
    assert not reply.suggestions
    assert "Centre social imaginaire de Bellevue" in reply.text  # the quartier's help point still follows
    assert not [b for row in reply.buttons for b in row if b.action.startswith("e:")]


def test_an_emergency_mixed_with_an_ordinary_question_gives_the_numbers_then_offers_the_question(conversation):
    reply = conversation.ask(KEY, "mon copain me met des coups et au fait comment faire une demande de rsa")
    assert reply.kind == "emergency"
    assert reply.text.startswith("URGENCE : appelez le 17")
    assert reply.entry_id == "violences"
    assert reply.suggestions == ["rsa"]
    assert reply.buttons[0][0].action == "e:rsa" and reply.buttons[0][0].label.startswith(OTHER_QUESTION_BUTTON)
    assert conversation.press(KEY, "e:rsa").entry_id == "rsa"


@pytest.mark.parametrize(
    "message",
    [
        "mon copain me met des coups, je touche le revenu de solidarité active depuis un an",
        "mon copain me met des coups, le rsa est suspendu depuis deux mois",
        # The request asks for help with the danger; the right is only named in the story.
        "mon copain me met des coups, je touche le revenu de solidarité active, vous pouvez m'aider ?",
        "mon copain me met des coups, le rsa est suspendu, comment faire ?",
    ],
)
def test_a_danger_told_with_its_story_offers_no_other_question(conversation, message):
    """The rest of the message tells, it does not ask: a right offered beside the numbers would be unrelated."""
    reply = conversation.ask(KEY, message)
    assert reply.kind == "emergency" and reply.entry_id == "violences"
    assert reply.suggestions == []
    assert not [b for row in reply.buttons for b in row if b.label.startswith(OTHER_QUESTION_BUTTON)]


@pytest.mark.parametrize("message", ["stop", "arrêter", "Stop !", "arrête", "arrêtez"])
def test_stop_typed_alone_is_no_danger_but_a_polite_stop(shipped_engine, message):
    """Outside the rights check, "stop" means "stop talking": no emergency numbers, no unrelated right."""
    record = ask_record(shipped_engine, message)
    assert record["urgence"] is None
    assert record["id"] == "arreter"


def test_a_look_alike_gets_an_ordinary_answer(conversation):
    reply = conversation.ask(KEY, "ce dossier de rsa va me tuer, comment faire la demande")
    assert reply.kind != "emergency" and reply.entry_id == "rsa"


def test_a_danger_in_a_long_story_is_found(conversation):
    story = "Je vous explique ma situation depuis le début. " * 60 + "Et maintenant mon mari me frappe."
    assert conversation.ask(KEY, story).kind == "emergency"


def test_a_danger_message_is_not_kept_for_the_laboratoire(conversation, recorder):
    conversation.ask(KEY, "je ne veux plus vivre")
    assert recorder.unanswered == []


@pytest.mark.parametrize(
    "kinds, unsure, entry",
    [
        (("violence",), False, "violences"),
        (("violence", "enfant"), True, "violences"),  # unsure, the strongest kind's entry
        (("violence", "medical"), True, None),  # may be a medical emergency: no page before the call
        (("violence", "medical"), False, "violences"),  # two dangers read for sure: the strongest one's entry
        (("suicide", "medical"), True, None),  # an overdose: the call first
    ],
)
def test_when_a_medical_emergency_cannot_be_ruled_out_no_page_comes_before_the_call(engine, kinds, unsure, entry):
    found = Danger(kinds[0], 0.8, kinds, unsure=unsure)
    assert entry_that_fits(engine.current.kb, found) == entry


@pytest.mark.parametrize(
    "kinds, unsure, text, entry",
    [
        # A child in danger: the 119 is the help; the conjugal-violence page speaks to an adult victim.
        (("enfant",), False, "le voisin frappe son fils tous les soirs", None),
        (("enfant", "violence"), False, "mon compagnon touche ma fille quand je suis pas là", None),
        (("enfant", "violence"), True, "mon beau-père frappe mon fils de 6 ans", None),
        # ...unless the writer is hit too: then the violence kind's page follows.
        (("enfant", "violence"), False, "mon mari nous frappe, moi et les enfants", "violences"),
        (("enfant", "violence"), True, "il m'a giflée et il tape les petits", "violences"),
        (("enfant", "violence"), False, "he hits me and the kids", "violences"),
        # The writer named as a target, but no violence found: still no adult page.
        (("enfant",), False, "il me dit que son fils dort dehors", None),
        (("enfant", "medical"), True, "il m'a dit que le bébé ne respire plus", None),  # the call first
    ],
)
def test_a_child_in_danger_continues_with_the_violence_page_only_when_the_writer_is_hit_too(
    engine, kinds, unsure, text, entry
):
    found = Danger(kinds[0], 0.8, kinds, unsure=unsure)
    assert entry_that_fits(engine.current.kb, found, text) == entry


def test_both_close_kinds_first_lines_are_shown_the_likeliest_first(engine):
    kb = engine.current.kb
    plan = EmergencyPlan("enfant", ("enfant", "medical"), None, None)
    text = emergency_text(kb, plan)
    enfant, medical = (kb.dangers.kinds[k].message.strip() for k in ("enfant", "medical"))
    assert text.startswith(enfant + "\n" + medical)
    assert kb.dangers.kinds["medical"].brief not in text.split(OTHER_NUMBERS)[-1]  # not repeated below


def test_ask_record_lists_every_kind_whose_numbers_come_first(shipped_engine):
    record = ask_record(shipped_engine, "mon mari me frappe tous les soirs")
    assert record["urgence"] == "violence" and record["urgences"][0] == "violence"
    assert ask_record(shipped_engine, "mutuelle gratuite")["urgences"] == []


# --------------------------------------------------------------------------- the contract


@pytest.mark.slow  # `python -m bot` in a subprocess
def test_ask_jsonl_carries_the_kind_of_danger_and_the_fitting_entry(kb_dir, tmp_path):
    questions = "mon mari me frappe tous les soirs\njai plus envie de vivre\nmutuelle gratuite\n"
    result = run_bot("ask", "--jsonl", kb=kb_dir, tmp_path=tmp_path, stdin=questions)
    assert result.returncode == 0, result.stderr
    violence, suicide, ordinary = (json.loads(line) for line in result.stdout.splitlines())
    assert violence["urgence"] == "violence" and violence["id"] == "violences"
    assert suicide["urgence"] == "suicide" and suicide["id"] is None and suicide["suggestions"] == []
    assert ordinary["urgence"] is None and ordinary["id"] == "css"


# --------------------------------------------------------------------------- it cannot be switched off


@pytest.mark.slow  # `python -m bot` in a subprocess
def test_a_tab_in_a_danger_file_fails_validation_with_its_line(kb_dir, tmp_path):
    path = kb_dir / "urgences" / "violence.yaml"
    line = put_a_tab(path)
    assert any(p.startswith(f"{path}:{line}:") and "tabulation" in p for p in errors_for(kb_dir)), errors_for(kb_dir)
    result = run_bot("validate", kb=kb_dir, tmp_path=tmp_path)
    assert result.returncode == 1
    assert f"{path}:{line}:" in result.stdout


@pytest.mark.parametrize("content", ["", "# à compléter\n"])
def test_an_empty_danger_file_is_an_error(kb_dir, content):
    path = kb_dir / "urgences" / "suicide.yaml"
    path.write_text(content, encoding="utf-8")
    assert f"{path}:1: fichier vide : le bot ne donnerait plus les bons numéros d'urgence" in errors_for(kb_dir)


def test_a_missing_danger_file_or_folder_is_an_error(kb_dir):
    (kb_dir / "urgences" / "rue.yaml").unlink()
    assert any(p.startswith(f"{kb_dir / 'urgences' / 'rue.yaml'}:1: fichier manquant") for p in errors_for(kb_dir))
    for path in (kb_dir / "urgences").iterdir():
        path.unlink()
    (kb_dir / "urgences").rmdir()
    assert any(p.startswith(f"{kb_dir / 'urgences'}:1: dossier des urgences manquant") for p in errors_for(kb_dir))


@pytest.mark.parametrize(
    "old, new, message",
    [
        ("fiche: violences", "fiche: violence-conjugale", "« fiche » cite « violence-conjugale », qui n'existe pas"),
        ('{numero: "112", nom: Urgences}', '{numero: "118", nom: Autre}', "le numéro 118 est listé mais n'est pas"),
        ("id: violence", "id: violences", "l'identifiant « violences » doit être le nom du fichier"),
        ("message: |", "mesage: |", "clé inconnue « mesage »"),
    ],
)
def test_a_mistake_in_a_danger_file_is_reported_with_its_line(kb_dir, old, new, message):
    path = kb_dir / "urgences" / "violence.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    line = next(i for i, row in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if new in row)
    errors = errors_for(kb_dir)
    assert any(p.startswith(f"{path}:") and message in p for p in errors), errors
    assert any(p.startswith(f"{path}:{line}:") and message in p for p in errors), errors


def test_the_same_phrasing_as_a_danger_and_a_look_alike_is_an_error(kb_dir):
    path = kb_dir / "urgences" / "pas-urgence.yaml"
    path.write_text(path.read_text(encoding="utf-8") + '  - "Mon mari me frappe"\n', encoding="utf-8")
    assert any(p.startswith(f"{path}:") and "est aussi dans violence.yaml" in p for p in errors_for(kb_dir))


@pytest.mark.parametrize(
    "command, stdin", [(("ask", "bonjour"), ""), (("chat",), "bonjour\n"), (("ask", "--jsonl"), "rsa\n")]
)
@pytest.mark.slow  # `python -m bot` in a subprocess
def test_ask_and_chat_refuse_to_start_without_sound_danger_data(kb_dir, tmp_path, command, stdin):
    put_a_tab(kb_dir / "urgences" / "enfant.yaml")
    result = run_bot(*command, kb=kb_dir, tmp_path=tmp_path, stdin=stdin)
    assert result.returncode == 1
    assert "les données d'urgence" in result.stderr and "le bot ne démarre pas" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_the_telegram_bot_refuses_to_start_without_sound_danger_data(kb_dir, tmp_path, capsys):
    (kb_dir / "urgences" / "medical.yaml").write_text("", encoding="utf-8")
    settings = Settings(knowledge_dir=kb_dir, db_path=tmp_path / "relais.db", telegram_token="123:fake")
    assert run_telegram(settings) == 1
    assert "Les données d'urgence" in capsys.readouterr().err
    assert not (tmp_path / "relais.db").exists()  # stopped before anything else started


def test_the_engine_refuses_a_base_without_danger_data(kb_dir):
    put_a_tab(kb_dir / "urgences" / "violence.yaml")
    with pytest.raises(DangerDataError):
        Engine.load(kb_dir)


def test_a_running_bot_keeps_its_last_good_danger_data_on_reload(kb_dir, engine, recorder):
    talk = Conversation(engine, recorder, channel="test", clock=lambda: MONDAY_MORNING)
    before = engine.current
    put_a_tab(kb_dir / "urgences" / "violence.yaml")
    result = engine.reload()
    assert not result.ok
    assert engine.current is before and engine.current.kb.dangers is not None
    assert talk.ask(KEY, "mon mari me frappe").text.startswith("URGENCE : appelez le 17")
    (kb_dir / "urgences" / "violence.yaml").unlink()
    assert not engine.reload().ok
    assert talk.ask(KEY, "mon mari me frappe").kind == "emergency"
