"""Names typed bare, without the textbook introduction: they never reach a log or the database.

All people here are made up.
"""

from __future__ import annotations

import pytest

from bot.storage.redact import NAME, redact, redact_normalized


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("je m'appelle Kevin Le Gall", f"je m'appelle {NAME}"),
        ("c'est pour ma voisine Mme Kerbrat", f"c'est pour ma voisine Mme {NAME}"),
        ("my name is Aisha Diallo", f"my name is {NAME}"),
        ("ma voisine m'appelle Mohamed, elle a besoin d'aide", f"ma voisine m'appelle {NAME}, elle a besoin d'aide"),
        ("mappelle karim", f"mappelle {NAME}"),
        ("c'est Mohamed qui m'a dit", f"c'est {NAME} qui m'a dit"),
        ("mon nom est Diallo", f"mon nom est {NAME}"),
        ("moi c Jordan", f"moi c {NAME}"),
        ("moi c Jordan Le Bihan, la caf bloque", f"moi c {NAME}, la caf bloque"),
        ("c moi Jordan", f"c moi {NAME}"),
        ("c'est moi Soizic qui écrit", f"c'est moi {NAME} qui écrit"),
        ("c'est pour mme kerbrat", f"c'est pour mme {NAME}"),
        ("un courrier pour Mme KERBRAT", f"un courrier pour Mme {NAME}"),
        ("Monsieur le Gall ne répond pas", f"Monsieur {NAME} ne répond pas"),
        ("Nom : Le Gall", f"Nom : {NAME}"),
        ("prénom: kevin", f"prénom: {NAME}"),
        ("merci beaucoup, Kevin Le Gall", f"merci beaucoup, {NAME}"),
        ("my name's Aisha", f"my name's {NAME}"),
        ("signé Yannick Tanguy", f"signé {NAME}"),
        # « je suis » then a capital: a first name, unless it is a state (see below).
        ("je suis Jordan", f"je suis {NAME}"),
        ("Je suis Jordan Le Bihan, la caf bloque", f"Je suis {NAME}, la caf bloque"),
        ("Je suis Kevin Je voudrais le RSA", f"Je suis {NAME} Je voudrais le RSA"),
        ("chui Soizic et g pa de mutuelle", f"chui {NAME} et g pa de mutuelle"),
        # A first name that is also a state typed without its accent, or ends like a job.
        ("Je suis Marie Dupont, j'habite à côté", f"Je suis {NAME}, j'habite à côté"),
        ("je suis Marie-Claire Dupont", f"je suis {NAME}"),
        ("Je suis Fleur et j'ai 2 enfants", f"Je suis {NAME} et j'ai 2 enfants"),
        # Lowercase, after a cue that can only introduce someone.
        ("je m'appelle jordan", f"je m'appelle {NAME}"),
        ("c moi kevin", f"c moi {NAME}"),
        ("c'est moi yasmine je veux le rsa", f"c'est moi {NAME} je veux le rsa"),
        ("my name's aisha", f"my name's {NAME}"),
        ("un courrier de Mme Lemaire", f"un courrier de Mme {NAME}"),  # a surname that holds a function
    ],
)
def test_a_name_after_a_cue_is_removed(text, expected):
    assert redact(text) == expected
    assert redact(expected) == expected  # idempotent


@pytest.mark.parametrize(
    "text",
    [
        "je m'appelle pour savoir",
        "Madame la directrice",
        "monsieur le maire a signé",
        "bonjour madame je voudrais le RSA",
        "merci madame pour votre aide",
        "merci Madame",
        "merci la CAF m'a répondu",
        "moi c pour le RSA",
        "moi c CAF",
        "Mme, je veux l'APL",
        "une pièce de 5 m. de large",
        "merci Jordan mais je veux le RSA",  # not a signature: the thanks go on
        "Merci Beaucoup",  # phones capitalise every word
        "Merci Infiniment !",
        "Bien à vous, Cordialement",
        "moi c Moi",
        # What follows « je suis » is mostly a state, even capitalised by the phone.
        "je suis malade",
        "je suis enceinte de 5 mois",
        "je suis au chômage",
        "Je Suis Malade",
        "Je Suis Enceinte",
        "je suis Française et je cherche du travail",
        "Je Suis Infirmière",
        "Je Suis Aide-Soignante",
        "Je suis Dehors depuis hier",
        "je suis SDF",
        "Je suis Mariée depuis 2010",
        "Je suis Célibataire",
        # An office one is registered at, a belief or an origin.
        "je suis France Travail depuis mars",
        "je suis Pôle Emploi",
        "je suis Musulmane",
        "Je suis Noir",
        # Lowercase after « c moi »: SMS words are no names.
        "c moi encore",
        "c moi ki ai appelé hier",
        "c moi la maman de Lina",
        "c moi-même",
        # A function after a title is no one's name.
        "Monsieur Le Maire",
        "Madame La Directrice de l'école",
        "MONSIEUR LE PREFET",
        "Monsieur le Président de la commission de médiation",
    ],
)
def test_ordinary_words_after_a_cue_stay(text):
    assert redact(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("moi c Kérourien", "moi c Kérourien"),
        ("moi c Pontanézen", "moi c Pontanézen"),
        ("moi c Pontanézen Jordan", f"moi c Pontanézen {NAME}"),
        ("mon voisin Jean de Keredern fait du bruit", f"mon voisin {NAME} de Keredern fait du bruit"),
        ("je suis Jordan de la CAF", f"je suis {NAME} de la CAF"),
        ("je suis Yann de Kergoat", f"je suis {NAME}"),  # a place of the base that is a surname too
        ("Je suis Brest", "Je suis Brest"),
    ],
)
def test_places_of_the_base_are_no_names(shipped_quartiers, text, expected):
    assert redact(text, shipped_quartiers.place_names) == expected


def test_a_bare_name_also_leaves_the_matcher_s_folded_text():
    out = redact_normalized("moi c Jordan je veux le rsa", "moi c jordan je veux le rsa")
    assert "jordan" not in out
    assert "rsa" in out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Lowercase: no capital to go on, only the first name itself.
        ("moi c'est fatima", f"moi c'est {NAME}"),
        ("moi cest inès je veux le rsa", f"moi cest {NAME} je veux le rsa"),
        ("moi c léa, la caf bloque", f"moi c {NAME}, la caf bloque"),
        ("moi c'est fatima Benali", f"moi c'est {NAME}"),
        ("moi c'est KARIM", f"moi c'est {NAME}"),
        ("je suis fatima et j'ai 3 enfants", f"je suis {NAME} et j'ai 3 enfants"),
        ("jsuis mamadou je cherche un logement", f"jsuis {NAME} je cherche un logement"),
        ("chui soizic", f"chui {NAME}"),
        ("je suis jean-françois", f"je suis {NAME}"),
        # A lowercase word after the first name that does not go on with the message is a surname.
        ("moi c'est fatima benali", f"moi c'est {NAME}"),
        ("moi c'est fatima benali et j'ai 3 enfants", f"moi c'est {NAME} et j'ai 3 enfants"),
        ("moi cest karim jai besoin du rsa", f"moi cest {NAME} jai besoin du rsa"),
        ("moi c'est inès habite bellevue", f"moi c'est {NAME} habite bellevue"),
        ("je suis fatima enceinte", f"je suis {NAME} enceinte"),
        ("moi c'est léa maman de 2 enfants", f"moi c'est {NAME} maman de 2 enfants"),
        # A capitalised first name that is also a state typed without its accent stays a name.
        ("Je suis Marie", f"Je suis {NAME}"),
    ],
)
def test_a_first_name_in_lowercase_after_an_introduction_is_removed(text, expected):
    assert redact(text) == expected
    assert redact(expected) == expected


@pytest.mark.parametrize(
    "text",
    [
        # A state typed with a capital and without its accent is no name.
        "Je suis Fatigue",
        "Je suis Fatiguee depuis des mois",
        "je suis Epuise",
        "Je Suis Desesperee",
        "je suis Inquiete pour mon fils",
        "Je suis Stresse",
        "Je suis Handicape",
        "Je suis Separee de mon mari",
        "je suis Enceinte",
        # Lowercase words that are no first names of the list, after the same cues.
        "moi c'est pour le RSA",
        "moi c'est urgent",
        "je suis perdue",
        "je suis seule avec 2 enfants",
        "je suis marie depuis 2 ans",  # « marié » typed without its accent, not « Marie »
        "je suis alinea",  # begins like « ali » and is no name
    ],
)
def test_states_and_ordinary_words_after_an_introduction_stay(text):
    assert redact(text) == text


def test_a_lowercase_first_name_also_leaves_the_matcher_s_folded_text():
    out = redact_normalized("moi c'est fatima je veux le rsa", "moi c est fatima je veux le rsa")
    assert "fatima" not in out
    assert "rsa" in out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A lowercase surname after a particle goes with the first name.
        ("moi c'est soizic le gall", f"moi c'est {NAME}"),
        ("moi c'est soizic le gall, je cherche un logement", f"moi c'est {NAME}, je cherche un logement"),
        ("je suis jean de la fontaine", f"je suis {NAME}"),
        ("moi c'est karim el amrani et j'ai 2 enfants", f"moi c'est {NAME} et j'ai 2 enfants"),
        ("moi c'est yann d'arvor", f"moi c'est {NAME}"),
        ("je m'appelle jean de la fontaine", f"je m'appelle {NAME}"),
        ("Moi C'est Soizic Le Gall", f"Moi C'est {NAME}"),
    ],
)
def test_a_surname_after_a_particle_is_removed_too(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The word after a first name goes on with the message: it is no surname.
        ("moi c'est fatima urgent", f"moi c'est {NAME} urgent"),
        ("moi c'est fatima urgente svp", f"moi c'est {NAME} urgente svp"),
        ("moi c'est fatima rsa bloqué", f"moi c'est {NAME} rsa bloqué"),
        ("moi c'est karim question apl", f"moi c'est {NAME} question apl"),
        ("je suis fatima demain rdv caf", f"je suis {NAME} demain rdv caf"),
        ("moi c'est inès situation compliquée", f"moi c'est {NAME} situation compliquée"),
        ("moi c'est fatima de la caf", f"moi c'est {NAME} de la caf"),
        ("je m'appelle fatima urgent", f"je m'appelle {NAME} urgent"),
        # Phones that capitalise every word.
        ("Moi C'est Fatima Urgent", f"Moi C'est {NAME} Urgent"),
        ("Je Suis Fatima Urgent", f"Je Suis {NAME} Urgent"),
        ("Moi c'est Fatima Benali Urgent", f"Moi c'est {NAME} Urgent"),
    ],
)
def test_an_ordinary_word_after_a_first_name_is_kept(text, expected):
    assert redact(text) == expected


def test_a_kept_ordinary_word_also_stays_in_the_matcher_s_folded_text():
    out = redact_normalized("moi c'est fatima urgent rsa", "moi c est fatima urgent rsa")
    assert "fatima" not in out
    assert "urgent" in out and "rsa" in out
