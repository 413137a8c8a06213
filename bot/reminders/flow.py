"""The opt-in reminder conversation, channel-agnostic: buttons and typed dates in, Reply out.

Why a flow of its own: a reminder is the one place where the bot keeps a way
to reach a resident again, so each step is explicit. The resident chooses
the kind, gives the month or the date it needs, then reads ONE sentence that
says what will be kept (the address of this chat, the kind of reminder, the
next date) and until when, and only a "Oui" stores it. `/rappels` lists the
series with a button to stop each; `/oubli` erases them all.

The core hands us an opaque `address` (the chat to write to) only on
channels that can write later (Telegram); the console passes None and is told
reminders need Telegram. Nothing here logs an address, a date given, or text.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.conversation.actions import Action, ReminderStep, encode, split_step
from bot.conversation.dont_know import says_dont_know
from bot.conversation.reply import Button, Reply
from bot.reminders.calendar import (
    BY_ID,
    Kind,
    Needs,
    french_date,
    french_month,
    kinds_for,
    month_choices,
    series,
    series_end,
)
from bot.reminders.dates import read_date
from bot.storage.writer import StoreUnavailable
from bot.understanding.normalize import fold

log = logging.getLogger(__name__)

OFFER = "🔔 Me le rappeler"
STOP = "🔕 Arrêter ce rappel"
PENDING_MINUTES = 30  # a half-finished opt-in is forgotten after this
MAX_CHECK_REMINDERS = 3  # « 🔔 » rows under the rights check's list: more would hide the rights themselves
MAX_PENDING = 10_000

CONSOLE_ONLY = (
    "Les rappels ne peuvent être envoyés que sur Telegram : sur la console, je ne peux pas vous "
    "écrire plus tard. Notez la date, ou demandez à un lieu d'aide de vous aider."
)
UNAVAILABLE = "Je ne peux pas enregistrer de rappel pour le moment (problème technique). Réessayez plus tard."
DECLINED = "D'accord, je ne garde rien."
NONE_YET = "Vous n'avez aucun rappel en cours. Sous certaines réponses, le bouton « 🔔 Me le rappeler » en propose."
STOPPED = "C'est arrêté : ce rappel et ce que je gardais pour lui sont effacés."
ALREADY_GONE = "Ce rappel n'existe plus (il est fini ou a déjà été arrêté)."
EXPIRED = "Ce choix n'est plus valable. Appuyez de nouveau sur « 🔔 Me le rappeler » sous la réponse."
MONTH_NOT_KNOWN = (
    "Pas de souci. La CAF, ou une personne d'un lieu d'aide, peut vous dire le mois de votre déclaration. "
    "Sinon, appuyez sur « Annuler »."
)
PRESS_TO_AGREE = "Pour que je garde ce rappel, appuyez sur le bouton « ✅ Oui, me le rappeler » ci-dessous."
DATE_NOT_KNOWN = (
    "Pas de souci. Quand vous aurez la date, écrivez-la ci-dessous. "
    "Une personne d'un lieu d'aide peut vous aider à la trouver. Sinon, appuyez sur « Annuler »."
)


@dataclass
class _Draft:
    """What the resident is about to agree to (memory only, until "Oui" or expiry)."""

    kind: Kind
    entry_id: str | None
    days: list[dt.date]
    since: dt.datetime
    awaiting_date: bool = False


class ReminderFlow:
    """Offers, confirms, lists and stops reminders for the conversation core.

    `book` is a `bot.storage.consented.ConsentedData` (or None: nothing can be
    kept, e.g. the console); `clock` returns an aware datetime; `quartier_of`
    gives the conversation's quartier (stored with the series for the
    reminder's help point).
    """

    def __init__(
        self, book: Any | None, clock: Callable[[], dt.datetime], quartier_of: Callable[[str], str | None]
    ) -> None:
        self.book = book
        self.clock = clock
        self.quartier_of = quartier_of
        self._drafts: OrderedDict[str, _Draft] = OrderedDict()
        self._saved: OrderedDict[str, str] = OrderedDict()  # key -> kind id of the last series agreed to

    # ------------------------------------------------------------------ hooks for the core

    @staticmethod
    def offer_button(entry_id: str | None) -> list[Button]:
        """The "🔔 Me le rappeler" row under an answer where a deadline matters, else []."""
        return (
            [Button(OFFER, encode(Action.REMINDER, ReminderStep.OFFER, entry_id or ""))] if kinds_for(entry_id) else []
        )

    @staticmethod
    def kind_buttons(entry_ids: list[str], limit: int = MAX_CHECK_REMINDERS) -> list[list[Button]]:
        """One « 🔔 Rappel : … » row per kind of reminder the listed rights have (once each), list order.

        Under the rights check's list: a right with a date not to miss (the CSS to
        renew, the quarterly declaration) offers its reminder where the resident
        reads it, without opening each entry first.
        """
        rows: list[list[Button]] = []
        seen: set[str] = set()
        for entry_id in entry_ids:
            for kind in kinds_for(entry_id):
                if kind.id in seen or len(rows) >= limit:
                    continue
                seen.add(kind.id)
                action = encode(Action.REMINDER, ReminderStep.KIND, kind.id, entry_id)
                rows.append([Button(f"🔔 Rappel : {kind.short}", action)])
        return rows

    def press(self, key: str, value: str, address: str | None) -> Reply:
        """An action "rap:…" (the core strips "rap:")."""
        step, rest = split_step(ReminderStep, value)
        if step is ReminderStep.LIST:
            return self.listing(key)
        if step is ReminderStep.STOP:
            return self._stop(key, rest)
        if step is ReminderStep.NO:
            self._drafts.pop(key, None)
            return Reply(DECLINED, kind="info")
        if address is None or self.book is None:
            return Reply(CONSOLE_ONLY, kind="info")
        if step is ReminderStep.OFFER:
            return self._offer(key, rest)
        if step is ReminderStep.KIND:
            kind_id, _, entry_id = rest.partition(":")
            return self._choose_kind(key, kind_id, entry_id or None)
        if step is ReminderStep.MONTH:
            return self._choose_month(key, rest)
        if step is ReminderStep.YES:
            return self._confirm(key, address)
        return Reply(EXPIRED, kind="info")

    def typed(self, key: str, text: str) -> Reply | None:
        """A typed message while a date is awaited: the next step, or None to let the core answer it.

        « Je sais pas » is an answer to the question, not a new question: the
        question is asked again, kindly, with « Annuler » (never read as a
        date, never matched). Anything else that does not look like an
        attempt at a date (no digit, no month name) is a new question: the
        draft is dropped and the core answers it as usual, so nobody gets
        stuck in the flow.
        """
        draft = self._live_draft(key)
        if draft is not None and not draft.awaiting_date:
            return self._typed_at_a_button_step(key, draft, text)
        if draft is None:
            return None
        if says_dont_know(text):
            return Reply(f"{DATE_NOT_KNOWN}\n{draft.kind.question}", kind="reminder", buttons=[[_CANCEL]])
        if not _looks_like_a_date(text):
            self._drafts.pop(key, None)
            return None
        today = self.clock().date()
        read = read_date(text, today)
        if read.day is None:
            return Reply(
                f"{read.problem}\n{draft.kind.question}",
                kind="reminder",
                buttons=[[Button("Annuler", encode(Action.REMINDER, ReminderStep.NO))]],
            )
        days = series(draft.kind, today, read.day)
        if not days:
            self._drafts.pop(key, None)
            return Reply("Cette date est trop proche pour un rappel : faites la démarche dès maintenant.", kind="info")
        draft.days, draft.awaiting_date = days, False
        return self._ask_consent(draft)

    def _typed_at_a_button_step(self, key: str, draft: _Draft, text: str) -> Reply | None:
        """A month typed for its button, « non » to the consent, « oui » said where only the button consents.

        Nobody is signed up by a typed word: « oui » gets the sentence again with
        its buttons (the consent is the press). A month asked for and a new
        question typed instead drops the draft, as at the date step.
        """
        words = fold(text)
        if words in _NO_WORDS:
            self._drafts.pop(key, None)
            return Reply(DECLINED, kind="info")
        if draft.days:  # the one sentence of consent is on screen
            if words in _YES_WORDS:
                reply = self._ask_consent(draft)
                reply.text = PRESS_TO_AGREE + "\n\n" + reply.text
                return reply
            return None
        month = _typed_month(words, month_choices(self.clock().date()))
        if month is not None:
            draft.days = series(draft.kind, self.clock().date(), month)
            return self._ask_consent(draft)
        if says_dont_know(text):
            return self._month_question(draft, opening=MONTH_NOT_KNOWN)
        self._drafts.pop(key, None)
        return None

    def listing(self, key: str) -> Reply:
        """/rappels: each series with its next date and a button to stop it."""
        if self.book is None:
            return Reply(CONSOLE_ONLY, kind="info")
        try:
            stored = self.book.reminders_of(key)
        except StoreUnavailable:  # say so, never a traceback
            log.warning("liste des rappels indisponible")
            return Reply(UNAVAILABLE, kind="info")
        if not stored:
            return Reply(NONE_YET, kind="info")
        lines, buttons = ["Vos rappels :"], []
        for index, reminder in enumerate(stored, 1):
            kind = BY_ID.get(reminder.kind)
            label = kind.label if kind else reminder.kind
            lines.append(
                f"{index}. {label[0].upper()}{label[1:]} : prochain rappel le {french_date(reminder.days[0])}"
                + (f", dernier le {french_date(reminder.days[-1])}" if len(reminder.days) > 1 else "")
            )
            buttons.append(
                [Button(f"🔕 Arrêter le rappel {index}", encode(Action.REMINDER, ReminderStep.STOP, str(reminder.id)))]
            )
        lines.append("/oubli efface tous vos rappels d'un coup.")
        return Reply("\n".join(lines), kind="reminder", buttons=buttons)

    def forget(self, key: str) -> None:
        self._drafts.pop(key, None)
        self._saved.pop(key, None)

    # ------------------------------------------------------------------ steps

    def _offer(self, key: str, entry_id: str) -> Reply:
        kinds = kinds_for(entry_id)
        if not kinds:
            return Reply(EXPIRED, kind="info")
        if len(kinds) == 1:
            return self._choose_kind(key, kinds[0].id, entry_id)
        buttons = [
            [Button(kind.short, encode(Action.REMINDER, ReminderStep.KIND, kind.id, entry_id))] for kind in kinds
        ]
        return Reply("De quoi voulez-vous que je vous fasse penser ?", kind="reminder", buttons=buttons)

    def _choose_kind(self, key: str, kind_id: str, entry_id: str | None) -> Reply:
        kind = BY_ID.get(kind_id)
        if kind is None:
            return Reply(EXPIRED, kind="info")
        existing = self._existing(key, kind.id)
        if existing is not None:  # one series per kind: a second press must not double the messages
            return Reply(
                f"Vous avez déjà un rappel pour {kind.label} : le prochain le {french_date(existing.days[0])}. "
                "/rappels pour le voir ou l'arrêter (puis en demander un autre).",
                kind="info",
                buttons=[[Button("Voir mes rappels", encode(Action.REMINDER, ReminderStep.LIST))]],
            )
        now = self.clock()
        draft = _Draft(kind, entry_id, [], now)
        if kind.needs is Needs.MONTH:
            self._keep(key, draft)
            return self._month_question(draft)
        if kind.needs is Needs.DATE:
            draft.awaiting_date = True
            self._keep(key, draft)
            return Reply(
                kind.question + "\nÉcrivez-la ci-dessous.",
                kind="reminder",
                buttons=[[Button("Annuler", encode(Action.REMINDER, ReminderStep.NO))]],
            )
        draft.days = series(kind, now.date())
        self._keep(key, draft)
        return self._ask_consent(draft)

    def _month_question(self, draft: _Draft, opening: str = "") -> Reply:
        buttons = [
            [Button(french_month(month), encode(Action.REMINDER, ReminderStep.MONTH, f"{month:%Y-%m}"))]
            for month in month_choices(self.clock().date())
        ]
        buttons.append([_CANCEL])
        text = f"{opening}\n{draft.kind.question}" if opening else draft.kind.question
        return Reply(text, kind="reminder", buttons=buttons)

    def _choose_month(self, key: str, value: str) -> Reply:
        draft = self._live_draft(key)
        try:
            month = dt.date.fromisoformat(value + "-01")
        except ValueError:
            return Reply(EXPIRED, kind="info")
        if draft is None or draft.kind.needs is not Needs.MONTH or month not in month_choices(self.clock().date()):
            return Reply(EXPIRED, kind="info")
        draft.days = series(draft.kind, self.clock().date(), month)
        return self._ask_consent(draft)

    def _ask_consent(self, draft: _Draft) -> Reply:
        """The one explicit sentence: what is kept, for what, until when."""
        first, last = draft.days[0], series_end(draft.days)
        assert last is not None
        count = f"{len(draft.days)} rappels, le premier" if len(draft.days) > 1 else "un rappel"
        text = (
            f"Je vous enverrai {count} le {french_date(first)} vers 10 h, pour {draft.kind.label}. "
            f"Pour cela je garderai, chiffrés, l'adresse de cette conversation Telegram (pour vous écrire), "
            f"le type de rappel et ses dates, jusqu'au {french_date(last)} ; ensuite j'efface tout. "
            "Vous pouvez l'arrêter avant avec /rappels, ou tout effacer avec /oubli. D'accord ?"
        )
        return Reply(
            text,
            kind="reminder",
            buttons=[
                [
                    Button("✅ Oui, me le rappeler", encode(Action.REMINDER, ReminderStep.YES)),
                    Button("Non merci", encode(Action.REMINDER, ReminderStep.NO)),
                ]
            ],
        )

    def _confirm(self, key: str, address: str) -> Reply:
        draft = self._live_draft(key)
        if draft is None and (saved := self._already_saved(key)) is not None:
            # « Oui » tapped twice (the second press left before the buttons were removed): it worked.
            return Reply(
                f"C'est déjà noté : je vous écrirai le {french_date(saved.days[0])}. "
                "/rappels pour voir ou arrêter vos rappels.",
                kind="info",
            )
        if draft is None or not draft.days or draft.awaiting_date or self.book is None:
            return Reply(EXPIRED, kind="info")
        self._drafts.pop(key, None)
        try:
            self.book.add_reminder(key, address, draft.kind.id, draft.entry_id, self.quartier_of(key), draft.days)
        except StoreUnavailable:  # nothing kept, and the resident is told
            log.warning("rappel non enregistré (base indisponible)")
            return Reply(UNAVAILABLE, kind="info")
        self._saved[key] = draft.kind.id
        self._saved.move_to_end(key)
        while len(self._saved) > MAX_PENDING:
            self._saved.popitem(last=False)
        return Reply(
            f"C'est noté : je vous écrirai le {french_date(draft.days[0])}. /rappels pour voir ou arrêter vos rappels.",
            kind="reminder-saved",
        )

    def _stop(self, key: str, ident: str) -> Reply:
        if self.book is None:
            return Reply(CONSOLE_ONLY, kind="info")
        try:
            stopped = self.book.cancel_reminder(key, ident)
        except StoreUnavailable:
            log.warning("arrêt d'un rappel impossible (base indisponible)")
            return Reply(UNAVAILABLE, kind="info")
        return Reply(STOPPED if stopped else ALREADY_GONE, kind="reminder-stopped" if stopped else "info")

    def _already_saved(self, key: str) -> Any | None:
        """The series this conversation agreed to last, if it is still stored (the store is the truth)."""
        kind_id = self._saved.get(key)
        return self._existing(key, kind_id) if kind_id else None

    def _existing(self, key: str, kind_id: str) -> Any | None:
        if self.book is None:
            return None
        try:
            return next((r for r in self.book.reminders_of(key) if r.kind == kind_id), None)
        except StoreUnavailable:
            return None

    # ------------------------------------------------------------------ drafts

    def _keep(self, key: str, draft: _Draft) -> None:
        self._drafts[key] = draft
        self._drafts.move_to_end(key)
        while len(self._drafts) > MAX_PENDING:
            self._drafts.popitem(last=False)

    def _live_draft(self, key: str) -> _Draft | None:
        draft = self._drafts.get(key)
        if draft and self.clock() - draft.since > dt.timedelta(minutes=PENDING_MINUTES):
            self._drafts.pop(key, None)
            return None
        return draft


_CANCEL = Button("Annuler", encode(Action.REMINDER, ReminderStep.NO))
_YES_WORDS = frozenset({"oui", "ouais", "ouai", "d accord", "dac", "oui merci", "oui d accord", "yes", "volontiers"})
_NO_WORDS = frozenset({"non", "non merci", "annuler", "annule", "pas besoin", "laisse tomber", "no"})
_MONTH_NAMES = (
    "janvier",
    "fevrier",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "aout",
    "septembre",
    "octobre",
    "novembre",
    "decembre",
)


def _typed_month(words: str, choices: list[dt.date]) -> dt.date | None:
    """The offered month the resident typed (« février », « en mars », « mars 2027 »), or None."""
    for month in choices:
        name = _MONTH_NAMES[month.month - 1]
        if words in (name, f"en {name}", f"{name} {month.year}", f"en {name} {month.year}", f"{month.month:02d}"):
            return month
    return None


_MONTH_WORDS = (
    "janv",
    "fev",
    "fév",
    "mars",
    "avr",
    "mai",
    "juin",
    "juil",
    "aout",
    "août",
    "sept",
    "oct",
    "nov",
    "dec",
    "déc",
)


def _looks_like_a_date(text: str) -> bool:
    lowered = (text or "").lower()
    return any(ch.isdigit() for ch in lowered) or any(word in lowered for word in _MONTH_WORDS)


def reminder_reply(reminder: Any, entry: Any | None, help_point: str, last: bool) -> Reply:
    """The reminder itself: what to do now, the entry's answer, where to get help, and a way to stop.

    `entry` is the knowledge entry the reminder was set under (None if it
    has since been removed: the reminder still says what to do);
    `help_point` is the core's description of the quartier's help point.
    """
    kind = BY_ID.get(reminder.kind)
    parts = ["🔔 Rappel : " + (kind.todo if kind else "c'est le moment de votre démarche.")]
    if entry is not None:
        parts.append(f"{entry.title}\n{entry.answer.strip()}")
    if help_point:
        parts.append(help_point)
    if last:
        parts.append("C'était le dernier rappel de cette série : ce que je gardais pour lui est effacé.")
        return Reply("\n\n".join(parts), kind="reminder-sent")
    return Reply(
        "\n\n".join(parts),
        kind="reminder-sent",
        buttons=[[Button(STOP, encode(Action.REMINDER, ReminderStep.STOP, str(reminder.id)))]],
    )
