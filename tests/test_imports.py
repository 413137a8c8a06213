"""Each package loads on its own, in a fresh interpreter, whatever was imported before it.

`import bot.reminders.dates` in a script used to fail on a circular import
(the package re-exported its conversations, which load the conversation core,
which loads them back).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("module", ["bot.reminders", "bot.reminders.dates", "bot.reminders.calendar"])
def test_a_package_imports_first_without_a_cycle(module):
    done = subprocess.run([sys.executable, "-c", f"import {module}"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
