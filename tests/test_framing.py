"""Questions about a right as a fact of society (figures, news, school work) are declined, the right offered.

Made-up messages written for this test (not taken from any evaluation set).
"""

from __future__ import annotations

import pytest

from bot.understanding.framing import frames_as_statistics_or_news
from bot.understanding.matcher import Matcher


@pytest.fixture
def matcher(engine) -> Matcher:
    return engine.current.matcher


@pytest.mark.parametrize(
    "text",
    [
        "combien de personnes touchent le RSA en France",
        "combien de familles reçoivent la prime chaque année",
        "le nombre de bénéficiaires de la CSS dans le Finistère",
        "le taux de chômage à Brest",
        "des statistiques sur les APL pour mon exposé",  # strong cue: the writer's own school work
        "le gouvernement veut baisser les allocations",
        "ils en ont parlé à la télé, le débat sur le RSA",
        "combien coûte la mutuelle gratuite à l'État chaque année",
        "l'histoire de la sécurité sociale",
        "how many people get housing benefit",
        "le nombre de chômeurs en Bretagne",
        "quel pourcentage des Français touche l'APL",
        "je voudrais savoir le pourcentage de gens qui touchent le RSA",  # a population, asked by someone
        # An office's clients or staff counted, the office as an organisation (its head, its budget).
        "combien d'allocataires à la CAF",
        "combien y a-t-il d'inscrits à France Travail dans le Finistère",
        "la cpam a combien d'agents, combien de salariés",
        "qui est le directeur de la CAF du Finistère",
        "le budget de la CPAM cette année",
        "qui dirige la MDPH",
        # A count of people receiving a right, even asked by someone; school work; figures by area.
        "je voudrais savoir combien de gens touchent l'AAH",
        "combien de personnes perçoivent la prime d'activité",
        "c'est pour un devoir sur la sécurité sociale",
        "combien de logements sociaux sont attribués à Brest",
        "les bénéficiaires de la CSS par département",
        # Asked as an employer or a professional serving others.
        "les aides pour embaucher un travailleur handicapé dans ma société",
        "je suis infirmière libérale, comment facturer à la CPAM",
        "le contrat de mon salarié saisonnier",
    ],
)
def test_statistics_news_and_school_framings_are_recognised(text: str) -> None:
    assert frames_as_statistics_or_news(text)


@pytest.mark.parametrize(
    "text",
    [
        "combien je touche au RSA",
        "combien de personnes dans mon foyer pour le RSA",  # the writer's household, not a population
        "on est combien de personnes pour avoir la CSS",
        "j'ai vu à la télé qu'on peut avoir une prime, j'y ai droit ?",  # news, but asked for oneself
        "mon rsa est suspendu depuis le mois dernier",
        "attestation d'élection de domicile",
        "merci pour les infos",
        "je suis exposé au froid dans mon logement",
        "combien de temps pour avoir une réponse de la caf",
        # A count or a share of the writer's own household or money is a personal question.
        "le nombre de personnes dans mon foyer ça compte pour la CAF ?",
        "nombre d'enfants à charge pour les allocations familiales",
        "quel pourcentage de mon salaire part dans le loyer",
        "la proportion de mes revenus pour la cantine",
        "je dois déclarer le nombre de personnes qui vivent chez moi ?",
        "quel nombre de trimestres pour la retraite",
        # The same offices, asked about by a resident for their own file.
        "je veux écrire au directeur de la CAF, ils ne répondent pas",
        "combien d'enfants pour avoir les allocations familiales",
        "mon conseiller France Travail ne répond plus",
        "comment faire un budget quand on est au RSA",
        "combien de temps pour avoir mon dossier MDPH",
        "combien de personnes touchent le RSA dans mon foyer",  # the writer's household again
        "combien d'aides sont versées à ma famille",
        "je dois faire un dossier pour la CAF",  # « devoir », the verb
        "combien de fois par an je peux demander le FSL",
        "mon employeur ne me paie pas mon salaire",  # an employee, not an employer
        "mon patron veut me licencier",
        "je suis auto-entrepreneur, j'ai droit à la prime d'activité ?",
    ],
)
def test_residents_own_questions_are_not_framed(text: str) -> None:
    assert not frames_as_statistics_or_news(text)


def test_a_framed_question_is_declined_with_the_right_as_a_button(matcher: Matcher) -> None:
    match = matcher.match("combien de personnes touchent le RSA en France")
    assert match.entry_id is None
    assert match.offtopic is not None and matcher.kb.entries[match.offtopic].offtopic
    assert match.suggestions == ["rsa"]


@pytest.mark.parametrize("text, expected", [("combien je touche au rsa", "rsa"), ("mutuelle gratuite", "css")])
def test_the_same_right_asked_for_oneself_is_still_answered(matcher: Matcher, text: str, expected: str) -> None:
    match = matcher.match(text)
    assert match.entry_id == expected and match.offtopic is None
