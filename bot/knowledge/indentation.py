"""Finding the line of a multi-line text that lost its indentation, from the raw file.

When one line of a `reponse: |` is typed at the margin, YAML ends the text
there and only stumbles a few lines lower ("could not find expected ':'"), or
even reads the line as a new key. Mediators then look at the wrong line. This
scan reads the raw lines, follows each multi-line text (block `|` / `>` or
plain text going on over several lines) and names the first line that is less
indented than the text it belongs to, so the validator can point at the cause.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass

# « cle: valeur », « - cle: valeur », « "clé": … »: where a mapping key starts a line.
_KEY_LINE = re.compile(
    r"""^(?P<indent>\ *)(?P<dash>(?:-\ +)*)(?P<key>"[^"]*"|'[^']*'|[^\s#"'\-][^:#]*?):(?:\ +(?P<rest>.*?))?\s*$"""
)
# A block scalar's header: « | », « >- », « |2 », optionally followed by a comment.
_BLOCK_HEADER = re.compile(r"^[|>](?P<first>[-+1-9]?)(?P<second>[-+1-9]?)\s*(?:#.*)?$")
# A line that legitimately ends a text: a key whose colon follows a letter (« titre: »,
# not the French « montant : »), a list item, a comment, a document marker.
_LEGITIMATE_END = re.compile(r"""^\ *(?:-(?:\ |$)|#|---|\.\.\.|(?:"[^"]*"|'[^']*'|[^\s#](?:[^:]*[^\s:])?):(?:\s|$))""")
_NOT_PLAIN_START = tuple("[{\"'&*!%@`|>#")
# « titre : … » at the margin: French spacing before the colon, which YAML reads as the key « titre ».
_FIELD_FRENCH_COLON = re.compile(r"^(?P<key>[a-z_]+)\ +:(?:\s|$)")


@dataclass(frozen=True)
class DedentedLine:
    """A line less indented than the multi-line text it continues."""

    line: int  # 1-based line of the wrong line
    key: str  # the key whose text it breaks
    key_line: int  # 1-based line of that key
    expected: int  # spaces the text's lines start with

    @property
    def message(self) -> str:
        """What the validator says, in mediators' words."""
        text = "de la réponse" if self.key == "reponse" else f"de « {self.key} »"
        return (
            f"cette ligne est moins indentée que le texte {text} (commencé ligne {self.key_line}) : "
            f"mettez {self.expected} espaces au début de la ligne, comme les autres lignes du texte"
        )


def _indent(line: str) -> int | None:
    """Leading spaces, or None for a line whose indentation has a tab (YAML reports those itself)."""
    stripped = line.lstrip(" ")
    if stripped.startswith("\t"):
        return None
    return len(line) - len(stripped)


def _blank(line: str) -> bool:
    return not line.strip()


def _ends_text(line: str, fields: Collection[str]) -> bool:
    """A line that starts something new: see _LEGITIMATE_END, or a known field written « titre : »."""
    if _LEGITIMATE_END.match(line):
        return True
    found = _FIELD_FRENCH_COLON.match(line)
    return found is not None and found["key"] in fields


def find_dedented_line(text: str, fields: Collection[str] = ()) -> DedentedLine | None:
    """The first line that breaks a multi-line text by being less indented, if any.

    `fields`: the field names of mediators' files, so that « verifie_le : 2025-01-01 »
    (French spacing, which YAML reads as a key) is not taken for a text line.
    """
    lines = text.splitlines()
    number = 0
    while number < len(lines):
        match = _KEY_LINE.match(lines[number])
        if not match:
            number += 1
            continue
        key_column = len(match["indent"]) + len(match["dash"])
        rest = match["rest"] or ""
        header = _BLOCK_HEADER.match(rest)
        if header:
            wrong, end = _scan_block(lines, number, key_column, header, fields)
        elif rest.startswith(("'", '"')):
            wrong, end = None, _quoted_end(lines, number, len(lines[number]) - len(rest))
        elif rest.startswith(_NOT_PLAIN_START):
            wrong, end = None, number + 1
        else:
            wrong, end = _scan_plain(lines, number, key_column, bool(rest), fields)
        if wrong is not None:
            line_number, expected = wrong
            return DedentedLine(line_number, match["key"].strip("\"'"), number + 1, expected)
        number = max(end, number + 1)  # a text's own lines are not keys, even with « : » in them
    return None


_Wrong = tuple[int, int] | None  # (1-based line, spaces expected)


def _quoted_end(lines: list[str], start: int, column: int) -> int:
    """The line after a quoted text, which may go on over several lines (its lines are not keys)."""
    quote = lines[start][column]
    # Inside '…' a quote is written '' ; inside "…" it is \".
    closing = re.compile(r"(?:''|[^'])*'(?!')" if quote == "'" else r'(?:\\.|[^"\\])*"')
    pending = lines[start][column + 1 :]
    for number in range(start, len(lines)):
        if number > start:
            pending += "\n" + lines[number]
        if closing.match(pending):
            return number + 1
    return len(lines)


def _following(lines: list[str], start: int) -> Iterator[int]:
    """The non-blank lines after `start`, read only as far as a text goes (files have hundreds of keys)."""
    return (i for i in range(start + 1, len(lines)) if lines[i].strip())


def _scan_block(
    lines: list[str], start: int, key_column: int, header: re.Match[str], fields: Collection[str]
) -> tuple[_Wrong, int]:
    """Lines of a `|` / `>` text: every non-blank one starts at the text's indentation."""
    explicit = next((int(c) for c in (header["first"], header["second"]) if c.isdigit()), None)
    content = _following(lines, start)
    first = next(content, None)
    first_indent = _indent(lines[first]) if first is not None else None
    if first is None or first_indent is None:
        return None, start + 1
    content = itertools.chain([first], content)
    expected = key_column + explicit if explicit else first_indent
    if expected <= key_column:  # an empty text: the next line is the next key
        return None, start + 1
    return _first_wrong_line(lines, content, key_column, expected, expected, fields)


def _scan_plain(
    lines: list[str], start: int, key_column: int, same_line: bool, fields: Collection[str]
) -> tuple[_Wrong, int]:
    """Plain text going on over several lines: each line goes on further right than its key."""
    content = _following(lines, start)
    if not same_line:
        first = next(content, None)
        first_indent = _indent(lines[first]) if first is not None else None
        if first is None or first_indent is None or first_indent <= key_column or _ends_text(lines[first], fields):
            return None, start + 1  # « cle: » followed by a list, a mapping or the next key: no text here
        content = itertools.chain([first], content)
        expected = first_indent
    else:
        expected = key_column + 2
    # YAML folds any line further right than the key into the text: only the margin side is wrong.
    return _first_wrong_line(lines, content, key_column, key_column + 1, expected, fields)


def _first_wrong_line(
    lines: list[str], content: Iterable[int], key_column: int, minimum: int, expected: int, fields: Collection[str]
) -> tuple[_Wrong, int]:
    """Follow the text until a less indented line; that line is wrong unless it starts something new."""
    for index in content:
        indent = _indent(lines[index])
        if indent is None:
            return None, index
        if indent >= minimum:
            continue
        if indent > key_column or not _ends_text(lines[index], fields):
            return (index + 1, expected), index
        return None, index
    return None, len(lines)
