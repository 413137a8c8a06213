"""The conversation core: a question in, a reply out, whatever the channel.

It decides what to say; channels (console, Telegram) only render `Reply`.
Every answer about a right ends with a person nearby — the mediation points of
the resident's quartier, open now or when they next open — because the bot is
a way in, not a replacement for the people who help.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import re
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any

from bot.conversation.actions import Action, RightsCheckStep, encode, parse
from bot.conversation.dont_know import says_dont_know
from bot.conversation.emergency import (
    EmergencyPlan,
    cry_for_help_text,
    emergency_numbers,
    emergency_text,
    other_question_button_label,
    other_question_text,
    plan_emergency,
    without_repeated_numbers,
)
from bot.conversation.hours import paris_now
from bot.conversation.noise import is_noise
from bot.conversation.offered_choice import offered_choice
from bot.conversation.orientation import RESUME_BUTTON as CHECK_RESUME_BUTTON
from bot.conversation.orientation import START as CHECK_START
from bot.conversation.orientation import Done, Gone, Question, Questionnaire, result_text
from bot.conversation.other_script import writes_another_script
from bot.conversation.place_question import named_place
from bot.conversation.places import (
    TO_CONFIRM,
    Orientation,
    choose_places,
    describe_orientation,
    describe_place,
    orient,
    orient_city_wide,
    place_in_one_line,
)
from bot.conversation.quartier_words import QuartierLookup, lookup_quartier, place_label
from bot.conversation.recorder import REASON_HESITATED, REASON_OFFTOPIC, MemoryRecorder, Recorder
from bot.conversation.reply import Button, Reply, ReplyKind
from bot.conversation.suggestions import HANDS_OVER, offers, openable
from bot.conversation.texts import (
    ACKNOWLEDGED,
    ASK_QUARTIER,
    ATTACHMENT_NOT_READ,
    BEFORE_QUARTIER,
    DONT_KNOW,
    FAR_FROM_BREST,
    HELP,
    HESITATE,
    NO_WORDS,
    NON_TEXT,
    NOT_UNDERSTOOD,
    OTHER_SCRIPT,
    PHONE_ALONE,
    PLACE_ASKED_NEXT,
    STALE_BUTTON,
    UNKNOWN,
    UNKNOWN_COMMAND,
    UNKNOWN_NOT_KEPT,
    VOICE,
    WELCOME,
)
from bot.conversation.typed_button import is_forget_answer, typeable, typed_button
from bot.knowledge.engine import Engine, Snapshot
from bot.knowledge.model import CITY_WIDE, MAX_KM_FROM_BREST, Entry, KnowledgeBase, Place, distance_km
from bot.orientation.evaluate import evaluate
from bot.orientation.papers import papers_to_bring
from bot.reminders.callback import CallbackFlow
from bot.reminders.flow import ReminderFlow
from bot.reminders.phone import read_phone
from bot.storage.writer import StoreUnavailable
from bot.understanding.cry_for_help import is_bare_cry_for_help
from bot.understanding.matcher import Match
from bot.understanding.normalize import fold

log = logging.getLogger(__name__)

ELSEWHERE = "ailleurs"
ELSEWHERE_HELP = (
    "Vous n'habitez pas dans ces quartiers : la mairie ou le CCAS de votre commune peut vous orienter. À Brest :"
)
# Last questions kept in memory for a later 👎: enough for every active chat, but
# bounded, so a long-running bot does not keep raw texts of every chat forever.
MAX_REMEMBERED_QUESTIONS = 10_000
# The entry that answers "à quoi j'ai droit ?": its answer offers the guided check.
SIMULATOR_ENTRY = "simulateur"
SIMULATOR_URL = "https://www.mesdroitssociaux.gouv.fr"
MAX_LISTED_RIGHTS = 10
_TITLE_ASIDE = re.compile(r"\s*\([^)]*\)")


def _short_title(title: str) -> str:
    """ "Aides au logement (APL, ALF, ALS)" -> "Aides au logement": a list of rights on one line stays readable."""
    return _TITLE_ASIDE.sub("", title).strip() or title


# Typed during the guided check, these leave it like the « Arrêter » button.
STOP_WORDS = frozenset({"stop", "/stop", "arreter", "arrete", "arret", "j'arrete", "fin", "quitter"})
# Intents that, recognised during the guided check, end it: the person asks to stop or says goodbye
# in a sentence (« on arrête là merci », « merci au revoir »), which no button's words would catch.
STOP_INTENT, GOODBYE_INTENT = "arreter", "au-revoir"
# Typed during the guided check, these go back to the previous question like the « Revenir » button.
BACK_WORDS = frozenset(
    {"revenir", "retour", "precedent", "precedente", "modifier", "corriger", "back", "annuler ma reponse"}
    | {"je me suis trompe", "je me suis trompee", "je me suis trompé", "je me suis trompée", "erreur"}
)


def _fold_word(text: str) -> str:
    """Lower case, no accents, no trailing punctuation: "Arrêter !" reads as "arreter"."""
    import unicodedata

    plain = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(c for c in plain if not unicodedata.combining(c)).strip(" .!?")


# Words that agree or reply to the bot ("ok", "oui", "non merci"): a message of these only is no question.
AGREEMENT_WORDS = frozenset(
    "ok okay oki dac dak daccord accord oui ouais ouai non nan yes no super top parfait genial cool compris vu".split()
)


def _says_nothing(text: str, match: Match) -> bool:
    """Letters without a single word that names a need, and no agreement: "a", "aaaa", "euh", "quoi".

    Such a message is no question to decline or to keep for the laboratoire;
    the resident is asked, gently, to say what happens to them.
    """
    return match.no_content and not any(word in AGREEMENT_WORDS for word in fold(text).split())


_COMMAND = re.compile(r"/[^\W\d]\w*(?:@\w+)?")


def _is_command(text: str) -> bool:
    """ "/inconnu", "/stats" typed by a resident: a command this conversation does not have."""
    words = text.split()
    return bool(words) and _COMMAND.fullmatch(words[0]) is not None


def _acknowledges(text: str, match: Match) -> bool:
    """Only words of politeness or agreement ("ok", "d'accord", "oui", "super"), and no command typed.

    A command ("/stats" from someone who is not an admin) keeps the reply of an unknown question,
    and a number alone (a phone number typed again) is no agreement.
    """
    if text.lstrip().startswith("/") or not any(ch.isalpha() for ch in text):  # "06 12 …": not an "ok"
        return False
    return is_noise(text, match.normalized)


def quartier_buttons(kb: KnowledgeBase) -> list[list[Button]]:
    quartiers = kb.ordered_quartiers()
    rows = [
        [Button(q.name, encode(Action.QUARTIER, q.id)) for q in quartiers[i : i + 2]]
        for i in range(0, len(quartiers), 2)
    ]
    rows.append([Button("Je n'habite pas dans ces quartiers", encode(Action.QUARTIER, ELSEWHERE))])
    return rows


def entry_choices(kb: KnowledgeBase, entry_ids: Iterable[str]) -> list[list[Button]]:
    """One button a row, labelled with the entry's title (cut short), for "which of these did you mean?"."""
    return [[Button(kb.entries[e].title[:60], encode(Action.ENTRY, e))] for e in entry_ids]


def nearest_places(kb: KnowledgeBase, lat: float, lon: float) -> list[tuple[float, Place]]:
    """(distance in km, place), nearest first; a place lacking either coordinate cannot be placed and is left out."""
    located = [
        (distance_km(lat, lon, p.lat, p.lon), p) for p in kb.places.values() if p.lat is not None and p.lon is not None
    ]
    return sorted(located, key=lambda pair: pair[0])


# Places that help anyone with anything: a shared location is a resident asking "who can help me near here?".
GENERAL_HELP = frozenset({"mediation-quartier", "france-services", "parler-humain"})


def nearest_help_points(nearest: list[tuple[float, Place]]) -> list[tuple[float, Place]]:
    """General help points first, nearest first; places for one topic only (a courthouse) after them."""
    return sorted(nearest, key=lambda pair: (not GENERAL_HELP & set(pair[1].topics), pair[0]))


def confirm_quartier(kb: KnowledgeBase, found: QuartierLookup, kind: ReplyKind) -> Reply:
    """Ask before setting a quartier that is not sure: « Keredern, c'est bien Lambézellec ? », « Vouliez-vous
    dire Europe ? ». « Non » or « Autre quartier » shows the quartier buttons."""
    names = {q: kb.quartiers[q].name for q in found.candidates}
    if found.close_spelling:
        shown = " ou ".join(names.values())
        text = f"Vouliez-vous dire {found.place} ({shown}) ?" if found.place else f"Vouliez-vous dire {shown} ?"
    elif len(names) == 1:
        text = f"{found.place}, c'est bien {' '.join(names.values())} ?"
    else:
        text = f"{found.place} : c'est plutôt " + " ou ".join(names.values()) + " ?"
    if len(names) == 1:
        (only,) = names
        buttons = [[Button("Oui", encode(Action.QUARTIER, only)), Button("Non", encode(Action.QUARTIER, "autre"))]]
    else:
        buttons = [
            [Button(name, encode(Action.QUARTIER, q)) for q, name in names.items()],
            [Button("Autre quartier", encode(Action.QUARTIER, "autre"))],
        ]
    return Reply(text, kind=kind, buttons=buttons)


class Conversation:
    def __init__(
        self,
        engine: Engine,
        recorder: Recorder | None = None,
        channel: str = "console",
        clock: Callable[[], dt.datetime] = paris_now,
        *,
        consents: Any | None = None,
        has_mediators: Callable[[str], bool] | None = None,
        dispatch: Callable[[Any], None] | None = None,
    ) -> None:
        """`consents` (a `bot.storage.consented.ConsentedData`) keeps opted-in reminders and
        call-back requests; without it (console, `ask`) nothing personal can be kept and the
        bot says so. `has_mediators` and `dispatch` route call-back requests (the channel's job)."""
        self.engine = engine
        self.recorder: Recorder = recorder if recorder is not None else MemoryRecorder()
        self.channel = channel
        self.clock = clock
        self.consents = consents
        # key -> (question, entry id or None), memory only, oldest first
        self._last_question: OrderedDict[str, tuple[str, str | None]] = OrderedDict()
        # The entries of the last « Vous voulez parler de… ? », so « oui » or « le 2 » typed next opens one.
        self._offered: OrderedDict[str, list[str]] = OrderedDict()
        # The quartier / erasure buttons shown last, so their label (or « oui ») typed next presses them.
        self._typeable: OrderedDict[str, list[Button]] = OrderedDict()
        # Entries each conversation rated since its last question: 👍 pressed twice counts once.
        self._rated: dict[str, set[str]] = {}
        self.reminder_flow = ReminderFlow(consents, clock, self._quartier)
        self.callback_flow = CallbackFlow(
            consents,
            clock,
            self._quartier,
            self.quartier_name,
            lambda key: self.help_point(self._quartier(key), None),
            has_mediators=has_mediators or (lambda quartier: False),
            dispatch=dispatch,
            lives_elsewhere=self._lives_elsewhere,
        )
        # The guided rights check: answers in memory only, forgotten at the end or after 30 minutes.
        self.rights_check = Questionnaire(clock)

    # ------------------------------------------------------------------ commands

    def start(self, key: str) -> Reply:
        kb = self.engine.current.kb
        return self._shown(key, Reply(WELCOME + "\n\n" + ASK_QUARTIER, kind="quartier", buttons=quartier_buttons(kb)))

    def help(self, key: str) -> Reply:
        return Reply(HELP, kind="info", buttons=[CallbackFlow.button(None)])

    def reminders(self, key: str) -> Reply:
        """/rappels: the conversation's reminder series, each with a button to stop it."""
        return self.reminder_flow.listing(key)

    def help_point(self, quartier: str | None, entry_id: str | None) -> str:
        """One help point of the quartier for this topic, as a reminder or a call-back shows it."""
        people = orient(self.engine.current.kb, quartier, entry_id, self.clock(), limit=1)
        return self._human_text(people)

    def quartier_name(self, quartier: str | None) -> str:
        """The quartier as residents read it ("Quatre Moulins"), from the knowledge base."""
        kb = self.engine.current.kb
        if quartier in kb.quartiers:
            return kb.quartiers[quartier].name
        return quartier or "votre quartier"

    def ask_quartier(self, key: str) -> Reply:
        return self._shown(key, Reply(ASK_QUARTIER, kind="quartier", buttons=quartier_buttons(self.engine.current.kb)))

    def quartier_command(self, key: str, words: str = "") -> Reply:
        """/quartier: the buttons; « /quartier europe » sets Europe at once, « /quartier europ » asks
        « Vouliez-vous dire Europe ? », « /quartier keredern » asks to confirm Lambézellec."""
        snapshot = self.engine.current
        found = lookup_quartier(snapshot.kb, snapshot.matcher.gazetteer, words)
        if found.quartier is not None:
            return self.press(key, encode(Action.QUARTIER, found.quartier))
        if not found.candidates:
            return self.ask_quartier(key)
        return self._shown(key, confirm_quartier(snapshot.kb, found, kind="quartier"))

    def confirm_forget(self, key: str) -> Reply:
        reply = Reply(
            "Voulez-vous vraiment effacer ce que je garde sur cette conversation (votre quartier, vos rappels "
            "et vos demandes d'appel) ? "
            "Vos questions et vos avis sont déjà gardés sans aucun lien avec vous : personne ne peut les retrouver.",
            kind="info",
            buttons=[
                [Button("Oui, effacer", encode(Action.FORGET, "oui")), Button("Non", encode(Action.FORGET, "non"))]
            ],
        )
        return self._shown(key, reply)

    def check_rights(self, key: str) -> Reply:
        """/droits, or the button under the simulator answer: start the guided check."""
        if self.engine.current.kb.rules is None:  # no rules file: the simulator answer still helps
            return self.press(key, encode(Action.ENTRY, SIMULATOR_ENTRY))
        return self._check_reply(key, self.engine.current, self.rights_check.start(key))

    def stop(self, key: str) -> Reply:
        """/stop: leave the guided check (and say so even when none was under way)."""
        if self.rights_check.active(key):
            return Reply(self.rights_check.stop(key), kind="info")
        return Reply(
            "Il n'y a rien à arrêter. Écrivez-moi votre question, ou /droits pour faire le point.", kind="info"
        )

    def danger_after_command(self, key: str, words: str, address: str | None = None) -> Reply | None:
        """The reply to a danger in words typed after a command ("/aide mon mari me frappe"), else None.

        A command's own reply ignores what follows it, so without this the
        danger was silently dropped; a danger always comes first. Other words
        ("/aide svp", the code of a /start link) leave the command as it is.
        """
        if not isinstance(words, str) or not words.strip():
            return None
        if plan_emergency(self.engine.current, words) is None:
            return None
        return self.ask(key, words, address)

    def non_text(self, key: str, what: str, caption: str = "") -> Reply:
        """A photo, sticker, voice…; its caption is answered like a written message (danger first).

        "c quoi ce courrier de la caf" under a photo is a question: answering
        only "je lis les messages écrits" would drop it. The reply says the
        attachment itself was not looked at, so nobody thinks it was read.
        """
        snapshot = self.engine.current
        if isinstance(caption, str) and caption.strip():
            reply = self.ask(key, caption)
            reply.text += "\n\n" + ATTACHMENT_NOT_READ
            return reply
        if what in ("voice", "audio", "video_note"):
            people = orient(snapshot.kb, self._quartier(key), None, self.clock())
            reply = self._with_people(Reply(VOICE + "\n" + describe_orientation(people, self.clock())), people)
        else:
            people = self._human(snapshot, key)
            reply = self._with_people(Reply(NON_TEXT + "\n" + self._human_text(people)), people)
        return reply

    # ------------------------------------------------------------------ questions

    def ask(self, key: str, text: str, address: str | None = None) -> Reply:
        """Answer a free-text message.

        `address` is the opaque address of the chat (Telegram), given only by
        channels that can write later; reminders and call-backs need it.
        """
        snapshot = self.engine.current
        text = text if isinstance(text, str) else ""
        if not text.strip():
            return Reply("Écrivez-moi votre question avec vos mots.", kind="info")
        shown = self._typeable.pop(key, None)  # only the very next message can answer those buttons
        pressed = typed_button(text, shown) if shown else None
        if pressed is not None and is_forget_answer(pressed):
            # « oui » / « non » to « Voulez-vous vraiment effacer… ? », even during the rights check:
            # no danger nor question can hide in it.
            return self.press(key, pressed, address)
        if self.rights_check.active(key):
            typed = self._typed_in_check(key, snapshot, text)
            if typed is not None:
                return typed
        elif pressed is not None:
            return self.press(key, pressed, address)
        offered = self._offered.pop(key, None)  # only the very next message can answer the question
        chosen = offered_choice(text, offered) if offered and not self.rights_check.active(key) else None
        if chosen is not None:
            return self.press(key, encode(Action.ENTRY, chosen), address)
        if says_dont_know(text):
            # "je sais pas" alone names no right and no danger (only those words). A date or a phone
            # number awaited: the flow asks again kindly; otherwise help to start, nothing kept.
            awaited = self.reminder_flow.typed(key, text) or self.callback_flow.typed(key, text, address)
            return awaited if awaited is not None else self._dont_know(key, snapshot)
        if is_bare_cry_for_help(text):  # « au secours » names no kind: any kind read in it would be a guess
            self.reminder_flow.forget(key)
            self.callback_flow.forget(key)
            return self._cry_for_help(key, snapshot)
        plan = plan_emergency(snapshot, text)  # a danger first, before anything else is understood
        if plan is None:
            # A date or a phone number the resident was asked for: never matched, never recorded.
            awaited = self.reminder_flow.typed(key, text) or self.callback_flow.typed(key, text, address)
            if awaited is not None:
                return awaited
            if read_phone(text) is not None:
                # A phone number alone, outside a call-back request: the way to be called back, nothing kept.
                return self._phone_alone(key, snapshot)
            if not any(ch.isalnum() for ch in text):
                # "🙏", "???", "." : no question to answer or to keep; ask for words, and give a person.
                return self._unknown(snapshot, key, self._quartier(key), kept=False, opening=NO_WORDS)
        else:
            self.reminder_flow.forget(key)
            self.callback_flow.forget(key)
        match = openable(snapshot.kb, snapshot.matcher.match(text))
        quartier = self._settle_quartier(key, match)
        if plan:
            self._remember_question(key, text, plan.entry_id)
            return self._emergency(key, snapshot, plan, quartier)
        checking = self.rights_check.active(key)
        stopped = None
        if checking and match.entry_id == STOP_INTENT:  # « on arrête là merci »: as « stop » typed
            return self._shown(key, self.stop(key))
        if checking and match.entry_id == GOODBYE_INTENT:  # « merci au revoir »: leaving, not answering
            stopped, checking = self.rights_check.stop(key), False
        if checking and not self._outside_check(key, snapshot, match):
            return self._check_reply(key, snapshot, self.rights_check.again(key, courtesy=match.entry_id))
        # Remembered even when not answered: a choice pressed next must be linked to
        # this question, not to an older one.
        self._remember_question(key, text, match.entry_id)
        asked_place = None if match.place_only else named_place(snapshot.kb, text, quartier)
        if asked_place is not None:  # "c'est où la mairie de Lambé ?": that place, not a right
            reply = self._place_answer(asked_place, quartier)
        elif match.place_only:  # "j'habite à Lambé": not a question, never an unmet need
            reply = self._place_statement(key, snapshot, match)
        elif match.entry_id:
            reply = self._answer(key, snapshot, snapshot.kb.entries[match.entry_id], match, quartier)
            self.recorder.record_answered(match.entry_id, quartier, self.channel)
        elif _is_command(text):  # "/inconnu": say how to find the commands, keep nothing
            reply = self._unknown(snapshot, key, quartier, kept=False, opening=UNKNOWN_COMMAND)
        elif writes_another_script(text):  # Arabic, Cyrillic…: say which languages are read, keep nothing
            reply = self._unknown(snapshot, key, quartier, kept=False, opening=OTHER_SCRIPT)
        elif _says_nothing(text, match):  # "a", "aaaa", "euh": ask for words, keep nothing
            reply = self._unknown(snapshot, key, quartier, kept=False, opening=NOT_UNDERSTOOD)
        elif _acknowledges(text, match):
            # "ok", "d'accord", "super" after an answer: no question to decline or to keep.
            reply = self._unknown(snapshot, key, quartier, kept=False, opening=ACKNOWLEDGED)
        elif match.offtopic:
            reply = self._decline(snapshot, key, match, match.offtopic, quartier)
            self._record_unanswered(text, match, quartier, REASON_OFFTOPIC)
        elif match.suggestions:
            reply = self._hesitate(snapshot, match, quartier)
            self._remember_offer(key, list(match.suggestions))
            self._record_unanswered(text, match, quartier, REASON_HESITATED)
        else:
            kept = self.recorder.keeps_questions and not is_noise(text, match.normalized)
            reply = self._unknown(snapshot, key, quartier, kept)
            self._record_unanswered(text, match, quartier)
        if checking:
            reply.buttons = [[CHECK_RESUME_BUTTON], *reply.buttons]
        if stopped:
            reply.text = f"{stopped}\n\n{reply.text}"
        return self._shown(key, reply)

    def press(self, key: str, action: str, address: str | None = None) -> Reply:
        """A button was chosen. Unknown, forged or stale actions get a gentle answer, never an error."""
        self._offered.pop(key, None)  # a button pressed answers « Vous voulez parler de… ? » (or moves on)
        self._typeable.pop(key, None)
        return self._shown(key, self._pressed(key, action, address))

    def _pressed(self, key: str, action: str, address: str | None) -> Reply:
        pressed = parse(action)
        if pressed is None:
            return Reply(STALE_BUTTON, kind="info")
        kind, value = pressed.action, pressed.value
        snapshot = self.engine.current
        if kind is Action.REMINDER:
            return self.reminder_flow.press(key, value, address)
        if kind is Action.CALLBACK:
            reply = self.callback_flow.press(key, value, address)
            if reply.kind == "quartier-needed":
                reply.buttons = quartier_buttons(snapshot.kb)
            return reply
        if kind is Action.QUARTIER:
            chosen = self._choose_quartier(key, value, snapshot)
            resume = self.callback_flow.resume_button(key)  # a call-back was waiting for this quartier
            if resume and chosen.quartier:
                chosen.buttons = [*chosen.buttons, resume]
            return chosen
        if kind is Action.ENTRY and value in snapshot.kb.entries:
            match = Match(value, 100, quartier=None)
            quartier = self._quartier(key)
            self.recorder.record_answered(value, quartier, self.channel)
            question = self._last_question.get(key, ("", None))[0]
            self._remember_question(key, question, value)
            return self._answer(key, snapshot, snapshot.kb.entries[value], match, quartier)
        if kind is Action.MORE and value in snapshot.kb.entries:
            return Reply(self._more_text(snapshot.kb.entries[value]), kind="info", entry_id=value)
        if kind is Action.FEEDBACK:
            return self._feedback(key, value, snapshot)
        if kind is Action.RIGHTS_CHECK:
            return self._check_step(key, value, snapshot)
        if kind is Action.FORGET:
            if value == "oui":
                self.recorder.forget(key)
                self._last_question.pop(key, None)
                self._offered.pop(key, None)
                self._forget_consented(key)
                self.rights_check.forget(key)
                return Reply(
                    "C'est fait : j'ai tout effacé. Vous pouvez recommencer quand vous voulez.", kind="forgotten"
                )
            return Reply("D'accord, je n'efface rien.", kind="info")
        return Reply(STALE_BUTTON, kind="info")  # a mediator's button pressed outside Telegram, or an old one

    def locate(self, key: str, lat: float, lon: float) -> Reply:
        """A shared location: the nearest help points, with distance and opening status."""
        snapshot = self.engine.current
        nearest = nearest_places(snapshot.kb, lat, lon)
        if not nearest:
            return self.ask_quartier(key)
        local = [(km, p) for km, p in nearest if p.quartier != CITY_WIDE]
        quartier: str | None = local[0][1].quartier if local and local[0][0] < 3 else None
        if quartier not in snapshot.kb.quartiers:  # its quartier file is broken or the name misspelt: don't guess
            quartier = None
        if quartier:
            self.recorder.remember_quartier(key, quartier)
        now = self.clock()
        lines = []
        if quartier:
            lines.append(f"Vous êtes près du quartier {snapshot.kb.quartiers[quartier].name}.")
        if nearest[0][0] > MAX_KM_FROM_BREST:  # a phone elsewhere, or its GPS wrong: say so, not "à 504 km"
            lines.append(FAR_FROM_BREST.format(km=round(nearest[0][0])))
        lines.append("Les lieux d'aide les plus proches :")
        for km, place in nearest_help_points(nearest)[:3]:
            lines.append(describe_place(place, now, km))
        return Reply("\n".join(lines), kind="info", quartier=quartier)

    # ------------------------------------------------------------------ pieces

    def _quartier(self, key: str) -> str | None:
        """The quartier whose help points to show; None also for "Je n'habite pas dans ces quartiers"."""
        quartier = self.recorder.quartier_of(key)
        return None if quartier == ELSEWHERE else quartier

    def _lives_elsewhere(self, key: str) -> bool:
        """The resident said they live outside the quartiers: never ask again."""
        return self.recorder.quartier_of(key) == ELSEWHERE

    def _settle_quartier(self, key: str, match: Match) -> str | None:
        """A quartier named in the message becomes the conversation's quartier.

        A place whose quartier is uncertain ("j'habite à Kérinou") is not
        guessed: if the quartier chosen earlier is not one of its candidates,
        none is used, so the answer asks for it instead of showing another
        quartier's help points.
        """
        if match.quartier:
            self.recorder.remember_quartier(key, match.quartier)
            return match.quartier
        self._forget_a_quartier_left(key, match)
        quartier = self._quartier(key)
        if match.quartier_candidates and quartier not in match.quartier_candidates:
            return None
        return quartier

    def _choose_quartier(self, key: str, value: str, snapshot: Snapshot) -> Reply:
        if value == ELSEWHERE:
            # Remembered like a quartier, so the next answer does not ask again.
            self.recorder.remember_quartier(key, ELSEWHERE)
            text = (
                "D'accord. Je peux quand même répondre à vos questions. Pour être aidé près de chez vous, "
                "la mairie ou le CCAS de votre commune peut vous orienter."
            )
            places = snapshot.kb.city_wide_places()[:2]
            if places:
                text += "\nÀ Brest, pour tout le monde :\n" + "\n".join(describe_place(p, self.clock()) for p in places)
            return Reply(text, kind="info")
        if value not in snapshot.kb.quartiers:
            return self.ask_quartier(key)
        self.recorder.remember_quartier(key, value)
        name = snapshot.kb.quartiers[value].name
        people = orient(snapshot.kb, value, self._last_question.get(key, ("", None))[1], self.clock())
        text = f"C'est noté : {name}.\nPrès de chez vous, une personne peut vous aider :\n"
        text += describe_orientation(people, self.clock())
        return self._with_people(Reply(text, kind="info", quartier=value), people)

    def _place_answer(self, place: Place, quartier: str | None) -> Reply:
        """The place a resident asked for: address, phone, whether it is open now; then a way on."""
        text = "Voici le lieu demandé :\n" + describe_place(place, self.clock()) + "\n\n" + PLACE_ASKED_NEXT
        reply = Reply(text, kind="info", buttons=[CallbackFlow.button(None)], quartier=quartier)
        reply.places = [place.id]
        return reply

    def _forget_a_quartier_left(self, key: str, match: Match) -> None:
        """ "j'habite plus à Bellevue": the quartier noted earlier is no longer the resident's."""
        if match.quartier_left and self.recorder.quartier_of(key) in match.quartier_left:
            self.recorder.remember_quartier(key, None)

    def _place_statement(self, key: str, snapshot: Snapshot, match: Match) -> Reply:
        """Set the quartier a resident named alone, or ask to confirm it when the place is uncertain."""
        self._forget_a_quartier_left(key, match)
        if match.quartier in snapshot.kb.quartiers:
            reply = self._choose_quartier(key, match.quartier, snapshot)
            reply.kind = "place"
            return reply
        candidates = [q for q in match.quartier_candidates if q in snapshot.kb.quartiers]
        if not candidates:
            return self.ask_quartier(key)
        found = QuartierLookup(candidates=tuple(candidates), place=place_label(snapshot.kb, match.place_name))
        return confirm_quartier(snapshot.kb, found, kind="place")

    def _answer(self, key: str, snapshot: Snapshot, entry: Entry, match: Match, quartier: str | None) -> Reply:
        hands_over = entry.kind != "intent" or entry.id in HANDS_OVER
        # Small talk ("Bonjour" then "Bonjour !", "Merci" then "Avec plaisir") needs no title above it.
        parts = [entry.title, entry.answer.strip()] if hands_over else [entry.answer.strip()]
        if entry.to_verify & {"reponse"}:
            parts[-1] += TO_CONFIRM
        if entry.phone and entry.kind != "intent":
            parts.append("Téléphone : " + entry.phone + (TO_CONFIRM if "telephone" in entry.to_verify else ""))
        buttons: list[list[Button]] = []
        people: Orientation | None = None
        if hands_over:
            if quartier:
                people = orient(snapshot.kb, quartier, entry.id, self.clock())
                name = snapshot.kb.quartiers[quartier].name if quartier in snapshot.kb.quartiers else quartier
                where = describe_orientation(people, self.clock())
                parts.append(f"Pour être aidé près de chez vous ({name}) :\n" + where)
            elif self._lives_elsewhere(key):
                people = orient(snapshot.kb, None, entry.id, self.clock())
                parts.append(ELSEWHERE_HELP + "\n" + describe_orientation(people, self.clock()))
            else:
                people = orient_city_wide(snapshot.kb, entry.id, self.clock())
                if people is not None:  # someone to reach now, before the quartier is said
                    parts.append(BEFORE_QUARTIER + "\n" + describe_orientation(people, self.clock()))
                parts.append(ASK_QUARTIER)
                buttons.extend(quartier_buttons(snapshot.kb))
        if entry.more or entry.steps or entry.documents or entry.links:
            buttons.insert(0, [Button("Pour aller plus loin", encode(Action.MORE, entry.id))])
        if entry.id == SIMULATOR_ENTRY and snapshot.kb.rules is not None:
            buttons.insert(0, [Button("Faire un premier point avec moi (7 questions)", CHECK_START)])
        for other in match.suggestions:
            # A greeting or a thank-you is no topic to "see also": a person is offered under every answer anyway.
            if offers(snapshot.kb, other, answered=True):
                label = "Et aussi : " if other == match.second_need else "Voir aussi : "
                buttons.append([Button(label + snapshot.kb.entries[other].title[:40], encode(Action.ENTRY, other))])
        reminder = ReminderFlow.offer_button(entry.id)
        if reminder:
            buttons.append(reminder)
        buttons.append(CallbackFlow.button(entry.id))
        if entry.kind != "intent":
            buttons.append(
                [
                    Button("👍 Ça m'aide", encode(Action.FEEDBACK, "1", entry.id)),
                    Button("👎 Pas vraiment", encode(Action.FEEDBACK, "0", entry.id)),
                ]
            )
        reply = Reply(
            "\n\n".join(parts),
            kind="answer",
            buttons=buttons,
            entry_id=entry.id,
            score=match.score,
            quartier=quartier,
            suggestions=list(match.suggestions),
        )
        return self._with_people(reply, people) if people else reply

    def _typed_in_check(self, key: str, snapshot: Snapshot, text: str) -> Reply | None:
        """A button's words typed instead of pressed during the check; None for anything else.

        Only the bare words: "je veux tout arrêter" still goes to the danger check.
        """
        word = _fold_word(text)
        if word in STOP_WORDS:
            return self.stop(key)
        if word in BACK_WORDS:
            return self._check_reply(key, snapshot, self.rights_check.press(key, RightsCheckStep.BACK))
        if says_dont_know(text):
            return self._check_reply(key, snapshot, self.rights_check.dont_know(key))
        read = self.rights_check.typed(key, text)  # "30 ans", "oui", "900 €": that step's button
        return self._check_reply(key, snapshot, read) if read is not None else None

    def _outside_check(self, key: str, snapshot: Snapshot, match: Match) -> bool:
        """Whether a message typed during the check is a real question, answered without losing the check.

        A right, a service or a place is answered (with a button to take the check
        up again); a greeting, "ok" or an unclear answer asks the question again.
        """
        if match.place_only:
            return True
        entry = snapshot.kb.entries.get(match.entry_id) if match.entry_id else None
        return entry is not None and entry.kind != "intent"

    def _dont_know(self, key: str, snapshot: Snapshot) -> Reply:
        """« Je sais pas » alone: examples of what to write, the guided check, and a person."""
        reply = self._unknown(snapshot, key, self._quartier(key), kept=False, opening=DONT_KNOW)
        first: list[list[Button]] = []
        if snapshot.kb.rules is not None:
            first.append([Button("Faire un premier point avec moi (7 questions)", CHECK_START)])
        reply.buttons = [*first, CallbackFlow.button(None), *reply.buttons]
        return reply

    def _phone_alone(self, key: str, snapshot: Snapshot) -> Reply:
        """A phone number typed alone: not a question; the call-back button that would use it, and a person."""
        reply = self._unknown(snapshot, key, self._quartier(key), kept=False, opening=PHONE_ALONE)
        reply.buttons = [CallbackFlow.button(None), *reply.buttons]
        return reply

    def _check_step(self, key: str, value: str, snapshot: Snapshot) -> Reply:
        """One button of the guided check; the last one lists the rights and forgets the answers."""
        if value == RightsCheckStep.START and snapshot.kb.rules is None:
            return self.check_rights(key)
        return self._check_reply(key, snapshot, self.rights_check.press(key, value))

    def _check_reply(self, key: str, snapshot: Snapshot, step: Question | Done | Gone) -> Reply:
        """The next question of the check, or, after the last answer, the rights to check with a person."""
        if isinstance(step, Gone):
            return Reply(step.text, kind="info")
        if not isinstance(step, Done):
            return Reply(step.text, kind="check", buttons=step.buttons)
        rules = snapshot.kb.rules
        suggestions = evaluate(rules, step.profile) if rules is not None else []
        suggestions = [s for s in suggestions if s.entry_id in snapshot.kb.entries][:MAX_LISTED_RIGHTS]
        self.recorder.record_orientation([s.entry_id for s in suggestions], self.channel)
        titles = {s.entry_id: snapshot.kb.entries[s.entry_id].title for s in suggestions}
        papers = papers_to_bring([self._sure_documents(snapshot, s.entry_id) for s in suggestions])
        listed = [s.entry_id for s in suggestions]
        reminders = ReminderFlow.kind_buttons(listed)
        text = result_text(
            suggestions,
            titles,
            self._check_help_point(snapshot, key),
            self._simulator_url(snapshot),
            papers,
            helpers=self._helpers(snapshot, key, listed, titles),
            reminders=bool(reminders),
        )
        buttons = [[Button(titles[s.entry_id][:60], encode(Action.ENTRY, s.entry_id))] for s in suggestions]
        return Reply(text, kind="check-result", buttons=buttons + reminders, suggestions=listed)

    def _helpers(
        self, snapshot: Snapshot, key: str, listed: list[str], titles: dict[str, str]
    ) -> list[tuple[str, list[str]]]:
        """For each listed right, the first help point for it near the resident, grouped by place.

        Nothing when one place helps with all of them and it is already the first
        person named at the end: the list would only repeat it.
        """
        quartier, now = self._quartier(key), self.clock()
        by_place: dict[str, tuple[Place, list[str]]] = {}
        for entry_id in listed:
            places = choose_places(snapshot.kb, quartier, entry_id, now)  # as the right's own answer shows them
            if places:
                by_place.setdefault(places[0].id, (places[0], []))[1].append(_short_title(titles[entry_id]))
        general = choose_places(snapshot.kb, quartier, SIMULATOR_ENTRY, now)
        if len(by_place) == 1 and general and general[0].id in by_place:
            return []
        return [(place_in_one_line(place), rights) for place, rights in by_place.values()]

    @staticmethod
    def _sure_documents(snapshot: Snapshot, entry_id: str) -> tuple[str, ...]:
        """An entry's papers, unless they are still to be confirmed: nobody should gather papers on a guess."""
        entry = snapshot.kb.entries[entry_id]
        return () if "documents" in entry.to_verify else entry.documents

    def _check_help_point(self, snapshot: Snapshot, key: str) -> str:
        """A person to check the list with: the quartier's help points for the simulator topic."""
        quartier = self._quartier(key)
        people = orient(snapshot.kb, quartier, SIMULATOR_ENTRY, self.clock())
        if not people.places:
            return "À vérifier avec une personne : France services ou le CCAS peuvent faire ce point avec vous."
        where = f" ({snapshot.kb.quartiers[quartier].name})" if quartier in snapshot.kb.quartiers else ""
        lines = [
            f"À vérifier avec une personne, près de chez vous{where} :",
            describe_orientation(people, self.clock()),
        ]
        if quartier not in snapshot.kb.quartiers:
            lines.append("Dites-moi votre quartier avec /quartier pour voir le lieu le plus proche.")
        return "\n".join(lines)

    @staticmethod
    def _simulator_url(snapshot: Snapshot) -> str:
        entry = snapshot.kb.entries.get(SIMULATOR_ENTRY)
        links = [link.url for link in entry.links] if entry else []
        return next((url for url in links if "mesdroitssociaux" in url), SIMULATOR_URL)

    def _shown(self, key: str, reply: Reply) -> Reply:
        """Remember the reply's quartier / erasure buttons, so typing one's label next presses it."""
        buttons = typeable(reply.buttons)
        if buttons:
            self._typeable[key] = buttons
            self._typeable.move_to_end(key)
            while len(self._typeable) > MAX_REMEMBERED_QUESTIONS:
                self._typeable.popitem(last=False)
        return reply

    def _remember_offer(self, key: str, entry_ids: list[str]) -> None:
        self._offered[key] = entry_ids
        self._offered.move_to_end(key)
        while len(self._offered) > MAX_REMEMBERED_QUESTIONS:
            self._offered.popitem(last=False)

    def _hesitate(self, snapshot: Snapshot, match: Match, quartier: str | None) -> Reply:
        buttons = entry_choices(snapshot.kb, match.suggestions)
        return Reply(
            HESITATE,
            kind="suggest",
            buttons=buttons,
            score=match.score,
            quartier=quartier,
            suggestions=list(match.suggestions),
        )

    def _decline(self, snapshot: Snapshot, key: str, match: Match, offtopic: str, quartier: str | None) -> Reply:
        """Outside the bot's field (the `offtopic` entry): say so kindly, offer a close right if any, and a person."""
        people = self._human(snapshot, key)
        text = snapshot.kb.entries[offtopic].answer.strip() + "\n\n" + self._human_text(people)
        buttons = entry_choices(snapshot.kb, match.suggestions)
        reply = Reply(
            text,
            kind="offtopic",
            buttons=buttons,
            score=match.score,
            quartier=quartier,
            suggestions=list(match.suggestions),
        )
        return self._with_people(reply, people)

    def _unknown(
        self, snapshot: Snapshot, key: str, quartier: str | None, kept: bool, opening: str | None = None
    ) -> Reply:
        people = orient(snapshot.kb, quartier, None, self.clock())
        # Only say the question is kept when it really is: not by `ask` or the console, not a command typed.
        unknown = opening or (UNKNOWN if kept else UNKNOWN_NOT_KEPT)
        text = unknown + "\n" + describe_orientation(people, self.clock())
        asks = not quartier and not self._lives_elsewhere(key)
        buttons = quartier_buttons(snapshot.kb) if asks else []
        if asks:
            text += "\n\n" + ASK_QUARTIER
        return self._with_people(Reply(text, kind="unknown", buttons=buttons, quartier=quartier), people)

    def _feedback(self, key: str, value: str, snapshot: Snapshot) -> Reply:
        verdict, _, entry_id = value.partition(":")
        if entry_id not in snapshot.kb.entries or verdict not in ("0", "1"):
            return Reply("Merci !", kind="feedback")
        question, asked_entry = self._last_question.get(key, ("", ""))
        helpful = verdict == "1"
        rated = self._rated.setdefault(key, set())
        if entry_id not in rated:  # a second press (same button, or the other one) is not a second opinion
            rated.add(entry_id)
            self.recorder.record_feedback(
                entry_id, question if asked_entry == entry_id else "", helpful, self._quartier(key), self.channel
            )
        if helpful:
            return Reply("Merci, ça nous aide à nous améliorer !", kind="feedback", entry_id=entry_id)
        people = self._human(snapshot, key)
        reply = Reply(
            "Merci de nous le dire. Votre avis est transmis à l'équipe (sans votre nom).\n" + self._human_text(people),
            kind="feedback",
            entry_id=entry_id,
        )
        return self._with_people(reply, people)

    def _forget_consented(self, key: str) -> None:
        """/oubli also erases reminders and call-back requests (and any half-finished opt-in)."""
        self.reminder_flow.forget(key)
        self.callback_flow.forget(key)
        if self.consents is None:
            return
        try:
            self.consents.forget(key)
        except StoreUnavailable:
            log.warning("rappels non effacés par /oubli (base indisponible)")

    def _human(self, snapshot: Snapshot, key: str) -> Orientation:
        """One person to reach for this conversation: in its quartier if known, reachable in any case."""
        return orient(snapshot.kb, self._quartier(key), None, self.clock(), limit=1)

    def _human_text(self, people: Orientation) -> str:
        if not people.places:
            return "Une personne peut vous aider dans votre maison de quartier."
        return "Une personne peut vous aider :\n" + describe_orientation(people, self.clock())

    @staticmethod
    def _with_people(reply: Reply, people: Orientation) -> Reply:
        reply.places = [p.id for p in people.places] + ([people.next_door.id] if people.next_door else [])
        reply.phone_line = people.line.id if people.line else None
        return reply

    def _more_text(self, entry: Entry) -> str:
        def doubt(field_name: str) -> str:
            return TO_CONFIRM if field_name in entry.to_verify else ""

        parts = [f"{entry.title} — pour aller plus loin"]
        if entry.more:
            parts.append(entry.more.strip() + doubt("pour_aller_plus_loin"))
        if entry.steps:
            parts.append(
                f"Les étapes{doubt('demarches')} :\n" + "\n".join(f"{i}. {s}" for i, s in enumerate(entry.steps, 1))
            )
        if entry.documents:
            parts.append(
                f"Les papiers à préparer{doubt('documents')} :\n" + "\n".join(f"• {d}" for d in entry.documents)
            )
        if entry.links:
            parts.append(
                f"Pour en savoir plus{doubt('liens')} :\n"
                + "\n".join(f"• {link.title} : {link.url}" for link in entry.links)
            )
        if entry.checked:
            parts.append(f"Informations vérifiées le {entry.checked.strftime('%d/%m/%Y')}.")
        return "\n\n".join(parts)

    def _emergency(self, key: str, snapshot: Snapshot, plan: EmergencyPlan, quartier: str | None) -> Reply:
        """The numbers that fit, then the entry that fits (or the quartier's help point), nothing unrelated.

        Danger messages are not kept for the laboratoire: only the count of the
        entry shown, as for any answer.
        """
        parts = [emergency_text(snapshot.kb, plan)]
        buttons: list[list[Button]] = []
        entry = snapshot.kb.entries.get(plan.entry_id) if plan.entry_id else None
        if entry is not None:
            answer = self._answer(key, snapshot, entry, Match(entry.id, 100, quartier=quartier), quartier)
            parts.append(without_repeated_numbers(answer.text, parts[0], emergency_numbers(snapshot.kb)))
            buttons = answer.buttons
            self.recorder.record_answered(entry.id, quartier, self.channel)
        else:
            # The emergency numbers are the phone line here: no information line after them.
            people = dataclasses.replace(self._human(snapshot, key), line=None, line_answers_now=False)
            parts.append(self._human_text(people))
        if plan.other_id:
            title = snapshot.kb.entries[plan.other_id].title
            parts.append(other_question_text(title))
            buttons.insert(0, [Button(other_question_button_label(title), encode(Action.ENTRY, plan.other_id))])
        elif plan.other_unsure:
            parts.append(other_question_text(None))
        reply = Reply(
            "\n\n".join(parts),
            kind="emergency",
            buttons=buttons,
            entry_id=entry.id if entry else None,
            quartier=quartier,
            suggestions=[plan.other_id] if plan.other_id else [],
        )
        if entry is not None:
            reply.places, reply.phone_line = answer.places, answer.phone_line
            return reply
        return self._with_people(reply, people)

    def _cry_for_help(self, key: str, snapshot: Snapshot) -> Reply:
        """« au secours » alone: every danger's numbers, what is happening?, and the help point; never a right.

        Not kept for the laboratoire: a cry is no unmet need.
        """
        people = dataclasses.replace(self._human(snapshot, key), line=None, line_answers_now=False)
        text = cry_for_help_text(snapshot.kb) + "\n\n" + self._human_text(people)
        return self._with_people(Reply(text, kind="emergency", quartier=self._quartier(key)), people)

    def _remember_question(self, key: str, question: str, entry_id: str | None) -> None:
        """Keep the conversation's last question for its feedback; the oldest chats are dropped."""
        self._last_question[key] = (question, entry_id)
        self._last_question.move_to_end(key)
        self._rated.pop(key, None)  # a new question: its answer may be rated
        while len(self._last_question) > MAX_REMEMBERED_QUESTIONS:
            oldest, _ = self._last_question.popitem(last=False)
            self._rated.pop(oldest, None)

    def _record_unanswered(self, text: str, match: Match, quartier: str | None, reason: str | None = None) -> None:
        """Keep it for the laboratoire, unless it is no need at all (a command, a place, a goodbye)."""
        if is_noise(text, match.normalized):
            return
        guess = self._guess_for_laboratoire(match.best_guess)
        self.recorder.record_unanswered(
            text, match.normalized, quartier, self.channel, guess, match.score, reason=reason
        )

    def _guess_for_laboratoire(self, guess: str | None) -> str | None:
        """Only a right or a service can be a need's closest entry: staff could teach it or extend it.

        A greeting, « parler à quelqu'un » or an off-topic sheet as the closest guess for a broken
        washing machine sends staff the wrong way.
        """
        entry = self.engine.current.kb.entries.get(guess) if guess else None
        return guess if entry is not None and entry.kind in ("right", "service") else None
