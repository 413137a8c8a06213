"""Phrasings of two entries that the matcher reads as the same words: a warning at the phrasing's own line."""

from __future__ import annotations

from pathlib import Path

from bot.knowledge import load_knowledge
from bot.knowledge.checks import lookalike_phrasings
from tests.test_cli import run_bot

LOOKALIKE = "mêmes mots pour le bot"


def _insert_phrasing(path: Path, phrasing: str) -> int:
    """Put `phrasing` first under « formulations: » (a block list); its 1-based line."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if line.startswith("formulations:")) + 1
    lines.insert(index, f"  - {phrasing}\n")
    path.write_text("".join(lines), encoding="utf-8")
    return index + 1


def _lookalikes(directory: Path) -> list:
    return [p for p in lookalike_phrasings(load_knowledge(directory).kb) if LOOKALIKE in p.message]


def test_a_phrasing_another_entry_has_in_other_spelling_is_a_warning_at_its_line(kb_dir):
    line = _insert_phrasing(kb_dir / "droits" / "rsa.yaml", "la Mutuelle gratuite ?")  # css: « mutuelle gratuite »
    (problem,) = _lookalikes(kb_dir)
    assert not problem.error  # a warning: the bot still starts
    assert (problem.path.name, problem.line) == ("rsa.yaml", line)  # the file just edited, at the phrasing's line
    assert "« la Mutuelle gratuite ? »" in problem.message and "« mutuelle gratuite »" in problem.message
    css_line = (kb_dir / "droits" / "css.yaml").read_text(encoding="utf-8").splitlines().index("  - mutuelle gratuite")
    assert f"droits/css.yaml:{css_line + 1}" in problem.message
    assert "gardez-la dans la fiche où elle a sa place" in problem.message


def test_function_words_and_word_forms_do_not_hide_a_lookalike(kb_dir):
    """« je veux la mutuelle gratuite » and « mutuelle gratuite »: the matcher keeps the same stems."""
    _insert_phrasing(kb_dir / "droits" / "rsa.yaml", "je veux la mutuelle gratuite")
    assert len(_lookalikes(kb_dir)) == 1


def test_a_phrasing_with_one_more_meaningful_word_is_no_lookalike(kb_dir):
    _insert_phrasing(kb_dir / "droits" / "rsa.yaml", "pas de mutuelle gratuite avec le RSA")
    assert _lookalikes(kb_dir) == []


def test_an_exact_copy_stays_an_error_and_is_not_reported_twice(kb_dir):
    _insert_phrasing(kb_dir / "droits" / "rsa.yaml", "mutuelle gratuite")
    result = load_knowledge(kb_dir)
    assert any(p.error and "est aussi dans « css »" in p.message for p in result.problems)
    assert _lookalikes(kb_dir) == []


def test_validate_lists_it_as_a_warning_and_still_succeeds(kb_dir):
    line = _insert_phrasing(kb_dir / "droits" / "rsa.yaml", "la Mutuelle gratuite ?")
    result = run_bot("validate", str(kb_dir))
    assert result.returncode == 0
    assert f"rsa.yaml:{line}: attention : la formulation « la Mutuelle gratuite ? » a les mêmes mots" in result.stdout


def test_a_flow_list_gives_the_line_of_its_key(kb_dir):
    path = kb_dir / "intentions" / "salutation.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("[bonjour,", "[bonjour, le RSA,"), encoding="utf-8")
    (problem,) = _lookalikes(kb_dir)  # « le RSA » reads as rsa.yaml's « RSA »
    assert (problem.path.name, problem.line) == ("salutation.yaml", 3)


def test_two_off_topic_files_may_share_a_text(kb_dir):
    (kb_dir / "hors-sujet" / "meteo.yaml").write_text(
        "id: meteo\ntitre: Météo\nformulations: [la météo de demain ?, il pleut, soleil, vent fort, neige]\n"
        "reponse: Je réponds seulement aux questions sur les droits et les aides.\n"
        "source: interne\nverifie_le: 2026-12-01\n",
        encoding="utf-8",
    )
    assert _lookalikes(kb_dir) == []


def test_the_fixture_and_the_shipped_base_have_no_lookalikes(kb_dir, shipped_base):
    assert _lookalikes(kb_dir) == []
    assert [str(p) for p in lookalike_phrasings(shipped_base.kb)] == []


def test_loading_the_base_does_not_pay_for_the_check(kb_dir):
    """Start-up and reloads read the base; the look-alikes are `validate`'s reminder only."""
    _insert_phrasing(kb_dir / "droits" / "rsa.yaml", "la Mutuelle gratuite ?")
    assert not any(LOOKALIKE in p.message for p in load_knowledge(kb_dir).problems)
