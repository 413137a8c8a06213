"""One quartier lookup for /quartier and every --quartier: names, priority neighbourhoods, close spellings.

The places come from the shipped knowledge/quartiers/ (every sub-area and its
variants), so a neighbourhood the mediators add is covered without a test change.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from bot.cli import cli
from bot.conversation.core import Conversation
from bot.conversation.quartier_words import lookup_quartier
from bot.conversation.recorder import MemoryRecorder
from bot.knowledge import load_knowledge
from bot.understanding.gazetteer import Gazetteer
from bot.understanding.normalize import fold
from tests.conftest import SHIPPED_KB

KB = load_knowledge(SHIPPED_KB).kb
GAZETTEER = Gazetteer(KB)
SUB_AREAS = [(area.name, quartier.id) for quartier in KB.quartiers.values() for area in quartier.sub_areas]


def _owners(name: str) -> set[str]:
    """Every quartier that lists this place: a place listed twice is confirmed, never guessed."""
    return {
        q.id for q in KB.quartiers.values() for a in q.sub_areas if fold(name) in {fold(a.name), *map(fold, a.variants)}
    }


@pytest.mark.parametrize(("place", "quartier"), SUB_AREAS, ids=[name for name, _ in SUB_AREAS])
def test_every_place_of_the_base_gives_its_quartier_or_asks_to_confirm_it(place, quartier):
    found = lookup_quartier(KB, GAZETTEER, place)
    assert not found.close_spelling
    if found.quartier is not None:
        assert found.quartier == quartier
    else:
        assert quartier in found.candidates and set(found.candidates) <= _owners(place)


@pytest.mark.parametrize("quartier", sorted(KB.quartiers))
def test_a_quartier_s_id_and_name_are_taken_at_once(quartier):
    for words in (quartier, KB.quartiers[quartier].name):
        assert lookup_quartier(KB, GAZETTEER, words).quartier == quartier


@pytest.mark.parametrize(
    ("words", "quartier"), [("europ", "europe"), ("belevue", "bellevue"), ("lambezelek", "lambezellec")]
)
def test_a_close_spelling_is_given_back_to_confirm(words, quartier):
    found = lookup_quartier(KB, GAZETTEER, words)
    assert found.quartier is None and found.close_spelling and found.candidates == (quartier,)


@pytest.mark.parametrize("words", ["", "   ", "atlantide", "lune", "zzzz"])
def test_no_quartier_in_the_words(words):
    found = lookup_quartier(KB, GAZETTEER, words)
    assert found.quartier is None and not found.candidates


@pytest.fixture(scope="module")
def chat(shipped_engine) -> Conversation:
    return Conversation(shipped_engine, MemoryRecorder(), channel="test")


def test_quartier_command_asks_did_you_mean_for_a_close_spelling(chat):
    reply = chat.quartier_command("k-europ", "europ")
    assert reply.text == "Vouliez-vous dire Europe ?"
    assert [b.action for row in reply.buttons for b in row] == ["q:europe", "q:autre"]
    assert chat.recorder.quartier_of("k-europ") is None  # nothing set on a guess
    assert chat.press("k-europ", "q:europe").text.startswith("C'est noté : Europe.")


def test_quartier_command_confirms_an_uncertain_priority_neighbourhood(chat):
    found = lookup_quartier(KB, GAZETTEER, "keredern")
    assert found.candidates, "Keredern is marked uncertain in knowledge/quartiers/"
    reply = chat.quartier_command("k-keredern", "keredern")
    names = [KB.quartiers[q].name for q in found.candidates]
    assert reply.text.startswith("Keredern") and all(name in reply.text for name in names)
    assert chat.recorder.quartier_of("k-keredern") is None


def test_typing_oui_after_the_question_sets_the_quartier(chat):
    chat.quartier_command("k-oui", "europ")
    assert chat.ask("k-oui", "oui").quartier == "europe"


@pytest.mark.parametrize(("command", "ok"), [("stats", 0), ("review", 0), ("rappels-demandes", 0)])
@pytest.mark.parametrize("words", ["Kérourien", "pontanezen", "Kérangoff-Loti", "Lambézellec Bourg"])
def test_laboratoire_options_take_priority_neighbourhoods(tmp_path, command, ok, words):
    args = ["--knowledge", str(SHIPPED_KB), command, "--quartier", words]
    result = CliRunner().invoke(cli, args, env={"RELAIS_DB": str(tmp_path / "absent.db")})
    assert result.exit_code == ok, result.output


def test_an_option_with_a_close_spelling_is_refused_with_the_name_meant(tmp_path):
    args = ["--knowledge", str(SHIPPED_KB), "stats", "--quartier", "europ"]
    result = CliRunner().invoke(cli, args, env={"RELAIS_DB": str(tmp_path / "absent.db")})
    assert result.exit_code == 2 and "vouliez-vous dire Europe ?" in result.output
