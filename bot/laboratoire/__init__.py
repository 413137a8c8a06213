"""The laboratoire's tools: what the bot could not answer, grouped into needs, without identifying anyone.

`clustering` groups questions into needs with stable ids, `report` builds the
k-anonymised review and its terminal table, `csv_export` and `html` write it
for spreadsheets and e-mail (the page is `templates/report.html`), and
`teach` closes the loop (teach a need to an entry, dismiss it, add a question).
"""

from bot.config import K_ANONYMITY
from bot.knowledge.model import LEARNED_FILE
from bot.laboratoire.clustering import Need, cluster, cluster_key, need_id
from bot.laboratoire.csv_export import CSV_COLUMNS, write_csv
from bot.laboratoire.html import ACCENT_COLOUR, CHART_COLOUR, render_html, write_html
from bot.laboratoire.meaning import ConceptIndex, concept_index
from bot.laboratoire.report import (
    SINCE_CHOICES,
    Report,
    ReviewError,
    build_report,
    check_quartier,
    format_table,
    format_topics,
    needs_summary_text,
    parse_since,
)
from bot.laboratoire.teach import (
    DISMISSED,
    MEDIATION_CHANNEL,
    TAUGHT_PREFIX,
    TeachResult,
    add_question,
    append_learned,
    dismiss,
    find_need,
    known_entry_ids,
    learnable_phrasings,
    teach,
)

__all__ = [
    "ACCENT_COLOUR",
    "CHART_COLOUR",
    "CSV_COLUMNS",
    "ConceptIndex",
    "DISMISSED",
    "K_ANONYMITY",
    "LEARNED_FILE",
    "MEDIATION_CHANNEL",
    "SINCE_CHOICES",
    "TAUGHT_PREFIX",
    "Need",
    "Report",
    "ReviewError",
    "TeachResult",
    "add_question",
    "append_learned",
    "build_report",
    "check_quartier",
    "cluster",
    "cluster_key",
    "concept_index",
    "dismiss",
    "find_need",
    "format_table",
    "format_topics",
    "known_entry_ids",
    "learnable_phrasings",
    "need_id",
    "needs_summary_text",
    "parse_since",
    "render_html",
    "teach",
    "write_csv",
    "write_html",
]
