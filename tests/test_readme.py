"""The README is the newcomer's map: every command and every setting must be in it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.cli import cli

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def environment_variables() -> list[str]:
    """Every variable the code reads from the environment (all reads go through config)."""
    names: set[str] = set()
    for path in (ROOT / "bot").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        names.update(re.findall(r"""(?:env|environ|os\.environ)(?:\.get\(|\[)\s*["']([A-Z][A-Z0-9_]+)["']""", source))
        names.update(re.findall(r"""os\.getenv\(\s*["']([A-Z][A-Z0-9_]+)["']""", source))
    return sorted(names)


def test_the_code_reads_environment_variables():
    # Guards the scan below: if it finds nothing, the next test would pass for nothing.
    assert {"TELEGRAM_TOKEN", "RELAIS_DB"} <= set(environment_variables())


@pytest.mark.parametrize("name", environment_variables())
def test_every_environment_variable_is_documented(name):
    assert f"`{name}`" in README, f"{name} is read by the code but not documented in README.md"


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_is_documented(command):
    # In a table row of the README: "| `review …` |".
    assert re.search(rf"^\| `{re.escape(command)}\b", README, re.MULTILINE), f"`{command}` missing from README.md"


def _contract_section(title: str) -> str:
    """The README's text from the heading `title` to the next heading of any level."""
    start = README.index(title)
    end = README.find("\n#", start + len(title))
    return README[start : end if end != -1 else len(README)]


def test_every_key_of_export_json_is_documented(shipped_base):
    from bot.cli import export_document

    document = export_document(shipped_base.kb)
    section = _contract_section("### `export --json` output")
    missing = [key for key in document if f"`{key}`" not in section and f'"{key}"' not in section]
    assert not missing, f"export --json keys not in README's contract section: {missing}"


def test_every_key_of_ask_jsonl_is_documented(shipped_engine):
    from bot.cli import ask_record

    section = _contract_section("### `ask --jsonl` output")
    missing = [key for key in ask_record(shipped_engine, "rsa") if f"| `{key}` |" not in section]
    assert not missing, f"ask --jsonl keys not in README's table: {missing}"
