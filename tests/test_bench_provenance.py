"""Every benchmark figure is printed under the commit, knowledge and code it was measured on.

Figures quoted for « the same code » once differed because they came from different commits, and
nothing in the output said which: `bench/provenance.py` names them, so two figures are compared
only when their first lines match.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_KB = Path(__file__).parent / "fixtures" / "kb"
sys.path.insert(0, str(ROOT / "bench"))

from provenance import git_state, provenance  # noqa: E402


def _git(repo: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=Test", "-c", "user.email=test@example.org", *args],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A tiny repository laid out like this one: bot/, knowledge/ and bench/, all committed."""
    repo = tmp_path / "repo"
    for relative, text in {
        "bot/answer.py": "ANSWER = 1\n",
        "knowledge/rsa.yaml": "id: rsa\n",
        "bench/eval.py": "print('figures')\n",
    }.items():
        (repo / relative).parent.mkdir(parents=True, exist_ok=True)
        (repo / relative).write_text(text, encoding="utf-8")
    _git(repo.parent, "init", "-q", str(repo))
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "start")
    return repo


def test_a_clean_checkout_is_named_by_its_commit(checkout):
    assert git_state(checkout) == _git(checkout, "rev-parse", "--short", "HEAD")


@pytest.mark.parametrize(
    ("change", "folder"),
    [
        (lambda repo: (repo / "knowledge" / "rsa.yaml").write_text("id: rsa\ntitre: RSA\n"), "knowledge/"),
        (lambda repo: (repo / "knowledge" / "css.yaml").write_text("id: css\n"), "knowledge/"),
        (lambda repo: (repo / "bot" / "answer.py").write_text("ANSWER = 2\n"), "bot/"),
        (lambda repo: (repo / "bench" / "eval.py").write_text("print('other figures')\n"), "bench/"),
    ],
    ids=["edited-knowledge", "new-knowledge-file", "edited-code", "edited-benchmark"],
)
def test_a_change_that_can_move_the_figures_is_said(checkout, change, folder):
    commit = git_state(checkout)
    change(checkout)
    assert git_state(checkout) == f"{commit} + uncommitted changes in {folder} (1 files)"


def test_a_new_evaluation_set_copied_into_an_old_checkout_keeps_its_commit(checkout):
    commit = git_state(checkout)
    (checkout / "bench" / "own-questions-99.yaml").write_text("- q: rsa\n  expect: rsa\n", encoding="utf-8")
    assert git_state(checkout) == commit


def test_outside_a_checkout_no_commit_is_claimed(tmp_path):
    assert git_state(tmp_path) == "no git commit"


def test_the_knowledge_digest_follows_the_content_not_the_folder(tmp_path):
    copy = tmp_path / "kb"
    shutil.copytree(FIXTURE_KB, copy)
    same = provenance(tmp_path, copy).split(" · ")[1]
    assert same == provenance(tmp_path, FIXTURE_KB).split(" · ")[1]
    rsa = copy / "droits" / "rsa.yaml"
    rsa.write_text(rsa.read_text(encoding="utf-8").replace("  - revenu minimum\n", ""), encoding="utf-8")
    assert provenance(tmp_path, copy).split(" · ")[1] != same
