"""A button's label, « oui » or « non » typed instead of pressed; « /quartier europe » in one go."""

import pytest

from bot.channels.console import ConsoleSession
from bot.conversation.typed_button import typeable, typed_button

KEY = "conv-typed"


@pytest.mark.parametrize("typed", ["oui", "Oui !", "OUI", "Oui, effacer", "ok"])
def test_yes_typed_after_the_erasure_question_erases(conversation, recorder, typed):
    conversation.press(KEY, "q:bellevue")
    conversation.confirm_forget(KEY)
    reply = conversation.ask(KEY, typed)
    assert reply.kind == "forgotten"
    assert recorder.quartier_of(KEY) is None


@pytest.mark.parametrize("typed", ["non", "Non merci", "NON"])
def test_no_typed_after_the_erasure_question_keeps_everything(conversation, recorder, typed):
    conversation.press(KEY, "q:bellevue")
    conversation.confirm_forget(KEY)
    reply = conversation.ask(KEY, typed)
    assert reply.text == "D'accord, je n'efface rien."
    assert recorder.quartier_of(KEY) == "bellevue"


def test_yes_out_of_context_erases_nothing(conversation, recorder):
    conversation.press(KEY, "q:bellevue")
    assert conversation.ask(KEY, "oui").kind != "forgotten"
    assert recorder.quartier_of(KEY) == "bellevue"


def test_only_the_very_next_message_answers_the_erasure_question(conversation, recorder):
    conversation.press(KEY, "q:bellevue")
    conversation.confirm_forget(KEY)
    conversation.ask(KEY, "je cherche le rsa")
    assert conversation.ask(KEY, "oui").kind != "forgotten"
    assert recorder.quartier_of(KEY) == "bellevue"


def test_a_question_after_the_erasure_question_is_answered_not_taken_for_yes(conversation, recorder):
    conversation.press(KEY, "q:bellevue")
    conversation.confirm_forget(KEY)
    reply = conversation.ask(KEY, "oui je voudrais le rsa")
    assert reply.kind != "forgotten"
    assert recorder.quartier_of(KEY) == "bellevue"


@pytest.mark.parametrize("typed", ["Je n'habite pas dans ces quartiers", "je n habite pas dans ces quartiers", "aucun"])
def test_living_elsewhere_typed_under_the_quartier_question_is_remembered(conversation, recorder, typed):
    conversation.ask_quartier(KEY)
    conversation.ask(KEY, typed)
    assert recorder.quartier_of(KEY) == "ailleurs"


def test_a_quartier_label_typed_under_the_quartier_question_sets_it(conversation, recorder):
    conversation.start(KEY)
    reply = conversation.ask(KEY, "Europe")
    assert reply.quartier == "europe"
    assert recorder.quartier_of(KEY) == "europe"


def test_only_quartier_and_erasure_buttons_are_read_from_typed_words(conversation):
    shown = typeable(conversation.confirm_forget(KEY).buttons)
    assert [button.action for button in shown] == ["oubli:oui", "oubli:non"]
    assert typed_button("peut-être", shown) is None
    assert typed_button("", shown) is None


@pytest.mark.parametrize(("words", "quartier"), [("Bellevue", "bellevue"), ("europe", "europe")])
def test_quartier_command_with_a_quartier_sets_it(conversation, recorder, words, quartier):
    reply = conversation.quartier_command(KEY, words)
    assert reply.quartier == quartier
    assert recorder.quartier_of(KEY) == quartier


@pytest.mark.parametrize(("words", "quartier"), [("europ", "europe"), ("belevu", "bellevue")])
def test_quartier_command_with_a_misspelt_quartier_asks_and_oui_sets_it(conversation, recorder, words, quartier):
    reply = conversation.quartier_command(KEY, words)
    assert reply.text.startswith("Vouliez-vous dire") and recorder.quartier_of(KEY) is None  # never on a guess
    assert conversation.ask(KEY, "oui").quartier == quartier
    assert recorder.quartier_of(KEY) == quartier


@pytest.mark.parametrize("words", ["", "zzzz", "   ", "lune"])
def test_quartier_command_without_a_quartier_asks_it(conversation, recorder, words):
    reply = conversation.quartier_command(KEY, words)
    assert reply.kind == "quartier"
    assert recorder.quartier_of(KEY) is None


def test_console_quartier_command_reads_its_words(conversation, recorder):
    session = ConsoleSession(conversation, key=KEY)
    assert session.handle("/quartier europ").startswith("Vouliez-vous dire Europe ?")
    assert session.handle("oui").startswith("C'est noté : Europe.")
    assert recorder.quartier_of(KEY) == "europe"


def _answer_with_buttons(conversation):
    """An answer to a known question, with its « Pour aller plus loin » and rating buttons."""
    conversation.press(KEY, "q:bellevue")
    for question in ("rsa", "je cherche le rsa", "aide au logement", "apl"):
        reply = conversation.ask(KEY, question)
        labels = [button.label for row in reply.buttons for button in row]
        if reply.entry_id and "Pour aller plus loin" in labels and "👍 Ça m'aide" in labels:
            return reply
    pytest.skip("the fixture base answers none of these with both buttons")


def test_more_typed_under_an_answer_gives_its_details(conversation):
    answer = _answer_with_buttons(conversation)
    details = conversation.ask(KEY, "pour aller plus loin")
    assert details.entry_id == answer.entry_id
    assert details.text == conversation.press(KEY, f"plus:{answer.entry_id}").text


@pytest.mark.parametrize(("typed", "helpful"), [("ça m'aide", True), ("Pas vraiment", False)])
def test_a_rating_typed_under_an_answer_is_recorded_as_the_button(conversation, recorder, typed, helpful):
    answer = _answer_with_buttons(conversation)
    conversation.ask(KEY, typed)
    assert [(entry, was_helpful) for entry, _q, was_helpful, *_ in recorder.feedback] == [(answer.entry_id, helpful)]
