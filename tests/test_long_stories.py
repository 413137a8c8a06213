"""Long stories: read clause by clause when the whole hesitates, rights first among their buttons, never
answered as mere politeness."""

from __future__ import annotations

import copy
import dataclasses
from pathlib import Path

import pytest

from bot.knowledge.engine import Engine
from bot.understanding.matcher import Matcher
from bot.understanding.statements import fine_clauses

# Made-up stories of more than 25 words whose only need is the RSA, said in one clause.
STORY = (
    "Bonjour, je vous écris parce que ça fait des semaines que je tourne en rond avec tous ces papiers, "
    "ma voisine dit que je devrais demander, moi mon rsa est suspendu depuis mars"
)
SHORT = "ça fait des semaines que je tourne en rond, mon rsa est suspendu"


@pytest.fixture
def matcher(engine) -> Matcher:
    return engine.current.matcher


def hesitant(matcher: Matcher, clause_answer_from: float) -> Matcher:
    """A copy of the matcher unable to answer any whole message, with the clause threshold given.

    A copy: the fixture's matcher is shared by the whole session.
    """
    changed = copy.copy(matcher)
    changed.settings = dataclasses.replace(
        matcher.settings, fused_answer_from=0.99, clause_answer_from=clause_answer_from
    )
    return changed


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        (
            "Bonjour, je vous écris parce que depuis mars je suis au chômage, et la cantine coûte trop cher",
            ["bonjour je vous ecris", "depuis mars je suis au chomage", "la cantine coute trop cher"],
        ),
        ("mon rsa est suspendu mais ma mutuelle est finie", ["mon rsa est suspendu", "ma mutuelle est finie"]),
        ("rsa et css", ["rsa css"]),  # pieces under four words stay glued: "et" alone is no need
    ],
)
def test_fine_clauses_cut_a_story_at_commas_and_small_joiners(text, parts):
    assert fine_clauses(text) == parts


def test_fine_clauses_are_capped(matcher):
    assert len(fine_clauses(", ".join(["une phrase de quatre mots"] * 20))) == 8


def test_a_clear_clause_that_the_whole_reads_otherwise_is_only_a_button(matcher):
    """A story's side remark ("je travaille à la cantine") must not outvote what the whole story is about."""
    story = (
        "Bonjour, je vous écris parce que je n'ai aucun revenu pour vivre depuis mars et que le rsa n'est pas "
        "arrivé, ma voisine dit que je devrais demander, et je n'ai pas de mutuelle"
    )
    match = hesitant(matcher, clause_answer_from=0.0).match(story)
    assert match.best_guess == "rsa" or match.entry_id == "rsa"
    assert match.entry_id != "css"


def test_a_long_story_that_hesitates_answers_its_clearly_confident_clause(matcher):
    assert len(STORY.split()) >= matcher.settings.clause_min_words
    match = hesitant(matcher, clause_answer_from=0.3).match(STORY)
    assert match.entry_id == "rsa"
    assert "rsa" not in match.suggestions


def test_a_clause_below_the_answer_threshold_comes_first_among_the_buttons(matcher):
    match = hesitant(matcher, clause_answer_from=2.0).match(STORY)
    assert match.entry_id is None and match.suggestions[0] == "rsa"


def test_a_short_message_is_not_read_clause_by_clause(matcher):
    assert len(SHORT.split()) < matcher.settings.clause_min_words
    match = hesitant(matcher, clause_answer_from=0.0).match(SHORT)
    assert match.entry_id is None


def test_an_off_topic_story_stays_declined(matcher):
    story = (
        "hier soir on a regardé le score du match avec les voisins, la météo de demain sera mauvaise, "
        "une recette de gâteau pour le club, et quel film ce soir à la télé avec les enfants"
    )
    match = hesitant(matcher, clause_answer_from=0.0).match(story)
    assert match.entry_id is None and match.offtopic == "hors-sujet"


def test_the_buttons_of_a_hesitating_story_are_its_rights_before_any_intent(matcher):
    story = (
        "Bonjour, je cherche quelqu'un pour m'aider dans le quartier, un médiateur dans mon quartier, une permanence "
        "dans mon quartier, pour mon revenu minimum qui est suspendu et la mutuelle gratuite, la caf ne répond pas"
    )
    match = hesitant(matcher, clause_answer_from=2.0).match(story)
    assert match.ranking[0][0] == "mediation-quartier"  # the intent reads best, yet three rights fill the buttons
    assert match.entry_id is None and set(match.suggestions) == {"rsa", "css", "caf"}


def test_a_story_about_an_intent_alone_keeps_it_as_its_button(matcher):
    story = (
        "Bonjour, je cherche quelqu'un pour m'aider dans le quartier, un médiateur dans mon quartier ou une "
        "permanence dans mon quartier, bonjour madame, bonjour monsieur, bonjour à vous"
    )
    match = hesitant(matcher, clause_answer_from=2.0).match(story)
    assert match.suggestions[0] == "mediation-quartier"


@pytest.fixture
def polite_matcher(kb_dir: Path) -> Matcher:
    """The fixture base with a thanks intent whose phrasings are whole polite sentences."""
    (kb_dir / "intentions" / "remerciement.yaml").write_text(
        "id: remerciement\ntitre: Merci\nformulations: [merci, merci beaucoup, merci pour votre aide, "
        "c'est gentil, c'est très gentil merci, si vous pouvez m'aider ce serait gentil, merci d'avance, "
        "merci infiniment, merci bien, je vous remercie]\n"
        "reponse: Avec plaisir !\nsource: interne\nverifie_le: 2026-12-01\n",
        encoding="utf-8",
    )
    return Engine.load(kb_dir).current.matcher


def test_thanks_at_the_end_of_a_story_do_not_hide_its_need(polite_matcher):
    story = (
        "Je me permets de vous écrire car je ne comprends pas bien les papiers, mon rsa est suspendu depuis "
        "ce mois ci. Si vous pouvez m'aider ce serait vraiment gentil, merci beaucoup pour votre aide."
    )
    match = polite_matcher.match(story)
    assert match.entry_id == "rsa" or (match.entry_id is None and match.suggestions[0] == "rsa")


def test_a_message_of_thanks_alone_is_still_thanks(polite_matcher):
    match = polite_matcher.match("merci beaucoup pour votre aide, c'est très gentil, merci infiniment madame")
    assert match.entry_id == "remerciement"


# --------------------------------------------------------------------------- bench/stories.py, the test bed


@pytest.fixture(scope="module")
def stories_module():
    import sys

    bench = str(Path(__file__).resolve().parent.parent / "bench")
    if bench not in sys.path:
        sys.path.insert(0, bench)
    import stories

    return stories


def test_made_up_stories_are_long_and_keep_their_phrasings(stories_module, engine):
    import random

    kb = engine.current.kb
    held = [(p, (entry_id,)) for entry_id in ("rsa", "css") for p in kb.phrasings_of(entry_id)]
    made = stories_module.stories_of(kb, held, 10, random.Random(1))
    by_kind = {kind: [s for s in made if s.kind == kind] for kind in ("as written", "one need", "two needs")}
    assert len(by_kind["as written"]) == len(held) and by_kind["one need"] and by_kind["two needs"]
    for story in by_kind["one need"] + by_kind["two needs"]:
        assert len(story.text.split()) >= stories_module.MIN_STORY_WORDS
    for story in by_kind["two needs"]:
        assert set(story.expected) == {"rsa", "css"} and story.other[0] in ("rsa", "css")


def test_the_tally_counts_a_wrong_answer_and_the_second_need_offered(stories_module):
    from bot.understanding.matcher import Match

    tally = stories_module.Tally()
    story = stories_module.Story("two needs", "…", ("rsa", "css"), other=("css",))
    tally.add(story, Match(entry_id="rsa", score=80, suggestions=["css"]))
    tally.add(story, Match(entry_id="caf", score=80))
    assert (tally.correct, tally.wrong, tally.reached, tally.other_offered) == (1, 1, 1, 1)


def test_stories_compare_other_settings_and_refuse_unknown_ones(stories_module, capsys):
    assert stories_module.main(["--settings", '{"no_such_knob": 1}']) == 2
    assert "réglages illisibles" in capsys.readouterr().err


def test_sms_noise_drops_accents_and_keeps_the_word_count(stories_module):
    import random

    text = "Je n'ai pas reçu mon allocation ce mois-ci, pourquoi ?"
    noisy = stories_module.sms(text, random.Random(3))
    assert noisy.isascii() and len(noisy.split()) == len(text.split())
