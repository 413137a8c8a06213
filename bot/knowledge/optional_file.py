"""Reading the laboratoire's word lists: files a base may lack, whose problems are only warnings.

`mots-du-quotidien.yaml` (concepts) and `synonymes-du-quotidien.yaml`
(synonyms) only shape the laboratoire's report. So a base without them (a
test base, a mediator's local copy) uses the shipped ones, and a broken file
never stops the bot: what is sound is kept and the rest is a French warning
`path:line: message`. The two files differ only in what a line means; how
they are found and read lives here, once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from bot.knowledge.model import Problem
from bot.knowledge.yamlio import LineDict, LineList, YamlFileError, read_yaml

T = TypeVar("T")

SHIPPED_KNOWLEDGE = Path(__file__).resolve().parent.parent.parent / "knowledge"
RESERVED_KEYS = ("source", "verifie_le", "note")  # a file's own facts, never a group or a word
_GROUP_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,59}$")


def line_in(container: Any, key: Any) -> int:
    """The line of `key` in a parsed YAML mapping or list; 1 when unknown."""
    return container.line_of(key) if isinstance(container, (LineDict, LineList)) else 1


def warning(path: Path, line: int, message: str) -> Problem:
    """A problem that is reported but never blocks the bot."""
    return Problem(path, line, message, error=False)


def named_lists(
    path: Path,
    data: Any,
    problems: list[Problem],
    *,
    file_shape: str,
    name_problem: Callable[[Any], str | None],
    label: str = "« {} »",
) -> Iterator[tuple[Any, list[Any]]]:
    """Each sound « name: [mot, mot, …] » of a file as (name, its list); a warning for the others.

    The concepts, the generic words and the synonyms are all files of named
    word lists: what makes the file and a list sound is the same for the
    three, only what a name may be and what the words then mean differs.
    `file_shape` is the warning for a file that is no mapping, `name_problem`
    the warning for a bad name (None when sound), `label` how a name is
    quoted in the warning for a missing list.
    """
    if data is None:
        return
    if not isinstance(data, dict):
        problems.append(warning(path, 1, file_shape))
        return
    for name, listed in data.items():
        if name in RESERVED_KEYS:
            continue
        line = line_in(data, name)
        bad_name = name_problem(name)
        if bad_name is not None:
            problems.append(warning(path, line, bad_name))
            continue
        if not isinstance(listed, list) or not listed:
            problems.append(warning(path, line, f"{label.format(name)} : il faut une liste de mots [mot, mot, …]"))
            continue
        yield name, listed


def word_groups(path: Path, data: Any, problems: list[Problem], example: str) -> Iterator[tuple[str, list[Any]]]:
    """Each sound group « nom-du-groupe: [mot, mot, …] » as (name, its list); a warning for the others.

    `example` is a group name shown in the warning for a bad name, one the
    mediator would recognise in that file.
    """

    def name_problem(name: Any) -> str | None:
        if isinstance(name, str) and _GROUP_NAME.match(name):
            return None
        return f"nom de groupe « {name} » : minuscules, chiffres et tirets (ex. {example})"

    for name, listed in named_lists(
        path,
        data,
        problems,
        file_shape="le fichier doit contenir des groupes « nom-du-groupe: [mot, mot, …] »",
        name_problem=name_problem,
        label="groupe « {} »",
    ):
        yield str(name), listed


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
