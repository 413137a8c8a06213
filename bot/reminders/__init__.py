"""Opt-in reminders before deadlines and call-back requests: the conversations and their dates.

`calendar` says which reminders fit which answers and when each is due,
`dates` and `phone` read what residents type, `flow` and `callback` are the
channel-agnostic conversations (buttons and text in, `Reply` out).

`flow` and `callback` are imported from their modules, not re-exported here:
they build on `bot.conversation`, whose core imports them, so loading them
with this package made `import bot.reminders` (or `bot.reminders.dates`)
fail on a circular import when nothing had loaded the conversation first.
"""

from bot.reminders.calendar import KINDS, Kind, kinds_for
from bot.reminders.dates import read_date
from bot.reminders.phone import read_phone

__all__ = ["KINDS", "Kind", "kinds_for", "read_date", "read_phone"]
