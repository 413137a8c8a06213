"""A field name typed without its « : » (« titre Revenu… », « formulations »), found in the raw file.

YAML does not see a key there: it reads the line as more text, then stumbles a
few lines lower ("could not find expected ':'"), or the indentation scan takes
the line for a text typed at the margin. Mediators then fix the wrong line, or
indent the field into the value above. Every field of a mediator's file starts
at the margin, so a line at the margin that starts with a known field name and
has no « : » right after it is a field whose « : » is missing (or has no space
after it). « titre : … » (French spacing) is read fine by YAML and is not reported.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

_FIELD_AT_MARGIN = re.compile(r"^(?P<name>[a-z_]+)(?P<after>.*)$")
_FRENCH_COLON = re.compile(r"^\s+:(?:\s|$)")  # « titre : Revenu » is a key for YAML too


@dataclass(frozen=True)
class FieldWithoutColon:
    """A line where a field's « : » is missing, or glued to its value."""

    line: int  # 1-based
    name: str
    glued: bool  # « titre:Revenu »: the colon is there, the space after it is not

    @property
    def message(self) -> str:
        """What the validator says, in mediators' words."""
        if self.glued:
            return (
                f"mettez une espace après « {self.name}: » : écrivez « {self.name}: … » "
                "(deux-points, une espace, puis la valeur)"
            )
        return (
            f"« : » manquant après « {self.name} » : écrivez « {self.name}: … » "
            "(le nom du champ, deux-points, une espace, puis la valeur)"
        )


def find_field_without_colon(text: str, fields: Collection[str]) -> FieldWithoutColon | None:
    """The first line at the margin that starts with a field name not followed by « : » and a space."""
    for number, line in enumerate(text.splitlines(), 1):
        found = _FIELD_AT_MARGIN.match(line)
        if found is None or found["name"] not in fields:
            continue
        after = found["after"].rstrip()
        if after == ":" or after.startswith((": ", ":\t")) or _FRENCH_COLON.match(after):
            continue  # a sound key
        if after.startswith(":"):
            return FieldWithoutColon(number, found["name"], glued=True)
        if not after or after.lstrip().startswith("=") or (after[0] in " \t" and ": " not in after):
            return FieldWithoutColon(number, found["name"], glued=False)
    return None
