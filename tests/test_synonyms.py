"""The everyday synonyms mediators write for the laboratoire (knowledge/synonymes-du-quotidien.yaml).

Made-up questions. The words the laboratoire reads as one are data, not
code: read and checked like the rest of the knowledge base (French warnings
with path:line, never blocking the bot), and what the file says is what the
grouping reads.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.knowledge import load_knowledge
from bot.knowledge.synonyms import REPO_SYNONYMS, SYNONYMS_FILE, load_synonyms
from bot.laboratoire.meaning import ConceptIndex, concept_index, content_words, group_keys
from bot.understanding.normalize import fold

BROKEN = """\
source: test
verifie_le: 2026-12-01
obsèques: [enterrement, Funérailles]
vélo: bike
vide: []
frigo: [frigo, fridge]
voiture:
  - bagnole
  - ""
  - enterrement
ignorer: [pendant les vacances]
"""


def write(directory: Path, text: str) -> Path:
    path = directory / SYNONYMS_FILE
    path.write_text(text, encoding="utf-8")
    return path


def test_mistakes_are_french_warnings_with_their_line_and_sound_lines_are_kept(tmp_path):
    path = write(tmp_path, BROKEN)
    synonyms, problems = load_synonyms(tmp_path)
    assert synonyms == {
        "enterrement": "obseques",
        "funerailles": "obseques",
        "fridge": "frigo",
        "bagnole": "voiture",
        "pendant les vacances": "",
    }
    messages = {str(p) for p in problems}
    assert any(m.startswith(f"{path}:4: attention : « vélo » : il faut une liste") for m in messages)
    assert any(m.startswith(f"{path}:5: attention : « vide »") for m in messages)
    assert f"{path}:6: attention : « frigo » : « frigo » est déjà le mot d'arrivée" in messages
    assert f"{path}:9: attention : « voiture » : mot vide ou invalide" in messages
    assert f"{path}:10: attention : « enterrement » est déjà ramené à un autre mot (ligne 3) : gardez-en un" in messages
    assert not any(p.error for p in problems)


def test_the_knowledge_loader_reads_the_file_and_its_mistakes_never_block_the_bot(kb_dir):
    write(kb_dir, BROKEN.replace("source: test", "source: test\n\tvelo: [bike]"))
    result = load_knowledge(kb_dir)
    problems = [p for p in result.problems if p.path.name == SYNONYMS_FILE]
    assert problems and not any(p.error for p in problems)  # a tab: said, not fatal
    assert not [p for p in result.errors if p.path.name == SYNONYMS_FILE]

    write(kb_dir, BROKEN)
    assert load_knowledge(kb_dir).kb.synonyms["funerailles"] == "obseques"


def test_the_shipped_synonyms_are_sound_and_a_base_without_the_file_uses_them(tmp_path):
    assert REPO_SYNONYMS.exists()
    result = load_knowledge(REPO_SYNONYMS.parent)
    assert not [p for p in result.problems if p.path.name == SYNONYMS_FILE]
    assert len(result.kb.synonyms) >= 100
    assert load_synonyms(tmp_path) == load_synonyms(None)


@pytest.mark.parametrize(
    "text, words",
    [
        ("l'enterrement de mon oncle", ["obseques", "oncle"]),
        ("des habits pour l'hiver", ["vetements", "hiver"]),
        ("ma carte grise", ["cartegrise"]),  # written glued: one word, not « carte » shared with « carte vitale »
        ("un centre aéré pendant les vacances", ["centre", "loisirs"]),  # « pendant les vacances » is set aside
        ("une licence de foot", ["licence", "foot"]),  # a club's licence is no driving licence
        ("un siège auto pour bébé", ["siege", "auto"]),  # a baby seat, not a car (« bébé » says for whom)
    ],
)
def test_the_shipped_synonyms_bring_everyday_words_to_one(text, words):
    assert content_words(fold(text), concept_index(REPO_SYNONYMS.parent)) == words


def test_the_grouping_reads_the_words_a_mediator_listed(tmp_path):
    questions = [fold(q) for q in ("un toutou tout mignon", "mon clebs", "le chien du voisin")]
    without = group_keys(questions, index=ConceptIndex({}, {})).groups
    with_file = group_keys(questions, index=ConceptIndex({}, {"toutou": "chien", "clebs": "chien"})).groups
    assert len(set(without)) == 3 and len(set(with_file)) == 1
    assert content_words("un toutou", ConceptIndex({}, {"toutou": "chien"})) == ["chien"]


def test_the_index_follows_the_file_when_a_mediator_edits_it(tmp_path):
    path = write(tmp_path, "chien: [toutou]\n")
    assert content_words("mon toutou", concept_index(tmp_path)) == ["chien"]
    write(tmp_path, "chien: [clebs]\n")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    assert content_words("mon toutou", concept_index(tmp_path)) == ["toutou"]
    assert content_words("mon clebs", concept_index(tmp_path)) == ["chien"]
