"""Which reminders fit which answers, and when each one is due: pure functions of dates.

Why pure: reminders run for months. Every function here takes `today` (or
`now`) as an argument, never reads the clock, so tests walk through a whole
year of reminders in milliseconds and the scheduler only has to ask "what is
due now?".

The dates come from the knowledge entries they remind of (each is sourced
there); what is our own choice, not a rule of an administration, is said so:
- quarterly declaration of resources (RSA, prime d'activité): every 3 months,
  the month the resident says their next declaration is due (entries
  `rsa`, `prime-activite`: « Déclarez vos ressources tous les 3 mois »);
- complémentaire santé solidaire: granted for one year, renewal to be asked
  about 2 months before the end (entry `css`, ameli.fr renewal page): one
  reminder 2 months before the end date the resident gives;
- allocation de rentrée scolaire: paid by the CAF in August (entry
  `rentree-scolaire`); the exact payment day of the year is "à confirmer";
- income tax return: every spring, from April (entry `impots`); the opening
  and closing dates of each year's campaign are "à confirmer";
- chèque énergie: the cheque has a last day of use written on it (entry
  `cheque-energie`): one reminder a month before that day (our choice);
- titre de séjour: renewal online between 4 and 2 months before its end, i.e.
  from the 120th to the 60th day (entry `titre-sejour`): a reminder on the
  120th day before the end date given, and a last one on the 75th (our choice,
  inside that window).
Reminders are sent at 10:00, Brest time, never at night (our choice).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum

from bot.config import PARIS
from bot.french_calendar import MONTHS

SEND_TIME = dt.time(10, 0)
LATE_LIMIT = dt.timedelta(days=3)  # a reminder missed while the bot was down is sent if less late than this
MAX_AHEAD = dt.timedelta(days=4 * 366 + 31)  # a date further than this is refused: we keep nothing that long
QUARTERLY_COUNT = 4  # one year of quarterly declarations, then the series ends and its data is erased


class Needs(str, Enum):
    """What the resident must tell us before a series can be computed."""

    NOTHING = "rien"
    MONTH = "mois"  # one of the next three months
    DATE = "date"  # a date written on a paper (end of right, validity)


@dataclass(frozen=True)
class Kind:
    """One kind of reminder: what it is about, under which answers, and what it needs."""

    id: str
    label: str  # "la déclaration trimestrielle de ressources (RSA, prime d'activité)"
    short: str  # button label
    entries: tuple[str, ...]
    needs: Needs
    question: str = ""  # asked when a month or a date is needed
    todo: str = ""  # the first line of the reminder message: what to do now


KINDS: tuple[Kind, ...] = (
    Kind(
        id="trimestrielle",
        label="la déclaration trimestrielle de ressources (RSA, prime d'activité)",
        short="Déclaration trimestrielle CAF",
        entries=("rsa", "prime-activite"),
        needs=Needs.MONTH,
        question="En quel mois est votre prochaine déclaration trimestrielle ? (elle revient tous les 3 mois)",
        todo="C'est le mois de votre déclaration trimestrielle de ressources à la CAF (RSA, prime d'activité). "
        "Faites-la sur caf.fr ou l'appli CAF, même si rien n'a changé : sans elle, le versement peut s'arrêter.",
    ),
    Kind(
        id="css",
        label="le renouvellement de la complémentaire santé solidaire (CSS)",
        short="Renouveler la CSS",
        entries=("css",),
        needs=Needs.DATE,
        question="Quelle est la date de fin de votre complémentaire santé solidaire ? "
        "Elle est écrite sur votre attestation ou dans votre compte ameli (par exemple 31/03/2027).",
        todo="Votre complémentaire santé solidaire se termine dans environ 2 mois : demandez son renouvellement "
        "maintenant, sur votre compte ameli ou avec le formulaire papier à la CPAM.",
    ),
    Kind(
        id="ars",
        label="l'allocation de rentrée scolaire (ARS), versée en août",
        short="Allocation de rentrée (août)",
        entries=("rentree-scolaire",),
        needs=Needs.NOTHING,
        todo="L'allocation de rentrée scolaire est versée par la CAF en août (date exacte de cette année à "
        "confirmer sur caf.fr). Pour un jeune de 16 à 18 ans, vérifiez que sa scolarité est déclarée.",
    ),
    Kind(
        id="impots",
        label="la déclaration de revenus du printemps",
        short="Déclaration de revenus (printemps)",
        entries=("impots",),
        needs=Needs.NOTHING,
        todo="C'est le printemps : il faut déclarer vos revenus de l'an dernier, même si vous avez peu ou pas de "
        "revenus (dates limites de cette année à confirmer sur impots.gouv.fr).",
    ),
    Kind(
        id="cheque-energie",
        label="la date limite de votre chèque énergie",
        short="Date limite du chèque énergie",
        entries=("cheque-energie",),
        needs=Needs.DATE,
        question="Quelle est la date limite écrite sur votre chèque énergie ? (par exemple 31/03/2027)",
        todo="Votre chèque énergie arrive bientôt à sa date limite (dans environ un mois) : utilisez-le vite, "
        "en ligne sur chequeenergie.gouv.fr ou en l'envoyant à votre fournisseur.",
    ),
    Kind(
        id="titre-sejour",
        label="le renouvellement de votre titre de séjour",
        short="Renouveler mon titre de séjour",
        entries=("titre-sejour",),
        needs=Needs.DATE,
        question="Quelle est la date de fin de votre titre de séjour ? (par exemple 15/09/2027)",
        todo="C'est le moment de demander le renouvellement de votre titre de séjour, en ligne sur le site de "
        "l'ANEF : la demande se fait entre 4 mois et 2 mois avant la date de fin.",
    ),
)
BY_ID = {kind.id: kind for kind in KINDS}


def kinds_for(entry_id: str | None) -> list[Kind]:
    """The reminders worth offering under the answer of this entry (none for most)."""
    return [kind for kind in KINDS if entry_id in kind.entries]


def month_choices(today: dt.date) -> list[dt.date]:
    """The three months a quarterly declaration can next fall in: next month and the two after.

    The current month is not offered: if the declaration is due now, the
    next one is in three months, which is the third choice.
    """
    first = _add_months(today.replace(day=1), 1)
    return [_add_months(first, i) for i in range(3)]


def series(kind: Kind, today: dt.date, given: dt.date | None = None) -> list[dt.date]:
    """Every day a reminder of this kind will be sent, all after `today`; [] if none can be.

    `given` is the month (any day in it) or the date the resident gave, when
    the kind needs one. A date already too close gives one reminder
    tomorrow rather than none.
    """
    if kind.needs is not Needs.NOTHING and given is None:
        raise ValueError(f"{kind.id} needs a {kind.needs.value}")
    if kind.id == "trimestrielle":
        assert given is not None
        start = given.replace(day=1)
        days = [_add_months(start, 3 * i) for i in range(QUARTERLY_COUNT)]
    elif kind.id == "ars":
        days = [_next_yearly(today, 8, 1)]
    elif kind.id == "impots":
        days = [_next_yearly(today, 4, 15)]
    elif kind.id == "css":
        assert given is not None
        days = [_add_months(given, -2)]
    elif kind.id == "cheque-energie":
        assert given is not None
        days = [_add_months(given, -1)]
    elif kind.id == "titre-sejour":
        assert given is not None
        days = [given - dt.timedelta(days=120), given - dt.timedelta(days=75)]
    else:  # pragma: no cover - KINDS is closed
        raise ValueError(kind.id)
    if given is not None and kind.needs is Needs.DATE:
        if given <= today:
            return []
        future = [day for day in days if day > today]
        return future or [today + dt.timedelta(days=1)]
    return [day for day in days if day > today]


def due_at(day: dt.date) -> dt.datetime:
    """The moment a reminder of that day is sent (aware, Brest time)."""
    return dt.datetime.combine(day, SEND_TIME, tzinfo=PARIS)


def next_due(days: list[dt.date], now: dt.datetime) -> dt.date | None:
    """The first reminder day whose sending time is still ahead of `now`."""
    for day in sorted(days):
        if due_at(day) > now:
            return day
    return None


def catch_up(days: list[dt.date], now: dt.datetime) -> tuple[dt.date | None, list[dt.date]]:
    """At start (or on a late tick): the missed reminder to send now, and the days still to come.

    A reminder missed while the bot was down is sent once if it is less than
    LATE_LIMIT late; older missed ones are skipped (a reminder for a deadline
    long passed would only confuse). Several missed ones: only the latest counts.
    """
    missed = [day for day in sorted(days) if due_at(day) <= now]
    ahead = [day for day in sorted(days) if due_at(day) > now]
    send = missed[-1] if missed and now - due_at(missed[-1]) < LATE_LIMIT else None
    return send, ahead


def series_end(days: list[dt.date]) -> dt.date | None:
    """The last reminder day: after it the series and everything kept for it is erased."""
    return max(days) if days else None


def french_date(day: dt.date) -> str:
    """ "1er mars 2027", "15 avril 2027"."""
    number = "1er" if day.day == 1 else str(day.day)
    return f"{number} {MONTHS[day.month - 1]} {day.year}"


def french_month(day: dt.date) -> str:
    """ "mars 2027"."""
    return f"{MONTHS[day.month - 1]} {day.year}"


def _add_months(day: dt.date, months: int) -> dt.date:
    """Same day `months` later (or earlier), clamped to the month's last day (31 → 30 or 28)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


def _next_yearly(today: dt.date, month: int, day: int) -> dt.date:
    """This year's (month, day) if still ahead of today, else next year's."""
    this_year = dt.date(today.year, month, day)
    return this_year if this_year > today else dt.date(today.year + 1, month, day)
