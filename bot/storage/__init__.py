"""What the bot keeps on disk, for the laboratoire, and how personal data is kept out of it.

`schema` holds the tables and migrations, `writer` the single writing thread,
`store` the recorder and the laboratoire's reads, `redact` removes personal
data from text before it is stored or logged, and `privacy` turns a chat id
into an opaque key.
"""

from bot.storage.privacy import conversation_key, load_or_create_secret
from bot.storage.redact import contains_tag, redact, redact_normalized, strip_tags
from bot.storage.store import (
    QuartierStats,
    Store,
    TopicCount,
    UnmetQuestion,
    iso_week,
    open_store,
    purge_daily,
)
from bot.storage.writer import StoreUnavailable, Writer

__all__ = [
    "QuartierStats",
    "Store",
    "StoreUnavailable",
    "TopicCount",
    "UnmetQuestion",
    "Writer",
    "contains_tag",
    "conversation_key",
    "iso_week",
    "load_or_create_secret",
    "open_store",
    "purge_daily",
    "redact",
    "redact_normalized",
    "strip_tags",
]
