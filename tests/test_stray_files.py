"""A file the bot never reads gets a warning at its path, so a mediator's work never vanishes silently."""

from pathlib import Path

import pytest

from bot.knowledge import load_knowledge

STRAY = {
    "Bloc-notes": ("droits/aide-permis.yaml.txt", "son nom finit par « .txt » ; renommez-le « aide-permis.yaml »"),
    "majuscules": (
        "lieux/maison-quartier.YAML",
        "l'extension doit être en minuscules ; renommez-le « maison-quartier.yaml »",
    ),
    "Word": ("services/caf-brest.docx", "seuls les fichiers « .yaml » sont lus dans services/"),
    "sous-dossier": ("droits/anciens/", "les fichiers doivent être directement dans droits/"),
    "à la racine": ("aide-permis.yaml", "rangez-le dans le dossier qui lui correspond"),
    "dossier mal écrit": ("droit/", "dossier « droit » jamais lu (vouliez-vous dire « droits » ?)"),
    "appris": ("appris/mes-phrases.yaml", "dans appris/, seul le fichier « phrases-apprises.yaml » est lu"),
}


def create(kb_dir: Path, relative: str) -> Path:
    path = kb_dir / relative
    if relative.endswith("/"):
        path.mkdir(parents=True)
        (path / "rsa-ancien.yaml").write_text("id: rsa-ancien\n", encoding="utf-8")
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("id: aide-permis\ntitre: Aide au permis\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("relative, message", STRAY.values(), ids=STRAY.keys())
def test_a_file_never_read_is_a_warning_at_its_path(kb_dir, relative, message):
    path = create(kb_dir, relative)
    result = load_knowledge(kb_dir)
    warnings = [p for p in result.problems if p.path == path]
    assert len(warnings) == 1, result.problems
    assert not warnings[0].error
    assert message in warnings[0].message
    assert "jamais lu" in str(warnings[0]) and str(warnings[0]).startswith(f"{path}:1: attention : ")


@pytest.mark.parametrize("name", ["rsa.yaml~", ".~lock.rsa.yaml#", ".rsa.yaml.swp", "Thumbs.db", "#rsa.yaml#"])
def test_editor_backups_and_system_files_are_not_reported(kb_dir, name):
    (kb_dir / "droits" / name).write_text("x", encoding="utf-8")
    assert [p for p in load_knowledge(kb_dir).problems if "jamais lu" in p.message] == []


def test_the_shipped_base_has_nothing_unread(shipped_base):
    assert [str(p) for p in shipped_base.problems if "jamais lu" in p.message] == []


def test_the_fixture_base_has_nothing_unread(kb_dir):
    result = load_knowledge(kb_dir)
    assert [p for p in result.problems if "jamais lu" in p.message] == []
    assert not result.errors
