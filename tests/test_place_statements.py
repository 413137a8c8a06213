"""A place said alone sets or confirms the quartier; two needs give an "Et aussi" button."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from bot.cli import cli
from bot.conversation.core import Conversation
from bot.knowledge.engine import Engine
from tests.conftest import MONDAY_MORNING

KEY = "places-1"


def actions(reply):
    return [button.action for row in reply.buttons for button in row]


@pytest.mark.parametrize("message", ["quartier bellevue", "bellevue", "j'habite le bouguen"])
def test_a_certain_place_sets_the_quartier_and_is_not_recorded(conversation, recorder, message):
    reply = conversation.ask(KEY, message)
    assert reply.kind == "place" and reply.text.startswith("C'est noté : Bellevue.")
    assert recorder.quartier_of(KEY) == "bellevue"
    assert "Centre social imaginaire de Bellevue" in reply.text  # someone reachable, right away
    assert recorder.unanswered == [] and recorder.answered == []


def test_a_place_in_two_quartiers_asks_which_one(conversation, recorder):
    reply = conversation.ask(KEY, "jhabite kerzinou")
    assert reply.kind == "place" and "Kerzinou" in reply.text and "Bellevue" in reply.text
    assert {"q:bellevue", "q:europe"} <= set(actions(reply))
    assert recorder.quartier_of(KEY) is None and recorder.unanswered == []
    confirmed = conversation.press(KEY, "q:europe")
    assert confirmed.text.startswith("C'est noté : Europe.") and recorder.quartier_of(KEY) == "europe"


@pytest.fixture
def lone_uncertain(kb_dir, recorder):
    """A place the reference only half places in Europe."""
    path = kb_dir / "quartiers" / "europe.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "  - nom: Kerzinou\n", "  - nom: Kerlouzou\n    incertain: true\n  - nom: Kerzinou\n"
        ),
        encoding="utf-8",
    )
    return Conversation(Engine.load(kb_dir), recorder, channel="test", clock=lambda: MONDAY_MORNING)


def test_an_uncertain_place_gets_a_yes_no_confirmation(lone_uncertain, recorder):
    reply = lone_uncertain.ask(KEY, "j'habite kerlouzou")
    assert reply.text == "Kerlouzou, c'est bien Europe ?"
    assert actions(reply) == ["q:europe", "q:autre"]
    assert lone_uncertain.press(KEY, "q:europe").text.startswith("C'est noté : Europe.")
    assert lone_uncertain.press(KEY, "q:autre").kind == "quartier"  # "Non": the quartier buttons


def test_a_second_need_is_offered_as_et_aussi(conversation):
    reply = conversation.ask(
        KEY, "mon rsa est suspendu depuis ce mois ci et en plus je n'ai pas de mutuelle pour le medecin"
    )
    labels = [button.label for row in reply.buttons for button in row]
    assert reply.kind == "answer"
    other = {"rsa", "css"} - {reply.entry_id}
    assert any(label.startswith("Et aussi : ") for label in labels)
    assert f"e:{other.pop()}" in actions(reply)


def test_ask_jsonl_lists_the_quartier_candidates(kb_dir):
    # In process: `python -m bot` itself is started by tests/test_cli.py (slow); this is the contract's content.
    stdin = "jhabite kerzinou\nj'habite a bellevue\nrsa\n"
    result = CliRunner().invoke(cli, ["--knowledge", str(kb_dir), "ask", "--jsonl"], input=stdin)
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert lines[0]["quartier_candidates"] == ["bellevue", "europe"] and lines[0]["id"] is None
    assert lines[1]["quartier"] == "bellevue" and lines[1]["quartier_candidates"] == []
    assert lines[2]["id"] == "rsa" and lines[2]["quartier_candidates"] == []
    assert {"question", "id", "score", "quartier", "suggestions"} <= set(lines[2])


@pytest.mark.parametrize(
    "message",
    [
        "en fait j'habite à Bellevue",  # a correction mid-conversation
        "non pardon, bellevue",
        "j'ai déménagé à Bellevue",
        "finalement je me suis installée à bellevue",
    ],
)
def test_a_change_of_quartier_told_in_passing_is_a_place_not_a_question(shipped_engine, message):
    match = shipped_engine.current.matcher.match(message)
    assert match.place_only and match.quartier == "bellevue"
    assert match.entry_id is None and match.suggestions == []
