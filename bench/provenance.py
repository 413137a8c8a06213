"""Which code and knowledge a benchmark's figures belong to: the first line every figure is printed under.

Two closing notes quoted different figures for what they called the same code (own-1 96.2 % then
97.5 % correct overall, own-7 94.7 % then 96.0 %). Nothing was random: the same commit gives the
same answers byte for byte, with a cold or warm model cache, any PYTHONHASHSEED and any number of
BLAS threads. The figures had been measured on different commits (own-1 at 4491d48, own-7 at
ed049be, the next session at 6dab10f), with knowledge landed in between, and nothing in the output
said which. So the benchmarks now print the commit, whether `bot/`, `knowledge/` or `bench/*.py` differ from it,
and short digests of the knowledge content and of the code that reads it (`derived.py`'s cache
keys): two figures compare only when this line is the same.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from bot.knowledge import load_knowledge
from bot.knowledge.model import KnowledgeBase
from bot.understanding.derived import code_version, content_digest

# What changes the figures: the bot's code, the knowledge and the benchmarks' code. Evaluation
# sets are named by the benchmark itself: a new set copied into an old checkout hides no commit.
ANSWERING = ("bot", "knowledge", "bench/*.py")
SHORT = 10


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[str] | None:
    try:
        return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return None


def git_state(root: Path) -> str:
    """`d970196`, `d970196 + uncommitted changes in bot/ (2 files)`, or `no git commit` outside a checkout."""
    head = _git(root, "rev-parse", "--short", "HEAD")
    if head is None or head.returncode != 0 or not head.stdout.strip():
        return "no git commit"
    commit = head.stdout.strip()
    status = _git(root, "status", "--porcelain", "--untracked-files=all", "--", *ANSWERING)
    changed = [line[3:] for line in (status.stdout.splitlines() if status is not None else []) if line.strip()]
    if not changed:
        return commit
    folders = sorted({path.split("/", 1)[0] + "/" for path in changed})
    return f"{commit} + uncommitted changes in {', '.join(folders)} ({len(changed)} files)"


def provenance(root: Path, knowledge: Path, kb: KnowledgeBase | None = None) -> str:
    """One line: commit, knowledge digest, reading-code digest (`kb`, if already loaded, saves a reading)."""
    base = kb if kb is not None else load_knowledge(knowledge).kb
    code = code_version() or "unreadable"
    return f"measured at: {git_state(root)} · knowledge {content_digest(base)[:SHORT]} · reading code {code[:SHORT]}"
