"""Suggestions are entries a resident can open: never a greeting or a goodbye, in the chat or in `ask --jsonl`."""

from __future__ import annotations

import pytest

from bot.cli import ask_record
from bot.conversation.suggestions import openable
from bot.understanding.matcher import Match


@pytest.fixture
def matched(engine, monkeypatch):
    """The engine's matcher made to return one given match, whatever the text."""

    def returning(match: Match) -> None:
        monkeypatch.setattr(engine.current.matcher, "match", lambda text: match)

    return returning


@pytest.mark.parametrize(
    ("match", "kept"),
    [
        (Match(None, 40, suggestions=["salutation", "css"]), ["css"]),
        (Match(None, 40, suggestions=["mediation-quartier", "salutation"]), ["mediation-quartier"]),
        (Match("rsa", 90, suggestions=["mediation-quartier", "salutation", "css"]), ["css"]),
        (Match(None, 40, suggestions=["css", "rsa"]), ["css", "rsa"]),
        (Match(None, 40, suggestions=["gone-entry"]), []),
    ],
)
def test_only_rights_services_and_a_person_when_nothing_is_answered(engine, match, kept):
    assert openable(engine.current.kb, match).suggestions == kept


def test_a_greeting_is_never_a_button_of_a_hesitation(conversation, matched):
    matched(Match(None, 30, suggestions=["salutation"], normalized="quel temps demain"))
    reply = conversation.ask("k", "quel temps fera-t-il demain")
    assert reply.kind != "suggest" and reply.suggestions == []
    assert not any(b.action == "e:salutation" for row in reply.buttons for b in row)


def test_a_hesitation_keeps_the_rights_and_drops_the_greeting(conversation, matched):
    matched(Match(None, 30, suggestions=["salutation", "css"], normalized="mutuelle"))
    reply = conversation.ask("k", "mutuelle bonjour")
    assert reply.kind == "suggest" and reply.suggestions == ["css"]
    assert [b.action for row in reply.buttons for b in row] == ["e:css"]


def test_ask_jsonl_lists_no_intent_in_suggestions(engine, matched):
    matched(Match(None, 30, suggestions=["salutation", "css"]))
    assert ask_record(engine, "quel temps demain")["suggestions"] == ["css"]


def test_ask_jsonl_i_dont_know_is_neither_answered_nor_hesitated(engine, matched):
    matched(Match(None, 31, suggestions=["css", "rsa"]))
    record = ask_record(engine, "je sais pas")
    assert record["id"] is None and record["suggestions"] == []
    assert set(record) >= {"question", "id", "score", "quartier", "suggestions", "urgence"}
