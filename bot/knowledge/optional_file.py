"""Reading the laboratoire's word lists: files a base may lack, whose problems are only warnings.

`mots-du-quotidien.yaml` (concepts) and `synonymes-du-quotidien.yaml`
(synonyms) only shape the laboratoire's report. So a base without them (a
test base, a mediator's local copy) uses the shipped ones, and a broken file
never stops the bot: what is sound is kept and the rest is a French warning
`path:line: message`. The two files differ only in what a line means; how
they are found and read lives here, once.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from bot.knowledge.model import Problem
from bot.knowledge.yamlio import LineDict, LineList, YamlFileError, read_yaml

T = TypeVar("T")

SHIPPED_KNOWLEDGE = Path(__file__).resolve().parent.parent.parent / "knowledge"


def line_in(container: Any, key: Any) -> int:
    """The line of `key` in a parsed YAML mapping or list; 1 when unknown."""
    return container.line_of(key) if isinstance(container, (LineDict, LineList)) else 1


def warning(path: Path, line: int, message: str) -> Problem:
    """A problem that is reported but never blocks the bot."""
    return Problem(path, line, message, error=False)


def load_optional(
    directory: Path | None,
    file_name: str,
    parse: Callable[[Path, Any, list[Problem]], T],
    empty: T,
) -> tuple[T, list[Problem]]:
    """`parse` the base's `file_name`, else the shipped one, else `empty`; problems are warnings."""
    path = Path(directory) / file_name if directory else SHIPPED_KNOWLEDGE / file_name
    if not path.exists():
        path = SHIPPED_KNOWLEDGE / file_name
        if not path.exists():
            return empty, []
    problems: list[Problem] = []
    try:
        data = read_yaml(path)
    except YamlFileError as exc:
        return empty, [warning(path, exc.line, exc.message)]
    return parse(path, data, problems), problems
