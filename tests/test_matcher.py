"""The matcher on the small fixture base: typos, no accents, SMS, synonyms, abstention, quartiers."""

import pytest

from bot.understanding.matcher import Matcher


@pytest.fixture
def matcher(engine) -> Matcher:
    return engine.current.matcher


@pytest.mark.parametrize(
    "question, expected",
    [
        ("RSA", "rsa"),
        ("rsa?", "rsa"),
        ("mon rsa est suspendu ce mois ci", "rsa"),
        ("revenu de solidarite active", "rsa"),  # no accents
        ("revenu de solidaritée activ", "rsa"),  # typos
        ("le rmi", "rsa"),  # old name through the lexicon
        ("la CMU ca existe encore", "css"),  # old name through the lexicon
        ("jai pas de mutuelle", "css"),  # SMS form
        ("mutuele gratuite", "css"),  # typo in the telling word
        ("MUTUELLE GRATUITE !!!", "css"),
        ("health insurance", "css"),  # English through the lexicon
        ("la secu", "cpam"),
        ("numero de la caf", "caf"),
        ("bonjour", "salutation"),
    ],
)
def test_recognises_the_entry(matcher, question, expected):
    match = matcher.match(question)
    assert match.entry_id == expected, (question, match)
    assert 0 <= match.score <= 100


@pytest.mark.parametrize(
    "question",
    ["quel temps fait il demain", "recette des crepes", "azfgqsdlkj", "combien fait 347 fois 12", "", "   ", "!!!"],
)
def test_abstains_on_off_topic_text(matcher, question):
    match = matcher.match(question)
    assert match.entry_id is None, match


def test_abstention_keeps_the_closest_guess_for_the_laboratoire(matcher):
    match = matcher.match("aide pour la piscine")
    assert match.entry_id is None
    assert match.normalized  # what the review will cluster on


@pytest.mark.parametrize(
    "question, quartier",
    [
        ("j'habite a bellevue", "bellevue"),
        ("BELLEVUE", "bellevue"),
        ("jhabite belle vue", "bellevue"),
        ("je suis au bouguen", "bellevue"),  # sub-neighbourhood
        ("pres de la place napoleon 3", "bellevue"),  # landmark, "3" close enough to "iii"
        ("a ponta", "europe"),  # short form
        ("quartier de l'europe", "europe"),
        ("rue de quimper", "bellevue"),  # street
        ("pontanézen", "europe"),
        ("pontanezzen", "europe"),  # typo in a long name
        ("rsa", None),
    ],
)
def test_detects_the_quartier(matcher, question, quartier):
    assert matcher.match(question).quartier == quartier


def test_an_uncertain_place_gives_candidates_not_an_answer(matcher):
    match = matcher.match("j'habite kerzinou")
    assert match.quartier is None
    assert set(match.quartier_candidates) == {"bellevue", "europe"}


def test_place_names_do_not_count_as_topic_words(matcher):
    assert matcher.match("bellevue").entry_id is None


def test_hesitation_offers_suggestions(engine):
    from bot.understanding.matcher import Settings

    matcher = Matcher(engine.current.kb, Settings(abstain_below=1, answer_from=101))
    match = matcher.match("mutuelle")
    assert match.entry_id is None
    assert match.hesitates and match.suggestions[0] == "css"


def test_answering_never_reads_the_files_again(engine, kb_dir):
    matcher = engine.current.matcher
    for path in kb_dir.rglob("*.yaml"):
        path.unlink()
    assert matcher.match("mutuelle gratuite").entry_id == "css"


@pytest.mark.parametrize("question", ["la meteo de demain a brest", "score du match hier soir", "tu es vraiment nul"])
def test_off_topic_phrasings_make_the_bot_decline(matcher, question):
    match = matcher.match(question)
    assert match.entry_id is None
    assert match.offtopic == "hors-sujet"
    assert "hors-sujet" not in match.suggestions


def test_off_topic_never_hides_a_right_that_scores_as_well(engine):
    from bot.understanding.matcher import Settings

    matcher = Matcher(engine.current.kb, Settings(answer_from=1, abstain_below=1))
    match = matcher.match("recette de gateau pour le rsa")
    assert match.entry_id == "rsa" or match.suggestions == ["rsa"]
