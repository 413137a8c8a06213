"""The same code and knowledge give the same answers in every process: figures can only differ by commit.

Two closing notes once quoted different held-out figures for what they called the same code. It was
checked that nothing in the bot is random: string hashing (PYTHONHASHSEED) changes the order sets
and dicts of strings are walked in, which would shift ties, floating sums and so answers if any
code walked one where order matters. These tests keep it so: two processes with different hash
seeds, each training its models cold, must store byte-identical models and print identical
`ask --jsonl` records.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # two subprocesses, each training the fixture base's models

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_KB = Path(__file__).parent / "fixtures" / "kb"
QUESTIONS = (
    "mon rsa est suspendu",
    "jai plus de mutuelle et pas de sous",
    "recette des crepes",
    "mon mari me frappe et au fait mon rsa",
    "I have no income at all",
    "j'habite bellevue, a qui parler ?",
)


def _ask_cold(workdir: Path, hash_seed: str) -> tuple[str, dict[str, bytes]]:
    """`ask --jsonl` in a fresh data directory: the models are trained in this process, then cached there."""
    (workdir / "data").mkdir(parents=True)
    result = subprocess.run(
        [sys.executable, "-m", "bot", "--knowledge", str(FIXTURE_KB), "ask", "--jsonl"],
        input="\n".join(QUESTIONS) + "\n",
        capture_output=True,
        text=True,
        cwd=workdir,
        timeout=600,  # a hang guard on a loaded machine, never a speed check
        env={**os.environ, "PYTHONPATH": str(ROOT), "PYTHONHASHSEED": hash_seed},
    )
    assert result.returncode == 0, result.stderr
    models = {path.name: path.read_bytes() for path in sorted((workdir / "data" / "cache").glob("*.npz"))}
    return result.stdout, models


def test_two_hash_seeds_train_the_same_models_and_give_the_same_answers(tmp_path):
    first_answers, first_models = _ask_cold(tmp_path / "one", "1")
    second_answers, second_models = _ask_cold(tmp_path / "two", "2")
    assert len(first_answers.splitlines()) == len(QUESTIONS)
    assert any(name.startswith("matcher-") for name in first_models)  # a learned model was trained and kept
    assert first_models.keys() == second_models.keys()
    for name, content in first_models.items():
        assert content == second_models[name], f"{name} differs between hash seeds"
    assert first_answers == second_answers
