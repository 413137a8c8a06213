"""The everyday vocabulary mediators write for the laboratoire (knowledge/mots-du-quotidien.yaml).

Made-up questions. The file is data: read and checked like the rest of the
knowledge base (French warnings with path:line), never blocking the bot, and
what it says is what brings questions sharing no word into one need.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.knowledge import load_knowledge
from bot.knowledge.concepts import CONCEPTS_FILE, REPO_CONCEPTS, load_concepts
from bot.laboratoire.meaning import ConceptIndex, concept_index, concepts, group_keys, label
from bot.understanding.normalize import fold

BROKEN = """\
source: test
verifie_le: 2026-12-01
plomberie: [évier, lavabo, fuite]
Plomberie !: [robinet]
animaux: chien
vide: []
meubles:
  - armoire
  - ""
  - armoire
"""


def write(directory: Path, text: str) -> Path:
    path = directory / CONCEPTS_FILE
    path.write_text(text, encoding="utf-8")
    return path


def test_mistakes_are_french_warnings_with_their_line_and_sound_groups_are_kept(tmp_path):
    path = write(tmp_path, BROKEN)
    concepts, problems = load_concepts(tmp_path)
    assert concepts == {"plomberie": ("evier", "lavabo", "fuite"), "meubles": ("armoire",)}
    messages = {str(p) for p in problems}
    assert f"{path}:4: attention : nom de groupe « Plomberie ! » : minuscules, chiffres et tirets (ex. plomberie)" in (
        messages
    )
    assert any(m.startswith(f"{path}:5: attention : groupe « animaux » : il faut une liste") for m in messages)
    assert any(m.startswith(f"{path}:6: attention : groupe « vide »") for m in messages)
    assert f"{path}:9: attention : groupe « meubles » : mot vide ou invalide" in messages
    assert f"{path}:10: attention : groupe « meubles » : « armoire » est écrit deux fois" in messages
    assert not any(p.error for p in problems)


def test_the_knowledge_loader_reads_the_file_and_its_mistakes_never_block_the_bot(kb_dir):
    write(kb_dir, BROKEN.replace("source: test", "source: test\n\tanimaux: [chat]"))
    result = load_knowledge(kb_dir)
    concept_problems = [p for p in result.problems if p.path.name == CONCEPTS_FILE]
    assert concept_problems and not any(p.error for p in concept_problems)  # a tab: said, not fatal
    assert not [p for p in result.errors if p.path.name == CONCEPTS_FILE]

    write(kb_dir, BROKEN)
    assert load_knowledge(kb_dir).kb.concepts["plomberie"] == ("evier", "lavabo", "fuite")


def test_a_base_without_the_file_groups_with_the_shipped_vocabulary(tmp_path):
    assert REPO_CONCEPTS.exists()
    assert load_concepts(tmp_path) == load_concepts(None)
    assert load_concepts(tmp_path)[0]  # the shipped file is sound and not empty
    assert not load_concepts(None)[1]


def test_the_shipped_vocabulary_has_no_warning_through_validate():
    result = load_knowledge(REPO_CONCEPTS.parent)
    assert not [p for p in result.problems if p.path.name == CONCEPTS_FILE]
    assert len(result.kb.concepts) >= 40


def groups(texts: list[str], index: ConceptIndex) -> list[int]:
    return group_keys([fold(t) for t in texts], index=index).groups


def test_questions_sharing_no_word_meet_through_a_group_mediators_wrote():
    texts = ["mon toutou a une patte blessée", "croquettes trop chères pour ma chienne", "chaudière éteinte"]
    without = groups(texts, ConceptIndex({}))
    assert without[0] != without[1]
    with_group = groups(texts, ConceptIndex({"animaux": ["toutou", "chienne", "croquettes"]}))
    assert with_group[0] == with_group[1] != with_group[2]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("des punaises de lit partout", {"conceptnuisibles"}),  # the longest expression wins
        ("un lit pour mon fils", {"conceptmeubles"}),
        ("les lits superposés", {"conceptmeubles"}),  # plural
        ("l'évier est bouchée", {"conceptplomberie"}),  # a form of a listed word
        ("asenceur bloqué", {"conceptascenseur"}),  # a typing mistake in a long word
        ("un cours de piano", {"conceptmusique"}),
        ("plus de courant", set()),  # "courant" is not "cours": too short a stem to be one word
        ("mon chien a le poil emmêlé", {"concepttoilettage"}),  # an expression, inflected
        ("des poils tout emmêlés", set()),  # a word inside is another wording, not the expression
        ("le poil du lit", {"conceptmeubles"}),  # words of an expression apart name nothing of it
    ],
)
def test_listed_words_are_found_whole_in_the_plural_by_their_form_or_misspelt(text, expected):
    index = ConceptIndex(
        {
            "nuisibles": ["punaises de lit"],
            "meubles": ["lit"],
            "plomberie": ["évier", "bouché"],
            "ascenseur": ["ascenseur"],
            "musique": ["piano", "cours"],
            "toilettage": ["poils emmêlés"],
        }
    )
    assert index.find(fold(text).split()) == expected


def test_a_long_story_naming_a_groups_concept_joins_it_instead_of_standing_alone():
    short = ["évier bouché", "fuite sous le lavabo", "robinet qui goutte", "la chaudière est éteinte"]
    story = (
        "depuis que nous sommes arrivés en septembre avec mes trois enfants et ma belle-mère "
        "le lavabo de la salle de bain déborde tous les soirs et personne ne vient"
    )
    index = ConceptIndex({"plomberie": ["évier", "fuite", "lavabo", "robinet"], "chauffage": ["chaudière"]})
    found = groups([*short, story], index)
    assert found[4] == found[0] == found[1] == found[2] != found[3]
    alone = groups([*short, story], ConceptIndex({"plomberie": ["évier", "fuite", "robinet"]}))
    assert alone[4] not in alone[:4]


def test_the_index_follows_the_file_when_a_mediator_edits_it(tmp_path):
    path = write(tmp_path, "animaux: [toutou]\n")
    assert concept_index(tmp_path).find(["toutou"]) == {"conceptanimaux"}
    write(tmp_path, "animaux: [minou]\n")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    assert concept_index(tmp_path).find(["toutou"]) == set()
    assert concept_index(tmp_path).find(["minou"]) == {"conceptanimaux"}


@pytest.mark.parametrize(
    "text, named, not_named",
    [
        ("c'est quoi le bac jaune", "conceptdechets", "conceptscolarite"),  # a bin, not the baccalauréat
        ("je révise le bac", "conceptscolarite", "conceptdechets"),
        ("nulle part pour brancher ma voiture la nuit", "conceptvoiture", "conceptarbres"),  # « brancher » ≠ branch
        ("élagage des grosses branches", "conceptarbres", "conceptelectricite"),
        ("des toilettes publiques en ville", "concepttoilettespubliques", "conceptplomberie"),  # longest wins
        ("quel temps demain", "conceptmeteo", "conceptspectaclessorties"),
        ("des aiguilles à tricoter", "concepttricotcrochet", "conceptseringues"),  # only used ones are syringes
    ],
)
def test_the_shipped_words_name_the_right_everyday_concept(text, named, not_named):
    found = concepts(fold(text), concept_index(REPO_CONCEPTS.parent))
    assert named in found and not_named not in found


@pytest.mark.parametrize(
    "text, not_named",
    [
        ("une place en foyer d'hébergement", "conceptchemineepoele"),  # a shelter, no fireplace
        ("un arrêt maladie", "conceptabribus"),  # only a bus stop is one
        ("tondre la pelouse", "concepttoilettage"),
        ("il me laisse tomber", "concepteducationcanine"),
        ("or je n'ai pas d'argent", "conceptbijouxmontres"),
    ],
)
def test_a_word_with_another_everyday_sense_is_listed_only_in_expressions(text, not_named):
    assert not_named not in concepts(fold(text), concept_index(REPO_CONCEPTS.parent))


@pytest.mark.parametrize(
    "first, second",
    [
        ("cours de zumba", "my daughter wants to learn hip hop"),
        ("où jouer aux échecs", "is there a chess club"),
        ("apprendre la voile", "faire du kayak en mer"),
        ("mon fils a des poux", "head lice at school"),
        ("une piquouse sous le toboggan", "used needles near the bins"),
        ("notre asso n'a pas encore de statuts", "how do we set up a non profit"),
        ("groupe de louveteaux pour mon fils", "les scouts à brest"),
        ("horaires de la messe", "une église près de chez moi"),
        ("faire reconnaître mon diplôme", "équivalence de mes études faites au pays"),
        ("cours de jonglage", "une école de cirque pour ma fille"),
        ("voir des vaches avec les petits", "une ferme pédagogique"),
        ("un hérisson blessé dans le jardin", "centre de soins pour la faune sauvage"),
        ("un local de répétition", "rehearsal room for my band"),
        ("quelqu'un pour garder mes petits le soir", "une nounou"),
    ],
)
def test_two_phrasings_sharing_no_word_meet_on_a_shipped_concept(first, second):
    index = concept_index(REPO_CONCEPTS.parent)
    assert set(concepts(fold(first), index)) & set(concepts(fold(second), index))


def test_a_word_the_knowledge_base_writes_is_never_read_as_a_typing_mistake(monkeypatch):
    """« changer » is one letter from « chanter »: a real word, not a misspelt concept word."""
    monkeypatch.setattr("bot.laboratoire.meaning.vocabulary_words", frozenset)  # the knowledge base alone
    groups_ = {"musique": ["chanter", "chorale"], "ascenseur": ["ascenseur"]}
    naive = ConceptIndex(groups_, {})
    knowing = ConceptIndex(groups_, {}, known=["changer"])
    assert naive.find(["changer"]) == {"conceptmusique"}
    assert knowing.find(["changer"]) == set()
    assert knowing.find(["asenceur"]) == {"conceptascenseur"}  # a word nobody writes stays a typo


def test_the_shipped_index_knows_the_words_of_its_knowledge_base(tmp_path):
    (tmp_path / "fiche.yaml").write_text("formulations: [je dois changer le barillet]\n", encoding="utf-8")
    assert "changer" in concept_index(tmp_path).known
    assert "barillet" in concept_index(tmp_path).known


def test_a_pair_of_stories_held_by_a_side_word_joins_the_groups_of_their_concepts():
    """Two long stories sharing « la chambre de mon fils » but naming a roof and building-site noise each go
    to the need whose concept they name, instead of showing as one mixed row of two nobody reads."""
    import numpy as np

    from bot.laboratoire.meaning import _attach_lone_keys

    roof, noise, story = ["ctoit"], ["cchantier"], ["cchambre"]
    named = [roof, roof, roof, noise, noise, noise, [*roof, *story], [*noise, *story]]
    dense = np.eye(8)
    dense[6, 0] = dense[7, 3] = 1.0  # each story is nearest to the group of its own concept
    joined = _attach_lone_keys(dense, [0, 0, 0, 1, 1, 1, 2, 2], named)
    assert joined[6] == joined[0] and joined[7] == joined[3] and joined[0] != joined[3]
    # A group of three holds: it is a need of its own, however its questions' concepts spread.
    three = _attach_lone_keys(np.eye(9), [0, 0, 0, 1, 1, 1, 2, 2, 2], [*named, [*roof, *story]])
    assert three[6] == three[7] == three[8] != three[0]


def test_a_concept_only_one_question_names_never_parts_questions_sharing_a_rare_word():
    """« seringues … dans le parc » names a park, « qui ramasse les seringues dans la cité » nothing: the park
    weighed more than the one word they share, and the syringes showed as three rows of one."""
    index = ConceptIndex({"parcs": ["parc"], "escaliers": ["escalier"], "musique": ["guitare"]}, {})
    texts = [
        "seringues par terre dans le parc",
        "qui ramasse les seringues dans la cité",
        "une seringue dans l'escalier",
        "cours de guitare",
        "mon chien aboie toute la nuit",
    ]
    found = groups(texts, index)
    assert found[0] == found[1] == found[2]
    assert len({found[0], found[3], found[4]}) == 3


def test_a_group_named_by_expressions_only_labels_its_need_with_a_readable_name():
    """Staff read « objets trouves », never the file's key « objets-trouves-lexique »."""
    index = ConceptIndex({"objets-trouves-lexique": ["objets trouvés", "perdu mes clés", "oublié mon sac"]}, {})
    questions = ["le service des objets trouvés", "j'ai perdu mes clés au marché", "oublié mon sac dans le bus"]
    name = label(questions, [fold(q) for q in questions], {}, index)
    assert name == "objets trouves"
