"""The report as CSV for spreadsheets: ";" and UTF-8 with a BOM, as French spreadsheets expect."""

from __future__ import annotations

import csv
from pathlib import Path

from bot.laboratoire.clustering import EXAMPLES
from bot.laboratoire.report import Report
from bot.laboratoire.trend import monday_of

CSV_COLUMNS = (
    "besoin",
    "nombre",
    "quartiers",
    "premiere_fois",
    "derniere_fois",
    "exemple_1",
    "exemple_2",
    "exemple_3",
    "piste_du_bot",
    "score_piste",
    "libelle",  # added after the others: spreadsheets built on the first columns keep working
)


def write_csv(report: Report, path: Path) -> None:
    """CSV for spreadsheets: ";" separator and a BOM so Excel in French reads accents."""
    with open(path, "w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(CSV_COLUMNS)
        for need in report.needs:
            examples = need.examples + [""] * (EXAMPLES - len(need.examples))
            writer.writerow(
                [
                    need.id,
                    need.count,
                    need.quartier_list,
                    monday_of(need.first_seen).isoformat(),  # the week's Monday: a date that sorts, not the day
                    monday_of(need.last_seen).isoformat(),
                    *(_csv_text(x) for x in examples[:EXAMPLES]),
                    need.guess or "",
                    need.guess_score if need.guess else "",
                    _csv_text(need.label),
                ]
            )


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_text(text: str) -> str:
    """A resident's words as a spreadsheet cell: "=…" must stay text, never become a formula."""
    return "'" + text if text.startswith(_FORMULA_START) else text
