"""The opt-in reminder and call-back conversations, channel-agnostic, on a real (temporary) database.

Chat ids and phone numbers are made up.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.reminders.callback import (
    CONSOLE_ONLY as CALLBACK_CONSOLE_ONLY,
)
from bot.reminders.callback import (
    NO_MEDIATORS,
    NO_QUARTIER,
    CallbackFlow,
    mediator_buttons,
    mediator_text,
    taken_text,
)
from bot.reminders.flow import (
    CONSOLE_ONLY,
    EXPIRED,
    NONE_YET,
    OFFER,
    ReminderFlow,
    reminder_reply,
)
from bot.reminders.phone import NOT_A_PHONE, read_phone
from bot.storage.consented import ConsentedData
from bot.storage.store import Store
from tests.conftest import Clock

PARIS = dt.timezone(dt.timedelta(hours=1))
KEY = "cle-opaque-de-test"
ADDRESS = "7319046852"  # a made-up chat id


@pytest.fixture
def clock() -> Clock:
    return Clock(dt.datetime(2026, 12, 1, 11, 0, tzinfo=PARIS))


@pytest.fixture
def book(tmp_path: Path, clock):
    with Store(tmp_path / "relais.db", clock=clock) as store:
        yield ConsentedData.open(store, tmp_path, clock)


@pytest.fixture
def flow(book, clock) -> ReminderFlow:
    return ReminderFlow(book, clock, quartier_of=lambda key: "bellevue")


def actions(reply) -> list[str]:
    return [button.action for row in reply.buttons for button in row]


# --------------------------------------------------------------------------- reminders
def test_offer_button_only_where_a_deadline_matters():
    assert [b.label for b in ReminderFlow.offer_button("css")] == [OFFER]
    assert ReminderFlow.offer_button("aah") == [] and ReminderFlow.offer_button(None) == []
    assert all(len(b.action.encode()) <= 64 for b in ReminderFlow.offer_button("prime-activite"))


def test_quarterly_opt_in_with_month_buttons_and_one_consent_sentence(flow, book):
    months = flow.press(KEY, "offre:rsa", ADDRESS)
    assert actions(months) == ["rap:mois:2027-01", "rap:mois:2027-02", "rap:mois:2027-03", "rap:non"]
    consent = flow.press(KEY, "mois:2027-02", ADDRESS)
    text = consent.text
    for said in (
        "1er février 2027",
        "adresse de cette conversation",
        "chiffrés",
        "jusqu'au 1er novembre 2027",
        "déclaration trimestrielle",
        "/oubli",
        "4 rappels",
    ):
        assert said in text, said
    assert actions(consent) == ["rap:oui", "rap:non"]
    assert book.reminders_of(KEY) == []  # nothing kept before "Oui"
    saved = flow.press(KEY, "oui", ADDRESS)
    assert saved.kind == "reminder-saved"
    [stored] = book.reminders_of(KEY)
    assert (stored.kind, stored.entry_id, stored.quartier, stored.chat_id) == (
        "trimestrielle",
        "rsa",
        "bellevue",
        int(ADDRESS),
    )
    assert [d.isoformat() for d in stored.days] == ["2027-02-01", "2027-05-01", "2027-08-01", "2027-11-01"]


def test_date_based_opt_in_reads_the_typed_date(flow, book):
    question = flow.press(KEY, "offre:css", ADDRESS)
    assert "date de fin" in question.text
    retry = flow.typed(KEY, "31/02/2027")
    assert "n'existe pas" in retry.text and book.reminders_of(KEY) == []
    consent = flow.typed(KEY, "31 mars 2027")
    assert "31 janvier 2027" in consent.text and "jusqu'au 31 janvier 2027" in consent.text
    flow.press(KEY, "oui", ADDRESS)
    assert book.reminders_of(KEY)[0].days == (dt.date(2027, 1, 31),)


def test_a_new_question_while_a_date_is_awaited_leaves_the_flow(flow):
    flow.press(KEY, "offre:titre-sejour", ADDRESS)
    assert flow.typed(KEY, "et pour la mutuelle gratuite ?") is None
    assert flow.typed(KEY, "15/09/2027") is None  # the draft was dropped


def test_no_date_needed_for_ars(flow, book):
    consent = flow.press(KEY, "offre:rentree-scolaire", ADDRESS)
    assert "1er août 2027" in consent.text
    flow.press(KEY, "oui", ADDRESS)
    assert book.reminders_of(KEY)[0].kind == "ars"


def test_declining_keeps_nothing_and_stale_buttons_are_gentle(flow, book):
    flow.press(KEY, "offre:impots", ADDRESS)
    assert flow.press(KEY, "non", ADDRESS).text.startswith("D'accord")
    assert flow.press(KEY, "oui", ADDRESS).text == EXPIRED
    assert flow.press(KEY, "mois:2030-01", ADDRESS).text == EXPIRED
    assert flow.press(KEY, "n'importe quoi", ADDRESS).text == EXPIRED
    assert book.reminders_of(KEY) == []


def test_a_draft_expires(flow, clock, book):
    flow.press(KEY, "offre:impots", ADDRESS)
    clock.now += dt.timedelta(hours=1)
    assert flow.press(KEY, "oui", ADDRESS).text == EXPIRED


def test_listing_and_stopping(flow, book):
    assert flow.listing(KEY).text == NONE_YET
    for entry in ("impots", "rentree-scolaire"):
        flow.press(KEY, f"offre:{entry}", ADDRESS)
        flow.press(KEY, "oui", ADDRESS)
    listing = flow.listing(KEY)
    assert "15 avril 2027" in listing.text and "1er août 2027" in listing.text
    stops = [a for a in actions(listing) if a.startswith("rap:stop:")]
    assert len(stops) == 2
    assert flow.press(KEY, stops[0].removeprefix("rap:"), ADDRESS).kind == "reminder-stopped"
    assert len(book.reminders_of(KEY)) == 1
    assert "n'existe plus" in flow.press("autre-cle", stops[1].removeprefix("rap:"), ADDRESS).text
    assert len(book.reminders_of(KEY)) == 1  # someone else's button does not stop it


def test_console_is_told_reminders_need_telegram(clock):
    console = ReminderFlow(None, clock, quartier_of=lambda key: None)
    assert console.press(KEY, "offre:css", None).text == CONSOLE_ONLY
    assert console.listing(KEY).text == CONSOLE_ONLY


def test_reminder_message_says_what_and_where_with_a_stop_button(flow, book):
    class Entry:
        title = "Complémentaire santé solidaire"
        answer = "La CSS est une mutuelle gratuite."

    flow.press(KEY, "offre:css", ADDRESS)
    flow.typed(KEY, "31/03/2027")
    flow.press(KEY, "oui", ADDRESS)
    [stored] = book.reminders_of(KEY)
    message = reminder_reply(stored, Entry(), "Une personne peut vous aider :\n• Centre social", last=False)
    assert "renouvellement" in message.text and "mutuelle gratuite" in message.text and "Centre social" in message.text
    assert actions(message) == [f"rap:stop:{stored.id}"]
    last = reminder_reply(stored, None, "", last=True)
    assert last.buttons == [] and "dernier rappel" in last.text


# --------------------------------------------------------------------------- call-backs
@pytest.mark.parametrize(
    "typed, expected",
    [
        ("06 47 81 29 35", "06 47 81 29 35"),
        ("0647812935", "06 47 81 29 35"),
        ("+33 6 47 81 29 35", "06 47 81 29 35"),
        ("06.47.81.29.35", "06 47 81 29 35"),
        ("0033298000000", "02 98 00 00 00"),
        ("064781293", None),
        ("00447911123456", None),
        ("1234567890", None),
        ("", None),
    ],
)
def test_phone_numbers_as_typed(typed, expected):
    assert read_phone(typed) == expected


@pytest.fixture
def dispatched() -> list:
    return []


@pytest.fixture
def callbacks(book, clock, dispatched) -> CallbackFlow:
    return CallbackFlow(
        book,
        clock,
        quartier_of=lambda key: "bellevue",
        quartier_name=lambda q: "Bellevue",
        help_line=lambda key: "Une personne peut vous aider : Centre social",
        has_mediators=lambda q: q == "bellevue",
        dispatch=dispatched.append,
    )


def test_call_back_with_a_phone_number(callbacks, book, dispatched):
    offer = callbacks.press(KEY, "offre:css", ADDRESS)
    for said in ("médiateurs de Bellevue", "14 jours", "dès que la demande est traitée", "Je passerai"):
        assert said in offer.text, said
    assert callbacks.typed(KEY, "06 47 81 29", ADDRESS).text == NOT_A_PHONE
    sent = callbacks.typed(KEY, "0647812935", ADDRESS)
    assert sent.kind == "callback-sent" and "06 47 81 29 35" in sent.text
    [request] = book.open_callbacks("bellevue")
    assert (request.phone, request.topic, request.chat_id) == ("06 47 81 29 35", "css", int(ADDRESS))
    assert [r.id for r in dispatched] == [request.id]
    text = mediator_text(request, "Bellevue", "Complémentaire santé solidaire")
    assert "06 47 81 29 35" in text and "Complémentaire santé solidaire" in text and "Bellevue" in text
    assert [b.action for row in mediator_buttons(request) for b in row] == [
        f"cbm:pris:{request.id}",
        f"cbm:fait:{request.id}",
    ]
    assert "va vous appeler" in taken_text(request, "Bellevue")


def test_call_back_je_passerai_keeps_no_phone(callbacks, book):
    callbacks.press(KEY, "offre:-", ADDRESS)
    assert callbacks.press(KEY, "passe", ADDRESS).kind == "callback-sent"
    [request] = book.open_callbacks()
    assert request.phone is None and request.topic is None
    assert "passera" in mediator_text(request, "Bellevue", None)


def test_call_back_needs_a_quartier_and_its_mediators(book, clock):
    def make(quartier):
        return CallbackFlow(
            book,
            clock,
            quartier_of=lambda key: quartier,
            quartier_name=lambda q: str(q),
            help_line=lambda key: "Appelez le CCAS",
            has_mediators=lambda q: q == "bellevue",
        )

    assert make(None).press(KEY, "offre:-", ADDRESS).text == NO_QUARTIER
    assert make("europe").press(KEY, "offre:-", ADDRESS).text.startswith(NO_MEDIATORS)
    console = CallbackFlow(None, clock, lambda key: "bellevue", str, lambda key: "Appelez le CCAS")
    assert console.press(KEY, "offre:-", None).text.startswith(CALLBACK_CONSOLE_ONLY)
    assert book.open_callbacks() == []


def test_a_question_while_a_number_is_awaited_is_answered_normally(callbacks, book):
    callbacks.press(KEY, "offre:-", ADDRESS)
    assert callbacks.typed(KEY, "en fait c'est pour la CAF", ADDRESS) is None
    assert callbacks.typed(KEY, "0647812935", ADDRESS) is None
    assert book.open_callbacks() == []


def test_open_requests_listing_for_staff(callbacks, book):
    from bot.reminders.callback import open_requests_text

    assert open_requests_text([], str, lambda t: t) == "Aucune demande de rappel en cours."
    callbacks.press(KEY, "offre:css", ADDRESS)
    callbacks.typed(KEY, "0647812935", ADDRESS)
    text = open_requests_text(book.open_callbacks(), lambda q: "Bellevue", lambda t: "CSS" if t == "css" else None)
    assert "1 demande(s)" in text and "Bellevue · CSS · 06 47 81 29 35 · à prendre" in text
    assert "01/12/2026 11:00" in text


def test_one_series_per_kind(flow, book):
    flow.press(KEY, "offre:impots", ADDRESS)
    flow.press(KEY, "oui", ADDRESS)
    again = flow.press(KEY, "offre:impots", ADDRESS)
    assert "déjà un rappel" in again.text and "15 avril 2027" in again.text
    assert actions(again) == ["rap:liste"]
    assert flow.press(KEY, "liste", ADDRESS).kind == "reminder"
    assert len(book.reminders_of(KEY)) == 1


@pytest.mark.parametrize("typed", ["je sais pas", "jsp", "Je ne sais pas.", "aucune idée"])
def test_not_knowing_the_date_asks_again_and_keeps_the_draft(flow, book, typed):
    flow.press(KEY, "offre:titre-sejour", ADDRESS)
    again = flow.typed(KEY, typed)
    assert again is not None and again.kind == "reminder"
    assert "Pas de souci" in again.text and "date de fin de votre titre de séjour" in again.text
    assert actions(again) == ["rap:non"]
    consent = flow.typed(KEY, "15/09/2027")  # the draft is still there: the date typed next is read
    assert consent is not None and "Oui" in consent.buttons[0][0].label and book.reminders_of(KEY) == []


@pytest.mark.parametrize("typed", ["je sais pas", "jsp"])
def test_not_knowing_the_number_offers_to_come_by_instead(callbacks, book, typed):
    callbacks.press(KEY, "offre:css", ADDRESS)
    again = callbacks.typed(KEY, typed, ADDRESS)
    assert again is not None and again.kind == "callback" and "Je passerai plutôt" in again.text
    assert actions(again) == ["cb:passe", "cb:non"]
    assert callbacks.typed(KEY, "0647812935", ADDRESS).kind == "callback-sent"  # still awaiting the number


def test_oui_tapped_twice_says_it_is_already_done_and_keeps_one_series(flow, book):
    flow.press(KEY, "offre:rsa", ADDRESS)
    flow.press(KEY, "mois:2027-02", ADDRESS)
    assert flow.press(KEY, "oui", ADDRESS).kind == "reminder-saved"
    again = flow.press(KEY, "oui", ADDRESS)
    assert again.text.startswith("C'est déjà noté") and "1er février 2027" in again.text
    [stored] = book.reminders_of(KEY)
    flow.press(KEY, f"stop:{stored.id}", ADDRESS)
    assert flow.press(KEY, "oui", ADDRESS).text == EXPIRED  # once stopped, nothing is said to be kept


def test_je_passerai_tapped_twice_says_it_is_already_sent_and_sends_once(callbacks, book, dispatched):
    callbacks.press(KEY, "offre:-", ADDRESS)
    assert callbacks.press(KEY, "passe", ADDRESS).kind == "callback-sent"
    again = callbacks.press(KEY, "passe", ADDRESS)
    assert again.text.startswith("C'est déjà transmis") and "Bellevue" in again.text
    assert len(dispatched) == 1 and len(book.open_callbacks()) == 1
    callbacks.forget(KEY)  # /oubli: nothing is said to be sent any more
    assert not callbacks.press(KEY, "passe", ADDRESS).text.startswith("C'est déjà")


@pytest.mark.parametrize(("typed", "first"), [("février", "1er février 2027"), ("en mars", "1er mars 2027")])
def test_a_month_typed_for_its_button_asks_the_consent(flow, book, typed, first):
    flow.press(KEY, "offre:rsa", ADDRESS)
    consent = flow.typed(KEY, typed)
    assert consent is not None and first in consent.text and book.reminders_of(KEY) == []


def test_not_knowing_the_month_asks_again_with_the_months(flow):
    flow.press(KEY, "offre:rsa", ADDRESS)
    again = flow.typed(KEY, "je sais pas")
    assert again is not None and again.text.startswith("Pas de souci")
    assert actions(again) == ["rap:mois:2027-01", "rap:mois:2027-02", "rap:mois:2027-03", "rap:non"]


def test_a_question_instead_of_the_month_leaves_the_flow(flow):
    flow.press(KEY, "offre:rsa", ADDRESS)
    assert flow.typed(KEY, "et la prime d'activité c'est combien ?") is None
    assert flow.typed(KEY, "février") is None  # the draft was dropped


def test_oui_typed_at_the_consent_stores_nothing_and_shows_the_button(flow, book):
    flow.press(KEY, "offre:rsa", ADDRESS)
    flow.press(KEY, "mois:2027-02", ADDRESS)
    hint = flow.typed(KEY, "oui")
    assert hint is not None and "appuyez sur le bouton" in hint.text and actions(hint) == ["rap:oui", "rap:non"]
    assert book.reminders_of(KEY) == []  # the consent is the press
    assert flow.press(KEY, "oui", ADDRESS).kind == "reminder-saved"


def test_non_typed_at_the_consent_cancels(flow, book):
    flow.press(KEY, "offre:rsa", ADDRESS)
    flow.press(KEY, "mois:2027-02", ADDRESS)
    assert flow.typed(KEY, "non merci").text == "D'accord, je ne garde rien."
    assert flow.press(KEY, "oui", ADDRESS).text == EXPIRED and book.reminders_of(KEY) == []


def test_je_passerai_typed_shows_the_button_and_sends_nothing(callbacks, book, dispatched):
    callbacks.press(KEY, "offre:-", ADDRESS)
    hint = callbacks.typed(KEY, "je passerai", ADDRESS)
    assert hint is not None and "appuyez sur « 🚶 Je passerai plutôt »" in hint.text
    assert dispatched == [] and book.open_callbacks() == []
    assert callbacks.typed(KEY, "annuler", ADDRESS).text.startswith("D'accord")
