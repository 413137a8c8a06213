"""The knowledge base's data shapes: what a mediator's YAML file becomes once read.

Kept apart from parsing and loading so that the matcher, the conversation and
the channels can depend on the shapes without pulling in the YAML reader.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # bot.orientation reads the knowledge model: no import at run time
    from bot.orientation.rules import RuleSet

KIND_FOLDERS = {"droits": "right", "services": "service", "intentions": "intent", "hors-sujet": "offtopic"}
KIND_LABELS = {"right": "droit", "service": "service", "intent": "intention", "offtopic": "hors sujet"}
OFFTOPIC = "offtopic"  # questions the bot recognises as outside its field: it declines politely
PLACES_FOLDER = "lieux"
QUARTIERS_FOLDER = "quartiers"
LINES_FOLDER = "lignes"  # national phone lines, for when no local place is open
LEXICON_FILE = "lexique.yaml"
DANGERS_FOLDER = "urgences"  # one file per kind of danger, plus the look-alikes
LOOKALIKES_FILE = "pas-urgence.yaml"
# The kinds of danger the bot must always recognise; `ask --jsonl` reports them as "urgence".
DANGER_KINDS = ("violence", "suicide", "enfant", "rue", "medical")
LEARNED_FILE = Path("appris") / "phrases-apprises.yaml"
CITY_WIDE = "brest"  # a place that serves every quartier

ANSWER_MAX_WORDS = 130
# Ids travel in Telegram button data ("fb:0:<id>"), which is capped at 64 bytes.
MAX_ID_LENGTH = 40
MIN_PHRASINGS = 10
BREST = (48.39, -4.49)
MAX_KM_FROM_BREST = 60


@dataclass(frozen=True)
class Problem:
    """Something a mediator must fix (or should look at, when not an error)."""

    path: Path
    line: int
    message: str
    error: bool = True

    def __str__(self) -> str:
        prefix = "" if self.error else "attention : "
        return f"{self.path}:{self.line}: {prefix}{self.message}"


class KnowledgeError(Exception):
    """The knowledge base could not be loaded at all (used by callers that need one)."""

    def __init__(self, problems: list[Problem]) -> None:
        errors = [p for p in problems if p.error]
        super().__init__("\n".join(str(p) for p in errors) or "base de connaissances vide")
        self.problems = problems


class DangerDataError(KnowledgeError):
    """The danger data is missing or broken: the bot must not run without it."""


@dataclass(frozen=True)
class Link:
    title: str
    url: str


@dataclass(frozen=True)
class Entry:
    """A right, a service or an intent: something the bot recognises and answers."""

    id: str
    kind: str
    title: str
    phrasings: tuple[str, ...]
    keywords: tuple[str, ...]
    answer: str
    more: str = ""
    steps: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()
    services: tuple[str, ...] = ()
    phone: str | None = None
    links: tuple[Link, ...] = ()
    source: tuple[str, ...] = ()
    checked: dt.date | None = None
    to_verify: frozenset[str] = frozenset()
    path: Path | None = None

    @property
    def offtopic(self) -> bool:
        """Outside the bot's field (weather, sport…): recognised only to decline politely."""
        return self.kind == OFFTOPIC


@dataclass(frozen=True, kw_only=True)
class Contact:
    """What a help point and a phone line share: someone to reach, when, about what, and how sure we are.

    Hours are OpenStreetMap `opening_hours` (`hours`) or, when they cannot be
    written so, plain French (`hours_text`). `to_verify` names the fields a
    mediator still has to check (the bot says « à confirmer » beside them).
    """

    id: str
    name: str
    hours: str | None = None
    hours_text: str | None = None
    topics: tuple[str, ...] = ()
    to_verify: frozenset[str] = frozenset()
    source: tuple[str, ...] = ()
    checked: dt.date | None = None
    path: Path | None = None

    def unsure(self, field_name: str) -> bool:
        return field_name in self.to_verify


@dataclass(frozen=True, kw_only=True)
class Place(Contact):
    """A place where a person helps: the human at the end of every answer."""

    quartier: str
    address: str | None = None
    phone: str | None = None
    email: str | None = None
    lat: float | None = None
    lon: float | None = None

    @property
    def reachable(self) -> bool:
        """A checked phone and a checked address: someone can call or walk in without guessing."""
        return bool(self.phone and self.address) and not self.to_verify & {"telephone", "adresse"}


@dataclass(frozen=True)
class SubArea:
    name: str
    variants: tuple[str, ...] = ()
    uncertain: bool = False


@dataclass(frozen=True)
class Quartier:
    id: str
    name: str
    names: tuple[str, ...]
    sub_areas: tuple[SubArea, ...] = ()
    streets: tuple[str, ...] = ()
    landmarks: tuple[str, ...] = ()
    priorities: tuple[str, ...] = ()
    contract_priorities: str = ""
    source: tuple[str, ...] = ()
    checked: dt.date | None = None
    order: int | None = None  # « ordre »: place in lists and buttons; None: after the numbered ones
    neighbours: tuple[str, ...] = ()  # « voisins »: quartiers close enough to send residents to
    path: Path | None = None


@dataclass(frozen=True, kw_only=True)
class Line(Contact):
    """A national phone line (3230 CAF, 3646 Assurance maladie…): someone to call when no place is open.

    `general` lines (Allô Service Public) help with any topic; the others with
    their `topics` only. Hours are OpenStreetMap `opening_hours`, as for places.
    """

    phone: str
    general: bool = False


@dataclass(frozen=True)
class DangerKind:
    """One kind of danger: what the person reads first, what may follow, and what it sounds like."""

    id: str
    title: str
    message: str  # the first lines of the reply: the numbers that fit, in plain words
    brief: str  # one line, shown under another kind's message
    entry: str | None  # the only entry that may follow the numbers (None: nothing follows)
    numbers: tuple[tuple[str, str], ...]
    phrasings: tuple[str, ...]  # what the detector learns from
    expressions: tuple[str, ...]  # exact backstop
    source: tuple[str, ...] = ()
    # Words that, in a question, ask about this danger's own help ("je peux aller à
    # l'hôpital ?" after a beating): such a question is not another question.
    follow_up: tuple[str, ...] = ()
    checked: dt.date | None = None
    path: Path | None = None


@dataclass(frozen=True)
class Dangers:
    """Every kind of danger, and the phrasings that only look like one."""

    kinds: dict[str, DangerKind]
    lookalikes: tuple[str, ...] = ()
    # Set phrases that hold a danger expression but mean something else ("ça m'a
    # frappé de voir…", "en danger de perdre mon emploi"): inside one, the
    # expression does not alert on its own.
    lookalike_expressions: tuple[str, ...] = ()

    @property
    def entries(self) -> frozenset[str]:
        """The entries an emergency reply may continue with."""
        return frozenset(k.entry for k in self.kinds.values() if k.entry)


UNKNOWN_QUARTIER_NAME = "quartier non précisé"


def as_quartier_id(text: str) -> str:
    """ "Quatre Moulins", "quatre_moulins", " Lambézellec " -> "quatre-moulins", "lambezellec": how ids are spelt."""
    plain = "".join(ch for ch in unicodedata.normalize("NFKD", text.strip().lower()) if not unicodedata.combining(ch))
    return "-".join(re.sub(r"[^a-z0-9]+", " ", plain).split())


@dataclass(frozen=True)
class QuartierNames:
    """Quartier ids -> names, in display order, as read from `knowledge/quartiers/`.

    The one source of truth for storage and the laboratoire, which must not
    load the whole knowledge base to order a table or name a quartier.
    """

    names: Mapping[str, str] = field(default_factory=dict)
    # Every name of a place of Brest the base knows (quartiers, their neighbourhoods, streets,
    # landmarks, help points), folded: public words, so redaction never takes them for a person.
    place_names: frozenset[str] = frozenset()

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(self.names)

    def name(self, quartier: str | None) -> str:
        """A quartier id as residents and the laboratoire read it."""
        if quartier is None:
            return UNKNOWN_QUARTIER_NAME
        return self.names.get(quartier, quartier)

    def resolve(self, text: str) -> str | None:
        """The quartier id a person typed as an id or as its name ("Quatre Moulins", "Lambézellec"), else None.

        Staff type the quartier as they read it on screen, not always its file name.
        """
        wanted = as_quartier_id(text)
        for quartier, name in self.names.items():
            if wanted in (quartier, as_quartier_id(name)):
                return quartier
        return None

    def rank(self, quartier: str | None) -> int:
        """Position for sorting: known quartiers in order, unknown ones after."""
        ids = self.ids
        return ids.index(quartier) if quartier in ids else len(ids)


@dataclass
class KnowledgeBase:
    directory: Path
    entries: dict[str, Entry] = field(default_factory=dict)
    places: dict[str, Place] = field(default_factory=dict)
    quartiers: dict[str, Quartier] = field(default_factory=dict)
    lines: dict[str, Line] = field(default_factory=dict)
    lexicon: dict[str, str] = field(default_factory=dict)
    # Groups of everyday words naming one kind of need (mots-du-quotidien.yaml): the laboratoire's grouping.
    concepts: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Words the laboratoire reads as one (synonymes-du-quotidien.yaml): folded word -> word it is read as.
    synonyms: dict[str, str] = field(default_factory=dict)
    # Words any need may hold, set aside by the laboratoire (mots-passe-partout.yaml): folded words.
    generic_words: frozenset[str] = frozenset()
    dangers: Dangers | None = None  # None when the danger data is missing or broken
    learned: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # The rights check's rules (knowledge/orientation/regles.yaml), reloaded with the rest; None: no file.
    rules: RuleSet | None = None

    def phrasings_of(self, entry_id: str) -> tuple[str, ...]:
        """The mediators' phrasings plus those the laboratoire taught from real questions."""
        return self.entries[entry_id].phrasings + self.learned.get(entry_id, ())

    def places_in(self, quartier_id: str) -> list[Place]:
        return [p for p in self.places.values() if p.quartier == quartier_id]

    def ordered_quartiers(self) -> list[Quartier]:
        """The quartiers in the order residents see them (« ordre », then name)."""
        return sorted(self.quartiers.values(), key=lambda q: (q.order is None, q.order or 0, q.name, q.id))

    def quartier_names(self) -> QuartierNames:
        """Ids and names of the quartiers, in display order: what storage and the laboratoire need."""
        return QuartierNames({q.id: q.name for q in self.ordered_quartiers()}, self._place_names())

    def _place_names(self) -> frozenset[str]:
        from bot.understanding.normalize import fold  # local: the model stays importable without the matcher

        names: set[str] = {p.name for p in self.places.values()}
        for quartier in self.quartiers.values():
            names.update((quartier.name, *quartier.names, *quartier.streets, *quartier.landmarks))
            for area in quartier.sub_areas:
                names.update((area.name, *area.variants))
        return frozenset(filter(None, map(fold, names)))

    def city_wide_places(self) -> list[Place]:
        return [p for p in self.places.values() if p.quartier == CITY_WIDE]


@dataclass
class LoadResult:
    kb: KnowledgeBase
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.error]

    def summary(self) -> str:
        kb = self.kb
        counts = {kind: sum(1 for e in kb.entries.values() if e.kind == kind) for kind in KIND_LABELS}
        warnings = len(self.problems) - len(self.errors)
        text = (
            f"{counts['right']} droits, {counts['service']} services, {counts['intent']} intentions, "
            f"{counts['offtopic']} fiche(s) hors sujet, "
            f"{len(kb.places)} lieux, {len(kb.lines)} numéros nationaux, "
            f"{len(kb.quartiers)} quartiers, {len(kb.lexicon)} mots du lexique"
        )
        if kb.dangers:
            phrasings = sum(len(k.phrasings) for k in kb.dangers.kinds.values())
            text += f", {len(kb.dangers.kinds)} dangers ({phrasings} formulations)"
        else:
            text += ", AUCUNE donnée d'urgence valide"
        if self.errors:
            text += f" — {len(self.errors)} erreur(s)"
        if warnings:
            text += f" — {warnings} avertissement(s)"
        return text


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance: good enough to say which help point is nearest."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, a)))
