"""A message with letters but no word that can name a need ("a", "aaaa", "euh") is asked to say more.

Before, the learned model read the bare "a" as the goodbye phrasing "a+" (both
folded to "a") and answered it with confidence. Made-up messages, a fixture
base with a goodbye intent added.
"""

from __future__ import annotations

import shutil

import pytest

from bot.conversation.core import Conversation
from bot.conversation.texts import NOT_UNDERSTOOD
from bot.knowledge.engine import Engine
from bot.understanding.normalize import fold
from tests.conftest import FIXTURE_KB, MONDAY_MORNING, RecordingRecorder

GOODBYE = """\
id: au-revoir
titre: Au revoir
formulations: [au revoir, a+, bye, à plus tard, bonne soirée]
reponse: Au revoir !
source: interne
verifie_le: 2026-11-27
"""


@pytest.fixture(scope="module")
def goodbye_engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    directory = tmp_path_factory.mktemp("goodbye") / "kb"
    shutil.copytree(FIXTURE_KB, directory)
    (directory / "intentions" / "au-revoir.yaml").write_text(GOODBYE, encoding="utf-8")
    return Engine.load(directory)


@pytest.mark.parametrize(
    "text, folded",
    [("a+", "a plus"), ("À+ !", "a plus"), ("bye a+", "bye a plus"), ("salut a + tard", "salut a plus tard")],
)
def test_sms_a_plus_is_spelt_out_when_folded(text: str, folded: str) -> None:
    assert fold(text) == folded


@pytest.mark.parametrize("text, folded", [("1+1", "1 1"), ("na+", "na"), ("gratuit + prix", "gratuit prix")])
def test_other_plus_signs_fold_as_before(text: str, folded: str) -> None:
    assert fold(text) == folded


@pytest.mark.parametrize("text", ["a", "aa", "aaaa", "A !", "euh", "quoi", "et toi ?", "zz"])
def test_a_message_without_content_is_never_answered(goodbye_engine: Engine, text: str) -> None:
    match = goodbye_engine.current.matcher.match(text)
    assert match.no_content
    assert match.entry_id is None and match.suggestions == [] and match.offtopic is None


@pytest.mark.parametrize("text", ["a+", "à+", "au revoir", "bye"])
def test_a_goodbye_is_still_a_goodbye(goodbye_engine: Engine, text: str) -> None:
    match = goodbye_engine.current.matcher.match(text)
    assert match.entry_id == "au-revoir" and not match.no_content


@pytest.mark.parametrize("text", ["rsa", "mutuelle", "bonjour", "bellevue", "06 47 81 29 35", "???"])
def test_a_word_a_place_or_a_number_is_not_a_message_without_content(goodbye_engine: Engine, text: str) -> None:
    assert not goodbye_engine.current.matcher.match(text).no_content


@pytest.fixture
def chat(goodbye_engine: Engine) -> tuple[Conversation, RecordingRecorder]:
    recorder = RecordingRecorder()
    return Conversation(goodbye_engine, recorder, channel="test", clock=lambda: MONDAY_MORNING), recorder


@pytest.mark.parametrize("text", ["a", "aaaa", "euh"])
def test_the_resident_is_asked_to_say_more_and_nothing_is_kept(chat, text: str) -> None:
    conversation, recorder = chat
    reply = conversation.ask("chat-1", text)
    assert reply.text.startswith(NOT_UNDERSTOOD.split("\n")[0])
    assert reply.entry_id is None
    assert recorder.unanswered == []


@pytest.mark.parametrize("text", ["ok", "oui", "non"])
def test_an_agreement_is_still_acknowledged(chat, text: str) -> None:
    conversation, _ = chat
    assert conversation.ask("chat-1", text).text.startswith("D'accord.")


def test_a_lone_unknown_word_is_still_kept_for_the_laboratoire(chat) -> None:
    conversation, recorder = chat
    reply = conversation.ask("chat-1", "trottinette")
    assert not reply.text.startswith(NOT_UNDERSTOOD.split("\n")[0])
    assert len(recorder.unanswered) == 1
