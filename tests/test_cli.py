"""The command line, driven as a resident or an outside tool would: as a subprocess."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # every test starts `python -m bot` in a subprocess

ROOT = Path(__file__).resolve().parent.parent


def run_bot(*args, stdin="", kb=None, env_extra=None):
    cmd = [sys.executable, "-m", "bot"]
    if kb is not None:
        cmd += ["--knowledge", str(kb)]
    return subprocess.run(cmd + list(args), input=stdin, capture_output=True, text=True, cwd=ROOT, timeout=60)


def test_chat_piped_gives_one_reply_per_line(kb_dir):
    result = run_bot("chat", stdin="bonjour\nmutuelle gratuite\n1\n", kb=kb_dir)
    assert result.returncode == 0, result.stderr
    assert "Bonjour !" in result.stdout
    assert "Complémentaire santé solidaire" in result.stdout
    assert "Traceback" not in result.stderr


def test_chat_stops_at_quitter(kb_dir):
    result = run_bot("chat", stdin="/quitter\nrsa\n", kb=kb_dir)
    assert result.returncode == 0
    assert "RSA" not in result.stdout  # nothing after /quitter is read


def test_chat_with_quartier_option(kb_dir):
    result = run_bot("chat", "--quartier", "bellevue", stdin="rsa\n", kb=kb_dir)
    assert "Centre social imaginaire de Bellevue" in result.stdout


def test_chat_rejects_an_unknown_quartier_clearly(kb_dir):
    result = run_bot("chat", "--quartier", "mars", kb=kb_dir)
    assert result.returncode != 0
    assert "quartier inconnu « mars »" in result.stderr
    assert "Traceback" not in result.stderr


def test_ask_jsonl_shape(kb_dir):
    result = run_bot("ask", "--jsonl", stdin="mutuelle gratuite a bellevue\nrecette des crepes\n\n", kb=kb_dir)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 2
    assert set(lines[0]) >= {"question", "id", "score", "quartier", "suggestions"}
    assert lines[0]["question"] == "mutuelle gratuite a bellevue"
    assert lines[0]["id"] == "css" and lines[0]["quartier"] == "bellevue"
    assert isinstance(lines[0]["score"], int) and 0 <= lines[0]["score"] <= 100
    assert lines[1]["id"] is None and isinstance(lines[1]["suggestions"], list)


def test_ask_writes_nothing(kb_dir, tmp_path):
    before = sorted(p.name for p in tmp_path.rglob("*"))
    result = subprocess.run(
        [sys.executable, "-m", "bot", "--knowledge", str(kb_dir), "ask", "rsa"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
        # Run this worktree's code, not whatever `bot` the editable install points at.
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 0 and "Revenu de solidarité active" in result.stdout
    assert sorted(p.name for p in tmp_path.rglob("*")) == before


def test_export_json_shape(kb_dir):
    result = run_bot("export", "--json", kb=kb_dir)
    document = json.loads(result.stdout)
    assert set(document) >= {"entries", "places", "quartiers"}
    rsa = next(e for e in document["entries"] if e["id"] == "rsa")
    assert set(rsa) >= {"id", "kind", "title", "phrasings", "keywords", "answer"}
    assert rsa["kind"] == "right" and "RSA" in rsa["phrasings"]
    assert {p["id"] for p in document["places"]} >= {"centre-bellevue"}
    assert {q["id"] for q in document["quartiers"]} == {"bellevue", "europe"}


def test_broken_knowledge_gives_path_line_message_and_exit_1(kb_dir):
    (kb_dir / "droits" / "css.yaml").write_text("id: css\nformulations: [a\n", encoding="utf-8")
    result = run_bot("validate", str(kb_dir))
    assert result.returncode == 1
    assert f"{kb_dir / 'droits' / 'css.yaml'}:" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_unusable_knowledge_dir_is_a_clear_error(tmp_path):
    result = run_bot("ask", "rsa", kb=tmp_path)
    assert result.returncode != 0
    assert "impossible de charger" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("args", [["ask"], ["export"], ["nope"]])
def test_usage_errors_are_clear(args, kb_dir):
    result = run_bot(*args, kb=kb_dir)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_chat_survives_a_digit_that_is_not_a_number(kb_dir):
    result = run_bot("chat", stdin="/start\n²\n", kb=kb_dir)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr


def test_ask_rejects_an_unknown_quartier_instead_of_ignoring_it(kb_dir):
    result = run_bot("ask", "--quartier", "belevue", "rsa", kb=kb_dir)
    assert result.returncode == 2
    assert "quartier inconnu « belevue »" in result.stderr
    assert "Traceback" not in result.stderr
    assert "Centre social imaginaire de Bellevue" in run_bot("ask", "--quartier", "bellevue", "rsa", kb=kb_dir).stdout


def test_ask_greeting_is_not_preceded_by_its_title(kb_dir):
    result = run_bot("ask", "bonjour", kb=kb_dir)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Bonjour !")


@pytest.mark.parametrize("command", [["ask", "xqzw vbnk"], ["chat"]])
def test_nothing_written_means_nothing_promised(kb_dir, command):
    result = run_bot(*command, stdin="xqzw vbnk\n", kb=kb_dir)
    assert result.returncode == 0, result.stderr
    assert "Je ne connais pas encore la réponse" in result.stdout
    assert "Je la garde" not in result.stdout


@pytest.mark.parametrize(
    "args, french",
    [
        (["purge", "--older-than", "abc"], "« abc » n'est pas un nombre entier"),
        (["validate", "--nope"], "option inconnue « --nope »"),
    ],
)
def test_option_mistakes_are_explained_in_french(kb_dir, args, french):
    result = run_bot(*args, kb=kb_dir)
    assert result.returncode == 2
    assert french in result.stderr
    assert "Error" not in result.stderr and "Invalid value" not in result.stderr and "Try '" not in result.stderr


def test_validate_still_fails_on_a_broken_base(kb_dir):
    path = kb_dir / "droits" / "rsa.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("titre:", "titr:"), encoding="utf-8")
    assert run_bot("validate", kb=kb_dir).returncode == 1


def test_a_broken_entry_file_is_named_at_start(kb_dir):
    rsa = kb_dir / "droits" / "rsa.yaml"
    rsa.write_text(rsa.read_text(encoding="utf-8") + "titre: [\n", encoding="utf-8")
    result = run_bot("ask", "rsa", kb=kb_dir)
    assert result.returncode == 0
    assert "le bot répond sans ces entrées, leur fichier a une erreur : « rsa »" in result.stderr
