"""The guided rights check as a short conversation: at most 7 questions, buttons only.

Channel-agnostic: it hands back text and `Button`s, and receives the pressed
button's value. Answers live in memory only, one session per conversation key,
and are dropped at the end, on "stop", or after 30 minutes without a press, so
nothing a resident says about their life outlives the check.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from bot.conversation import check_typing
from bot.conversation.actions import Action, RightsCheckStep, encode, split_step
from bot.conversation.reply import Button
from bot.orientation.evaluate import Suggestion
from bot.orientation.profile import Profile

START = encode(Action.RIGHTS_CHECK, RightsCheckStep.START)  # the other buttons are "dr:<step>:<choice>"
STOP = encode(Action.RIGHTS_CHECK, RightsCheckStep.STOP)
BACK = encode(Action.RIGHTS_CHECK, RightsCheckStep.BACK)
RESUME = encode(Action.RIGHTS_CHECK, RightsCheckStep.RESUME)
SESSION_MINUTES = 30
MAX_SESSIONS = 10_000
MAX_CHILDREN = 12

INTRO = (
    "Faisons un premier point sur vos droits : 7 questions au plus, avec des boutons. "
    "C'est un repérage, pas une décision, et je ne garde pas vos réponses. "
    "Vous pouvez arrêter quand vous voulez avec le bouton « Arrêter » ou /stop, "
    "et corriger une réponse avec « Revenir »."
)
STOPPED = "D'accord, j'arrête. J'ai oublié vos réponses. Pour recommencer : /droits."
EXPIRED = "Ce point sur vos droits est terminé ou a expiré : j'ai oublié les réponses. Pour recommencer : /droits."
STOP_BUTTON = Button("Arrêter", STOP)
BACK_BUTTON = Button("← Revenir", BACK)
SKIPPED = "D'accord, je passe cette question : elle ne compte ni pour ni contre un droit."
NOT_UNDERSTOOD = (
    "Je n'ai pas compris cette réponse. Pour ce point sur vos droits, répondez avec les boutons. "
    "Pour poser une autre question, appuyez d'abord sur « Arrêter »."
)
# A greeting or thanks typed during the check (intent id -> what is said before the question again).
COURTESIES = {
    "salutation": "Bonjour ! Reprenons le point sur vos droits.",
    "remerciement": "Avec plaisir ! Reprenons le point sur vos droits.",
}
# « 2 enfants » typed at « Qui vit avec vous ? »: no age given, so each child is still pressed by its age.
CHILDREN_TO_COUNT = (
    "Vous avez {count} enfants. Appuyez sur l'âge de chaque enfant : {count} fois en tout. "
    "Puis appuyez sur « C'est tout »."
)
CHILDREN_NOT_COUNTED = (
    "D'accord. Appuyez une fois sur l'âge de chaque enfant qui vit avec vous. Puis appuyez sur « C'est tout »."
)
PERSONS_TO_COUNT = (
    "Vous êtes {count} à la maison, avec vous. Appuyez sur chaque personne : votre conjoint(e) s'il ou elle "
    "vit avec vous, puis chaque enfant selon son âge. Puis appuyez sur « C'est tout »."
)
ONE_CHILD_TO_COUNT = "Vous avez 1 enfant. Appuyez sur son âge. Puis appuyez sur « C'est tout »."
CHILDREN_ALL_COUNTED = "C'est noté : {count} {enfants}. Si tout le monde est compté, appuyez sur « C'est tout »."
NO_CHILD = (
    "D'accord, pas d'enfant. Si vous vivez en couple, appuyez sur « Mon conjoint ou ma conjointe ». "
    "Puis appuyez sur « C'est tout »."
)
CHILDREN_AGES_COUNTED = (
    "C'est noté : {count} {enfants} ({ages} {ans}). Si tout le monde est compté, appuyez sur « C'est tout »."
)
RESUMED = "Reprenons le point sur vos droits."
RESUME_BUTTON = Button("Reprendre le point sur mes droits", RESUME)
# A step whose buttons include « Je ne sais pas »: typing it presses that choice.
DONT_KNOW_CHOICES = {RightsCheckStep.INCOME: "nsp"}
# What else a resident may type at a step, said after NOT_UNDERSTOOD: a re-ask must say how to answer.
TYPING_HINTS = {
    RightsCheckStep.AGE: "Vous pouvez aussi écrire votre âge en chiffres, par exemple « 30 ».",
    RightsCheckStep.HOUSEHOLD: "Quand tout le monde est compté, écrivez « c'est tout ».",
    RightsCheckStep.INCOME: ("Vous pouvez aussi écrire un montant, par exemple « 1 200 € », ou « je ne sais pas »."),
    RightsCheckStep.HEALTH: "Vous pouvez aussi écrire « oui » ou « non ».",
    RightsCheckStep.SITUATION: (
        "Vous pouvez aussi écrire par exemple « je travaille », « chômage », « étudiant », « retraite » "
        "ou « pas de revenu »."
    ),
    RightsCheckStep.HOUSING: (
        "Vous pouvez aussi écrire par exemple « locataire », « HLM », « propriétaire », « chez mes parents » "
        "ou « à la rue »."
    ),
    RightsCheckStep.PAPERS: (
        "Ce n'est pas votre pays qui compte, mais vos papiers en France : écrivez par exemple « française », "
        "« titre de séjour », « demande d'asile » ou « pas de papiers »."
    ),
}

# Each band gives the age the rules see: orientation, so a typical age of the band.
AGE_BANDS = (
    ("m18", "Moins de 18 ans", 16),
    ("18-24", "18 à 24 ans", 20),
    ("25-59", "25 à 59 ans", 40),
    ("60-64", "60 à 64 ans", 62),
    ("65+", "65 ans ou plus", 70),
)
AGE_LOWER_EDGES = {"m18": 0, "18-24": 18, "25-59": 25, "60-64": 60, "65+": 65}
CHILD_BANDS = (
    ("e0", "Enfant de moins de 3 ans", 1),
    ("e3", "Enfant de 3 à 5 ans", 4),
    ("e6", "Enfant de 6 à 10 ans", 8),
    ("e11", "Enfant de 11 à 14 ans", 12),
    ("e15", "Enfant de 15 à 17 ans", 16),
    ("e18", "Enfant de 18 à 24 ans", 20),
)
SITUATIONS = (
    ("emploi", "Je travaille"),
    ("demandeur-emploi", "Je cherche du travail"),
    ("etudiant", "Je suis étudiant(e)"),
    ("retraite", "Je suis à la retraite"),
    ("incapacite", "Je ne peux pas travailler (santé)"),
    ("sans-revenu", "Je n'ai pas de revenu"),
)
# Household income bands: the lower edge is what the rules see, so a right near a band's top is not missed.
INCOME_BANDS = (
    ("0", "Aucun revenu", 0),
    ("700", "Moins de 700 €", 350),
    ("1200", "De 700 à 1 200 €", 700),
    ("1800", "De 1 200 à 1 800 €", 1200),
    ("2500", "De 1 800 à 2 500 €", 1800),
    ("3500", "De 2 500 à 3 500 €", 2500),
    ("plus", "Plus de 3 500 €", 3500),
    ("nsp", "Je ne sais pas", None),
)
HOUSING = (
    ("locataire", "Locataire dans le privé"),
    ("locataire-social", "Locataire HLM (logement social)"),
    ("proprietaire", "Propriétaire"),
    ("heberge", "Hébergé(e) chez quelqu'un ou en foyer"),
    ("sans-logement", "Sans logement"),
)
PAPERS = (
    ("francais-ue", "Français(e) ou européen(ne)"),
    ("titre-sejour", "Titre de séjour ou récépissé"),
    ("sans-papiers", "Pas de titre de séjour"),
    ("demandeur-asile", "Demande d'asile en cours"),
)
STEPS = (
    RightsCheckStep.AGE,
    RightsCheckStep.HOUSEHOLD,
    RightsCheckStep.SITUATION,
    RightsCheckStep.INCOME,
    RightsCheckStep.HOUSING,
    RightsCheckStep.HEALTH,
    RightsCheckStep.PAPERS,
)


@dataclass(frozen=True)
class Saved:
    """A session's answers as they were before one step, so a resident can go back and correct it."""

    step: RightsCheckStep | None
    answers: dict[str, object]
    children: list[int]
    couple: bool
    pregnant: bool


@dataclass
class Session:
    """One conversation's answers so far, in memory only."""

    seen: dt.datetime
    step: RightsCheckStep | None = STEPS[0]  # None: every question answered
    answers: dict[str, object] = field(default_factory=dict)
    children: list[int] = field(default_factory=list)
    couple: bool = False
    pregnant: bool = False
    # What the session was before each step was answered, latest last: « Revenir » restores it.
    history: list[Saved] = field(default_factory=list)

    def saved(self) -> Saved:
        return Saved(self.step, dict(self.answers), list(self.children), self.couple, self.pregnant)

    def restore(self, saved: Saved) -> None:
        self.step, self.answers, self.children = saved.step, dict(saved.answers), list(saved.children)
        self.couple, self.pregnant = saved.couple, saved.pregnant

    def profile(self) -> Profile:
        values = dict(self.answers)
        values["couple"] = self.couple
        values["enceinte"] = self.pregnant
        values["enfants"] = tuple(self.children)
        return Profile(**values)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Question:
    text: str
    buttons: list[list[Button]]


@dataclass(frozen=True)
class Done:
    """The last answer came in: the session is already forgotten, only the profile is handed back."""

    profile: Profile


@dataclass(frozen=True)
class Gone:
    """No check under way for this conversation (ended, stopped, expired, or a stale button)."""

    text: str


def _child_band(age: int) -> tuple[str, str, int] | None:
    """The child button an age falls in ("Enfant de 3 à 5 ans" for 4); None from 25 (not a child at home)."""
    edges = {"e0": 0, "e3": 3, "e6": 6, "e11": 11, "e15": 15, "e18": 18}
    if not 0 <= age <= 24:
        return None
    return [band for band in CHILD_BANDS if edges[band[0]] <= age][-1]


def _children_word(count: int) -> str:
    return "enfant" if count == 1 else "enfants"


def _button(step: RightsCheckStep, choice: str, label: str) -> Button:
    return Button(label, encode(Action.RIGHTS_CHECK, step, choice))


def _rows(buttons: list[Button], width: int = 2) -> list[list[Button]]:
    return [buttons[i : i + width] for i in range(0, len(buttons), width)]


class Questionnaire:
    """The questions, adapted to earlier answers, and the in-memory sessions."""

    def __init__(self, clock: Callable[[], dt.datetime]) -> None:
        self.clock = clock
        self._sessions: dict[str, Session] = {}

    # ----------------------------------------------------------------- sessions

    def active(self, key: str) -> bool:
        self._expire()
        return key in self._sessions

    def start(self, key: str) -> Question:
        self._expire()
        self._sessions.pop(key, None)
        while len(self._sessions) >= MAX_SESSIONS:  # bounded memory: the oldest check goes first
            self._sessions.pop(next(iter(self._sessions)))
        session = Session(seen=self.clock())
        self._sessions[key] = session
        question = self._question(session)
        return Question(INTRO + "\n\n" + question.text, question.buttons)

    def stop(self, key: str) -> str:
        self._sessions.pop(key, None)
        return STOPPED

    def forget(self, key: str) -> None:
        self._sessions.pop(key, None)

    def _expire(self) -> None:
        limit = self.clock() - dt.timedelta(minutes=SESSION_MINUTES)
        for key in [k for k, s in self._sessions.items() if s.seen < limit]:
            del self._sessions[key]

    # ----------------------------------------------------------------- answers

    def press(self, key: str, value: str) -> Question | Done | Gone:
        """One button of the check: `value` is what follows "dr:" in the action."""
        step, choice = split_step(RightsCheckStep, value)
        if step is RightsCheckStep.START and not choice:
            return self.start(key)
        if step is RightsCheckStep.STOP and not choice:
            return Gone(self.stop(key))
        session = self._live(key)
        if session is None:
            return Gone(EXPIRED)
        if step is RightsCheckStep.BACK and not choice:
            return self._back(session)
        if step is RightsCheckStep.RESUME and not choice:  # after a question answered outside the check
            return self._question(session, opening=RESUMED)
        before = session.saved()
        if step is None or step != session.step or not self._record(session, step, choice):
            return self._question(session)  # an old or unknown button: ask the current question again
        if session.step == step:  # the household question stays open until "C'est tout"
            return self._question(session)
        session.history.append(before)
        return self._next(key, session)

    def typed(self, key: str, text: str) -> Question | Done | Gone | None:
        """A short answer typed instead of pressed ("30 ans", "oui", "900 €"); None if it is not one."""
        session = self._live(key)
        if session is None:
            return None
        folded = check_typing.fold(text)
        if session.step is RightsCheckStep.HOUSEHOLD and check_typing.names_partner(folded):
            # The partner's button switches on and off; typed, « mon mari » only ever says they live together.
            return self._question(session) if session.couple else self.press(key, f"{session.step}:conj")
        if session.step is RightsCheckStep.HOUSEHOLD:
            household = self._typed_household(key, session, folded)
            if household is not None:
                return household
        choice = self._typed_choice(session, folded)
        if choice is None:
            return None
        step = session.step
        exact = self._exact_value(step, folded)
        reply = self.press(key, f"{step}:{choice}")
        if exact is not None and session.step is not step:
            # What was typed is more precise than the band's typical value: the rules see « 24 », not 20.
            session.answers[exact[0]] = exact[1]
        return reply

    @staticmethod
    def _exact_value(step: RightsCheckStep | None, folded: str) -> tuple[str, int] | None:
        """An age or an income typed in figures or words, to keep as typed instead of its band's value."""
        if step is RightsCheckStep.AGE:
            age = check_typing.typed_age(folded)
            return ("age", age) if age is not None else None
        if step is RightsCheckStep.INCOME:
            amount = check_typing.typed_amount(folded)
            return ("revenus_mensuels", amount) if amount is not None else None
        return None

    def _typed_household(self, key: str, session: Session, folded: str) -> Question | Done | Gone | None:
        """At « Qui vit avec vous ? »: children with or without ages, a child on the way, a number of people."""
        said = check_typing.household_said(folded)
        if said is not None:
            return self._children_said(session, said)
        if check_typing.says_no_child(folded):
            return self._question(session, opening=NO_CHILD)
        if check_typing.says_pregnant(folded):
            # Like the partner: typed, it only ever says a child is on the way, never takes it back.
            if check_typing.partner_pregnant(folded):
                session.couple = True
            return self._question(session) if session.pregnant else self.press(key, f"{session.step}:enc")
        if check_typing.some_children(folded):
            return self._question(session, opening=CHILDREN_NOT_COUNTED)
        persons = check_typing.persons_said(folded)
        if persons == 1:
            return self.press(key, f"{session.step}:ok")
        if persons is not None:
            return self._question(session, opening=PERSONS_TO_COUNT.format(count=persons))
        return None

    def _children_said(self, session: Session, said: check_typing.HouseholdSaid) -> Question:
        """ "2 enfants de 4 et 7 ans" typed: counted as their buttons; without ages, how to count each one."""
        if said.partner:
            session.couple = True
        bands = [_child_band(age) for age in said.ages]
        if said.ages and None not in bands:
            # The ages describe every child of the household: they replace the ones pressed before.
            session.children[:] = [band[2] for band in bands if band is not None][:MAX_CHILDREN]
            ages = " et ".join(", ".join(str(age) for age in said.ages).rsplit(", ", 1))
            opening = CHILDREN_AGES_COUNTED.format(
                count=said.count, enfants=_children_word(said.count), ages=ages, ans="an" if ages == "1" else "ans"
            )
        elif len(session.children) == said.count:
            opening = CHILDREN_ALL_COUNTED.format(count=said.count, enfants=_children_word(said.count))
        elif said.count == 1:
            opening = ONE_CHILD_TO_COUNT
        else:
            opening = CHILDREN_TO_COUNT.format(count=said.count)
        return self._question(session, opening=opening)

    def again(self, key: str, courtesy: str | None = None) -> Question | Gone:
        """The current question again, after a typed answer that could not be read.

        `courtesy`: the message was a greeting or thanks (`COURTESIES`), not a failed answer: the
        question follows a polite word rather than « Je n'ai pas compris cette réponse ».
        """
        session = self._live(key)
        if session is None:
            return Gone(EXPIRED)
        if courtesy in COURTESIES:
            return self._question(session, opening=COURTESIES[courtesy])
        hint = TYPING_HINTS.get(session.step) if session.step is not None else None
        return self._question(session, opening=NOT_UNDERSTOOD + (" " + hint if hint else ""))

    @staticmethod
    def _typed_choice(session: Session, folded: str) -> str | None:
        step = session.step
        if step is RightsCheckStep.AGE:
            edges = [(code, AGE_LOWER_EDGES[code]) for code, _, _ in AGE_BANDS]
            return check_typing.age_band(folded, edges) or check_typing.by_label(
                folded, [(c, label) for c, label, _ in AGE_BANDS]
            )
        if step is RightsCheckStep.HOUSEHOLD:
            if check_typing.household_done(folded):
                return "ok"
            return check_typing.by_label(folded, [(c, label) for c, label, _ in CHILD_BANDS])
        if step is RightsCheckStep.INCOME:
            highs: list[tuple[str, int | None]] = [
                (c, None if c == "plus" else int(c)) for c, _, _ in INCOME_BANDS if c != "nsp"
            ]
            return check_typing.income_band(folded, highs) or check_typing.by_label(
                folded, [(c, label) for c, label, _ in INCOME_BANDS]
            )
        if step is RightsCheckStep.HEALTH:
            return check_typing.yes_no(folded) or check_typing.SYNONYMS["sante"].get(folded)
        tables = {
            RightsCheckStep.SITUATION: SITUATIONS,
            RightsCheckStep.HOUSING: HOUSING,
            RightsCheckStep.PAPERS: PAPERS,
        }
        if step is None:
            return None
        return check_typing.by_label(folded, tables.get(step, ())) or check_typing.SYNONYMS.get(step, {}).get(folded)

    def dont_know(self, key: str) -> Question | Done | Gone:
        """« Je ne sais pas » typed: the step's own « Je ne sais pas » choice, else the step left unanswered.

        An unanswered key never rules a right out, so skipping is honest; asking
        again would only block a resident who truly does not know.
        """
        session = self._live(key)
        if session is None:
            return Gone(EXPIRED)
        choice = DONT_KNOW_CHOICES.get(session.step) if session.step is not None else None
        if choice is not None:
            return self.press(key, f"{session.step}:{choice}")
        session.history.append(session.saved())
        if session.step is not None:
            session.step = self._next_step(session, session.step)
        step = self._next(key, session)
        return Question(SKIPPED + "\n\n" + step.text, step.buttons) if isinstance(step, Question) else step

    def _live(self, key: str) -> Session | None:
        self._expire()
        session = self._sessions.get(key)
        if session is not None:
            session.seen = self.clock()
        return session

    def _back(self, session: Session) -> Question:
        """« Revenir »: the previous question again, with the answers given before it (none before the first)."""
        if session.history:
            session.restore(session.history.pop())
        return self._question(session)

    def _next(self, key: str, session: Session) -> Question | Done:
        if session.step is None:
            del self._sessions[key]
            return Done(session.profile())
        return self._question(session)

    def _record(self, session: Session, step: RightsCheckStep, choice: str) -> bool:
        """Store one answer and move on; False if the choice is not one of this step's."""
        if step is RightsCheckStep.AGE:
            band = next((b for b in AGE_BANDS if b[0] == choice), None)
            if band is None:
                return False
            session.answers["age"] = band[2]
        elif step is RightsCheckStep.HOUSEHOLD:
            return self._record_household(session, choice)
        elif step is RightsCheckStep.SITUATION:
            if choice not in dict(SITUATIONS):
                return False
            session.answers["situation"] = choice
        elif step is RightsCheckStep.INCOME:
            income = next((b for b in INCOME_BANDS if b[0] == choice), None)
            if income is None:
                return False
            if income[2] is not None:
                session.answers["revenus_mensuels"] = income[2]
        elif step is RightsCheckStep.HOUSING:
            if choice not in dict(HOUSING):
                return False
            session.answers["logement"] = choice
        elif step is RightsCheckStep.HEALTH:
            if choice not in ("oui", "non"):
                return False
            session.answers["handicap"] = choice == "oui"
        elif step is RightsCheckStep.PAPERS:
            if choice not in dict(PAPERS):
                return False
            session.answers["papiers"] = choice
        else:
            return False
        session.step = self._next_step(session, step)
        return True

    def _record_household(self, session: Session, choice: str) -> bool:
        band = next((b for b in CHILD_BANDS if b[0] == choice), None)
        if band is not None:
            if len(session.children) < MAX_CHILDREN:
                session.children.append(band[2])
        elif choice == "conj":
            session.couple = not session.couple
        elif choice == "enc":
            session.pregnant = not session.pregnant
        elif choice == "raz":
            session.children.clear()
            session.couple = session.pregnant = False
        elif choice == "ok":
            session.step = self._next_step(session, RightsCheckStep.HOUSEHOLD)
        else:
            return False
        return True

    @staticmethod
    def _next_step(session: Session, step: RightsCheckStep) -> RightsCheckStep | None:
        following = STEPS[STEPS.index(step) + 1 :]
        for candidate in following:
            # Alone and without income: the income question would only ask what we know.
            if (
                candidate is RightsCheckStep.INCOME
                and not session.couple
                and session.answers.get("situation") == "sans-revenu"
            ):
                session.answers["revenus_mensuels"] = 0
                continue
            return candidate
        return None

    # ----------------------------------------------------------------- questions

    def _question(self, session: Session, opening: str = "") -> Question:
        """The current step's question; `opening` is a sentence said before it (why it is asked again)."""
        step = session.step
        assert step is not None, "a finished check is forgotten before any question is asked"
        number = STEPS.index(step) + 1
        text, buttons = getattr(self, "_ask_" + step)(session)
        buttons.append([BACK_BUTTON, STOP_BUTTON] if session.history else [STOP_BUTTON])
        before = opening + "\n\n" if opening else ""
        return Question(f"{before}Question {number} sur {len(STEPS)}. {text}", buttons)

    def _ask_age(self, session: Session) -> tuple[str, list[list[Button]]]:
        return "Quel âge avez-vous ?", _rows(
            [_button(RightsCheckStep.AGE, code, label) for code, label, _ in AGE_BANDS]
        )

    def _ask_foyer(self, session: Session) -> tuple[str, list[list[Button]]]:
        lines = [
            "Qui vit avec vous ? Appuyez sur chaque personne : une fois par enfant. Puis appuyez sur « C'est tout »."
        ]
        counted = [
            f"{label.replace('Enfant', 'enfant')} : {session.children.count(age)}"
            for _, label, age in CHILD_BANDS
            if age in session.children
        ]
        if session.couple:
            counted.insert(0, "en couple")
        if session.pregnant:
            counted.append("un enfant attendu")
        lines.append("Pour l'instant : " + (", ".join(counted) if counted else "personne, vous vivez seul(e)") + ".")
        partner = "Mon conjoint ✔" if session.couple else "Mon conjoint ou ma conjointe"
        expecting = "J'attends un enfant ✔" if session.pregnant else "J'attends un enfant"
        children = [_button(RightsCheckStep.HOUSEHOLD, code, label) for code, label, _ in CHILD_BANDS]
        buttons = [
            [_button(RightsCheckStep.HOUSEHOLD, "conj", partner)],
            *_rows(children),
            [_button(RightsCheckStep.HOUSEHOLD, "enc", expecting)],
            [
                _button(RightsCheckStep.HOUSEHOLD, "raz", "Tout effacer"),
                _button(RightsCheckStep.HOUSEHOLD, "ok", "C'est tout ✔"),
            ],
        ]
        return "\n".join(lines), buttons

    def _ask_situation(self, session: Session) -> tuple[str, list[list[Button]]]:
        return "Quelle est votre situation ?", _rows(
            [_button(RightsCheckStep.SITUATION, c, label) for c, label in SITUATIONS]
        )

    def _ask_revenus(self, session: Session) -> tuple[str, list[list[Button]]]:
        who = "vous et votre conjoint" if session.couple else "vous"
        text = (
            f"Combien gagnez-vous en tout chaque mois ({who}) ? Comptez les salaires, le chômage, "
            "les retraites, les pensions. Un ordre d'idée suffit."
        )
        return text, _rows([_button(RightsCheckStep.INCOME, c, label) for c, label, _ in INCOME_BANDS])

    def _ask_logement(self, session: Session) -> tuple[str, list[list[Button]]]:
        return "Où habitez-vous ?", _rows([_button(RightsCheckStep.HOUSING, c, label) for c, label in HOUSING], width=1)

    def _ask_sante(self, session: Session) -> tuple[str, list[list[Button]]]:
        age = session.answers.get("age")
        if isinstance(age, int) and age >= 60:
            text = (
                "Avez-vous besoin d'aide pour les gestes de tous les jours (vous laver, vous habiller, "
                "faire les courses), ou avez-vous un handicap ?"
            )
        else:
            text = "Avez-vous un handicap, ou une maladie qui dure et qui gêne votre vie de tous les jours ?"
        return text, [[_button(RightsCheckStep.HEALTH, "oui", "Oui"), _button(RightsCheckStep.HEALTH, "non", "Non")]]

    def _ask_papiers(self, session: Session) -> tuple[str, list[list[Button]]]:
        text = "Dernière question : quels sont vos papiers ? (Certaines aides en dépendent.)"
        return text, _rows([_button(RightsCheckStep.PAPERS, c, label) for c, label in PAPERS], width=1)


# Before the first right that is only possible (the list puts every likely right first): the
# resident reads which ones are worth the trip for sure and which ones a person has to look at.
POSSIBLE_HEADING = "Possibles aussi, à regarder avec la personne :"
# Who helps with each listed right's application, grouped by place: the person to go to, right by right.
HELPERS_INTRO = "Qui peut vous aider à faire chaque demande :"
# Under the list, when a listed right has a date not to miss: the « 🔔 » buttons below it.
REMINDERS_NOTE = (
    "🔔 Certaines de ces aides ont une date à ne pas manquer : je peux vous la rappeler (boutons ci-dessous)."
)
PAPERS_INTRO = "À apporter au rendez-vous, si vous les avez :"
PAPERS_OUTRO = "Les autres papiers sont dans la fiche de chaque droit."


def helpers_text(helpers: Sequence[tuple[str, Sequence[str]]]) -> str:
    """ "• CPAM – accueil de Bellevue, tél. 3646 : Complémentaire santé solidaire", one line per place; "" if none.

    `helpers` pairs a place (in one line) with the titles of the listed rights it helps with, in list order.
    """
    if not helpers:
        return ""
    return "\n".join([HELPERS_INTRO, *(f"• {place} : {', '.join(rights)}" for place, rights in helpers)])


def result_text(
    suggestions: list[Suggestion],
    titles: dict[str, str],
    help_point: str,
    simulator: str,
    papers: Sequence[str] = (),
    helpers: Sequence[tuple[str, Sequence[str]]] = (),
    reminders: bool = False,
) -> str:
    """The end of the check: rights to check with why, the simulator, what to bring, then a person; no amount.

    The papers come just before the person so the resident reads them as what to
    take there: a visit without them often means a second one.
    """
    if suggestions:
        lines = [
            (
                "Voici les droits à vérifier avec une personne. Ce n'est pas une décision, "
                "et je ne peux pas calculer de montant :"
            )
        ]
        for number, suggestion in enumerate(suggestions, 1):
            if not suggestion.likely and number > 1 and suggestions[number - 2].likely:
                lines.append(POSSIBLE_HEADING)
            lines.append(f"{number}. {titles.get(suggestion.entry_id, suggestion.entry_id)} : {suggestion.reason}.")
        lines.append("Appuyez sur un droit pour en savoir plus.")
        if reminders:
            lines.append(REMINDERS_NOTE)
    else:
        lines = [
            (
                "Avec ces réponses, je ne vois pas de droit précis à vous signaler. "
                "Une personne peut quand même faire le point avec vous."
            )
        ]
    lines.append(f"Pour un calcul précis, faites la simulation officielle : {simulator}")
    lines.append("J'ai oublié vos réponses.")
    if suggestions and papers:
        lines += ["", PAPERS_INTRO, *(f"• {paper}" for paper in papers), PAPERS_OUTRO]
    if suggestions and helpers:
        lines += ["", helpers_text(helpers)]
    lines.append("")
    lines.append(help_point)  # last, so the check always ends with a person to reach
    return "\n".join(lines)
