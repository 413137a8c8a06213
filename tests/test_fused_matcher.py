"""The matcher fused with its learned model: calibrated scores, two needs, places said alone, goodbyes."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from bot.knowledge.engine import Engine
from bot.understanding.matcher import Matcher, Settings
from bot.understanding.statements import clauses, is_place_statement


@pytest.fixture
def matcher(engine) -> Matcher:
    return engine.current.matcher


def test_the_fixture_base_is_read_with_its_learned_model(matcher):
    assert matcher.learned is not None and matcher.learned.kind == "logreg"


def test_the_lexical_matcher_alone_is_still_available(kb_dir):
    assert Engine.load(kb_dir, learn=False).current.matcher.learned is None


def test_the_score_is_one_curve_for_every_entry_rising_from_0_to_100(matcher):
    values = [matcher.calibrated(x) for x in np.linspace(0, 1, 21)]
    assert values == sorted(values) and 0 <= values[0] < 30 and values[-1] > 90
    first, second = (matcher.match(q) for q in ("mon rsa est suspendu", "complementaire sante solidaire"))
    assert {first.entry_id, second.entry_id} == {"rsa", "css"}
    assert all(0 <= m.score <= 100 for m in (first, second))


@pytest.mark.parametrize(
    "question, expected",
    [
        ("jai plus aucun revenu pour vivre", "rsa"),  # words near the phrasings, not equal to them
        ("pas de mutuel jpeu pa payer le medecin", "css"),
    ],
)
def test_situations_in_residents_words_find_their_entry(matcher, question, expected):
    assert matcher.match(question).entry_id == expected


@pytest.mark.parametrize("question", ["la météo de demain matin", "le score du match de hier"])
def test_off_topic_is_declined_not_answered(matcher, question):
    match = matcher.match(question)
    assert match.entry_id is None and match.offtopic == "hors-sujet"


def test_two_needs_in_one_message_answer_one_and_offer_the_other(matcher):
    match = matcher.match("mon rsa est suspendu depuis ce mois ci et en plus je n'ai pas de mutuelle pour le medecin")
    assert {match.entry_id, match.second_need} == {"rsa", "css"}
    assert match.second_need in match.suggestions


def test_a_short_message_has_no_second_need(matcher):
    assert matcher.match("mon rsa est suspendu").second_need is None


def test_an_off_topic_part_does_not_hide_the_need_of_the_other(matcher):
    match = matcher.match("la météo de demain est mauvaise et en plus mon rsa est suspendu depuis ce mois ci")
    assert match.entry_id == "rsa" and match.offtopic is None


@pytest.mark.parametrize(
    "question, quartier, candidates",
    [
        ("j'habite à Bellevue", "bellevue", ()),
        ("je suis du côté de Pontanézen", "europe", ()),
        ("ponta", "europe", ()),
        ("jhabite kerzinou", None, ("bellevue", "europe")),
    ],
)
def test_a_place_said_alone_is_not_a_question(matcher, question, quartier, candidates):
    match = matcher.match(question)
    assert match.place_only and match.entry_id is None and not match.suggestions
    assert match.quartier == quartier and match.quartier_candidates == candidates


@pytest.mark.parametrize("question", ["la caf de bellevue", "je suis à la rue à bellevue", "rsa a ponta"])
def test_a_place_with_a_need_is_still_a_question(matcher, question):
    assert not matcher.match(question).place_only


def test_place_statement_words():
    assert is_place_statement("j habite a".split()) and is_place_statement([])
    assert not is_place_statement("je suis a la rue".split())


def test_clauses_cut_where_two_problems_are_joined():
    assert clauses("ma machine est en panne et en plus la caf a suspendu mon apl") == [
        "ma machine est en panne",
        "la caf a suspendu mon apl",
    ]
    assert len(clauses("bonjour et en plus rsa")) == 1  # too short to hold two needs


def test_goodbyes_get_their_own_intent(kb_dir):
    (kb_dir / "intentions" / "au-revoir.yaml").write_text(
        "id: au-revoir\ntitre: Au revoir\n"
        "formulations: [au revoir, bonne soirée, bonne soirée à vous, à bientôt, bye, ciao, bonne nuit, "
        "à plus tard, bon week-end, kenavo]\n"
        "reponse: Au revoir !\nsource: interne\nverifie_le: 2026-12-01\n",
        encoding="utf-8",
    )
    matcher = Engine.load(kb_dir).current.matcher
    for question in ("au revoir", "salut bonne soirée à vous", "Au revoir et à bientôt"):
        assert matcher.match(question).entry_id == "au-revoir", question


@pytest.mark.parametrize("word", ["suspendu", "vivre", "arrivé", "stop"])
def test_a_lone_word_that_names_no_entry_is_not_answered(matcher, word):
    """'arrêter', 'retour': a word that is only part of some phrasings is not a question about them."""
    match = matcher.match(word)
    assert match.entry_id is None and match.offtopic is None
    assert match.suggestions == []  # found in fewer texts than lone_word_min_texts: not even a button


@pytest.mark.parametrize("word, expected", [("rsa", "rsa"), ("RSA !", "rsa"), ("bonjour", "salutation")])
def test_a_lone_word_that_is_a_whole_phrasing_is_still_answered(matcher, word, expected):
    assert matcher.match(word).entry_id == expected


def test_a_lone_word_recurring_in_an_entry_is_offered_as_its_button(matcher):
    import copy
    import dataclasses

    matcher = copy.copy(matcher)  # the fixture's matcher is shared by the session: change a copy
    matcher.settings = dataclasses.replace(matcher.settings, lone_word_min_texts=2)
    match = matcher.match("vivre")  # in two of the RSA's phrasings
    assert match.entry_id is None and match.suggestions == ["rsa"]


def test_an_elision_is_only_read_before_a_vowel(shipped_lexical):
    """French elides before a vowel or a mute h: "stop" is not "s'top" (a word of the shipped base)."""
    assert shipped_lexical._resolve("stop")[0] != shipped_lexical._resolve("top")[0]
    assert shipped_lexical._resolve("jhabite")[0] == shipped_lexical._resolve("habite")[0]


@pytest.mark.parametrize("word", ["arrêter", "stop", "retour", "quitter"])
def test_a_bare_command_word_is_never_answered_as_a_right(shipped_lexical, word):
    # "stop" and "arrêter" are whole phrasings of the polite-stop intent (intentions/arreter.yaml): no right either way.
    entry_id = shipped_lexical.match(word).entry_id
    assert entry_id is None or shipped_lexical.kb.entries[entry_id].kind == "intent"


@pytest.mark.parametrize(
    "letter",
    [
        "Madame, Monsieur, je me permets de vous écrire car mon RSA est suspendu. Je vous prie d'agréer, "
        "Madame, Monsieur, l'expression de mes salutations distinguées.",
        "Bonjour, mon rsa est suspendu. Dans l'attente de votre réponse, je vous remercie par avance. Cordialement",
    ],
)
def test_a_formal_letter_is_read_without_its_formulas(matcher, letter):
    from bot.understanding.formulas import strip_formulas
    from bot.understanding.normalize import fold

    assert matcher.match(letter).entry_id == "rsa"
    assert {"agreer", "salutations", "attente", "cordialement"}.isdisjoint(strip_formulas(fold(letter).split()))


def test_formulas_leave_the_need_alone():
    from bot.understanding.formulas import strip_formulas

    words = "veuillez m aider je veux recevoir mon rsa".split()
    assert strip_formulas(words) == words


def test_every_hors_sujet_file_teaches_the_off_topic_side(kb_dir):
    """A mediator's new file in hors-sujet/ is learned as off-topic, without any list to update."""
    (kb_dir / "hors-sujet" / "jardinage.yaml").write_text(
        "id: jardinage\ntitre: Jardinage\nformulations:\n"
        "  - tailler les rosiers du jardin\n  - quand planter les tomates au potager\n"
        "  - le meilleur engrais pour la pelouse\n  - arroser les plantes du balcon\n"
        "reponse: Je réponds seulement aux questions sur les droits et les aides.\n"
        "source: interne\nverifie_le: 2026-11-27\n",
        encoding="utf-8",
    )
    matcher = Engine.load(kb_dir).current.matcher
    assert matcher.learned is not None and "jardinage" in matcher.learned.labels
    match = matcher.match("comment tailler mes rosiers au jardin")
    assert match.entry_id is None and match.offtopic == "jardinage"


@pytest.mark.parametrize(
    ("message", "intent"),
    [("stop", "arreter"), ("stop merci", "arreter"), ("merci beaucoup", "remerciement"), ("bonjour", "salutation")],
)
def test_an_intent_said_in_one_word_is_answered_when_it_is_the_message(shipped_engine, message, intent):
    assert shipped_engine.current.matcher.match(message).entry_id == intent


@pytest.mark.parametrize("message", ["je voudrais arrêter de fumer", "arrêter de fumer aide", "stop tabac aide"])
def test_an_intent_said_in_one_word_is_not_the_answer_to_a_longer_request(shipped_engine, message):
    match = shipped_engine.current.matcher.match(message)
    assert match.entry_id != "arreter"
    assert "arreter" not in match.suggestions


def test_two_entries_nearly_level_become_buttons_when_the_margin_rule_is_on(kb_dir):
    """`answer_gap`: the best entry must lead the runner-up by this much, else the resident picks."""
    question = "mon rsa est suspendu"
    engine = Engine.load(kb_dir)
    matcher = engine.current.matcher
    answered = matcher.match(question)
    assert answered.entry_id == "rsa"
    matcher.settings = dataclasses.replace(Settings(), answer_gap=1.0)  # no lead is ever enough
    try:
        held = matcher.match(question)
    finally:
        matcher.settings = Settings()
    assert held.entry_id is None and held.suggestions[0] == "rsa"


@pytest.mark.parametrize("word", ["aide", "help", "Aide !"])
def test_a_lone_word_answers_only_as_an_entry_it_is_a_whole_phrasing_of(shipped_engine, word):
    """« aide » is the simulator's « mes aides », not the housing aid: one word says no more than that."""
    match = shipped_engine.current.matcher.match(word)
    assert match.entry_id is None
    assert match.suggestions[0] == "simulateur"


@pytest.mark.parametrize("word, expected", [("rsa", "rsa"), ("apl", "aide-logement"), ("merci", "remerciement")])
def test_a_lone_word_naming_its_entry_is_still_answered_in_the_shipped_base(shipped_engine, word, expected):
    assert shipped_engine.current.matcher.match(word).entry_id == expected


@pytest.mark.parametrize("share, offered", [(0.9, True), (0.45, True), (0.3, False)])
def test_an_answer_offers_a_runner_up_that_reaches_its_share_of_the_best(matcher, share, offered):
    """`runner_up_ratio` (dev + cross-validation): a close second entry is one tap away under the answer.

    Lowered from 0.6 to 0.4: on the knowledge base's cross-validation the expected
    entry was then answered or offered for 1.2 more points of the phrasings, with
    the same answers (bench/stories.py: as written 95.5 -> 96.6 %).
    """
    in_scope = [i for i, e in enumerate(matcher.entry_ids) if not matcher.kb.entries[e].offtopic]
    fused = np.zeros(len(matcher.entry_ids))
    best, second = in_scope[0], in_scope[1]
    fused[best], fused[second] = 0.8, 0.8 * share
    match = matcher._decide_fused(fused, 0.0, matcher.gazetteer.detect(""), "")
    assert match.entry_id == matcher.entry_ids[best]
    assert (matcher.entry_ids[second] in match.suggestions) is offered


def _fused_for_scores(matcher: Matcher, best_score: float, second_score: float) -> tuple[np.ndarray, int, int]:
    """Fused values whose calibrated scores are about `best_score` and `second_score` for two in-scope entries."""
    slope, middle = matcher.settings.calibration
    in_scope = [i for i, e in enumerate(matcher.entry_ids) if not matcher.kb.entries[e].offtopic]
    fused = np.zeros(len(matcher.entry_ids))
    best, second = in_scope[0], in_scope[1]
    for index, score in ((best, best_score), (second, second_score)):
        fused[index] = middle - np.log(100.0 / score - 1.0) / slope
    return fused, best, second


@pytest.mark.parametrize(
    "best_score, second_score, answered",
    [
        (56, 53, False),  # unsure and nearly level: the resident picks
        (56, 45, True),  # unsure but clearly ahead: answered
        (66, 63, True),  # sure enough (from 60): answered, the runner-up offered under it
        (85, 80, True),
    ],
)
def test_an_unsure_answer_nearly_level_with_its_runner_up_becomes_two_buttons(
    matcher, best_score, second_score, answered
):
    """`close_call_below` / `close_call_margin` (60 / 5, picked by bench/close_calls.py's cost on cross-validation)."""
    fused, best, second = _fused_for_scores(matcher, best_score, second_score)
    match = matcher._decide_fused(fused, 0.0, matcher.gazetteer.detect(""), "")
    assert (match.entry_id == matcher.entry_ids[best]) is answered
    if not answered:
        assert match.entry_id is None
        assert match.suggestions[:2] == [matcher.entry_ids[best], matcher.entry_ids[second]]


def test_the_close_call_rule_can_be_switched_off(matcher):
    fused, best, _ = _fused_for_scores(matcher, 56, 53)
    matcher.settings = dataclasses.replace(Settings(), close_call_below=0)
    try:
        match = matcher._decide_fused(fused, 0.0, matcher.gazetteer.detect(""), "")
    finally:
        matcher.settings = Settings()
    assert match.entry_id == matcher.entry_ids[best]
