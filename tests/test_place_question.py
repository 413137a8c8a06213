"""« C'est où la mairie de Lambé ? » gets that place (address, phone, hours now), never a right."""

from __future__ import annotations

import pytest

from bot.conversation.place_question import asks_where, named_place
from bot.understanding.normalize import fold


@pytest.mark.parametrize(
    "text",
    [
        "c'est où la mairie",
        "ou est le centre social",
        "adresse de la cpam",
        "horaires de la mairie",
        "where is it",
        "tel de la mairie",  # SMS spellings of the phone asked for
        "num du centre social",
        "coordonnées de la mairie",
    ],
)
def test_questions_that_ask_where(text):
    assert asks_where(text)


@pytest.mark.parametrize("text", ["la mairie m'a dit de venir", "rsa ou prime d'activité", "mairie"])
def test_messages_that_do_not_ask_where(text):
    assert not asks_where(text)


def test_the_mairie_of_the_quartier_named(shipped_base):
    kb = shipped_base.kb
    place = named_place(kb, "c'est où la mairie de lambé", "lambezellec")
    assert place is not None and place.quartier == "lambezellec" and fold(place.name).startswith("mairie")


def test_the_mairie_of_the_residents_quartier(shipped_base):
    place = named_place(shipped_base.kb, "c'est ou la mairie svp", "europe")
    assert place is not None and place.quartier == "europe" and "mairie" in fold(place.name)


def test_a_kind_of_place_in_every_quartier_without_a_quartier_is_not_guessed(shipped_base):
    assert named_place(shipped_base.kb, "c'est où la mairie", None) is None


@pytest.mark.parametrize(
    ("text", "quartier"),
    [
        ("où demander un logement social", "europe"),
        ("où faire ma demande de rsa", "bellevue"),
        ("ou se trouve la caf", None),
    ],
)
def test_a_right_or_a_service_is_no_place_name(shipped_base, text, quartier):
    assert named_place(shipped_base.kb, text, quartier) is None


def test_a_place_named_by_its_neighbourhood_wins_over_one_named_like_it(shipped_base):
    place = named_place(shipped_base.kb, "adresse du centre social de pontanezen", "europe")
    assert place is not None and "pontanezen" in fold(place.name)


def test_the_conversation_answers_with_the_place_and_its_hours_now(conversation, recorder):
    reply = conversation.ask("k", "c'est où la mairie de bellevue ?")
    assert reply.places == ["mairie-bellevue"] and reply.entry_id is None
    assert "2 place Imaginaire" in reply.text
    assert "(à confirmer)" in reply.text  # its hours are still to be checked: never shown as sure
    assert reply.quartier == "bellevue"
    assert recorder.unanswered == [] and recorder.answered == []


def test_the_place_of_the_quartier_chosen_earlier(conversation):
    conversation.press("k", "q:bellevue")
    reply = conversation.ask("k", "adresse du centre social")
    assert reply.places == ["centre-bellevue"]
    assert "ouvert maintenant" in reply.text  # Monday 10:00 on the injected clock: open now (hours from 2025)


def test_a_danger_still_comes_first(conversation):
    reply = conversation.ask("k", "il me frappe, c'est où la mairie de bellevue")
    assert reply.kind == "emergency"


@pytest.mark.parametrize(
    ("question", "lieu"),
    [
        ("c'est où la mairie de bellevue ?", "mairie-bellevue"),
        ("horaires du centre social de bellevue", "centre-bellevue"),
        ("j'ai perdu ma carte vitale", None),  # an entry's answer, no place asked for
        ("j'habite à bellevue", None),  # a place said alone is no place asked for
        ("je sais pas", None),
    ],
)
def test_ask_jsonl_says_which_place_the_reply_gives(engine, conversation, question, lieu):
    from bot.cli import ask_record

    record = ask_record(engine, question)
    assert record["lieu"] == lieu
    reply = conversation.ask("k", question)
    if lieu is not None:  # as the bot replies: that place, not an entry's answer
        assert reply.places == [lieu] and reply.entry_id is None


def test_ask_jsonl_names_no_place_for_a_kind_found_in_several_quartiers(shipped_engine):
    from bot.cli import ask_record

    assert ask_record(shipped_engine, "c'est où la mairie")["lieu"] is None
    found = ask_record(shipped_engine, "c'est où la mairie de lambé")["lieu"]
    assert found is not None and shipped_engine.current.kb.places[found].quartier == "lambezellec"
