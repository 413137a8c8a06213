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


_EACH_MODULE_FIRST = """
import importlib, pkgutil, sys
failed = []
for package in sys.argv[1:]:
    path = importlib.import_module(package).__path__
    names = [package] + [module.name for module in pkgutil.walk_packages(path, package + ".")]
    for name in names:
        for loaded in [key for key in sys.modules if key == "bot" or key.startswith("bot.")]:
            del sys.modules[loaded]
        try:
            importlib.import_module(name)
        except ImportError as error:
            failed.append(f"{name}: {error}")
print("\\n".join(failed))
sys.exit(1 if failed else 0)
"""


def test_every_module_of_the_core_and_its_flows_imports_first_alone():
    """Each module, imported first with no other `bot` module loaded, loads (`bot.reminders.flow` did not)."""
    packages = ["bot.conversation", "bot.reminders", "bot.orientation"]
    done = subprocess.run(
        [sys.executable, "-c", _EACH_MODULE_FIRST, *packages], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
