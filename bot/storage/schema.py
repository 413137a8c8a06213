"""The database schema and its migrations (sqlite-utils), applied when the writer opens the file.

Each migration runs once, in order, and is recorded in the database: add a new
`mNNN_…` function for any change, never edit one that has shipped.
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

migrations = Migrations("relais")


@migrations()
def m001_initial(db: Database) -> None:
    """First schema: the four tables of the issue, indexed for purge and review."""
    db.table("unanswered").create(
        {
            "id": int,
            "day": str,
            "week": str,
            "quartier": str,
            "channel": str,
            "question": str,
            "normalized": str,
            "guess": str,
            "score": int,
            "status": str,
            "reviewed_day": str,
        },
        pk="id",
        not_null={"day", "week", "channel", "question", "normalized", "score"},
    )
    db.table("unanswered").create_index(["day"])
    db.table("unanswered").create_index(["status"])
    db.table("feedback").create(
        {
            "id": int,
            "day": str,
            "week": str,
            "entry_id": str,
            "helpful": int,
            "question": str,
            "quartier": str,
            "channel": str,
        },
        pk="id",
        not_null={"day", "week", "entry_id", "helpful", "channel"},
    )
    db.table("feedback").create_index(["day"])
    db.table("answered_daily").create(
        {"day": str, "week": str, "quartier": str, "entry_id": str, "channel": str, "count": int},
        pk=("day", "quartier", "entry_id", "channel"),
        not_null={"day", "week", "quartier", "entry_id", "channel", "count"},
    )
    db.table("conversations").create(
        {"key": str, "quartier": str, "updated_day": str}, pk="key", not_null={"updated_day"}
    )


@migrations()
def m002_unanswered_reason(db: Database) -> None:
    """Why a question went unanswered: "hors-sujet" (declined), "hesitation", or NULL (unknown).

    The laboratoire keeps declined questions apart from unmet needs; rows
    written before this migration have no reason and count as unmet needs.
    """
    db.table("unanswered").add_column("reason", str)


@migrations()
def m003_orientation_daily(db: Database) -> None:
    """Rights checks: how many were completed and which rights they listed, per day; never the answers."""
    db.table("orientation_daily").create(
        {"day": str, "week": str, "channel": str, "count": int},
        pk=("day", "channel"),
        not_null={"day", "week", "channel", "count"},
    )
    db.table("orientation_rights_daily").create(
        {"day": str, "week": str, "channel": str, "entry_id": str, "count": int},
        pk=("day", "channel", "entry_id"),
        not_null={"day", "week", "channel", "entry_id", "count"},
    )
