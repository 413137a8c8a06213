"""The knowledge base: its data shapes, and loading it from the mediators' YAML files.

Loading never raises on bad content. Every problem becomes a `Problem` with the
file and line to fix, in French, and the files that are sound are still loaded:
the validator prints the problems, the engine decides whether to swap in the
new base or keep the last good one.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable
from functools import lru_cache
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import opening_hours
from rapidfuzz import process

from bot.normalize import fold, glue_elisions
from bot.yamlio import LineDict, LineList, YamlFileError, read_yaml

KIND_FOLDERS = {"droits": "right", "services": "service", "intentions": "intent", "hors-sujet": "offtopic"}
KIND_LABELS = {"right": "droit", "service": "service", "intent": "intention", "offtopic": "hors sujet"}
OFFTOPIC = "offtopic"  # questions the bot recognises as outside its field: it declines politely
PLACES_FOLDER = "lieux"
QUARTIERS_FOLDER = "quartiers"
LEXICON_FILE = "lexique.yaml"
EMERGENCY_FILE = "urgences.yaml"
LEARNED_FILE = Path("appris") / "phrases-apprises.yaml"
CITY_WIDE = "brest"  # a place that serves every quartier

ANSWER_MAX_WORDS = 130
# Ids travel in Telegram button data ("fb:0:<id>"), which is capped at 64 bytes.
MAX_ID_LENGTH = 40
MIN_PHRASINGS = 10
BREST = (48.39, -4.49)
MAX_KM_FROM_BREST = 60

_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


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


@dataclass(frozen=True)
class Place:
    """A place where a person helps: the human at the end of every answer."""

    id: str
    name: str
    quartier: str
    address: str | None = None
    phone: str | None = None
    email: str | None = None
    hours: str | None = None
    hours_text: str | None = None
    lat: float | None = None
    lon: float | None = None
    topics: tuple[str, ...] = ()
    to_verify: frozenset[str] = frozenset()
    source: tuple[str, ...] = ()
    checked: dt.date | None = None
    path: Path | None = None

    def unsure(self, field_name: str) -> bool:
        return field_name in self.to_verify


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


@dataclass(frozen=True)
class Emergency:
    triggers: tuple[str, ...]
    message: str
    numbers: tuple[tuple[str, str], ...] = ()

    @property
    def patterns(self) -> tuple[str, ...]:
        """Triggers folded once, padded with spaces so they match whole words only."""
        return _emergency_patterns(self.triggers)


@lru_cache(maxsize=8)
def _emergency_patterns(triggers: tuple[str, ...]) -> tuple[str, ...]:
    """Each trigger as written and with its elisions glued ("m'a frappé" also as "ma frappe")."""
    forms = {form for t in triggers for form in (fold(t), glue_elisions(fold(t))) if form}
    return tuple(sorted(f" {form} " for form in forms))


@dataclass
class KnowledgeBase:
    directory: Path
    entries: dict[str, Entry] = field(default_factory=dict)
    places: dict[str, Place] = field(default_factory=dict)
    quartiers: dict[str, Quartier] = field(default_factory=dict)
    lexicon: dict[str, str] = field(default_factory=dict)
    emergency: Emergency | None = None
    learned: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def phrasings_of(self, entry_id: str) -> tuple[str, ...]:
        """The mediators' phrasings plus those the laboratoire taught from real questions."""
        return self.entries[entry_id].phrasings + self.learned.get(entry_id, ())

    def places_in(self, quartier_id: str) -> list[Place]:
        return [p for p in self.places.values() if p.quartier == quartier_id]

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
            f"{len(kb.places)} lieux, {len(kb.quartiers)} quartiers, {len(kb.lexicon)} mots du lexique"
        )
        if self.errors:
            text += f" — {len(self.errors)} erreur(s)"
        if warnings:
            text += f" — {warnings} avertissement(s)"
        return text


# --------------------------------------------------------------------------- field checks


class _FileChecker:
    """Reads typed fields out of one file's mapping, recording problems with their lines."""

    def __init__(self, path: Path, data: LineDict, problems: list[Problem], allowed: Iterable[str]) -> None:
        self.path = path
        self.data = data
        self.problems = problems
        self.ok = True
        allowed = list(allowed)
        for key in data:
            if key not in allowed:
                hint = process.extractOne(str(key), allowed, score_cutoff=70)
                suggestion = f" (vouliez-vous dire « {hint[0]} » ?)" if hint else ""
                self.fail(key, f"clé inconnue « {key} »{suggestion}")

    def line(self, key: str) -> int:
        return self.data.line_of(key)

    def fail(self, key: str | None, message: str, error: bool = True) -> None:
        line = self.line(key) if key is not None else self.data.line
        self.problems.append(Problem(self.path, line, message, error))
        if error:
            self.ok = False

    def text(self, key: str, required: bool = False) -> str | None:
        value = self.data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.fail(None, f"champ obligatoire « {key} » manquant ou vide")
            return None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
        if not isinstance(value, str):
            self.fail(key, f"« {key} » doit être un texte")
            return None
        return value.strip()

    def texts(self, key: str, required: bool = False) -> tuple[str, ...]:
        value = self.data.get(key)
        if value is None:
            if required:
                self.fail(None, f"champ obligatoire « {key} » manquant")
            return ()
        if isinstance(value, str):
            return (value.strip(),) if value.strip() else ()
        if not isinstance(value, list):
            self.fail(key, f"« {key} » doit être une liste")
            return ()
        items = []
        for index, item in enumerate(value):
            if isinstance(item, (int, float)) and not isinstance(item, bool):
                item = str(item)
            if not isinstance(item, str) or not item.strip():
                line = value.line_of(index) if isinstance(value, LineList) else self.line(key)
                self.problems.append(Problem(self.path, line, f"élément {index + 1} de « {key} » : texte attendu"))
                self.ok = False
                continue
            items.append(item.strip())
        return tuple(items)

    def identifier(self) -> str | None:
        ident = self.text("id", required=True)
        if ident is None:
            return None
        if not _ID.match(ident):
            self.fail("id", f"identifiant « {ident} » invalide : minuscules, chiffres et tirets seulement")
            return None
        if len(ident) > MAX_ID_LENGTH:
            self.fail("id", f"identifiant « {ident} » trop long ({len(ident)} caractères, "
                            f"maximum {MAX_ID_LENGTH}) : raccourcissez-le")
        if ident != self.path.stem:
            self.fail("id", f"l'identifiant « {ident} » doit être le nom du fichier ({self.path.stem}.yaml)")
        return ident

    def sources(self) -> tuple[tuple[str, ...], dt.date | None]:
        source = self.texts("source")
        if not source:
            self.fail(None, "« source » manquante : d'où vient cette information ?")
        checked = self.data.get("verifie_le")
        date: dt.date | None = None
        if checked is None:
            self.fail(None, "« verifie_le » manquant : date de vérification (AAAA-MM-JJ)")
        elif isinstance(checked, dt.datetime):
            date = checked.date()
        elif isinstance(checked, dt.date):
            date = checked
        else:
            try:
                date = dt.date.fromisoformat(str(checked).strip())
            except ValueError:
                self.fail("verifie_le", f"date « {checked} » invalide : écrivez AAAA-MM-JJ, par exemple 2025-04-01")
        if date and date > dt.date.today() + dt.timedelta(days=1):
            self.fail("verifie_le", f"date de vérification {date} dans le futur")
        return source, date

    def to_verify(self, allowed: Iterable[str]) -> frozenset[str]:
        value = self.data.get("a_verifier")
        if value is True:
            return frozenset(allowed)
        if value in (None, False):
            return frozenset()
        fields = self.texts("a_verifier")
        allowed = set(allowed)
        for name in fields:
            if name not in allowed:
                self.fail("a_verifier", f"« {name} » ne peut pas être à vérifier (choix : {', '.join(sorted(allowed))})")
        return frozenset(f for f in fields if f in allowed)


ENTRY_KEYS = (
    "id", "titre", "formulations", "mots_cles", "reponse", "pour_aller_plus_loin", "demarches",
    "documents", "ou_aller", "telephone", "liens", "source", "verifie_le", "a_verifier", "type",
)
ENTRY_VERIFIABLE = ("reponse", "pour_aller_plus_loin", "telephone", "liens", "demarches", "documents")
PLACE_KEYS = (
    "id", "nom", "quartier", "adresse", "telephone", "email", "horaires", "horaires_texte",
    "coordonnees", "sujets", "a_verifier", "source", "verifie_le", "note",
)
PLACE_VERIFIABLE = ("adresse", "telephone", "email", "horaires", "coordonnees", "quartier")
QUARTIER_KEYS = (
    "id", "nom", "noms", "sous_quartiers", "rues", "reperes", "priorites",
    "priorites_contrat_de_ville", "source", "verifie_le", "note",
)


def _parse_entry(path: Path, data: LineDict, kind: str, problems: list[Problem]) -> tuple[Entry | None, bool]:
    check = _FileChecker(path, data, problems, ENTRY_KEYS)
    ident = check.identifier()
    title = check.text("titre", required=True)
    phrasings = check.texts("formulations", required=True)
    answer = check.text("reponse", required=True)
    if phrasings and len(phrasings) < MIN_PHRASINGS:
        check.fail("formulations", f"seulement {len(phrasings)} formulations : visez au moins {MIN_PHRASINGS}", error=False)
    if answer and len(answer.split()) > ANSWER_MAX_WORDS:
        check.fail("reponse", f"réponse trop longue ({len(answer.split())} mots, maximum {ANSWER_MAX_WORDS}) : "
                              "mettez les détails dans « pour_aller_plus_loin »")
    links = _parse_links(check)
    source, checked = check.sources()
    entry = Entry(
        id=ident or path.stem,
        kind=kind,
        title=title or "",
        phrasings=phrasings,
        keywords=check.texts("mots_cles"),
        answer=answer or "",
        more=check.text("pour_aller_plus_loin") or "",
        steps=check.texts("demarches"),
        documents=check.texts("documents"),
        services=check.texts("ou_aller"),
        phone=check.text("telephone"),
        links=links,
        source=source,
        checked=checked,
        to_verify=check.to_verify(ENTRY_VERIFIABLE),
        path=path,
    )
    return (entry if ident else None), check.ok


def _parse_links(check: _FileChecker) -> tuple[Link, ...]:
    raw = check.data.get("liens")
    if raw is None:
        return ()
    if not isinstance(raw, list):
        check.fail("liens", "« liens » doit être une liste de {titre, url}")
        return ()
    links = []
    for index, item in enumerate(raw):
        line = raw.line_of(index) if isinstance(raw, LineList) else check.line("liens")
        if isinstance(item, str):
            item = {"titre": item, "url": item}
        url = item.get("url") if isinstance(item, dict) else None
        if not isinstance(url, str) or not url.startswith(("https://", "http://")):
            check.problems.append(Problem(check.path, line, "lien invalide : il faut « url: https://… »"))
            check.ok = False
            continue
        links.append(Link(str(item.get("titre") or url), url))
    return tuple(links)


def _parse_place(path: Path, data: LineDict, problems: list[Problem]) -> tuple[Place | None, bool]:
    check = _FileChecker(path, data, problems, PLACE_KEYS)
    ident = check.identifier()
    name = check.text("nom", required=True)
    quartier = check.text("quartier", required=True)
    hours = check.text("horaires")
    if hours:
        try:
            opening_hours.OpeningHours(hours)
        except Exception as exc:  # the library raises its own ParserError
            first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            check.fail("horaires", f"horaires « {hours} » illisibles (syntaxe OpenStreetMap, ex. "
                                   f"« Mo-Fr 09:00-12:00 ») {first_line}".rstrip())
            hours = None
    lat, lon = _parse_coordinates(check)
    source, checked = check.sources()
    place = Place(
        id=ident or path.stem,
        name=name or "",
        quartier=quartier or "",
        address=check.text("adresse"),
        phone=check.text("telephone"),
        email=check.text("email"),
        hours=hours,
        hours_text=check.text("horaires_texte"),
        lat=lat,
        lon=lon,
        topics=check.texts("sujets"),
        to_verify=check.to_verify(PLACE_VERIFIABLE),
        source=source,
        checked=checked,
        path=path,
    )
    return (place if ident else None), check.ok


def _parse_coordinates(check: _FileChecker) -> tuple[float | None, float | None]:
    raw = check.data.get("coordonnees")
    if raw is None:
        return None, None
    if not isinstance(raw, dict) or "lat" not in raw or "lon" not in raw:
        check.fail("coordonnees", "coordonnées attendues sous la forme {lat: 48.39, lon: -4.49}")
        return None, None
    try:
        lat, lon = float(raw["lat"]), float(raw["lon"])
    except (TypeError, ValueError):
        check.fail("coordonnees", "latitude et longitude doivent être des nombres")
        return None, None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        check.fail("coordonnees", f"coordonnées impossibles ({lat}, {lon})")
        return None, None
    if distance_km(lat, lon, *BREST) > MAX_KM_FROM_BREST:
        check.fail("coordonnees", f"coordonnées ({lat}, {lon}) loin de Brest : latitude et longitude inversées ?")
        return None, None
    return lat, lon


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance: good enough to say which help point is nearest."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, a)))


def _parse_quartier(path: Path, data: LineDict, problems: list[Problem]) -> tuple[Quartier | None, bool]:
    check = _FileChecker(path, data, problems, QUARTIER_KEYS)
    ident = check.identifier()
    name = check.text("nom", required=True)
    names = check.texts("noms", required=True)
    sub_areas = []
    raw_subs = data.get("sous_quartiers") or []
    if not isinstance(raw_subs, list):
        check.fail("sous_quartiers", "« sous_quartiers » doit être une liste")
        raw_subs = []
    for index, item in enumerate(raw_subs):
        if isinstance(item, str):
            item = {"nom": item}
        if not isinstance(item, dict) or not isinstance(item.get("nom"), str):
            line = raw_subs.line_of(index) if isinstance(raw_subs, LineList) else check.line("sous_quartiers")
            problems.append(Problem(path, line, "sous-quartier : il faut au moins « nom: … »"))
            check.ok = False
            continue
        line = raw_subs.line_of(index) if isinstance(raw_subs, LineList) else check.line("sous_quartiers")
        variants = item.get("variantes") or []
        if isinstance(variants, str):
            variants = [variants]
        if not isinstance(variants, list):
            problems.append(Problem(path, line, f"« {item['nom']} » : « variantes » doit être une liste"))
            check.ok = False
            variants = []
        # YAML reads « non » as text, and bool("non") is True: only true/false are accepted.
        uncertain = item.get("incertain", False)
        if not isinstance(uncertain, bool):
            problems.append(Problem(path, line, f"« {item['nom']} » : « incertain » vaut true ou false"))
            check.ok = False
            uncertain = False
        sub_areas.append(SubArea(item["nom"], tuple(str(v) for v in variants), uncertain))
    source, checked = check.sources()
    quartier = Quartier(
        id=ident or path.stem,
        name=name or "",
        names=names,
        sub_areas=tuple(sub_areas),
        streets=check.texts("rues"),
        landmarks=check.texts("reperes"),
        priorities=check.texts("priorites"),
        contract_priorities=check.text("priorites_contrat_de_ville") or "",
        source=source,
        checked=checked,
    )
    return (quartier if ident else None), check.ok


def _parse_lexicon(path: Path, data: Any, problems: list[Problem]) -> dict[str, str]:
    lexicon: dict[str, str] = {}
    if not isinstance(data, dict):
        problems.append(Problem(path, 1, "le lexique doit contenir des sections « forme: remplacement »"))
        return lexicon
    for section, mapping in data.items():
        if section in ("source", "verifie_le", "note"):
            continue
        if not isinstance(mapping, dict):
            problems.append(Problem(path, data.line_of(section), f"section « {section} » : il faut des lignes « forme: remplacement »"))
            continue
        for written, meant in mapping.items():
            line = mapping.line_of(written) if isinstance(mapping, LineDict) else 1
            if not isinstance(meant, (str, int)) or not fold(str(written)) or not fold(str(meant)):
                problems.append(Problem(path, line, f"« {written} » : remplacement vide ou invalide"))
                continue
            key = fold(str(written))
            if key in lexicon and lexicon[key] != fold(str(meant)):
                problems.append(Problem(path, line, f"« {written} » est déjà défini plus haut avec un autre sens"))
                continue
            lexicon[key] = fold(str(meant))
    return lexicon


def _parse_emergency(path: Path, data: Any, problems: list[Problem]) -> Emergency | None:
    if not isinstance(data, LineDict):
        problems.append(Problem(path, 1, "urgences.yaml doit contenir « declencheurs », « message », « source »"))
        return None
    check = _FileChecker(path, data, problems, ("declencheurs", "message", "numeros", "source", "verifie_le", "note", "a_verifier"))
    triggers = check.texts("declencheurs", required=True)
    message = check.text("message", required=True)
    check.sources()
    numbers = []
    raw_numbers = data.get("numeros") or []
    if not isinstance(raw_numbers, list):
        check.fail("numeros", "« numeros » doit être une liste de {numero, nom}")
        raw_numbers = []
    for item in raw_numbers:
        if isinstance(item, dict) and item.get("numero"):
            numbers.append((str(item["numero"]), str(item.get("nom", ""))))
    if not check.ok or not message:
        return None
    return Emergency(triggers, message, tuple(numbers))


def _parse_learned(path: Path, data: Any, problems: list[Problem]) -> dict[str, tuple[str, ...]]:
    learned: dict[str, tuple[str, ...]] = {}
    if data is None:
        return learned
    if not isinstance(data, dict):
        problems.append(Problem(path, 1, "fichier des phrases apprises : il faut « id: [phrases…] »"))
        return learned
    for key, value in data.items():
        if key in ("source", "verifie_le", "note"):
            continue
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            learned[str(key)] = tuple(value)
        else:
            problems.append(Problem(path, data.line_of(key), f"« {key} » : liste de phrases attendue"))
    return learned


# --------------------------------------------------------------------------- whole-base checks


def _check_references(kb: KnowledgeBase, problems: list[Problem], lines: dict[tuple[str, str], tuple[Path, int]]) -> None:
    """Links between files: every id one file names must exist, with the right kind."""

    def report(owner: str, key: str, message: str) -> None:
        # A missing key ("ou_aller" forgotten) has no line: point at the file's id.
        path, line = lines.get((owner, key)) or lines.get((owner, "id")) or (kb.directory, 1)
        problems.append(Problem(path, line, message))

    for entry in kb.entries.values():
        for service in entry.services:
            target = kb.entries.get(service)
            if target is None:
                report(entry.id, "ou_aller", f"« ou_aller » cite « {service} », qui n'existe pas")
            elif target.kind != "service":
                report(entry.id, "ou_aller", f"« ou_aller » cite « {service} », qui n'est pas un service")
        if entry.kind == "right" and not entry.services:
            report(entry.id, "ou_aller", "un droit doit indiquer au moins un service dans « ou_aller »")
    for place in kb.places.values():
        if place.quartier != CITY_WIDE and place.quartier not in kb.quartiers:
            report("lieu:" + place.id, "quartier", f"quartier « {place.quartier} » inconnu (choix : "
                   f"{', '.join(sorted(kb.quartiers))} ou {CITY_WIDE})")
        for topic in place.topics:
            if topic not in kb.entries:
                report("lieu:" + place.id, "sujets", f"« sujets » cite « {topic} », qui n'existe pas")
    for quartier in kb.quartiers.values():
        for priority in quartier.priorities:
            if priority not in kb.entries:
                report("quartier:" + quartier.id, "priorites", f"« priorites » cite « {priority} », qui n'existe pas")
    for entry_id in kb.learned:
        if entry_id not in kb.entries:
            report("appris", entry_id, f"phrases apprises pour « {entry_id} », qui n'existe pas")


def _check_duplicate_phrasings(kb: KnowledgeBase, problems: list[Problem], lines: dict[tuple[str, str], tuple[Path, int]]) -> None:
    """The same words under two entries would make the matcher toss a coin."""
    owner: dict[str, str] = {}
    for entry in kb.entries.values():
        for phrasing in entry.phrasings:
            key = fold(phrasing)
            first = owner.setdefault(key, entry.id)
            if first != entry.id:
                path, line = lines.get((entry.id, "formulations"), (kb.directory, 1))
                problems.append(Problem(path, line, f"la formulation « {phrasing} » est aussi dans « {first} »"))


def _check_gazetteer(kb: KnowledgeBase, problems: list[Problem], lines: dict[tuple[str, str], tuple[Path, int]]) -> None:
    """A name claimed by two quartiers must be marked uncertain in both, or the bot would guess."""
    claims: dict[str, list[tuple[str, bool]]] = {}
    for quartier in kb.quartiers.values():
        for name in quartier.names + quartier.streets + quartier.landmarks:
            claims.setdefault(fold(name), []).append((quartier.id, False))
        for area in quartier.sub_areas:
            for name in (area.name, *area.variants):
                claims.setdefault(fold(name), []).append((quartier.id, area.uncertain))
    for name, owners in claims.items():
        ids = {q for q, _ in owners}
        if len(ids) > 1 and not all(uncertain for _, uncertain in owners):
            for quartier_id in sorted(ids):
                path, line = lines.get(("quartier:" + quartier_id, "id"), (kb.directory, 1))
                problems.append(Problem(path, line, f"« {name} » est dans plusieurs quartiers "
                                        f"({', '.join(sorted(ids))}) : marquez-le « incertain: true » partout"))
                break


# --------------------------------------------------------------------------- loading


def _yaml_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and not p.name.startswith("."))


def load_knowledge(directory: Path) -> LoadResult:
    """Read every file under `directory`; keep what is sound and report the rest."""
    directory = Path(directory)
    kb = KnowledgeBase(directory=directory)
    # Everything that could be read, sound or not: cross-file checks look at all
    # of it, so one broken file does not hide the mistakes of another.
    parsed = KnowledgeBase(directory=directory)
    problems: list[Problem] = []
    lines: dict[tuple[str, str], tuple[Path, int]] = {}
    if not directory.is_dir():
        problems.append(Problem(directory, 1, "dossier de la base de connaissances introuvable"))
        return LoadResult(kb, problems)

    def read(path: Path) -> Any:
        try:
            return read_yaml(path)
        except YamlFileError as exc:
            problems.append(Problem(path, exc.line, exc.message))
            return None

    def remember_lines(owner: str, path: Path, data: LineDict) -> None:
        for key in data:
            lines[(owner, key)] = (path, data.line_of(key))

    seen_ids: dict[str, Path] = {}

    def claim_id(ident: str, path: Path, data: LineDict) -> bool:
        if ident in seen_ids:
            problems.append(Problem(path, data.line_of("id"), f"identifiant « {ident} » déjà utilisé dans {seen_ids[ident]}"))
            return False
        seen_ids[ident] = path
        return True

    def load_folder(folder: str, parse, collection: str, owner_prefix: str, what: str) -> None:
        """Read one folder of one-item-per-file YAML into kb (if sound) and parsed (always)."""
        for path in _yaml_files(directory / folder):
            before = len(problems)
            data = read(path)
            if data is None:
                if len(problems) == before:  # empty, or only comments: say so, never skip it silently
                    problems.append(Problem(path, 1, f"fichier vide : il doit décrire {what} (« id: … », …)"))
                continue
            if not isinstance(data, LineDict):
                problems.append(Problem(path, 1, f"le fichier doit décrire {what} (« id: … », …)"))
                continue
            item, ok = parse(path, data, problems)
            if item and claim_id(item.id, path, data):
                getattr(parsed, collection)[item.id] = item
                remember_lines(owner_prefix + item.id, path, data)
                if ok:
                    getattr(kb, collection)[item.id] = item

    for folder, kind in KIND_FOLDERS.items():
        load_folder(folder, lambda path, data, problems, kind=kind: _parse_entry(path, data, kind, problems),
                    "entries", "", "une fiche")
    load_folder(QUARTIERS_FOLDER, _parse_quartier, "quartiers", "quartier:", "un quartier")
    load_folder(PLACES_FOLDER, _parse_place, "places", "lieu:", "un lieu")

    lexicon_path = directory / LEXICON_FILE
    if lexicon_path.exists():
        data = read(lexicon_path)
        if data is not None:
            kb.lexicon = _parse_lexicon(lexicon_path, data, problems)

    emergency_path = directory / EMERGENCY_FILE
    if emergency_path.exists():
        before = len(problems)
        data = read(emergency_path)
        if len(problems) == before:  # an empty file is reported by the parser, not skipped
            kb.emergency = _parse_emergency(emergency_path, data, problems)
    else:
        # Without it the bot would never give the emergency numbers: never let that pass silently.
        problems.append(Problem(emergency_path, 1, "fichier des urgences manquant : le bot ne donnerait "
                                                   "jamais les numéros d'urgence"))

    learned_path = directory / LEARNED_FILE
    if learned_path.exists():
        data = read(learned_path)
        kb.learned = _parse_learned(learned_path, data, problems)
        if isinstance(data, LineDict):
            for key in data:
                lines[("appris", str(key))] = (learned_path, data.line_of(key))

    if not kb.entries:
        problems.append(Problem(directory, 1, "aucune fiche valide trouvée (dossiers droits/, services/, intentions/)"))
    parsed.learned = kb.learned
    _check_references(parsed, problems, lines)
    _check_duplicate_phrasings(parsed, problems, lines)
    _check_gazetteer(parsed, problems, lines)
    problems.sort(key=lambda p: (str(p.path), p.line))
    return LoadResult(kb, problems)
