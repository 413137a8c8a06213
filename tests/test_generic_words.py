"""The words any need may hold, which the laboratoire sets aside (knowledge/mots-passe-partout.yaml).

Made-up questions. Which words are too common to tell needs apart (« aide »,
« pas cher », « je cherche ») is data mediators extend, not a list in code:
read and checked like the rest of the knowledge base (French warnings with
path:line, never blocking the bot), and what the file says is what the
grouping drops.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.knowledge import load_knowledge
from bot.knowledge.generic_words import GENERIC_FILE, REPO_GENERIC, load_generic_words
from bot.laboratoire.meaning import ConceptIndex, concept_index, content_words, group_keys
from bot.understanding.normalize import fold

BROKEN = """\
source: test
verifie_le: 2026-12-01
prix: [Pas Cher, gratuit]
seul: aide
vide: []
Mauvais Nom: [zut]
politesse:
  - merci
  - ""
  - on
"""


def write(directory: Path, text: str) -> Path:
    path = directory / GENERIC_FILE
    path.write_text(text, encoding="utf-8")
    return path


def test_mistakes_are_french_warnings_with_their_line_and_sound_lines_are_kept(tmp_path):
    path = write(tmp_path, BROKEN)
    words, problems = load_generic_words(tmp_path)
    assert words == {"pas", "cher", "gratuit", "merci"}  # an expression sets each of its words aside
    messages = {str(p) for p in problems}
    assert any(m.startswith(f"{path}:4: attention : groupe « seul » : il faut une liste") for m in messages)
    assert any(m.startswith(f"{path}:5: attention : groupe « vide »") for m in messages)
    assert any(m.startswith(f"{path}:6: attention : nom de groupe « Mauvais Nom »") for m in messages)
    assert f"{path}:9: attention : groupe « politesse » : mot vide ou invalide" in messages
    assert any(
        m.startswith(f"{path}:10: attention : groupe « politesse » : écrivez ce mot entre guillemets") for m in messages
    )
    assert not any(p.error for p in problems)


def test_the_knowledge_loader_reads_the_file_and_its_mistakes_never_block_the_bot(kb_dir):
    write(kb_dir, BROKEN.replace("source: test", "source: test\n\tprix: [cher]"))
    result = load_knowledge(kb_dir)
    problems = [p for p in result.problems if p.path.name == GENERIC_FILE]
    assert problems and not any(p.error for p in problems)  # a tab: said, not fatal
    assert not [p for p in result.errors if p.path.name == GENERIC_FILE]

    write(kb_dir, BROKEN)
    assert "gratuit" in load_knowledge(kb_dir).kb.generic_words


def test_the_shipped_words_are_sound_and_a_base_without_the_file_uses_them(tmp_path):
    assert REPO_GENERIC.exists()
    result = load_knowledge(REPO_GENERIC.parent)
    assert not [p for p in result.problems if p.path.name == GENERIC_FILE]
    assert {"aide", "besoin", "pas", "cher", "horaires", "help"} <= result.kb.generic_words
    assert load_generic_words(tmp_path) == load_generic_words(None)


@pytest.mark.parametrize(
    "text, words",
    [
        ("aide pour le permis", ["permis"]),
        ("je cherche un cours de guitare pas cher", ["guitare"]),
        ("horaires du club de foot", ["club", "foot"]),
        ("where can i get a cheap bike", ["velo"]),  # English fillers too
    ],
)
def test_the_shipped_generic_words_are_set_aside(text, words):
    assert content_words(fold(text), concept_index(REPO_GENERIC.parent)) == words


def test_the_grouping_drops_the_words_a_mediator_listed():
    questions = [fold(q) for q in ("wesh le permis", "wesh la cantine", "wesh le loyer")]
    kept = group_keys(questions, index=ConceptIndex({}, {}, generic=())).groups
    dropped = group_keys(questions, index=ConceptIndex({}, {}, generic=("wesh",))).groups
    assert len(set(kept)) < 3 and len(set(dropped)) == 3  # « wesh » alone glued three needs together
    assert content_words("wesh le permis", ConceptIndex({}, {}, generic=("wesh",))) == ["permis"]


def test_the_index_follows_the_file_when_a_mediator_edits_it(tmp_path):
    path = write(tmp_path, "salut: [wesh]\n")
    assert content_words("wesh le permis", concept_index(tmp_path)) == ["permis"]
    write(tmp_path, "salut: [frero]\n")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    assert content_words("wesh le permis", concept_index(tmp_path)) == ["wesh", "permis"]
