"""Violence that names a child: the child's numbers (119) come with the violence ones."""

from __future__ import annotations

import pytest

from bot.cli import ask_record
from bot.conversation.core import Conversation
from bot.conversation.recorder import MemoryRecorder
from bot.understanding.child_cue import names_a_child, names_a_parent_at_home
from bot.understanding.normalize import fold
from tests.conftest import MONDAY_MORNING

KEY = "chat-children"


@pytest.mark.parametrize(
    "text",
    [
        "il me frappe devant les enfants",
        "papa tape maman",
        "j'ai peur pour mon bébé",
        "les petits voient tout",
        "le petit pleure quand il crie",
        "j'ai 15 ans et mon copain me frappe",
        "il a frappé ma fille de 4 ans",
        "he hits me in front of the kids",
        "mon fils de 30 ans frappe son fils de 5 ans",  # the grandson is a child
    ],
)
def test_a_child_is_named_by_a_word_for_a_child_or_an_age_under_18(text):
    assert names_a_child(fold(text))


@pytest.mark.parametrize(
    "text",
    [
        "mon mari me frappe",
        "mon petit copain me frappe",  # a partner, not a child
        "il a pris son téléphone",  # "son" is "his"
        "j'ai 34 ans et il me menace",
        "ma voisine de 80 ans est battue",
        "mon fils adulte me frappe",  # an elderly parent's danger, not a child's
        "ma fille majeure me vole et me pousse",
        "mon fils de 30 ans me menace",
    ],
)
def test_no_child_is_named(text):
    assert not names_a_child(fold(text))


def test_violence_in_front_of_the_children_starts_with_both_kinds_first_lines(conversation):
    reply = conversation.ask(KEY, "mon mari me frappe devant les enfants")
    assert reply.kind == "emergency"
    first, _, others = reply.text.partition("Autres numéros gratuits")
    assert "URGENCE : appelez le 17" in first and "Enfant en danger : appelez le 119" in first
    assert "119" not in others  # not said twice


def test_violence_naming_no_child_keeps_the_child_line_among_the_others(shipped_engine):
    record = ask_record(shipped_engine, "mon mari me frappe tous les soirs")
    assert record["urgences"] == ["violence"]


@pytest.mark.parametrize(
    "message",
    [
        "mon mari me frappe devant les enfants",
        "mon copain me tape et les petits voient tout",
        "mon mari nous frappe, moi et les enfants",
        "my husband hits me in front of our kids",
    ],
)
def test_on_the_shipped_base_violence_with_children_gives_both_kinds(shipped_engine, message):
    """Made-up messages: violence and a child living with it are both kinds, in `urgences`."""
    record = ask_record(shipped_engine, message)
    assert {"violence", "enfant"} <= set(record["urgences"]), record["urgences"]
    assert record["id"] == "violences"


def test_between_violence_and_a_child_a_small_share_is_enough_to_show_both(shipped_engine, monkeypatch):
    """Read mostly as a child in danger, "il nous frappe moi et les enfants" still gives the mother's lines.

    The partner named ("mon mari") adds them on its own (names_a_parent_at_home): switched off here,
    only the runner-up's share decides.
    """
    from bot.understanding import danger as danger_module

    message = "mon mari nous frappe moi et les enfants"
    assert set(ask_record(shipped_engine, message)["urgences"]) == {"enfant", "violence"}
    # The general "too close to tell" rule is switched off, so that only the small share
    # between these two kinds can show both (as phrasings grow, violence may come close enough
    # to show by the general rule alone).
    monkeypatch.setattr(danger_module, "CLOSE_KIND_SHARE", 0.99)
    monkeypatch.setattr(danger_module, "names_a_parent_at_home", lambda folded: False)
    monkeypatch.setattr(danger_module, "BOTH_KINDS_SHARE", 0.0)  # any runner-up between these two
    assert set(ask_record(shipped_engine, message)["urgences"]) == {"enfant", "violence"}
    monkeypatch.setattr(danger_module, "BOTH_KINDS_SHARE", 0.99)  # only a near tie would show both
    assert ask_record(shipped_engine, message)["urgences"] == ["enfant"]


@pytest.mark.parametrize(
    "text, named",
    [
        ("papa frappe maman", True),
        ("mon pere tape ma mere", True),
        ("mes parents se battent", True),
        ("my dad hits my mum", True),
        ("mon mari nous frappe moi et les enfants", True),  # the mother's partner: violence at home
        ("mon copain tape mon fils", True),
        ("mon fils a avale des cachets", False),
        ("un enfant pleure seul dans la rue", False),
    ],
)
def test_a_parent_at_home_is_named_by_a_word_for_a_parent(text, named):
    assert names_a_parent_at_home(text) is named


@pytest.mark.parametrize(
    "message",
    [
        "papa frappe maman",
        "mon père tape ma mère tous les soirs",
        "my dad hits my mum",
        "mon mari tape les enfants et moi aussi",
    ],
)
def test_on_the_shipped_base_a_child_seeing_violence_at_home_gets_the_119_and_the_3919(shipped_engine, message):
    """Made-up messages: a child living with violence between the parents; the mother needs the 3919 too."""
    record = ask_record(shipped_engine, message)
    assert {"violence", "enfant"} <= set(record["urgences"]), record["urgences"]
    conversation = Conversation(shipped_engine, MemoryRecorder(), channel="test", clock=lambda: MONDAY_MORNING)
    reply = conversation.ask(KEY, message)
    first = reply.text.partition("Autres numéros gratuits")[0]
    assert "119" in first and "3919" in first


def test_a_child_in_danger_naming_no_parent_shows_no_violence_lines_first(shipped_engine):
    record = ask_record(shipped_engine, "un enfant de 6 ans est seul dehors depuis des heures, personne ne vient")
    assert "enfant" in record["urgences"] and "violence" not in record["urgences"]
