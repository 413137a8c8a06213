"""Indentation mistakes a mediator makes in a text or a list, named at the line that is wrong (issue #16.1-2)."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import cli
from bot.knowledge import load_knowledge
from bot.knowledge.indentation import find_dedented_line

RSA_ANSWER = "reponse: |\n  Le RSA donne un revenu minimum aux personnes qui ont peu de ressources.\n"
RSA_PHRASINGS = "  - RSA jeune parent\n  - revenu minimum\n"


def rsa_with(kb_dir: Path, old: str, new: str) -> tuple[Path, str]:
    """Rewrite the fixture's rsa entry; return its path and its text."""
    path = kb_dir / "droits" / "rsa.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return path, text


def line_of(text: str, fragment: str) -> int:
    return next(number for number, line in enumerate(text.splitlines(), 1) if fragment in line)


# A four-line answer, each line indented by 2 spaces, with one line written as given.
TEXT = [
    "Le RSA donne un revenu minimum aux personnes qui ont peu de ressources.",
    "Vous faites la demande à la CAF, en ligne ou avec un lieu de médiation.",
    None,
    "Un travailleur social peut vous aider à remplir le dossier.",
    "Gardez une copie de chaque papier envoyé.",
]
HEADERS = {"bloc |": " |", "bloc >": " >", "bloc >-": " >-", "texte simple": ""}
WRONG_LINES = {
    "sans espace": "Il faut en général avoir 25 ans ou plus.",
    "un seul espace": " Il faut en général avoir 25 ans ou plus.",
    "« : » à la française": "Depuis avril 2026 : 651,69 € par mois pour une personne seule.",
}


def multiline_answer(header: str, wrong: str) -> str:
    body = "".join(f"  {line}\n" if line is not None else f"{wrong}\n" for line in TEXT)
    return f"reponse:{header}\n{body}"


# Plain text is the exception: a line one space in still goes on with the text, and YAML reads it right.
CASES = [
    pytest.param(header, wrong, id=f"{header_name}-{wrong_name}")
    for header_name, header in HEADERS.items()
    for wrong_name, wrong in WRONG_LINES.items()
    if not (header == "" and wrong.startswith(" "))
]


@pytest.mark.parametrize("header, wrong", CASES)
def test_a_line_of_the_answer_typed_at_the_margin_is_named_as_an_indentation_problem(kb_dir, header, wrong):
    path, text = rsa_with(kb_dir, RSA_ANSWER, multiline_answer(header, wrong))
    wrong_line = line_of(text, wrong.strip())
    problems = [str(p) for p in load_knowledge(kb_dir).errors if p.path == path]
    assert problems == [
        f"{path}:{wrong_line}: cette ligne est moins indentée que le texte de la réponse "
        f"(commencé ligne {line_of(text, 'reponse:')}) : mettez 2 espaces au début de la ligne, "
        "comme les autres lignes du texte"
    ]


def test_validate_names_the_wrong_line_of_another_text_by_its_key(kb_dir):
    path, text = rsa_with(
        kb_dir,
        "pour_aller_plus_loin: Le montant baisse si vous avez d'autres revenus.\n",
        "pour_aller_plus_loin: |\n  Le montant baisse si vous avez d'autres revenus.\nDemandez une simulation.\n"
        "  Un travailleur social peut vous aider.\n",
    )
    result = CliRunner().invoke(cli, ["validate", str(kb_dir)])
    assert result.exit_code == 1
    assert (
        f"{path}:{line_of(text, 'Demandez une simulation')}: cette ligne est moins indentée que le texte de "
        f"« pour_aller_plus_loin » (commencé ligne {line_of(text, 'pour_aller_plus_loin')})" in result.output
    ), result.output
    assert "« : » manquant" not in result.output


def test_a_line_typed_on_the_margin_after_a_one_line_answer_is_named_too(kb_dir):
    path, text = rsa_with(
        kb_dir,
        RSA_ANSWER,
        "reponse: Le RSA donne un revenu minimum aux personnes\nqui ont peu de ressources.\n",
    )
    problems = [str(p) for p in load_knowledge(kb_dir).errors if p.path == path]
    assert len(problems) == 1
    assert problems[0].startswith(f"{path}:{line_of(text, 'qui ont peu')}: cette ligne est moins indentée")


@pytest.mark.parametrize(
    "reponse",
    [
        # more indented lines, blank lines, a French « : » inside the text, a comment after it
        "reponse: |\n  Le RSA :\n    - un revenu minimum ;\n\n  Montant : 651,69 €.\n# fin de la réponse\n",
        "reponse: >\n  Le RSA donne un revenu\n  minimum : 651,69 €.\n",
        # plain text going on at any indentation right of its key is read as it should
        "reponse:\n  Le RSA donne un revenu\n minimum aux personnes.\n",
        "reponse: 'Le RSA donne un revenu\n  minimum : voir caf.fr.'\n",
    ],
    ids=["bloc", "bloc-replie", "texte-simple", "entre-guillemets"],
)
def test_well_indented_texts_raise_no_problem(kb_dir, reponse):
    path, _ = rsa_with(kb_dir, RSA_ANSWER, reponse)
    result = load_knowledge(kb_dir)
    assert [p for p in result.problems if p.path == path and "indent" in p.message] == []
    assert "rsa" in result.kb.entries


GLUED = {
    "3 espaces": ("  - ", "   - "),
    "4 espaces": ("  - ", "    - "),
    "liste à la marge, 1 espace": ("- ", " - "),
}


@pytest.mark.parametrize("before, stray", GLUED.values(), ids=GLUED.keys())
def test_a_phrasing_indented_too_far_is_reported_as_glued_to_the_one_above(kb_dir, before, stray):
    glued = f"{before}RSA jeune parent\n{stray}revenu minimum\n"
    if before == "- ":  # the whole list at the margin
        path = kb_dir / "droits" / "rsa.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("\n  - ", "\n- "), encoding="utf-8")
    path, text = rsa_with(kb_dir, RSA_PHRASINGS.replace("  - ", before), glued)
    result = load_knowledge(kb_dir)
    assert "rsa" in result.kb.entries, result.errors  # a warning: the bot keeps the entry
    assert "RSA jeune parent - revenu minimum" in result.kb.entries["rsa"].phrasings
    warnings = [str(p) for p in result.problems if p.path == path and not p.error]
    assert (
        f"{path}:{line_of(text, 'revenu minimum')}: attention : cette ligne commence par « - » mais est plus "
        "indentée que les autres éléments de « formulations » : elle a été collée à l'élément du dessus, "
        "qui devient « RSA jeune parent - revenu minimum » ; mettez son « - » exactement sous les autres "
        "(même nombre d'espaces)"
    ) in warnings, warnings


@pytest.mark.parametrize("stray", ["- ", " - "], ids=["à la marge", "1 espace"])
def test_a_phrasing_indented_too_little_is_an_error_on_its_line_in_french(kb_dir, stray):
    path, text = rsa_with(kb_dir, RSA_PHRASINGS, f"  - RSA jeune parent\n{stray}revenu minimum\n")
    problems = [str(p) for p in load_knowledge(kb_dir).errors if p.path == path]
    assert problems == [
        f"{path}:{line_of(text, 'revenu minimum')}: YAML invalide : indentation incorrecte dans une liste : "
        "le « - » de cette ligne n'est pas aligné sur ceux des éléments au-dessus ; mettez-le exactement "
        "sous les autres (même nombre d'espaces)"
    ]


@pytest.mark.parametrize(
    "folder", ["knowledge", "tests/fixtures/kb", "bench"], ids=["base livrée", "base des tests", "bancs d'essai"]
)
def test_no_correct_file_of_the_project_is_taken_for_a_wrong_indentation(folder):
    """The scan must never refuse a sound file: every YAML file of the project is one."""
    root = Path(__file__).resolve().parent.parent / folder
    flagged = {
        str(path): found
        for path in sorted(root.rglob("*.yaml"))
        if (found := find_dedented_line(path.read_text(encoding="utf-8"))) is not None
    }
    assert flagged == {}


ONE_LINE_FIELDS = {
    "source": "source: https://example.org/rsa\n",
    "pour_aller_plus_loin": "pour_aller_plus_loin: Le montant baisse si vous avez d'autres revenus.\n",
}


@pytest.mark.parametrize("field", ONE_LINE_FIELDS.values(), ids=ONE_LINE_FIELDS.keys())
def test_an_item_added_under_a_one_line_field_is_reported_as_glued_to_it(kb_dir, field):
    """« - nouvelle formulation » typed at the end of the file joins the text above it, silently."""
    key = field.split(":", 1)[0]
    path, text = rsa_with(kb_dir, field, field + "  - une formulation ajoutée à la fin\n")
    result = load_knowledge(kb_dir)
    assert "rsa" in result.kb.entries, result.errors  # a warning: the bot keeps the entry
    warnings = [str(p) for p in result.problems if p.path == path and not p.error]
    expected = (
        f"{path}:{line_of(text, 'une formulation ajoutée')}: attention : cette ligne commence par « - » "
        f"mais elle est sous « {key} », qui n'est pas une liste : elle a été collée à sa valeur, qui devient « "
    )
    assert any(warning.startswith(expected) for warning in warnings), warnings


def test_a_well_formed_entry_has_no_glued_value(kb_dir):
    assert not [p for p in load_knowledge(kb_dir).problems if "n'est pas une liste" in p.message]
