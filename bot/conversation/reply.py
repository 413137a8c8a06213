"""What the conversation core hands back to a channel: text, buttons, and what was understood.

Channels (console, Telegram) only render these; they never decide wording.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Button:
    """A choice offered to the resident.

    `action` is sent back to `Conversation.press` when chosen. It is short ASCII
    (well under Telegram's 64-byte callback limit) so adapters can pass it as is.
    """

    label: str
    action: str


@dataclass
class Reply:
    """One answer of the bot.

    `text` is plain text (no markup): each channel escapes and formats it.
    `kind` tells adapters and tests what happened without parsing French text:
    answer, suggest, unknown, emergency, quartier, info, feedback, forgotten.
    """

    text: str
    kind: str = "info"
    buttons: list[list[Button]] = field(default_factory=list)
    entry_id: str | None = None
    score: int = 0
    quartier: str | None = None
    suggestions: list[str] = field(default_factory=list)
    # The help points and the phone line shown (ids), so tests and benchmarks need not parse French.
    places: list[str] = field(default_factory=list)
    phone_line: str | None = None
