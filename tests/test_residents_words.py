"""The shipped base understands courtesy, a language difficulty and curiosity about an office in residents' words.

Made-up messages written for this test (not taken from any evaluation set):
greetings, thanks and goodbyes as people in the quartiers type them (Arabic,
Breton, Spanish, seasonal wishes), a resident saying their French is weak,
and questions about an office as an organisation that are nobody's own need.
"""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "message, intent",
    [
        ("salam aleykoum", "salutation"),
        ("salam alikoum madame", "salutation"),
        ("demat deoc'h", "salutation"),
        ("ça va ?", "salutation"),
        ("joyeux noël", "salutation"),
        ("bonne année à tous", "salutation"),
        ("saha", "remerciement"),
        ("choukran", "remerciement"),
        ("gracias", "remerciement"),
        ("mersi bras", "remerciement"),
        ("au plaisir", "au-revoir"),
        ("bises", "au-revoir"),
    ],
)
def test_courtesy_in_residents_own_words_gets_its_polite_reply(shipped_engine, message: str, intent: str) -> None:
    assert shipped_engine.current.matcher.match(message).entry_id == intent


@pytest.mark.parametrize(
    "message",
    ["je ne parle pas bien francais", "je parle pas trop bien le français, désolée", "my french is bad sorry"],
)
def test_a_resident_whose_french_is_weak_is_reassured_not_sent_to_mental_health(shipped_engine, message: str) -> None:
    match = shipped_engine.current.matcher.match(message)
    assert match.entry_id == "langue"
    assert "sante-mentale" not in match.suggestions


@pytest.mark.parametrize(
    "message, office",
    [("combien d'allocataires à la CAF", "caf"), ("qui est le directeur de la CPAM du Finistère", "cpam")],
)
def test_an_office_asked_about_as_an_organisation_is_declined_with_the_office_offered(
    shipped_engine, message: str, office: str
) -> None:
    match = shipped_engine.current.matcher.match(message)
    assert match.entry_id is None and match.offtopic is not None
    assert match.suggestions == [office]
