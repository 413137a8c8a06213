"""`ask --jsonl` in process: what a tool reads back for each line it wrote (the contract's content)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from bot.cli import cli


@pytest.mark.parametrize(
    "stdin",
    ["rsa\nmutuelle\n", "rsa\r\nmutuelle\r\n", "\ufeffrsa\r\nmutuelle"],
    ids=["unix", "windows", "notepad"],
)
def test_each_question_comes_back_as_written_whatever_the_line_ends(kb_dir, stdin):
    result = CliRunner().invoke(cli, ["--knowledge", str(kb_dir), "ask", "--jsonl"], input=stdin.encode("utf-8"))
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["question"] for line in lines] == ["rsa", "mutuelle"]
    assert lines[0]["id"] == "rsa"


def test_line_ends_and_a_byte_order_mark_are_not_part_of_the_question():
    from bot.cli import jsonl_questions

    raw = ["\ufeffrsa\r\n", "\r\n", "  \n", "mutuelle\r\n", " la caf \n", "dernière"]
    assert list(jsonl_questions(raw)) == ["rsa", "mutuelle", " la caf ", "dernière"]


def test_options_jsonl_does_not_use_are_said_to_be_ignored(kb_dir):
    result = CliRunner().invoke(cli, ["--knowledge", str(kb_dir), "ask", "--jsonl", "-q", "bellevue"], input="rsa\n")
    assert result.exit_code == 0
    assert "--quartier ignoré" in result.stderr
    assert json.loads(result.stdout)["quartier"] is None  # the contract: the quartier named in the line
