"""Opt-in reminders before deadlines and call-back requests: the conversations and their dates.

`calendar` says which reminders fit which answers and when each is due,
`dates` and `phone` read what residents type, `flow` and `callback` are the
channel-agnostic conversations (buttons and text in, `Reply` out).
"""

from bot.reminders.calendar import KINDS, Kind, kinds_for
from bot.reminders.callback import CallbackFlow
from bot.reminders.dates import read_date
from bot.reminders.flow import ReminderFlow
from bot.reminders.phone import read_phone

__all__ = ["KINDS", "CallbackFlow", "Kind", "ReminderFlow", "kinds_for", "read_date", "read_phone"]
