"""The port through which the conversation core remembers things.

The core only knows this protocol. `MemoryRecorder` keeps everything in memory
(console, tests); `bot.storage.store.Store` persists it in SQLite with redaction.
Keys are opaque conversation keys (an HMAC of the chat id for Telegram), never
raw user ids.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

# Why a question went unanswered (None: nothing came close). The laboratoire keeps
# declined questions apart from unmet needs.
REASON_OFFTOPIC = "hors-sujet"  # the bot said it does not deal with this
REASON_HESITATED = "hesitation"  # the bot offered choices instead of answering
REASONS = (REASON_OFFTOPIC, REASON_HESITATED)


class Recorder(Protocol):
    # Whether unanswered questions are really kept: the bot only promises what it does.
    keeps_questions: bool

    def quartier_of(self, key: str) -> str | None:
        """The quartier this conversation chose earlier, if any."""

    def remember_quartier(self, key: str, quartier: str | None) -> None:
        """Store (or clear, with None) the conversation's quartier."""

    def record_answered(self, entry_id: str, quartier: str | None, channel: str) -> None:
        """Count one answered question on this topic (no text is kept)."""

    def record_unanswered(
        self,
        question: str,
        normalized: str,
        quartier: str | None,
        channel: str,
        guess: str | None,
        score: int,
        *,
        reason: str | None = None,
    ) -> None:
        """Keep a question the bot could not answer, for the laboratoire (redacted by the store)."""

    def record_feedback(self, entry_id: str, question: str, helpful: bool, quartier: str | None, channel: str) -> None:
        """Keep a resident's 👍/👎 on an answer (redacted question; only 👎 keeps text)."""

    def record_orientation(self, rights: Sequence[str], channel: str) -> None:
        """Count one completed rights check and the rights it listed; never the answers."""

    def forget(self, key: str) -> None:
        """Erase everything stored for this conversation."""


class MemoryRecorder:
    """Keeps the conversation's quartier in memory and drops the rest.

    Used by the console and by `ask`, which must never write anything to disk.
    """

    keeps_questions = False

    def __init__(self) -> None:
        self._quartiers: dict[str, str] = {}

    def quartier_of(self, key: str) -> str | None:
        return self._quartiers.get(key)

    def remember_quartier(self, key: str, quartier: str | None) -> None:
        if quartier is None:
            self._quartiers.pop(key, None)
        else:
            self._quartiers[key] = quartier

    def record_answered(self, entry_id: str, quartier: str | None, channel: str) -> None:
        pass

    def record_unanswered(
        self,
        question: str,
        normalized: str,
        quartier: str | None,
        channel: str,
        guess: str | None,
        score: int,
        *,
        reason: str | None = None,
    ) -> None:
        pass

    def record_feedback(self, entry_id: str, question: str, helpful: bool, quartier: str | None, channel: str) -> None:
        pass

    def record_orientation(self, rights: Sequence[str], channel: str) -> None:
        pass

    def forget(self, key: str) -> None:
        self._quartiers.pop(key, None)
