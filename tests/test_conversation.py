"""The channel-agnostic core: answers end with a person nearby, buttons lead somewhere."""

import dataclasses
import datetime as dt

import pytest

from bot.config import PARIS
from bot.conversation.core import Conversation
from bot.conversation.recorder import MemoryRecorder
from bot.knowledge.engine import Engine
from tests.conftest import MONDAY_MORNING

KEY = "conv-1"


def actions(reply):
    return [button.action for row in reply.buttons for button in row]


def test_start_asks_the_quartier_with_five_buttons_and_elsewhere(conversation):
    reply = conversation.start(KEY)
    assert "pas une administration" in reply.text
    assert "/oubli" in reply.text
    assert actions(reply) == ["q:bellevue", "q:europe", "q:ailleurs"]


def test_answer_without_quartier_asks_for_it(conversation, recorder):
    reply = conversation.ask(KEY, "mutuelle gratuite")
    assert reply.kind == "answer" and reply.entry_id == "css"
    assert "Dans quel quartier" in reply.text
    assert "q:bellevue" in actions(reply)
    assert recorder.answered == [("css", None, "test")]


def test_answer_ends_with_the_local_mediation_point_open_now(conversation):
    conversation.press(KEY, "q:bellevue")
    reply = conversation.ask(KEY, "mutuelle gratuite")
    assert reply.quartier == "bellevue"
    assert reply.text.index("Centre social imaginaire de Bellevue") > reply.text.index("mutuelle gratuite")
    assert "1 place Imaginaire" in reply.text and "02 00 00 00 01" in reply.text
    # The fixture's hours were checked in 2025, over a year before the clock: « normalement ».
    assert "Normalement ouvert maintenant, jusqu'à 12h (à confirmer)" in reply.text
    assert {"fb:1:css", "fb:0:css"} <= set(actions(reply))


def test_closed_place_says_when_it_opens_and_unverified_facts_say_a_confirmer(engine, recorder):
    sunday = dt.datetime(2026, 11, 29, 20, 0, tzinfo=PARIS)
    conversation = Conversation(engine, recorder, clock=lambda: sunday)
    reply = conversation.press(KEY, "q:bellevue")
    assert "Normalement fermé maintenant, ouvre demain à 9h (à confirmer)" in reply.text
    assert "Normalement fermé maintenant, ouvre mardi à 14h (à confirmer)" in reply.text


def test_missing_address_is_never_invented(conversation):
    reply = conversation.press(KEY, "q:europe")
    assert "France Services imaginaire d'Europe" in reply.text
    assert "Adresse à confirmer" in reply.text


def test_quartier_named_in_the_question_is_remembered(conversation, recorder):
    reply = conversation.ask(KEY, "jhabite a pontanezen, la caf me demande de rembourser")
    assert reply.entry_id == "caf" and reply.quartier == "europe"
    assert recorder.quartier_of(KEY) == "europe"
    assert "France Services imaginaire d'Europe" in conversation.ask(KEY, "rsa").text


def test_places_that_know_the_topic_come_first(conversation):
    conversation.press(KEY, "q:bellevue")
    text = conversation.ask(KEY, "rsa suspendu").text
    assert text.index("Centre social imaginaire") < text.index("Mairie imaginaire")


def test_unknown_question_is_kept_for_the_laboratoire_and_points_to_a_person(conversation, recorder):
    conversation.press(KEY, "q:bellevue")
    reply = conversation.ask(KEY, "azfgqsdlkj")
    assert reply.kind == "unknown" and reply.entry_id is None
    assert "Centre social imaginaire de Bellevue" in reply.text
    assert recorder.unanswered and recorder.unanswered[0][0] == "azfgqsdlkj"
    assert recorder.unanswered[0][2] == "bellevue"


def test_hesitation_offers_entries_as_buttons(engine, recorder):
    from bot.understanding.matcher import Matcher, Settings

    hesitant = Matcher(engine.current.kb, Settings(abstain_below=1, answer_from=101))
    engine.current = dataclasses.replace(engine.current, matcher=hesitant)
    conversation = Conversation(engine, recorder)
    reply = conversation.ask(KEY, "mutuelle")
    assert reply.kind == "suggest"
    assert actions(reply)[0] == "e:css"
    chosen = conversation.press(KEY, "e:css")
    assert chosen.entry_id == "css" and chosen.kind == "answer"


def test_feedback_is_recorded_with_the_question(conversation, recorder):
    conversation.ask(KEY, "mutuelle gratuite")
    reply = conversation.press(KEY, "fb:0:css")
    assert reply.kind == "feedback"
    assert recorder.feedback == [("css", "mutuelle gratuite", False, None, "test")]
    assert conversation.press(KEY, "fb:1:css").text.startswith("Merci")


@pytest.mark.parametrize("presses", [["fb:1:css", "fb:1:css"], ["fb:1:css", "fb:0:css"], ["fb:0:css"] * 3])
def test_an_answer_is_rated_once_however_often_its_buttons_are_pressed(conversation, recorder, presses):
    conversation.ask(KEY, "mutuelle gratuite")
    replies = [conversation.press(KEY, action) for action in presses]
    assert recorder.feedback == [("css", "mutuelle gratuite", presses[0] == "fb:1:css", None, "test")]
    assert all(reply.kind == "feedback" for reply in replies)
    if presses[-1] == "fb:0:css":  # "not really" still hands the resident to a person
        assert "Centre social imaginaire de Bellevue" in replies[-1].text and "02 00 00 00 01" in replies[-1].text


def test_the_next_question_can_be_rated_again(conversation, recorder):
    conversation.ask(KEY, "mutuelle gratuite")
    conversation.press(KEY, "fb:1:css")
    conversation.ask(KEY, "mutuelle gratuite")
    conversation.press(KEY, "fb:0:css")
    assert [f[2] for f in recorder.feedback] == [True, False]


def test_more_details_on_request(conversation):
    reply = conversation.press(KEY, "plus:rsa")
    assert "Le montant baisse" in reply.text
    assert "pièce d'identité" in reply.text
    assert "https://www.service-public.fr" in reply.text


def test_emergency_numbers_come_first_whatever_else_matches(conversation):
    reply = conversation.ask(KEY, "mon mari me frappe, j'ai besoin du rsa")
    assert reply.kind == "emergency"
    assert reply.text.startswith("URGENCE : appelez le 17")


def test_forget_needs_confirmation_then_erases(conversation, recorder):
    conversation.press(KEY, "q:bellevue")
    ask = conversation.confirm_forget(KEY)
    assert actions(ask) == ["oubli:oui", "oubli:non"]
    assert conversation.press(KEY, "oubli:non").kind == "info"
    assert recorder.quartier_of(KEY) == "bellevue"
    assert conversation.press(KEY, "oubli:oui").kind == "forgotten"
    assert recorder.quartier_of(KEY) is None


def test_location_gives_the_nearest_places_and_the_quartier(conversation, recorder):
    reply = conversation.locate(KEY, 48.4036, -4.5031)
    assert reply.quartier == "bellevue"
    assert "Centre social imaginaire de Bellevue (à environ 0,0 km)" in reply.text
    assert recorder.quartier_of(KEY) == "bellevue"


def test_a_location_far_from_brest_says_so_before_the_brest_places(conversation, recorder):
    reply = conversation.locate(KEY, 48.8566, 2.3522)  # Paris
    assert reply.text.startswith("Vous semblez loin de Brest (à environ 50")
    assert "France Services" in reply.text
    assert reply.quartier is None and recorder.quartier_of(KEY) is None


def test_a_location_in_brest_does_not_say_it_is_far(conversation):
    assert "loin de Brest" not in conversation.locate(KEY, 48.4036, -4.5031).text


@pytest.mark.parametrize("missing", ["lat", "lon"])
def test_a_place_missing_a_coordinate_is_left_out_of_the_nearest_not_a_crash(engine, recorder, missing):
    kb = engine.current.kb
    nearest = min(kb.places.values(), key=lambda p: abs((p.lat or 0) - 48.4036) + abs((p.lon or 0) + 4.5031))
    kb.places[nearest.id] = dataclasses.replace(nearest, **{missing: None})
    reply = Conversation(engine, recorder).locate(KEY, 48.4036, -4.5031)
    assert nearest.name not in reply.text
    assert "Les lieux d'aide les plus proches" in reply.text


def test_without_any_located_place_a_location_asks_the_quartier(engine, recorder):
    kb = engine.current.kb
    for ident, place in list(kb.places.items()):
        kb.places[ident] = dataclasses.replace(place, lat=None)
    reply = Conversation(engine, recorder).locate(KEY, 48.4036, -4.5031)
    assert reply.kind == "quartier" and reply.buttons


@pytest.mark.parametrize("what", ["sticker", "photo", "document", "contact"])
def test_non_text_messages_get_a_kind_reply(conversation, what):
    reply = conversation.non_text(KEY, what)
    assert "messages écrits" in reply.text


def test_voice_message_gets_the_phone_and_address_of_help(conversation):
    conversation.press(KEY, "q:bellevue")
    reply = conversation.non_text(KEY, "voice")
    assert "02 00 00 00 01" in reply.text and "1 place Imaginaire" in reply.text


@pytest.mark.parametrize("action", ["", "zz", "e:nope", "q:mars", "fb:2:css", "plus:", "oubli:peut-etre"])
def test_stale_or_unknown_buttons_never_fail(conversation, action):
    assert conversation.press(KEY, action).text


def test_conversations_do_not_share_their_quartier(conversation):
    conversation.press("a", "q:bellevue")
    conversation.press("b", "q:europe")
    assert conversation.recorder.quartier_of("a") == "bellevue"
    assert conversation.recorder.quartier_of("b") == "europe"


def test_details_not_yet_sourced_say_a_confirmer(engine, recorder, kb_dir):
    path = kb_dir / "droits" / "rsa.yaml"
    path.write_text(
        path.read_text(encoding="utf-8") + "a_verifier: [pour_aller_plus_loin, documents]\n", encoding="utf-8"
    )
    assert engine.reload().ok
    text = Conversation(engine, recorder).press(KEY, "plus:rsa").text
    assert "Le montant baisse si vous avez d'autres revenus. (à confirmer)" in text
    assert "Les papiers à préparer (à confirmer) :" in text
    assert "Les étapes :" in text


def test_unverified_phone_of_an_entry_says_a_confirmer(conversation):
    conversation.press(KEY, "q:bellevue")
    assert "3230" in conversation.ask(KEY, "numero de la caf").text
    assert "Téléphone : 3646 (à confirmer)" in conversation.ask(KEY, "la secu").text


def test_off_topic_question_is_declined_kindly_with_a_person(conversation, recorder):
    conversation.press(KEY, "q:bellevue")
    reply = conversation.ask(KEY, "la meteo de demain")
    assert reply.kind == "offtopic" and reply.entry_id is None
    assert "seulement aux questions sur les droits" in reply.text
    assert "Centre social imaginaire de Bellevue" in reply.text
    assert recorder.unanswered[-1][0] == "la meteo de demain"


def test_voice_message_without_quartier_still_gives_a_phone_and_an_address(conversation):
    reply = conversation.non_text("nobody-yet", "voice")
    assert "Tél. 02 00 00 00 01" in reply.text
    assert "1 place Imaginaire" in reply.text


def test_location_near_a_place_whose_quartier_is_not_loaded_does_not_crash(kb_dir, recorder):
    from bot.knowledge.engine import Engine

    path = kb_dir / "quartiers" / "bellevue.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("source: https://example.org/bellevue\n", ""), encoding="utf-8"
    )
    engine = Engine.load(kb_dir)  # starts anyway: the broken quartier file is skipped
    assert "bellevue" not in engine.current.kb.quartiers
    reply = Conversation(engine, recorder).locate(KEY, 48.4036, -4.5031)
    assert "Centre social imaginaire de Bellevue" in reply.text
    assert reply.quartier is None and recorder.quartier_of(KEY) is None


def test_feedback_after_a_hesitation_goes_with_the_question_that_hesitated(engine, recorder):
    from bot.understanding.matcher import Matcher, Settings

    conversation = Conversation(engine, recorder)
    assert conversation.ask(KEY, "mutuelle gratuite").entry_id == "css"
    hesitant = Matcher(engine.current.kb, Settings(abstain_below=1, answer_from=101))
    engine.current = dataclasses.replace(engine.current, matcher=hesitant)
    assert conversation.ask(KEY, "rsa suspendu").kind == "suggest"
    conversation.press(KEY, "e:rsa")
    conversation.press(KEY, "fb:0:rsa")
    assert recorder.feedback[-1][:2] == ("rsa", "rsa suspendu")


def test_last_questions_kept_in_memory_are_bounded(conversation, recorder, monkeypatch):
    import bot.conversation.core

    monkeypatch.setattr(bot.conversation.core, "MAX_REMEMBERED_QUESTIONS", 3)
    for key in "abcde":
        conversation.ask(key, "mutuelle gratuite")
    conversation.press("a", "fb:0:css")
    conversation.press("e", "fb:0:css")
    assert [f[1] for f in recorder.feedback] == ["", "mutuelle gratuite"]  # "a" was forgotten


def test_an_uncertain_place_is_not_answered_with_another_quartier(kb_dir, engine, recorder):
    path = kb_dir / "quartiers" / "bellevue.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("  - nom: Kerzinou\n    incertain: true\n", ""), encoding="utf-8"
    )
    assert engine.reload().ok  # Kerzinou is now an uncertain part of Europe only
    conversation = Conversation(engine, recorder, clock=lambda: MONDAY_MORNING)
    conversation.press(KEY, "q:bellevue")
    reply = conversation.ask(KEY, "j'habite a kerzinou, mutuelle gratuite")
    assert reply.entry_id == "css" and reply.quartier is None
    assert "Dans quel quartier" in reply.text and "imaginaire de Bellevue" not in reply.text


@pytest.mark.parametrize(
    "expression, message",
    [
        ("ma frappe", "bonjour mon mari m'a frappé merci"),  # expression in SMS form, message spelt out
        ("m'a mis dehors", "bonjour mon copain ma mis dehors merci"),  # and the other way round
    ],
)
def test_an_expression_is_found_whether_elisions_are_typed_or_not(kb_dir, engine, recorder, expression, message):
    path = kb_dir / "urgences" / "violence.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("expressions:\n", f"expressions:\n  - {expression}\n"),
        encoding="utf-8",
    )
    assert engine.reload().ok
    assert Conversation(engine, recorder).ask(KEY, message).kind == "emergency"


def test_emergency_at_the_end_of_a_long_message_is_found(conversation):
    story = "Je vous explique ma situation depuis le début. " * 60 + "Et maintenant mon mari me frappe."
    assert len(story) > 2500
    assert conversation.ask(KEY, story).kind == "emergency"


def test_emergency_in_the_caption_of_a_photo_is_found(conversation):
    reply = conversation.non_text(KEY, "photo", caption="il me frappe")
    assert reply.kind == "emergency" and reply.text.startswith("URGENCE : appelez le 17")
    assert "messages écrits" in reply.text
    assert conversation.non_text(KEY, "photo", caption="ma facture").kind != "emergency"


def test_the_caption_of_a_photo_is_answered_as_a_question(conversation):
    reply = conversation.non_text(KEY, "photo", caption="c quoi ce courrier pour la mutuelle gratuite")
    assert reply.kind == "answer" and reply.entry_id == "css"
    assert "Je n'ai pas regardé" in reply.text


def test_a_phone_still_to_find_says_a_confirmer(kb_dir, engine, recorder):
    path = kb_dir / "lieux" / "mairie-bellevue.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "a_verifier: [horaires, coordonnees]", "a_verifier: [horaires, coordonnees, telephone]"
        ),
        encoding="utf-8",
    )
    assert engine.reload().ok
    text = Conversation(engine, recorder, clock=lambda: MONDAY_MORNING).press(KEY, "q:bellevue").text
    mairie = text[text.index("Mairie imaginaire") :]
    assert "Téléphone à confirmer" in mairie
    assert "Téléphone à confirmer" not in text[: text.index("Mairie imaginaire")]  # a known phone stays as is


def test_forget_confirmation_says_truthfully_what_is_kept(conversation):
    text = conversation.confirm_forget(KEY).text
    assert "votre quartier" in text
    assert "sans aucun lien avec vous" in text


def test_quartier_buttons_follow_the_order_of_the_quartier_files(kb_dir):
    # « ordre » in knowledge/quartiers/ is the one place that orders the buttons.
    (kb_dir / "quartiers" / "europe.yaml").write_text(
        (kb_dir / "quartiers" / "europe.yaml").read_text(encoding="utf-8") + "ordre: 1\n", encoding="utf-8"
    )
    (kb_dir / "quartiers" / "bellevue.yaml").write_text(
        (kb_dir / "quartiers" / "bellevue.yaml").read_text(encoding="utf-8") + "ordre: 2\n", encoding="utf-8"
    )
    buttons = Conversation(Engine.load(kb_dir), MemoryRecorder()).start("k").buttons
    assert [b.action for b in buttons[0]] == ["q:europe", "q:bellevue"]


def test_shipped_quartier_buttons_keep_their_order(shipped_engine):
    buttons = Conversation(shipped_engine, MemoryRecorder()).start("k").buttons
    actions = [b.action for row in buttons for b in row]
    assert actions[:5] == ["q:bellevue", "q:lambezellec", "q:quatre-moulins", "q:europe", "q:saint-pierre"]


@pytest.mark.parametrize(
    "text",
    [
        "/stats",
        "/besoin",
        "/commande inconnue",
        "bellevue",
        "j'habite à bellevue",
        "au revoir",
        "merci beaucoup bonne journée",
        "ok",
        "2",
    ],
)
def test_commands_places_choices_and_goodbyes_are_not_recorded_as_needs(conversation, recorder, text):
    conversation.ask("k", text)
    assert recorder.unanswered == []


def test_each_unanswered_question_is_recorded_with_why(conversation, recorder):
    conversation.ask("k", "la meteo de demain")
    conversation.ask("k", "ou acheter un velo d occasion")
    assert recorder.reasons == ["hors-sujet", None]


@pytest.mark.parametrize("typed", ["/stats", "/besoins"])
def test_a_command_typed_by_a_resident_is_not_said_to_be_kept(conversation, recorder, typed):
    """Commands are noise, never recorded: the reply must not promise the team will read them."""
    reply = conversation.ask("k", typed)
    assert recorder.unanswered == []
    assert "Je la garde" not in reply.text


def test_an_unknown_question_is_said_to_be_kept_when_it_is(conversation, recorder):
    reply = conversation.ask("k", "xqzv wplk trbn")
    assert len(recorder.unanswered) == 1 and "Je la garde" in reply.text


@pytest.mark.parametrize("text", ["🙏🙏🙏", "?", "...", "👍", "!!! ???"])
def test_a_message_without_words_asks_for_words_and_still_gives_a_person(conversation, recorder, text):
    conversation.press(KEY, "q:bellevue")
    reply = conversation.ask(KEY, text)
    assert reply.text.startswith("Je lis les mots, pas les émojis ni les signes seuls.")
    assert "Je ne connais pas encore la réponse" not in reply.text
    assert "Centre social imaginaire de Bellevue" in reply.text and "02 00 00 00 01" in reply.text
    assert recorder.unanswered == []


@pytest.mark.parametrize("text", ["rsa ?", "115", "مساعدة"])
def test_a_message_with_letters_or_digits_is_read(conversation, text):
    reply = conversation.ask(KEY, text)
    assert not reply.text.startswith("Je lis les mots")


class _AddsSuggestions:
    """The real matcher, with extra runner-ups on every answer (as a close second entry would be)."""

    def __init__(self, matcher, extra):
        self.matcher, self.extra = matcher, extra

    def match(self, text):
        found = self.matcher.match(text)
        return dataclasses.replace(found, suggestions=[*found.suggestions, *self.extra])

    def __getattr__(self, name):
        return getattr(self.matcher, name)


def test_see_also_never_offers_a_greeting_only_topics(conversation, engine):
    snapshot = engine.current
    engine.current = dataclasses.replace(snapshot, matcher=_AddsSuggestions(snapshot.matcher, ["salutation", "rsa"]))
    reply = conversation.ask(KEY, "mutuelle gratuite")
    assert reply.entry_id == "css"
    assert "e:rsa" in actions(reply)
    assert "e:salutation" not in actions(reply)


@pytest.mark.parametrize("text", ["ok", "d'accord", "oui", "super", "Ok !", "non"])
def test_an_acknowledgement_is_acknowledged_not_declined_nor_unknown(conversation, recorder, text):
    conversation.press(KEY, "q:bellevue")
    conversation.ask(KEY, "mutuelle gratuite")
    reply = conversation.ask(KEY, text)
    assert reply.text.startswith("D'accord. Vous pouvez m'écrire une autre question")
    assert "Je ne connais pas" not in reply.text and "Je ne peux pas vous aider" not in reply.text
    assert "Centre social imaginaire de Bellevue" in reply.text
    assert recorder.unanswered == []


@pytest.mark.parametrize("text", ["/stats", "06 47 81 29 35"])
def test_a_command_or_a_number_alone_is_no_acknowledgement(conversation, text):
    assert not conversation.ask(KEY, text).text.startswith("D'accord.")


@pytest.mark.parametrize(
    "question", ["bonjour ma machine a laver est cassee", "je voudrais parler a quelqu un pour ma machine a laver"]
)
def test_an_unmet_need_never_gets_an_intent_as_its_closest_entry(conversation, recorder, question):
    """A greeting or « parler à quelqu'un » is no entry the laboratoire could extend for a washing machine."""
    conversation.press(KEY, "q:bellevue")
    conversation.ask(KEY, question)
    assert recorder.unanswered[-1][0] == question
    assert recorder.unanswered[-1][4] is None


@pytest.mark.parametrize(
    "guess, kept", [("rsa", "rsa"), ("caf", "caf"), ("salutation", None), ("hors-sujet", None), (None, None)]
)
def test_only_rights_and_services_are_kept_as_the_laboratoire_guess(conversation, guess, kept):
    assert conversation._guess_for_laboratoire(guess) == kept


def test_answer_before_the_quartier_gives_a_city_wide_person_now_and_asks_the_quartier(conversation):
    reply = conversation.ask(KEY, "mutuelle gratuite")
    assert reply.entry_id == "css" and reply.quartier is None
    city = [p for p in conversation.engine.current.kb.city_wide_places() if p.address]
    assert city and reply.places == [city[0].id]
    assert city[0].address in reply.text
    assert reply.text.index(city[0].address) < reply.text.index("Dans quel quartier")
    assert "q:bellevue" in actions(reply)
    assert "imaginaire de Bellevue" not in reply.text  # never one quartier's place for someone of another


def test_answer_before_the_quartier_without_a_city_wide_place_still_asks_it(kb_dir, recorder):
    (kb_dir / "lieux" / "ccas.yaml").unlink()
    conversation = Conversation(Engine.load(kb_dir), recorder, clock=lambda: MONDAY_MORNING)
    reply = conversation.ask(KEY, "mutuelle gratuite")
    assert reply.entry_id == "css" and reply.places == []
    assert "Dans quel quartier" in reply.text and "q:bellevue" in actions(reply)


def test_a_location_lists_general_help_points_before_a_place_for_one_topic(shipped_engine, recorder):
    from bot.conversation.core import GENERAL_HELP

    kb = shipped_engine.current.kb
    single = next((p for p in kb.places.values() if p.lat is not None and not GENERAL_HELP & set(p.topics)), None)
    if single is None:
        pytest.skip("every located place of the shipped base helps with anything")
    reply = Conversation(shipped_engine, recorder).locate(KEY, single.lat, single.lon)  # standing at its door
    first = reply.text.split("Les lieux d'aide les plus proches :")[1].split("\n•")[1]
    assert single.name not in first  # the first place shown helps with anything (the courthouse does not)
    assert any(place.name in first for place in kb.places.values() if GENERAL_HELP & set(place.topics))
