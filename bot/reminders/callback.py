"""« 📞 Être rappelé(e) par une personne »: a warm hand-off to the quartier's mediators.

Why: help with the application itself raises take-up far more than
information. A resident leaves a phone number (or says they will come by),
with one sentence of consent saying who will see it and when it is erased;
the request goes to the mediators of their quartier (RELAIS_MEDIATEURS), who
press « Pris en charge » then « Fait ». The resident is told when a person
has taken it. Done requests are erased at once, the others after 14 days.

Channel-agnostic: the core gives an opaque `address` (None on the console,
which cannot be written to later), and `dispatch` is the port through which
the channel sends the request to the mediators. Nothing here logs a number.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from bot.conversation.actions import Action, CallbackStep, MediatorStep, encode, split_step
from bot.conversation.dont_know import says_dont_know
from bot.conversation.reply import Button, Reply
from bot.reminders.phone import NOT_A_PHONE, looks_like_a_phone, read_phone
from bot.storage.consented import CALLBACK_DAYS, CallbackRequest, CallbackStatus
from bot.storage.writer import StoreUnavailable
from bot.understanding.normalize import fold

log = logging.getLogger(__name__)

OFFER = "📞 Être rappelé(e) par une personne"
TAKE, DONE = "✋ Pris en charge", "✅ Fait"
PENDING_MINUTES = 30
MAX_PENDING = 10_000

CONSOLE_ONLY = (
    "Sur la console, je ne peux pas transmettre de demande de rappel : elle marche sur Telegram. "
    "Vous pouvez appeler ou passer voir :"
)
NO_QUARTIER = "Pour savoir à quelle équipe transmettre votre demande, dites-moi d'abord votre quartier :"
NO_MEDIATORS = (
    "Dans votre quartier, personne ne reçoit encore les demandes de rappel par ici. "
    "Vous pouvez appeler ou passer voir directement :"
)
ELSEWHERE = (
    "Vous n'habitez pas dans ces quartiers : les demandes de rappel vont aux équipes de médiation des "
    "quartiers de Brest, qui ne peuvent pas vous rappeler. La mairie ou le CCAS de votre commune peut vous "
    "aider. À Brest, vous pouvez appeler ou passer voir :"
)
UNAVAILABLE = "Je ne peux pas transmettre votre demande pour le moment (problème technique). Appelez plutôt :"
DECLINED = "D'accord, je ne transmets rien."
EXPIRED = "Ce choix n'est plus valable. Appuyez de nouveau sur « 📞 Être rappelé(e) par une personne »."
ALREADY_SENT = (
    "C'est déjà transmis à l'équipe de médiation de {name}. Je vous préviendrai ici quand une personne "
    "aura pris votre demande."
)
PRESS_TO_COME_BY = (
    "Pour que l'équipe sache que vous passerez, appuyez sur « 🚶 Je passerai plutôt » ci-dessous. "
    "Ou écrivez votre numéro pour être rappelé(e)."
)
_COMING_BY = frozenset(
    {"je passerai", "je passerai plutot", "je passe", "je vais passer", "je viendrai", "je viens", "plutot passer"}
)
_NO_WORDS = frozenset({"non", "non merci", "annuler", "annule", "pas besoin", "laisse tomber", "no"})
PHONE_NOT_KNOWN = (
    "Pas de souci. Si vous voulez qu'on vous appelle, écrivez votre numéro ci-dessous quand vous l'avez. "
    "Sinon, choisissez « Je passerai plutôt » : l'équipe saura que vous venez."
)


class CallbackFlow:
    """Collects a call-back request with consent and hands it to the channel's dispatcher.

    `book`: `bot.storage.consented.ConsentedData` or None; `quartier_of`,
    `quartier_name`, `help_line(key)` come from the core; `lives_elsewhere(key)`
    says the resident chose "Je n'habite pas dans ces quartiers" (an answer, not
    a quartier to ask for again); `has_mediators(q)` says whether anyone
    receives requests for quartier q; `dispatch(request)` sends it to them
    (the channel's job).
    """

    def __init__(
        self,
        book: Any | None,
        clock: Callable[[], dt.datetime],
        quartier_of: Callable[[str], str | None],
        quartier_name: Callable[[str | None], str],
        help_line: Callable[[str], str],
        has_mediators: Callable[[str], bool] = lambda quartier: False,
        dispatch: Callable[[Any], None] | None = None,
        lives_elsewhere: Callable[[str], bool] = lambda key: False,
    ) -> None:
        self.book = book
        self.clock = clock
        self.quartier_of = quartier_of
        self.quartier_name = quartier_name
        self.help_line = help_line
        self.has_mediators = has_mediators
        self.dispatch = dispatch
        self.lives_elsewhere = lives_elsewhere
        self._waiting: OrderedDict[str, tuple[str | None, dt.datetime]] = OrderedDict()  # key -> (topic, since)
        self._after_quartier: OrderedDict[str, str | None] = OrderedDict()  # asked for a quartier first: topic
        self._sent: OrderedDict[str, str] = OrderedDict()  # key -> id of the last request handed over

    @staticmethod
    def button(entry_id: str | None = None) -> list[Button]:
        return [Button(OFFER, encode(Action.CALLBACK, CallbackStep.OFFER, entry_id or "-"))]

    def press(self, key: str, value: str, address: str | None) -> Reply:
        """An action "cb:…" from a resident (the core strips "cb:")."""
        step, rest = split_step(CallbackStep, value)
        if step is CallbackStep.NO:
            self._waiting.pop(key, None)
            return Reply(DECLINED, kind="info")
        if step is CallbackStep.OFFER:
            return self._offer(key, None if rest in ("", "-") else rest, address)
        if step is CallbackStep.IN_PERSON:
            waiting = self._live(key)
            if waiting is None and self._still_open(key):  # « Je passerai » tapped twice: it worked
                return Reply(ALREADY_SENT.format(name=self.quartier_name(self.quartier_of(key))), kind="info")
            if waiting is None or address is None:
                return Reply(EXPIRED, kind="info")
            return self._submit(key, address, waiting, phone=None)
        return Reply(EXPIRED, kind="info")

    def typed(self, key: str, text: str, address: str | None) -> Reply | None:
        """A typed message while a phone number is awaited; None lets the core answer it as a question.

        « Je sais pas » answers the request for a number: it is asked again
        with « Je passerai plutôt » and « Annuler », never taken as a question.
        """
        waiting = self._live(key)
        if waiting is None or address is None:
            return None
        if says_dont_know(text):
            return Reply(PHONE_NOT_KNOWN, kind="callback", buttons=self._choices())
        words = fold(text)
        if words in _NO_WORDS:
            self._waiting.pop(key, None)
            return Reply(DECLINED, kind="info")
        if words in _COMING_BY:  # said, not pressed: the press is what hands the request over
            return Reply(PRESS_TO_COME_BY, kind="callback", buttons=self._choices())
        if not looks_like_a_phone(text):
            self._waiting.pop(key, None)
            return None
        phone = read_phone(text)
        if phone is None:
            return Reply(NOT_A_PHONE, kind="callback", buttons=self._choices())
        return self._submit(key, address, waiting, phone)

    def forget(self, key: str) -> None:
        self._waiting.pop(key, None)
        self._after_quartier.pop(key, None)
        self._sent.pop(key, None)

    def resume_button(self, key: str) -> list[Button]:
        """Once the quartier asked for is chosen: the call-back button again, so one press goes on."""
        if key not in self._after_quartier:
            return []
        return self.button(self._after_quartier.pop(key))

    # ------------------------------------------------------------------ steps

    def _offer(self, key: str, topic: str | None, address: str | None) -> Reply:
        if address is None or self.book is None:
            return Reply(CONSOLE_ONLY + "\n" + self.help_line(key), kind="info")
        quartier = self.quartier_of(key)
        if quartier is None and self.lives_elsewhere(key):
            return Reply(ELSEWHERE + "\n" + self.help_line(key), kind="info")
        if quartier is None:
            self._after_quartier[key] = topic
            while len(self._after_quartier) > MAX_PENDING:
                self._after_quartier.popitem(last=False)
            return Reply(NO_QUARTIER, kind="quartier-needed")
        if not self.has_mediators(quartier):
            return Reply(NO_MEDIATORS + "\n" + self.help_line(key), kind="info")
        self._waiting[key] = (topic, self.clock())
        self._waiting.move_to_end(key)
        while len(self._waiting) > MAX_PENDING:
            self._waiting.popitem(last=False)
        name = self.quartier_name(quartier)
        text = (
            f"Une personne de l'équipe de médiation de {name} peut vous rappeler. "
            f"Votre numéro, votre quartier, le sujet et l'heure de la demande seront vus seulement par "
            f"les médiateurs de {name} ; je garde aussi, chiffrée, l'adresse de cette conversation pour vous "
            f"dire quand c'est pris en charge. J'efface tout dès que la demande est traitée, et au plus tard "
            f"dans {CALLBACK_DAYS} jours.\n"
            "Écrivez votre numéro de téléphone ci-dessous, ou choisissez « Je passerai »."
        )
        return Reply(text, kind="callback", buttons=self._choices())

    def _submit(self, key: str, address: str, waiting: tuple[str | None, dt.datetime], phone: str | None) -> Reply:
        self._waiting.pop(key, None)
        quartier = self.quartier_of(key)
        name = self.quartier_name(quartier)
        try:
            request = self.book.add_callback(key, address, quartier, waiting[0], phone)  # type: ignore[union-attr]
        except StoreUnavailable:  # nothing kept, the resident gets a number to call
            log.warning("demande de rappel non enregistrée (base indisponible)")
            return Reply(UNAVAILABLE + "\n" + self.help_line(key), kind="info")
        if self.dispatch is not None:
            self.dispatch(request)
        self._sent[key] = request.id
        self._sent.move_to_end(key)
        while len(self._sent) > MAX_PENDING:
            self._sent.popitem(last=False)
        if phone:
            text = (
                f"C'est transmis à l'équipe de médiation de {name} : une personne vous appellera au "
                f"{phone}. Je vous préviendrai ici quand elle aura pris votre demande."
            )
        else:
            text = (
                f"C'est transmis à l'équipe de médiation de {name} : elle saura que vous passerez. "
                "Je vous préviendrai ici quand une personne aura pris votre demande."
            )
        return Reply(text + "\n" + self.help_line(key), kind="callback-sent")

    def _choices(self) -> list[list[Button]]:
        return [
            [
                Button("🚶 Je passerai plutôt", encode(Action.CALLBACK, CallbackStep.IN_PERSON)),
                Button("Annuler", encode(Action.CALLBACK, CallbackStep.NO)),
            ]
        ]

    def _still_open(self, key: str) -> bool:
        """Whether the request this conversation sent last is still stored (not done, not erased)."""
        ident = self._sent.get(key)
        if ident is None or self.book is None:
            return False
        try:
            return any(request.id == ident for request in self.book.callbacks_of(key))
        except StoreUnavailable:
            return False

    def _live(self, key: str) -> tuple[str | None, dt.datetime] | None:
        waiting = self._waiting.get(key)
        if waiting and self.clock() - waiting[1] > dt.timedelta(minutes=PENDING_MINUTES):
            self._waiting.pop(key, None)
            return None
        return waiting


# --------------------------------------------------------------------------- texts for the two ends


def mediator_text(request: CallbackRequest, quartier_name: str, topic_title: str | None) -> str:
    """What the quartier's mediators receive (they are the only ones who see the number)."""
    when = request.created.strftime("%d/%m à %H:%M")
    how = f"Rappeler au {request.phone}" if request.phone else "La personne passera au point de médiation"
    status = "" if request.status != CallbackStatus.TAKEN else "\n✋ Pris en charge."
    return (
        f"📞 Demande de rappel — {quartier_name}\n"
        f"Sujet : {topic_title or 'non précisé'}\n"
        f"{how}\n"
        f"Demandé le {when}. Effacée quand vous appuyez sur « Fait », sinon dans {CALLBACK_DAYS} jours."
        f"{status}"
    )


# The other mediators' copies once one of them acts: they know it is handled, by whom they need not
# know, and the number leaves their screen (only the person who calls needs it).
DONE_ELSEWHERE = "✅ Traitée par un·e autre médiateur·ice : la demande et le numéro sont effacés."


def taken_elsewhere_text(quartier_name: str, topic_title: str | None) -> str:
    """What the quartier's other mediators' copies become when one of them presses « Pris en charge »."""
    return (
        f"📞 Demande de rappel — {quartier_name}\n"
        f"Sujet : {topic_title or 'non précisé'}\n"
        "✋ Pris en charge par un·e autre médiateur·ice : le numéro n'est plus affiché ici."
    )


def mediator_buttons(request: CallbackRequest) -> list[list[Button]]:
    if request.status == CallbackStatus.TAKEN:
        return [[Button(DONE, encode(Action.MEDIATOR, MediatorStep.DONE, str(request.id)))]]
    return [
        [
            Button(TAKE, encode(Action.MEDIATOR, MediatorStep.TAKE, str(request.id))),
            Button(DONE, encode(Action.MEDIATOR, MediatorStep.DONE, str(request.id))),
        ]
    ]


def taken_text(request: CallbackRequest, quartier_name: str) -> str:
    """Told to the resident when a mediator took the request."""
    if request.phone:
        return f"Bonne nouvelle : une personne de l'équipe de médiation de {quartier_name} va vous appeler."
    return (
        f"Bonne nouvelle : une personne de l'équipe de médiation de {quartier_name} a bien noté que vous "
        "passerez. Venez aux heures d'ouverture."
    )


def open_requests_text(
    requests: list[Any], quartier_name: Callable[[str | None], str], topic_title: Callable[[str | None], str | None]
) -> str:
    """`python -m bot rappels-demandes`: open requests for staff, oldest first, one block each."""
    if not requests:
        return "Aucune demande de rappel en cours."
    lines = [f"{len(requests)} demande(s) de rappel en cours (effacées après « Fait », ou {CALLBACK_DAYS} jours) :"]
    for request in requests:
        status = "prise en charge" if request.status == CallbackStatus.TAKEN else "à prendre"
        how = request.phone or "passera au point de médiation"
        lines.append(
            f"- {request.created:%d/%m/%Y %H:%M} · {quartier_name(request.quartier)} · "
            f"{topic_title(request.topic) or 'sujet non précisé'} · {how} · {status}"
        )
    return "\n".join(lines)
