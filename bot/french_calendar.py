"""Day and month names in French, written once.

Replies about opening hours (« le lundi 4 janvier ») and reminders
(« le 31 mars 2027 ») name days and months: one list keeps both in the same
words, so a spelling fixed in one is fixed everywhere.
"""

from __future__ import annotations

DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
