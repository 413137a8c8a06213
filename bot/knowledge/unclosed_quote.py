"""A value opened with a quote and never closed on its line (« titre: "Revenu… »), found in the raw file.

YAML lets a quoted text go on over lines: it runs on to the next quote of the
file, often a hundred lines lower (« telephone: "3230" »), and complains
there about indentation. Mediators' files never hold a quoted text over
several lines, so the line that opens an unclosed quote is the one to fix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# « cle: "… », « - "… », « - cle: '… »: a value that starts with a quote.
_QUOTED_VALUE = re.compile(r"""^\s*(?:-\s+)*(?:[^\s#"'\-][^:#]*:\s+)?(?P<quote>["'])(?P<rest>.*)$""")


@dataclass(frozen=True)
class UnclosedQuote:
    line: int  # 1-based
    quote: str

    @property
    def message(self) -> str:
        """What the validator says, in mediators' words."""
        return (
            f"le guillemet {self.quote} ouvert sur cette ligne n'est pas refermé : "
            f"ajoutez {self.quote} à la fin de la valeur (ou enlevez celui du début)"
        )


def _closes(quote: str, rest: str) -> bool:
    if quote == '"':
        return '"' in re.sub(r"\\.", "", rest)  # \" is a quote inside the text
    return "'" in rest.replace("''", "")  # '' is an apostrophe inside the text


def find_unclosed_quote(text: str, until: int) -> UnclosedQuote | None:
    """The first line up to `until` (1-based) whose value opens a quote it does not close."""
    for number, line in enumerate(text.splitlines()[:until], 1):
        found = _QUOTED_VALUE.match(line)
        if found and not _closes(found["quote"], found["rest"]):
            return UnclosedQuote(number, found["quote"])
    return None
