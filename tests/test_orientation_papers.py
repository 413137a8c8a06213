"""The rights check ends by saying what to bring to the person, from the listed rights' own papers.

A resident who comes without the papers has to come back; each right's entry lists its
papers (`documents`), so the result shows the ones several listed rights share, just
before the person to reach. Made-up entries only.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.conversation.core import Conversation
from bot.conversation.orientation import PAPERS_INTRO
from bot.knowledge.engine import Engine
from bot.orientation.papers import MAX_PAPERS, papers_to_bring
from tests.conftest import MONDAY_MORNING, Clock, RecordingRecorder
from tests.test_orientation_flow import ALONE_NO_INCOME, RULES, SIMULATOR, walk


@pytest.mark.parametrize(
    ("documents_by_right", "expected"),
    [
        pytest.param([["a", "b"], ["b", "c"], ["b", "a"]], ["b", "a"], id="most-shared-first"),
        pytest.param([["RIB"], ["RIB (si la CSS est payante)"]], ["RIB"], id="an-aside-is-the-same-paper"),
        pytest.param(
            [["pièce d'identité"], ["pièce d'identité ou titre de séjour"], ["pièce d'identité ou titre de séjour"]],
            ["pièce d'identité ou titre de séjour"],
            id="the-wording-most-entries-use",
        ),
        pytest.param(
            [
                ["justificatifs de vos ressources des 3 derniers mois"],
                ["justificatifs de ressources des 12 derniers mois"],
            ],
            ["justificatifs de vos ressources des 3 derniers mois"],
            id="one-paper-over-another-period",
        ),
        pytest.param(
            [["dernier avis d'impôt"], ["votre dernier avis d'imposition"]],
            ["dernier avis d'impôt"],
            id="impot-and-imposition",
        ),
        pytest.param([["a", "b"], ["c"]], ["a", "b"], id="nothing-shared-the-likeliest-rights-papers"),
        pytest.param([[], ["c", "d"]], ["c", "d"], id="first-right-without-papers-skipped"),
        pytest.param([["certificat médical"], ["certificat de scolarité"]], ["certificat médical"], id="not-merged"),
        pytest.param([], [], id="no-right"),
    ],
)
def test_papers_to_bring(documents_by_right, expected):
    assert papers_to_bring(documents_by_right) == expected


def test_a_long_shared_list_is_cut_to_a_phone_screen():
    papers = [f"papier numéro {n}" for n in range(MAX_PAPERS + 3)]
    assert papers_to_bring([papers, papers]) == papers[:MAX_PAPERS]


# --------------------------------------------------------------------------- in the conversation


@pytest.fixture
def papers_kb(kb_dir: Path) -> Path:
    """The flow tests' RSA and CSS rules, with made-up papers on the two entries."""
    (kb_dir / "orientation").mkdir()
    (kb_dir / "orientation" / "regles.yaml").write_text(RULES, encoding="utf-8")
    (kb_dir / "droits" / "simulateur.yaml").write_text(SIMULATOR, encoding="utf-8")
    css = kb_dir / "droits" / "css.yaml"
    css.write_text(css.read_text(encoding="utf-8") + "documents: [RIB, pièce d'identité]\n", encoding="utf-8")
    return kb_dir


def _result(kb: Path) -> str:
    talk = Conversation(Engine.load(kb), RecordingRecorder(), channel="test", clock=Clock(MONDAY_MORNING))
    talk.press("papers", "q:bellevue")
    result = walk(talk, ALONE_NO_INCOME, key="papers")
    assert result.kind == "check-result" and result.suggestions == ["rsa", "css"]
    return result.text


def test_the_result_says_what_to_bring_then_ends_with_a_person(papers_kb: Path):
    text = _result(papers_kb)
    tail = text.split("J'ai oublié vos réponses.", 1)[1]
    papers, person = tail.split("À vérifier avec une personne", 1)
    assert PAPERS_INTRO in papers and "• pièce d'identité" in papers
    assert "RIB" not in papers  # asked by one listed right only: it stays in that right's entry
    assert "Centre social imaginaire de Bellevue" in person


def test_papers_still_to_be_confirmed_are_not_shown(papers_kb: Path):
    css = papers_kb / "droits" / "css.yaml"
    css.write_text(css.read_text(encoding="utf-8") + "a_verifier: [documents]\n", encoding="utf-8")
    rsa = papers_kb / "droits" / "rsa.yaml"
    rsa.write_text(rsa.read_text(encoding="utf-8") + "a_verifier: [documents]\n", encoding="utf-8")
    text = _result(papers_kb)
    assert PAPERS_INTRO not in text and "pièce d'identité" not in text
    assert "Centre social imaginaire de Bellevue" in text.split("J'ai oublié vos réponses.", 1)[1]
