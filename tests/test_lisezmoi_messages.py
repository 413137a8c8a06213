"""The mediators' guide quotes the validator: each quoted message is what `validate` really says.

LISEZMOI's table « Les messages les plus courants » is how a mediator finds what a
message means. A message reworded in the code and not in the guide leaves them
with no row to read; these breakages are the slips mediators make most.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.knowledge import load_knowledge

GUIDE = Path(__file__).resolve().parent.parent / "knowledge" / "LISEZMOI.md"


def _replace(old: str, new: str):
    def breakage(text: str) -> str:
        assert old in text
        return text.replace(old, new, 1)

    return breakage


# (what a mediator does to droits/css.yaml, the message's extract as the guide quotes it, the file it is about)
SLIPS = {
    "deux-points oublié": (
        _replace("titre: ", "titre "),
        "« : » manquant après « titre » : écrivez « titre: … »",
        "droits/css.yaml",
    ),
    "tabulation": (_replace("  - CSS", "\t- CSS"), "tabulation interdite", "droits/css.yaml"),
    "clé mal écrite": (
        _replace("titre:", "titr:"),
        "clé inconnue « titr » (vouliez-vous dire « titre » ?)",
        "droits/css.yaml",
    ),
    "fichier copié": (
        _replace("id: css", "id: rsa"),
        "l'identifiant « rsa » doit être le nom du fichier (css.yaml)",
        "droits/css.yaml",
    ),
    "fiche citée cassée": (
        _replace("titre: ", "titre "),
        "« sujets » cite « {id} », dont le fichier droits/{id}.yaml a une erreur",
        "lieux/centre-bellevue.yaml",
    ),
    "valeur commençant par @": (
        _replace("titre: ", "titre: @"),
        "une valeur ne peut pas commencer par « @ »",
        "droits/css.yaml",
    ),
    "texte après le guillemet": (
        _replace("titre: Complémentaire santé solidaire", 'titre: "Complémentaire" santé solidaire'),
        "du texte suit le guillemet qui ferme la valeur",
        "droits/css.yaml",
    ),
    "crochet ouvert": (_replace("titre: ", "titre: ["), "crochet « [ » ouvert sans être refermé", "droits/css.yaml"),
    "tiret sur la ligne du champ": (_replace("titre: ", "titre: - "), "« - » au mauvais endroit", "droits/css.yaml"),
    "deuxième fiche": (
        _replace("titre: ", "---\ntitre: "),
        "la ligne « --- » commence une deuxième fiche dans le même fichier",
        "droits/css.yaml",
    ),
    "guillemet ouvert": (
        _replace("titre: Complémentaire", 'titre: "Complémentaire'),
        "le guillemet \" ouvert sur cette ligne n'est pas refermé",
        "droits/css.yaml",
    ),
}


@pytest.mark.parametrize(("slip", "extract", "about"), SLIPS.values(), ids=SLIPS.keys())
def test_the_guide_quotes_the_message_validate_gives(kb_dir: Path, slip, extract, about):
    css = kb_dir / "droits" / "css.yaml"
    css.write_text(slip(css.read_text(encoding="utf-8")), encoding="utf-8")
    messages = [p.message for p in load_knowledge(kb_dir).problems if p.path == kb_dir / about]
    said = extract.format(id="css")
    assert any(said in message for message in messages), messages
    quoted = extract.format(id="rsa")  # the guide's example cites « rsa »
    assert quoted in GUIDE.read_text(encoding="utf-8"), f"LISEZMOI does not quote {quoted!r}"


def test_a_file_saved_in_latin_1_is_quoted_too(kb_dir: Path):
    css = kb_dir / "droits" / "css.yaml"
    css.write_bytes(css.read_text(encoding="utf-8").encode("latin-1"))
    messages = [p.message for p in load_knowledge(kb_dir).problems if p.path == css]
    extract = "caractère illisible : le fichier n'est pas en UTF-8 ; enregistrez le fichier en UTF-8"
    assert any(extract in m for m in messages), messages
    assert extract in GUIDE.read_text(encoding="utf-8")
