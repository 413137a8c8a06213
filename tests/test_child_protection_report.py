"""A report by the school about a child (« information préoccupante ») is a question for the CDAS, not an alarm.

Made-up messages, none of them a phrasing of the base: the parent asks what
happens after a school, a nursery or a doctor told the Département about their
child. The Département evaluates with its social workers (knowledge/services/
cdas.yaml), so the reply is the CDAS and no emergency numbers; a report that
tells of a child being hit still raises the child-danger alarm.
"""

from __future__ import annotations

import pytest

from bot.cli import ask_record


@pytest.mark.parametrize(
    "message",
    [
        "l'instit a fait un signalement sur mon garçon, que va-t-il se passer",
        "signalement du collège pour ma fille, qui va nous appeler ?",
        "la crèche a fait une information préoccupante, c'est quoi ?",
    ],
)
def test_a_report_by_the_school_is_answered_by_the_cdas_without_an_alarm(shipped_engine, message):
    record = ask_record(shipped_engine, message)
    assert record["urgence"] is None and record["urgences"] == []
    assert record["id"] == "cdas" or (record["id"] is None and record["suggestions"][:1] == ["cdas"]), record


@pytest.mark.parametrize(
    "message",
    [
        "l'école a fait un signalement parce que mon beau-père me frappe",
        "l'école a fait un signalement, mon mari frappe les enfants",
    ],
)
def test_a_report_that_tells_of_a_child_hit_still_raises_the_alarm(shipped_engine, message):
    assert "enfant" in ask_record(shipped_engine, message)["urgences"]
