"""The database schema and its migrations (sqlite-utils), applied when the writer opens the file.

Each migration runs once, in order, and is recorded in the database: add a new
`mNNN_…` function for any change, never edit one that has shipped. Two sets
live here, every migration of the database in one place: `migrations`
("relais", applied when the store opens) and `consent_migrations`
("relais-consent", reminders and call-backs, applied by `ConsentedData`).
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


# What residents explicitly agreed to let us keep (bot.storage.consented): its own set, applied
# when that data is opened. The set's and the functions' names are recorded in existing databases:
# never rename them.
consent_migrations = Migrations("relais-consent")


@consent_migrations()
def m001_consented(db: Database) -> None:
    """Reminders, call-back requests, and the fingerprint of the key they were encrypted with."""
    db.table("reminders").create(
        {
            "id": str,
            "conv": str,
            "kind": str,
            "entry_id": str,
            "quartier": str,
            "chat": bytes,
            "days": str,
            "created_day": str,
            "ends_day": str,
        },
        pk="id",
        not_null={"conv", "kind", "chat", "days", "ends_day"},
    )
    db.table("reminders").create_index(["conv"])
    db.table("callbacks").create(
        {
            "id": str,
            "conv": str,
            "quartier": str,
            "topic": str,
            "phone": bytes,
            "chat": bytes,
            "created": str,
            "status": str,
            "taken_by": str,
            "expires_day": str,
        },
        pk="id",
        not_null={"conv", "chat", "created", "status", "expires_day"},
    )
    db.table("callbacks").create_index(["conv"])
    db.table("consent_meta").create({"name": str, "value": str}, pk="name")
