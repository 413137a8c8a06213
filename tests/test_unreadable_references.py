"""One broken entry file is one mistake: the files that cite it get a warning pointing at it, not errors."""

from pathlib import Path

import pytest

from bot.knowledge import load_knowledge

BREAKAGES = {
    "tabulation": lambda text: text.replace("  - RSA jeune parent", "\t- RSA jeune parent"),
    "vide": lambda text: "",
    "liste": lambda text: "- " + text.replace("\n", "\n  "),
}


@pytest.mark.parametrize("breakage", BREAKAGES.values(), ids=BREAKAGES.keys())
def test_places_citing_a_broken_entry_point_at_its_file(kb_dir: Path, breakage):
    rsa = kb_dir / "droits" / "rsa.yaml"
    rsa.write_text(breakage(rsa.read_text(encoding="utf-8")), encoding="utf-8")
    result = load_knowledge(kb_dir)
    assert {p.path for p in result.errors} == {rsa}, result.errors
    citing = [p for p in result.problems if "« rsa »" in p.message and p.path.parent.name == "lieux"]
    assert {p.path.name for p in citing} == {"ccas.yaml", "centre-bellevue.yaml"}
    for problem in citing:
        assert not problem.error
        assert problem.message == (
            "« sujets » cite « rsa », dont le fichier droits/rsa.yaml a une erreur : corrigez d'abord ce fichier"
        )


def test_an_id_no_file_stands_for_is_still_an_error(kb_dir: Path):
    place = kb_dir / "lieux" / "ccas.yaml"
    place.write_text(place.read_text(encoding="utf-8").replace("sujets: [rsa]", "sujets: [rsaa]"), encoding="utf-8")
    errors = [p for p in load_knowledge(kb_dir).errors if p.path == place]
    assert [p.message for p in errors] == ["« sujets » cite « rsaa », qui n'existe pas"]
