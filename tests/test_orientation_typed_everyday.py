"""Everyday answers typed during the rights check: SMS spelling, English, a number of people, ages alone.

Made-up answers, each read from what the button means (« sans emploi » is « Je
cherche du travail », « chez mes parents » is « Hébergé(e) »), never from what
the bot printed. An ambiguous answer (« je travaille pas »: looking for work or
not?) is not guessed: it is asked again. Ages and amounts typed are kept as
typed, the band's typical value is only for a press. Then the result: each right
handed to a person, and its reminder offered where it has a date not to miss.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.conversation.core import Conversation
from bot.conversation.orientation import (
    CHILDREN_NOT_COUNTED,
    HELPERS_INTRO,
    REMINDERS_NOTE,
    Question,
    Questionnaire,
    helpers_text,
    result_text,
)
from bot.knowledge.engine import Engine
from bot.orientation.evaluate import Suggestion
from tests.conftest import MONDAY_MORNING, Clock, RecordingRecorder
from tests.orientation_fixtures import KEY, walk

TO_HOUSEHOLD = ["age:25-59"]
TO_SITUATION = [*TO_HOUSEHOLD, "foyer:ok"]
TO_INCOME = [*TO_SITUATION, "situation:emploi"]
TO_HOUSING = [*TO_INCOME, "revenus:1200"]
TO_HEALTH = [*TO_HOUSING, "logement:locataire"]
TO_PAPERS = [*TO_HEALTH, "sante:non"]


def at(presses: list[str]) -> Questionnaire:
    check = Questionnaire(lambda: MONDAY_MORNING)
    check.start(KEY)
    for value in presses:
        check.press(KEY, value)
    return check


def answers(check: Questionnaire) -> dict[str, object]:
    return check._sessions[KEY].answers


# --------------------------------------------------------------------------- ages and amounts, kept as typed


@pytest.mark.parametrize(
    "typed, age",
    [("j ai 45 ans", 45), ("I'm 30", 30), ("30 years old", 30), ("âgé de 52 ans", 52), ("52 piges", 52), ("24", 24)],
)
def test_an_age_typed_is_understood_and_kept_as_typed(typed, age):
    check = at([])
    assert isinstance(check.typed(KEY, typed), Question)
    assert answers(check)["age"] == age  # « 24 », not the band's 20: hosted at 24 is not « 20 or under »


@pytest.mark.parametrize(
    "typed, amount",
    [
        ("1 150 €", 1150),
        ("1200 net", 1200),
        ("1 200,50 €", 1200),
        ("900 balles", 900),
        ("1,2k", 1200),
        ("about 1000 euros", 1000),
        ("2000 à deux", 2000),
        ("1200 euros par mois", 1200),
        ("mille deux cents", 1200),
        ("rien du tout", 0),
        ("nothing", 0),
    ],
)
def test_an_income_typed_is_understood_and_kept_as_typed(typed, amount):
    check = at(TO_INCOME)
    assert isinstance(check.typed(KEY, typed), Question)
    assert answers(check)["revenus_mensuels"] == amount  # a band's lower edge would say 700 for « 1 150 € »


def test_going_back_after_a_typed_age_forgets_it():
    check = at([])
    check.typed(KEY, "I'm 30")
    check.press(KEY, "back")
    assert "age" not in answers(check)


# --------------------------------------------------------------------------- who lives with you


@pytest.mark.parametrize(
    "typed, children, couple, pregnant",
    [
        ("3 et 7 ans", [4, 8], False, False),
        ("mes deux enfants 3 ans et 7 ans", [4, 8], False, False),
        ("j'ai 2 enfants, 3 et 7 ans", [4, 8], False, False),
        ("seule avec mes 2 enfants de 4 et 9 ans", [4, 8], False, False),
        ("my wife", [], True, False),
        ("my wife and 2 kids aged 3 and 7", [4, 8], True, False),  # read before the danger check, which it alarmed
        ("mon mari et moi", [], True, False),
        ("je suis enceinte", [], False, True),
        ("on attend un bébé", [], False, True),
        ("ma femme est enceinte", [], True, True),
    ],
)
def test_the_household_typed_in_everyday_words_is_counted(typed, children, couple, pregnant):
    check = at(TO_HOUSEHOLD)
    assert isinstance(check.typed(KEY, typed), Question)
    session = check._sessions[KEY]
    assert (sorted(session.children), session.couple, session.pregnant) == (children, couple, pregnant)
    assert session.step == "foyer"  # still open: « C'est tout » closes it


@pytest.mark.parametrize("typed", ["on est 4", "nous sommes quatre", "4 personnes"])
def test_a_number_of_people_asks_to_press_each_one_and_counts_nobody(typed):
    check = at(TO_HOUSEHOLD)
    reply = check.typed(KEY, typed)
    assert isinstance(reply, Question) and "Vous êtes 4" in reply.text
    session = check._sessions[KEY]
    assert (session.children, session.couple) == ([], False)


@pytest.mark.parametrize("typed", ["je vis seule avec mes enfants", "avec mes gosses"])
def test_children_without_a_number_ask_for_each_age(typed):
    reply = at(TO_HOUSEHOLD).typed(KEY, typed)
    assert isinstance(reply, Question) and reply.text.startswith(CHILDREN_NOT_COUNTED)


@pytest.mark.parametrize("typed", ["c tout", "cé tout", "I live alone", "that's all"])
def test_everyday_ways_to_say_that_is_all_close_the_household(typed):
    check = at(TO_HOUSEHOLD)
    check.typed(KEY, typed)
    assert check._sessions[KEY].step == "situation"


@pytest.mark.parametrize("typed", ["30 ans", "2 enfants de 4 ans"])
def test_an_age_that_is_no_child_or_ages_that_do_not_match_are_not_guessed(typed):
    check = at(TO_HOUSEHOLD)
    check.typed(KEY, typed)
    assert check._sessions[KEY].children == []


# --------------------------------------------------------------------------- situation, housing, health, papers


@pytest.mark.parametrize(
    "presses, typed, key, value",
    [
        (TO_SITUATION, "sans emploi", "situation", "demandeur-emploi"),
        (TO_SITUATION, "je suis au chômage", "situation", "demandeur-emploi"),
        (TO_SITUATION, "unemployed", "situation", "demandeur-emploi"),
        (TO_SITUATION, "intérim", "situation", "emploi"),
        (TO_SITUATION, "auto-entrepreneur", "situation", "emploi"),
        (TO_SITUATION, "je travaille à mi-temps", "situation", "emploi"),
        (TO_SITUATION, "student", "situation", "etudiant"),
        (TO_SITUATION, "retired", "situation", "retraite"),
        (TO_SITUATION, "en arrêt maladie", "situation", "incapacite"),
        (TO_SITUATION, "mère au foyer", "situation", "sans-revenu"),
        (TO_SITUATION, "je suis au RSA", "situation", "sans-revenu"),
        (TO_HOUSING, "je loue", "logement", "locataire"),
        (TO_HOUSING, "I rent", "logement", "locataire"),
        (TO_HOUSING, "chez mes parents", "logement", "heberge"),
        (TO_HOUSING, "Brest métropole habitat", "logement", "locataire-social"),
        (TO_HOUSING, "homeless", "logement", "sans-logement"),
        (TO_HEALTH, "handicapé", "handicap", True),
        (TO_HEALTH, "oui j'ai une RQTH", "handicap", True),
        (TO_HEALTH, "pas de handicap", "handicap", False),
        (TO_PAPERS, "carte de résident", "papiers", "titre-sejour"),
        (TO_PAPERS, "réfugiée", "papiers", "titre-sejour"),
        (TO_PAPERS, "no papers", "papiers", "sans-papiers"),
        (TO_PAPERS, "je suis demandeur d'asile", "papiers", "demandeur-asile"),
        (TO_PAPERS, "asylum seeker", "papiers", "demandeur-asile"),
        (TO_PAPERS, "carte d'identité", "papiers", "francais-ue"),
    ],
)
def test_everyday_words_press_the_button_they_mean(presses, typed, key, value):
    check = at(presses)
    session = check._sessions[KEY]
    check.typed(KEY, typed)
    assert session.answers[key] == value


@pytest.mark.parametrize(
    "presses, typed",
    [
        (TO_SITUATION, "je travaille pas"),  # looking for work, or not?
        (TO_HOUSING, "appartement"),  # rented or owned?
        (TO_HEALTH, "un peu"),
        (TO_PAPERS, "marocain"),  # a nationality, not a paper
        (TO_INCOME, "le RSA"),  # its amount depends on the household
    ],
)
def test_an_ambiguous_answer_is_not_guessed(presses, typed):
    assert at(presses).typed(KEY, typed) is None  # the core then asks again, saying what can be typed


# --------------------------------------------------------------------------- the result: a person, a reminder


def test_helpers_are_grouped_by_place_in_list_order():
    text = helpers_text([("CPAM, tél. 3646", ["Complémentaire santé solidaire"]), ("CDAS", ["RSA", "Aide"])])
    assert text.split("\n") == [
        HELPERS_INTRO,
        "• CPAM, tél. 3646 : Complémentaire santé solidaire",
        "• CDAS : RSA, Aide",
    ]
    assert helpers_text([]) == ""


SPECIAL_DESK = """\
id: cpam-imaginaire
nom: Accueil santé imaginaire de Bellevue
quartier: bellevue
adresse: 2 place Imaginaire, 29200 Brest
telephone: 02 00 00 00 09
horaires: "Mo-Fr 09:00-12:00,14:00-17:00"
sujets: [css]
source: https://example.org/lieu
verifie_le: 2025-01-01
"""
ALONE_NO_INCOME = ["25 à 59", "C'est tout", "Je n'ai pas de revenu", "Sans logement", "Non", "Français"]


def conversation(kb: Path, recorder: RecordingRecorder) -> Conversation:
    return Conversation(Engine.load(kb), recorder, channel="test", clock=Clock(MONDAY_MORNING))


def test_one_place_for_every_right_is_named_once_at_the_end(check_kb, recorder):
    talk = conversation(check_kb, recorder)
    talk.press(KEY, "q:bellevue")
    result = walk(talk, ALONE_NO_INCOME)
    assert HELPERS_INTRO not in result.text  # the fixture's centre social helps with both: said once, below
    assert "Centre social imaginaire de Bellevue" in result.text


def test_a_right_with_its_own_desk_names_it_beside_the_right(check_kb, recorder):
    centre = check_kb / "lieux" / "centre-bellevue.yaml"
    centre.write_text(centre.read_text(encoding="utf-8").replace("css, rsa", "rsa"), encoding="utf-8")
    (check_kb / "lieux" / "cpam-imaginaire.yaml").write_text(SPECIAL_DESK, encoding="utf-8")
    talk = conversation(check_kb, recorder)
    talk.press(KEY, "q:bellevue")
    result = walk(talk, ALONE_NO_INCOME)
    helpers = result.text.split(HELPERS_INTRO, 1)[1].split("\n\n", 1)[0]
    assert "Accueil santé imaginaire de Bellevue, tél. 02 00 00 00 09 : " in helpers
    desk_line = next(line for line in helpers.split("\n") if "Accueil santé" in line)
    assert desk_line.endswith(": " + talk.engine.current.kb.entries["css"].title.split(" (")[0])
    assert result.text.index(HELPERS_INTRO) < result.text.rindex("Centre social imaginaire")  # then the person


def test_rights_with_a_date_offer_their_reminder_under_the_list(check_kb, recorder):
    talk = conversation(check_kb, recorder)
    result = walk(talk, ALONE_NO_INCOME)
    labels = [b.label for row in result.buttons for b in row]
    assert REMINDERS_NOTE in result.text
    assert labels[-2:] == ["🔔 Rappel : Déclaration trimestrielle CAF", "🔔 Rappel : Renouveler la CSS"]


def test_a_reminder_pressed_from_the_list_on_the_console_says_it_needs_telegram(check_kb, recorder):
    talk = conversation(check_kb, recorder)
    result = walk(talk, ALONE_NO_INCOME)
    action = next(b.action for row in result.buttons for b in row if b.label.startswith("🔔"))
    assert "Telegram" in talk.press(KEY, action).text


def test_no_reminder_line_when_no_listed_right_has_a_date():
    text = result_text([Suggestion("aah", "raison", 80)], {"aah": "AAH"}, "Une personne", "https://sim.test")
    assert REMINDERS_NOTE not in text


TYPED_ONLY = [
    "33 ans",
    "seule avec mes 2 enfants de 4 et 9 ans",
    "c tout",
    "intérim",
    "1 150 €",
    "bmh",
    "non",
    "française",
]


def test_a_check_typed_from_start_to_end_in_everyday_words_reaches_the_rights(check_kb, recorder):
    """Every answer typed, none pressed: each is read as its button and the check ends with the rights."""
    talk = conversation(check_kb, recorder)
    talk.press(KEY, "q:bellevue")
    reply = talk.check_rights(KEY)
    for typed in TYPED_ONLY:
        assert reply.kind == "check", (typed, reply.text)
        assert not reply.text.startswith("Je n'ai pas compris"), typed
        reply = talk.ask(KEY, typed)
    assert reply.kind == "check-result"
    assert "css" in reply.suggestions  # 1 150 € for 3 people is under the made-up CSS ceiling of the fixture
