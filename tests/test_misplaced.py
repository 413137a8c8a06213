"""A file saved in the wrong folder gets one error that says where it belongs, not a dozen about its fields."""

import shutil
from pathlib import Path

from bot.knowledge import load_knowledge


def move(kb_dir: Path, source: str, folder: str) -> Path:
    target = kb_dir / folder / Path(source).name
    shutil.move(kb_dir / source, target)
    return target


def test_a_right_in_the_places_folder_is_told_to_move(kb_dir):
    path = move(kb_dir, "droits/rsa.yaml", "lieux")
    errors = [p for p in load_knowledge(kb_dir).errors if p.path == path]
    assert [(p.line, p.message) for p in errors] == [
        (
            1,
            "ce fichier décrit une fiche (champs « demarches », « documents », « formulations ») mais il est "
            "dans lieux/ : déplacez-le dans droits/, services/, intentions/ ou hors-sujet/",
        )
    ]


def test_a_place_in_the_rights_folder_is_told_to_move(kb_dir):
    path = move(kb_dir, "lieux/ccas.yaml", "droits")
    [error] = [p for p in load_knowledge(kb_dir).errors if p.path == path]
    assert error.message.startswith("ce fichier décrit un lieu (champs « ")
    assert error.message.endswith("mais il est dans droits/ : déplacez-le dans lieux/")


def test_one_misspelt_field_is_still_a_typo_not_a_misplaced_file(kb_dir):
    path = kb_dir / "droits" / "rsa.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("titre:", "titr:"), encoding="utf-8")
    messages = [p.message for p in load_knowledge(kb_dir).errors if p.path == path]
    assert any(m.startswith("clé inconnue « titr »") for m in messages)
    assert not any("déplacez-le" in m for m in messages)
