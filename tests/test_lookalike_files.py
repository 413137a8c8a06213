"""Look-alikes kept by theme: `pas-urgence.yaml` and `pas-urgence-….yaml` are read together."""

from __future__ import annotations

from pathlib import Path

from bot.knowledge import load_knowledge

THEMED = """id: pas-urgence-sommeil
formulations:
  - mon bébé dort mal depuis ses dents
  - je dors chez ma sœur ce soir
"""


def first_phrasing(path: Path) -> str:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(line[4:].strip('"') for line in lines if line.startswith("  - "))


def test_a_themed_look_alike_file_adds_its_phrasings(kb_dir: Path):
    (kb_dir / "urgences" / "pas-urgence-sommeil.yaml").write_text(THEMED, encoding="utf-8")
    result = load_knowledge(kb_dir)
    assert result.kb.dangers is not None, [str(p) for p in result.errors]
    lookalikes = result.kb.dangers.lookalikes
    assert "je dors chez ma sœur ce soir" in lookalikes
    assert first_phrasing(kb_dir / "urgences" / "pas-urgence.yaml") in lookalikes  # the main file is still read


def test_a_phrasing_in_two_look_alike_files_is_an_error_with_its_line(kb_dir: Path):
    first = first_phrasing(kb_dir / "urgences" / "pas-urgence.yaml")
    path = kb_dir / "urgences" / "pas-urgence-sommeil.yaml"
    path.write_text(THEMED + f"  - {first}\n", encoding="utf-8")
    errors = [str(p) for p in load_knowledge(kb_dir).errors]
    assert any("gardez-la à un seul endroit" in e for e in errors), errors


def test_a_file_of_no_known_kind_is_still_an_error(kb_dir: Path):
    (kb_dir / "urgences" / "pasurgence-sommeil.yaml").write_text(THEMED.replace("pas-urgence-", ""), encoding="utf-8")
    errors = [str(p) for p in load_knowledge(kb_dir).errors]
    assert any("type de danger inconnu « pasurgence-sommeil »" in e for e in errors), errors
