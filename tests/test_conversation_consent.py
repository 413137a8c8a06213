"""Reminders and call-backs seen through the conversation core (fixture knowledge base, temporary database).

Chat addresses and phone numbers are made up.
"""

from __future__ import annotations

import pytest

from bot.conversation.core import Conversation
from bot.reminders.callback import ELSEWHERE as CALLBACK_ELSEWHERE
from bot.reminders.flow import CONSOLE_ONLY
from tests.conftest import MONDAY_MORNING

KEY = "cle-opaque-de-test"
ADDRESS = "7319046852"


def actions(reply) -> list[str]:
    return [button.action for row in reply.buttons for button in row]


def test_answers_offer_reminders_only_where_a_deadline_matters(talk):
    css = talk.press(KEY, "e:css")
    assert "rap:offre:css" in actions(css) and "cb:offre:css" in actions(css)
    rsa = talk.press(KEY, "e:rsa")
    assert "rap:offre:rsa" in actions(rsa)
    assert "cb:offre:-" in actions(talk.help(KEY))


def test_opt_in_through_the_core_keeps_typed_dates_out_of_the_laboratoire(talk, recorder, book):
    talk.press(KEY, "q:bellevue")
    question = talk.press(KEY, "rap:offre:css", address=ADDRESS)
    assert "date de fin" in question.text
    consent = talk.ask(KEY, "31/03/2027", address=ADDRESS)
    assert "adresse de cette conversation" in consent.text and "31 janvier 2027" in consent.text
    saved = talk.press(KEY, "rap:oui", address=ADDRESS)
    assert saved.kind == "reminder-saved"
    [stored] = book.reminders_of(KEY)
    assert (stored.chat_id, stored.quartier, stored.entry_id) == (int(ADDRESS), "bellevue", "css")
    assert recorder.unanswered == []  # the typed date never reaches the laboratoire
    listing = talk.reminders(KEY)
    assert f"rap:stop:{stored.id}" in actions(listing)


def test_phone_number_for_a_call_back_is_never_a_question(talk, recorder, book, dispatched):
    talk.press(KEY, "q:bellevue")
    offer = talk.press(KEY, "cb:offre:rsa", address=ADDRESS)
    assert "14 jours" in offer.text
    sent = talk.ask(KEY, "06 47 81 29 35", address=ADDRESS)
    assert sent.kind == "callback-sent"
    assert recorder.unanswered == []
    assert [r.phone for r in dispatched] == ["06 47 81 29 35"]
    assert book.open_callbacks()[0].quartier == "bellevue"


def test_danger_comes_first_even_while_a_date_is_awaited(talk, book):
    talk.press(KEY, "rap:offre:css", address=ADDRESS)
    reply = talk.ask(KEY, "il me frappe depuis le 12/05", address=ADDRESS)
    assert reply.kind == "emergency"
    assert talk.press(KEY, "rap:oui", address=ADDRESS).kind == "info"  # the draft was dropped
    assert book.reminders_of(KEY) == []


def test_oubli_erases_reminders_and_call_back_requests(talk, book):
    talk.press(KEY, "q:bellevue")
    talk.press(KEY, "rap:offre:css", address=ADDRESS)
    talk.ask(KEY, "31/03/2027", address=ADDRESS)
    talk.press(KEY, "rap:oui", address=ADDRESS)
    talk.press(KEY, "cb:offre:-", address=ADDRESS)
    talk.press(KEY, "cb:passe", address=ADDRESS)
    assert "rappels" in talk.confirm_forget(KEY).text
    talk.press(KEY, "oubli:oui", address=ADDRESS)
    assert book.reminders_of(KEY) == [] and book.callbacks_of(KEY) == []


def test_console_says_reminders_need_telegram(engine, recorder):
    console = Conversation(engine, recorder, channel="console", clock=lambda: MONDAY_MORNING)
    assert console.press(KEY, "rap:offre:css").text == CONSOLE_ONLY
    assert "Telegram" in console.press(KEY, "cb:offre:-").text


def test_reminder_help_point_names_a_place_of_the_quartier(talk, engine):
    text = talk.help_point("bellevue", "css")
    kb = engine.current.kb
    assert any(place.name in text for place in kb.places_in("bellevue"))
    assert talk.quartier_name("bellevue") == kb.quartiers["bellevue"].name


def test_a_call_back_asked_before_any_quartier_goes_on_once_it_is_chosen(talk, book):
    asked = talk.press(KEY, "cb:offre:rsa", address=ADDRESS)
    assert any(action.startswith("q:") for action in actions(asked))
    chosen = talk.press(KEY, "q:bellevue", address=ADDRESS)
    assert "cb:offre:rsa" in actions(chosen)
    assert "14 jours" in talk.press(KEY, "cb:offre:rsa", address=ADDRESS).text
    assert "cb:offre:rsa" not in actions(talk.press(KEY, "q:europe", address=ADDRESS))  # only once


@pytest.mark.parametrize("offer", ["cb:offre:rsa", "cb:offre:-"], ids=["sous une réponse", "depuis /aide"])
@pytest.mark.parametrize("asked_first", [False, True], ids=["ailleurs choisi avant", "ailleurs choisi quand demandé"])
def test_a_call_back_from_someone_living_elsewhere_does_not_ask_for_a_quartier_again(
    talk, book, dispatched, engine, offer, asked_first
):
    if asked_first:
        assert talk.press(KEY, offer, address=ADDRESS).kind == "quartier-needed"
    talk.press(KEY, "q:ailleurs", address=ADDRESS)
    reply = talk.press(KEY, offer, address=ADDRESS)
    assert not any(action.startswith("q:") for action in actions(reply)), reply.buttons
    assert reply.text.startswith(CALLBACK_ELSEWHERE)
    places = [place.name for place in engine.current.kb.places.values()]
    assert any(name in reply.text for name in places), reply.text  # someone to reach all the same
    assert dispatched == [] and book.callbacks_of(KEY) == []


@pytest.mark.parametrize("typed", ["je sais pas", "jsp"])
@pytest.mark.parametrize(
    ("offer", "then", "done_kind"),
    [("rap:offre:css", "31/03/2027", "reminder"), ("cb:offre:rsa", "06 47 81 29 35", "callback-sent")],
    ids=["date", "téléphone"],
)
def test_je_sais_pas_while_a_step_awaits_text_stays_in_the_flow(talk, recorder, typed, offer, then, done_kind):
    talk.press(KEY, "q:bellevue")
    talk.press(KEY, offer, address=ADDRESS)
    again = talk.ask(KEY, typed, address=ADDRESS)
    assert "Pas de souci" in again.text and again.kind in ("reminder", "callback")
    assert not any(action.startswith("dr:") for action in actions(again))  # not the "where to start" prompt
    assert talk.ask(KEY, then, address=ADDRESS).kind == done_kind  # the step is still awaited
    assert recorder.unanswered == []


@pytest.mark.parametrize("typed", ["06 47 81 29 35", "+33 6 47 81 29 35", "0647812935"])
def test_a_phone_number_alone_outside_a_request_offers_the_call_back_and_keeps_nothing(talk, recorder, typed):
    reply = talk.ask(KEY, typed, address=ADDRESS)
    assert reply.text.startswith("C'est un numéro de téléphone")
    assert actions(reply)[0] == "cb:offre:-" and reply.places  # the way to be called back, and a person
    assert recorder.unanswered == [] and recorder.answered == []
