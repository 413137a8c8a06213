"""A weak danger alert beside a question the matcher answers surely: numbers first, then that answer (#11).

An ordinary message can raise a weak alert (« j'ai peur de me retrouver à la
rue » after three months of rent owed). The numbers still come first, since
the alert may be real; what follows is the answer to the question asked, not
the danger's page. A confident alert, one found by an exact expression, or a
danger whose kind continues with nothing (a medical emergency) keeps the
danger's own continuation.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from bot.cli import ask_record
from bot.conversation.emergency import CONFIDENT_ALERT, plan_emergency
from bot.understanding.danger import Danger

ASKED = "mon rsa est suspendu"  # the fixture base's matcher answers it surely with the RSA


@dataclass
class StubDetector:
    """A danger detector that finds `found` in every message: the alert's strength is the test's."""

    found: Danger | None

    def detect(self, text: str) -> Danger | None:
        return self.found


@dataclass
class StubSnapshot:
    kb: object
    matcher: object
    danger: StubDetector


def plan_with(engine, found: Danger):
    snapshot = engine.current
    return plan_emergency(StubSnapshot(snapshot.kb, snapshot.matcher, StubDetector(found)), ASKED)


def test_the_fixture_matcher_answers_the_question_surely(engine):
    match = engine.current.matcher.match(ASKED)
    assert match.entry_id == "rsa" and match.score >= 70


def test_a_weak_alert_keeps_the_numbers_and_continues_with_the_answer_asked(engine):
    plan = plan_with(engine, Danger("violence", CONFIDENT_ALERT - 0.05, ("violence",)))
    assert plan is not None and plan.kind == "violence"  # the numbers still come first
    assert plan.entry_id == "rsa"


@pytest.mark.parametrize(
    "found, entry",
    [
        (Danger("violence", CONFIDENT_ALERT, ("violence",)), "violences"),  # confident: the danger's page
        (Danger("violence", 1.0, ("violence",), by_expression=True), "violences"),  # an exact expression
        (Danger("medical", 0.6, ("medical",)), None),  # a medical emergency continues with the call only
    ],
)
def test_a_sure_alert_or_a_medical_one_keeps_the_dangers_own_continuation(engine, found, entry):
    plan = plan_with(engine, found)
    assert plan is not None and plan.entry_id == entry


def test_a_weak_alert_never_continues_with_an_intent(engine):
    """« je veux arrêter » read as a weak alert: no « Arrêter » page under the numbers."""
    snapshot = engine.current
    plan = plan_emergency(
        StubSnapshot(snapshot.kb, snapshot.matcher, StubDetector(Danger("violence", 0.6, ("violence",)))),
        "bonjour",
    )
    assert plan is not None and plan.entry_id == "violences"


def test_ask_jsonl_says_what_the_conversation_shows(engine, conversation, monkeypatch):
    """The record's id is the entry the emergency reply continues with, the same in both."""
    weak = StubDetector(Danger("violence", 0.6, ("violence",)))
    monkeypatch.setattr(type(engine.current), "danger", property(lambda self: weak), raising=False)
    record = ask_record(engine, ASKED)
    reply = conversation.ask("chat-weak-alert", ASKED)
    assert record["urgence"] == "violence" and record["id"] == "rsa"
    assert reply.kind == "emergency" and reply.entry_id == "rsa"
