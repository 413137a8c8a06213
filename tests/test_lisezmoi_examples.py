"""The mediators' guide's full examples pass `validate`: a mediator copies them as they are.

LISEZMOI shows a whole « droit » file (droits/cheque-energie.yaml) and a whole danger file
(urgences/rue.yaml). An example that `validate` flags (a check date older than the limit, too
few danger phrasings, a placeholder source) teaches the mistake it should prevent. Each
example is put in place of the shipped file in a copy of the base, and must bring no problem,
error or warning, on that file. The clock is the base's own: the newest `verifie_le` it holds,
so the test gives the same answer whatever day it runs.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from bot.knowledge import load_knowledge
from bot.knowledge.checks import stale_facts
from bot.knowledge.model import Problem

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE = ROOT / "knowledge"
GUIDE = KNOWLEDGE / "LISEZMOI.md"
FACT_MAX_AGE_DAYS = 365  # the limit `validate` uses (bot/cli.py)
_BLOCK = re.compile(r"```yaml\n(.*?)```", re.DOTALL)
_CHECKED = re.compile(r"^verifie_le:\s*(\d{4}-\d{2}-\d{2})", re.MULTILINE)

# the file each full example stands for, found by its first key line
EXAMPLES = {"droits/cheque-energie.yaml": "id: cheque-energie", "urgences/rue.yaml": "id: rue "}


def guide_example(first_key: str) -> str:
    """The guide's yaml block holding `first_key` at a line's start (exactly one)."""
    blocks = [b for b in _BLOCK.findall(GUIDE.read_text(encoding="utf-8")) if f"\n{first_key}" in f"\n{b}"]
    assert len(blocks) == 1, f"LISEZMOI should hold one full example with « {first_key.strip()} »"
    return blocks[0]


def base_today() -> dt.date:
    """The newest check date of the shipped base: a fixed « today » that moves only with the base."""
    dates = [
        dt.date.fromisoformat(m)
        for path in KNOWLEDGE.rglob("*.yaml")
        for m in _CHECKED.findall(path.read_text(encoding="utf-8"))
    ]
    return max(dates)


def problems_on(example: str, relative: str, tmp_path: Path) -> list[Problem]:
    """What validate says about `relative` once `example` replaces it in a copy of the base."""
    copy = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, copy)
    (copy / relative).write_text(example, encoding="utf-8")
    result = load_knowledge(copy)
    problems = result.problems + stale_facts(result.kb, base_today(), FACT_MAX_AGE_DAYS)
    return [p for p in problems if Path(p.path).resolve() == (copy / relative).resolve()]


@pytest.mark.parametrize("relative", sorted(EXAMPLES))
def test_the_guides_example_validates(relative, tmp_path):
    problems = problems_on(guide_example(EXAMPLES[relative]), relative, tmp_path)
    assert not problems, f"LISEZMOI's example of {relative} does not pass validate: {[str(p) for p in problems]}"


def test_the_check_sees_a_stale_example(tmp_path):
    """The same guard fails on an example checked more than a year before the base's newest date."""
    old = (base_today() - dt.timedelta(days=FACT_MAX_AGE_DAYS + 5)).isoformat()
    example = _CHECKED.sub(f"verifie_le: {old}", guide_example(EXAMPLES["droits/cheque-energie.yaml"]))
    assert problems_on(example, "droits/cheque-energie.yaml", tmp_path)


def test_the_check_sees_a_danger_example_with_few_phrasings(tmp_path):
    example = guide_example(EXAMPLES["urgences/rue.yaml"])
    head, _, phrasings = example.partition("formulations:")
    kept = "\n".join(phrasings.splitlines()[:5])  # the key's own line and four phrasings
    short = f"{head}formulations:{kept}\n"
    assert problems_on(short, "urgences/rue.yaml", tmp_path)
