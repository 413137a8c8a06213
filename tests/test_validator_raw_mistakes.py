"""Typing mistakes a mediator makes in a file, named at the line to fix with what to do (not YAML's guess).

YAML stumbles lines below a field typed without « : », a quote left open or a
no-break space; Word's quotes and control characters get English or
misleading messages. Each case breaks the fixture's rsa entry one way.
"""

from pathlib import Path

import pytest

from bot.knowledge import load_knowledge

TITLE = "titre: Revenu de solidarité active (RSA)\n"


def rsa_with(kb_dir: Path, old: str, new: str) -> tuple[Path, str]:
    path = kb_dir / "droits" / "rsa.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return path, text


def rsa_errors(kb_dir: Path, path: Path) -> list[tuple[int, str]]:
    return [(p.line, p.message) for p in load_knowledge(kb_dir).errors if p.path == path]


def line_of(text: str, fragment: str) -> int:
    return next(number for number, line in enumerate(text.split("\n"), 1) if fragment in line)


MISSING_COLON = {
    "titre sans deux-points": (TITLE, "titre Revenu de solidarité active (RSA)\n", "titre"),
    "titre avec =": (TITLE, "titre = Revenu de solidarité active (RSA)\n", "titre"),
    "formulations seul": ("formulations:\n", "formulations\n", "formulations"),
    "reponse |": ("reponse: |\n", "reponse |\n", "reponse"),
    "verifie_le en dernier": ("verifie_le: 2025-04-01", "verifie_le 2025-04-01", "verifie_le"),
    "id en premier": ("id: rsa\n", "id rsa\n", "id"),
}


@pytest.mark.parametrize("old, new, field", MISSING_COLON.values(), ids=MISSING_COLON.keys())
def test_a_field_typed_without_its_colon_is_named_at_its_own_line(kb_dir, old, new, field):
    path, text = rsa_with(kb_dir, old, new)
    assert rsa_errors(kb_dir, path) == [
        (
            line_of(text, new.strip()),
            f"« : » manquant après « {field} » : écrivez « {field}: … » "
            "(le nom du champ, deux-points, une espace, puis la valeur)",
        )
    ]


def test_a_colon_glued_to_its_value_asks_for_the_space(kb_dir):
    path, text = rsa_with(kb_dir, TITLE, "titre:Revenu de solidarité active (RSA)\n")
    [(line, message)] = rsa_errors(kb_dir, path)
    assert line == line_of(text, "titre:Revenu")
    assert message.startswith("mettez une espace après « titre: »")


def test_french_spacing_before_the_colon_is_read_as_the_field(kb_dir):
    path, _ = rsa_with(kb_dir, TITLE, "titre : Revenu de solidarité active (RSA)\n")
    rsa_with(kb_dir, "verifie_le: 2025-04-01", "verifie_le : 2025-04-01")
    result = load_knowledge(kb_dir)
    assert [p for p in result.errors if p.path == path] == []
    assert result.kb.entries["rsa"].title == "Revenu de solidarité active (RSA)"


def test_an_answer_line_at_the_margin_is_still_an_indentation_problem(kb_dir):
    """A text line that starts like a sentence, not like a field, keeps its own message."""
    path, text = rsa_with(
        kb_dir,
        "  Le RSA donne un revenu minimum aux personnes qui ont peu de ressources.\n",
        "  Le RSA donne un revenu minimum\naux personnes qui ont peu de ressources.\n",
    )
    [(line, message)] = rsa_errors(kb_dir, path)
    assert line == line_of(text, "aux personnes")
    assert message.startswith("cette ligne est moins indentée que le texte de la réponse")


def test_a_quote_left_open_is_named_at_the_line_that_opens_it(kb_dir):
    path, text = rsa_with(kb_dir, TITLE, 'titre: "Revenu de solidarité active (RSA)\n')
    # YAML runs on to the next quote, « telephone: "3230" », and complains there.
    assert line_of(text, "telephone") > line_of(text, "titre")
    assert rsa_errors(kb_dir, path) == [
        (
            line_of(text, "titre"),
            "le guillemet \" ouvert sur cette ligne n'est pas refermé : "
            'ajoutez " à la fin de la valeur (ou enlevez celui du début)',
        )
    ]


@pytest.mark.parametrize("quotes", ["“Revenu : RSA”", "« Revenu : RSA »"])
def test_word_quotes_around_a_colon_are_explained(kb_dir, quotes):
    path, text = rsa_with(kb_dir, TITLE, f"titre: {quotes}\n")
    [(line, message)] = rsa_errors(kb_dir, path)
    assert line == line_of(text, "titre")
    assert "« : » inattendu" in message
    assert 'ceux de Word) ne comptent pas pour l\'ordinateur : tapez des guillemets droits "…"' in message


def test_a_plain_colon_problem_does_not_mention_word_quotes(kb_dir):
    path, _ = rsa_with(kb_dir, TITLE, "titre: RSA : le revenu\n")
    [(_, message)] = rsa_errors(kb_dir, path)
    assert "« : » inattendu" in message and "Word" not in message


@pytest.mark.parametrize("character, code", [("\x00", "U+0000"), ("\x0b", "U+000B"), ("\x1a", "U+001A")])
def test_a_control_character_is_named_in_french_at_its_line(kb_dir, character, code):
    path, text = rsa_with(kb_dir, "  - revenu minimum\n", f"  - revenu{character} minimum\n")
    [(line, message)] = rsa_errors(kb_dir, path)
    assert line == line_of(text, f"revenu{character}")
    assert message.startswith(f"caractère invisible interdit (code {code}) sur cette ligne : supprimez-le")
    assert "unacceptable" not in message and "position" not in message


def test_a_no_break_space_in_the_indentation_is_named_at_its_line(kb_dir):
    path, text = rsa_with(kb_dir, "  - revenu minimum\n", "\u00a0 - revenu minimum\n")
    [(line, message)] = rsa_errors(kb_dir, path)
    assert line == line_of(text, "revenu minimum")
    assert message.startswith("espace insécable au début de la ligne")


def test_a_no_break_space_inside_a_text_is_fine(kb_dir):
    path, _ = rsa_with(kb_dir, "  - revenu minimum\n", "  - revenu minimum de 651\u00a0€\n")
    assert rsa_errors(kb_dir, path) == []


@pytest.mark.parametrize(
    "value, french",
    [
        ("@Brest Revenu", "une valeur ne peut pas commencer par « @ »"),
        ("%Revenu", "une valeur ne peut pas commencer par « % »"),
        ("`RSA`", "une valeur ne peut pas commencer par « ` »"),
        ("*RSA", "une valeur ne peut pas commencer par « * »"),
        ("& co", "une valeur ne peut pas commencer par « & »"),
        ("? RSA", "une valeur ne peut pas commencer par « ? »"),
        ("!RSA", "une valeur ne peut pas commencer par « ! »"),
        ("[RSA", "crochet « [ » ouvert sans être refermé"),
        ("{RSA", "accolade « { » ouverte sans être refermée"),
        ('"a \\q b"', "« \\q » dans un texte entre guillemets doubles"),
    ],
)
def test_a_value_starting_with_a_sign_yaml_reserves_is_explained_in_french_at_its_line(kb_dir, value, french):
    path, text = rsa_with(kb_dir, TITLE, f"titre: {value}\n")
    [(line, message)] = rsa_errors(kb_dir, path)
    assert line == line_of(text, "titre:")
    assert french in message and "cannot" not in message and "expected" not in message


@pytest.mark.parametrize("value", ['"RSA" pour les jeunes', "'l'aide' sociale"])
def test_text_after_the_closing_quote_is_named_not_called_indentation(kb_dir, value):
    path, text = rsa_with(kb_dir, TITLE, f"titre: {value}\n")
    [(line, message)] = rsa_errors(kb_dir, path)
    assert line == line_of(text, "titre:")
    assert message.startswith("du texte suit le guillemet qui ferme la valeur") and "indentation" not in message


# Mistakes PyYAML explains in English ("sequence entries are not allowed here"): each gets French words.
ENGLISH_FROM_YAML = {
    "tiret après la clé": (TITLE, "titre: - Revenu de solidarité active\n", "« - » au mauvais endroit"),
    "deuxième fiche": ("id: rsa\n", "id: rsa\n---\n", "« --- » commence une deuxième fiche"),
    "texte après |": ("reponse: |\n", "reponse: |texte\n", "rien ne doit suivre « | »"),
    "crochet ouvert en fin de fichier": ("verifie_le: 2025-04-01", "verifie_le: 2025-04-01\nmots: [", "fin de fichier"),
}


@pytest.mark.parametrize("old, new, said", ENGLISH_FROM_YAML.values(), ids=ENGLISH_FROM_YAML.keys())
def test_yamls_english_complaints_are_said_in_french(kb_dir, old, new, said):
    path, _ = rsa_with(kb_dir, old, new)
    [(line, message)] = rsa_errors(kb_dir, path)
    assert said in message and line >= 1
    assert not any(word in message for word in ("expected", "found", "allowed", "document"))
