"""After the numbers, a question about the danger's own help is part of the danger, not another question."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import ask_record
from bot.conversation.core import Conversation
from bot.conversation.emergency import asks_about_the_danger
from bot.conversation.texts import OTHER_QUESTION_BUTTON
from bot.knowledge import Engine
from tests.conftest import MONDAY_MORNING

KEY = "chat-follow-up"
# The fixture's css entry knows "payer le dentiste sans mutuelle": after a beating,
# the dentist may be the care the beating needs, which the danger's help covers.
MIXED = "mon copain me met des coups et au fait comment payer le dentiste sans mutuelle"


def with_follow_up_words(kb_dir: Path, words: list[str]) -> Engine:
    """The fixture base whose violence file lists `words` under `mots_lies`."""
    path = kb_dir / "urgences" / "violence.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "mots_lies:\n" + "".join(f"  - {w}\n" for w in words), encoding="utf-8")
    return Engine.load(kb_dir)


def test_without_a_follow_up_word_the_other_question_is_offered(conversation):
    reply = conversation.ask(KEY, MIXED)
    assert reply.kind == "emergency" and reply.suggestions == ["css"]


def test_a_question_naming_the_dangers_own_help_offers_no_other_entry(kb_dir, recorder):
    engine = with_follow_up_words(kb_dir, ["dentiste"])
    assert not engine.problems or all(not p.error for p in engine.problems)
    reply = Conversation(engine, recorder, channel="test", clock=lambda: MONDAY_MORNING).ask(KEY, MIXED)
    assert reply.kind == "emergency" and reply.entry_id == "violences"
    assert reply.suggestions == []
    assert not [b for row in reply.buttons for b in row if b.label.startswith(OTHER_QUESTION_BUTTON)]


@pytest.mark.parametrize(
    "clause, words, about",
    [
        ("je peux aller à l'hôpital ?", ["hôpital"], True),
        ("je dois aller aux urgences ?", ["urgence"], True),  # the plural counts
        ("on peut porter plainte ce soir ?", ["porter plainte"], True),  # several words
        ("c'est quand la prime d'activité ?", ["hôpital", "plainte"], False),
        ("je peux aller à l'hôpital ?", [], False),
    ],
)
def test_a_follow_up_word_is_found_as_a_whole_word_accents_folded(clause, words, about):
    assert asks_about_the_danger(clause, [w.replace("ô", "o") for w in words]) is about


@pytest.mark.parametrize(
    "message, kind",
    [
        ("on m'a frappé dans la rue hier soir, je peux aller à l'hôpital ?", "violence"),
        ("un homme m'a agressée dehors, est-ce que je dois aller aux urgences ?", "violence"),
        ("mon fils a avalé des cachets, il faut aller à l'hôpital ?", "medical"),
    ],
)
def test_on_the_shipped_base_a_question_about_the_dangers_care_offers_no_other_right(shipped_engine, message, kind):
    """Made-up messages: the hospital after a beating is the danger's own help, not the AME."""
    record = ask_record(shipped_engine, message)
    assert record["urgence"] == kind
    assert record["suggestions"] == []


def test_every_kind_of_the_shipped_base_lists_words_of_its_own_help(shipped_base):
    dangers = shipped_base.kb.dangers
    assert dangers is not None
    assert all(kind.follow_up for kind in dangers.kinds.values())
