"""Parsing one mediator's YAML file into a model object, with French problems and lines.

Parsing never raises on bad content: every problem becomes a `Problem` with
the file and line to fix, and the sound fields are still read.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import opening_hours
from rapidfuzz import process

from bot.knowledge.model import (
    ANSWER_MAX_WORDS,
    BREST,
    MAX_ID_LENGTH,
    MAX_KM_FROM_BREST,
    MIN_PHRASINGS,
    Entry,
    Line,
    Link,
    Place,
    Problem,
    Quartier,
    SubArea,
    distance_km,
)
from bot.knowledge.yamlio import LineDict, LineList
from bot.understanding.normalize import fold

_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


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
        for key, value in data.items():
            glued = data.glued_line(key) if isinstance(data, LineDict) else None
            if glued is not None and isinstance(value, str):
                problems.append(Problem(path, glued, _glued_value_message(str(key), value), error=False))

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
            glued = value.glued_line(index) if isinstance(value, LineList) else None
            if glued is not None:
                self.problems.append(Problem(self.path, glued, _glued_item_message(key, item), error=False))
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
            self.fail(
                "id",
                f"identifiant « {ident} » trop long ({len(ident)} caractères, "
                f"maximum {MAX_ID_LENGTH}) : raccourcissez-le",
            )
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
                self.fail(
                    "a_verifier", f"« {name} » ne peut pas être à vérifier (choix : {', '.join(sorted(allowed))})"
                )
        return frozenset(f for f in fields if f in allowed)


def _glued_item_message(key: str, item: str) -> str:
    """Why two items became one: a « - » indented further than the others reads as more text."""
    return (
        f"cette ligne commence par « - » mais est plus indentée que les autres éléments de « {key} » : "
        f"elle a été collée à l'élément du dessus, qui devient « {' '.join(item.split())} » ; "
        "mettez son « - » exactement sous les autres (même nombre d'espaces)"
    )


def _glued_value_message(key: str, value: str) -> str:
    """Why an item added under a one-line field vanished: YAML read it as more of that field's text."""
    return (
        f"cette ligne commence par « - » mais elle est sous « {key} », qui n'est pas une liste : "
        f"elle a été collée à sa valeur, qui devient « {' '.join(value.split())} » ; pour ajouter un élément "
        "à une liste (« formulations », « mots_cles »…), écrivez-le juste sous les autres « - » de cette liste"
    )


ENTRY_KEYS = (
    "id",
    "titre",
    "formulations",
    "mots_cles",
    "reponse",
    "pour_aller_plus_loin",
    "demarches",
    "documents",
    "ou_aller",
    "telephone",
    "liens",
    "source",
    "verifie_le",
    "a_verifier",
    "type",
)
ENTRY_VERIFIABLE = ("reponse", "pour_aller_plus_loin", "telephone", "liens", "demarches", "documents")
PLACE_KEYS = (
    "id",
    "nom",
    "quartier",
    "adresse",
    "telephone",
    "email",
    "horaires",
    "horaires_texte",
    "coordonnees",
    "sujets",
    "a_verifier",
    "source",
    "verifie_le",
    "note",
)
PLACE_VERIFIABLE = ("adresse", "telephone", "email", "horaires", "coordonnees", "quartier")
LINE_KEYS = (
    "id",
    "nom",
    "telephone",
    "horaires",
    "horaires_texte",
    "sujets",
    "generale",
    "a_verifier",
    "source",
    "verifie_le",
    "note",
)
LINE_VERIFIABLE = ("telephone", "horaires")
QUARTIER_KEYS = (
    "id",
    "nom",
    "noms",
    "sous_quartiers",
    "rues",
    "reperes",
    "priorites",
    "priorites_contrat_de_ville",
    "ordre",
    "voisins",
    "source",
    "verifie_le",
    "note",
)


def parse_entry(path: Path, data: LineDict, kind: str, problems: list[Problem]) -> tuple[Entry | None, bool]:
    check = _FileChecker(path, data, problems, ENTRY_KEYS)
    ident = check.identifier()
    title = check.text("titre", required=True)
    phrasings = check.texts("formulations", required=True)
    answer = check.text("reponse", required=True)
    if phrasings and len(phrasings) < MIN_PHRASINGS:
        check.fail(
            "formulations", f"seulement {len(phrasings)} formulations : visez au moins {MIN_PHRASINGS}", error=False
        )
    if answer and len(answer.split()) > ANSWER_MAX_WORDS:
        check.fail(
            "reponse",
            f"réponse trop longue ({len(answer.split())} mots, maximum {ANSWER_MAX_WORDS}) : "
            "mettez les détails dans « pour_aller_plus_loin »",
        )
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


def parse_place(path: Path, data: LineDict, problems: list[Problem]) -> tuple[Place | None, bool]:
    check = _FileChecker(path, data, problems, PLACE_KEYS)
    ident = check.identifier()
    name = check.text("nom", required=True)
    quartier = check.text("quartier", required=True)
    hours = _parse_hours(check)
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


def _parse_hours(check: _FileChecker) -> str | None:
    """The `horaires` field if OpenStreetMap can read it; otherwise an error on its line."""
    hours = check.text("horaires")
    if hours:
        try:
            opening_hours.OpeningHours(hours)
        except Exception:  # the library's ParserError is English and technical: mediators get the fix instead
            check.fail(
                "horaires",
                f"horaires « {hours} » illisibles : écrivez les horaires ainsi : Mo 09:00-12:00 "
                "(jours Mo Tu We Th Fr Sa Su, heures sur 24 h avec deux chiffres, "
                "ex. « Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00 »)",
            )
            hours = None
    return hours


def parse_line(path: Path, data: LineDict, problems: list[Problem]) -> tuple[Line | None, bool]:
    """A national phone line: its number is required, its hours say when it answers."""
    check = _FileChecker(path, data, problems, LINE_KEYS)
    ident = check.identifier()
    name = check.text("nom", required=True)
    phone = check.text("telephone", required=True)
    hours = _parse_hours(check)
    general = data.get("generale", False)
    if not isinstance(general, bool):
        check.fail("generale", "« generale » vaut true ou false")
        general = False
    source, checked = check.sources()
    line = Line(
        id=ident or path.stem,
        name=name or "",
        phone=phone or "",
        hours=hours,
        hours_text=check.text("horaires_texte"),
        topics=check.texts("sujets"),
        general=general,
        to_verify=check.to_verify(LINE_VERIFIABLE),
        source=source,
        checked=checked,
        path=path,
    )
    return (line if ident else None), check.ok


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


def parse_quartier(path: Path, data: LineDict, problems: list[Problem]) -> tuple[Quartier | None, bool]:
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
        order=_order(check),
        neighbours=check.texts("voisins"),
        path=path,
    )
    return (quartier if ident else None), check.ok


def _order(check: _FileChecker) -> int | None:
    """« ordre: 2 »: a whole number from 1; anything else is an error (« deux » would sort nowhere)."""
    value = check.data.get("ordre")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        check.fail("ordre", f"« ordre » doit être un nombre entier à partir de 1 (reçu : {value!r})")
        return None
    return value


def _line_of(mapping: dict[Any, Any], key: Any) -> int:
    """The line of `key` when the YAML reader kept lines (a `LineDict`), else the file's first line."""
    return mapping.line_of(key) if isinstance(mapping, LineDict) else 1


def parse_lexicon(path: Path, data: Any, problems: list[Problem]) -> dict[str, str]:
    lexicon: dict[str, str] = {}
    if not isinstance(data, dict):
        problems.append(Problem(path, 1, "le lexique doit contenir des sections « forme: remplacement »"))
        return lexicon
    for section, mapping in data.items():
        if section in ("source", "verifie_le", "note"):
            continue
        if not isinstance(mapping, dict):
            problems.append(
                Problem(
                    path, _line_of(data, section), f"section « {section} » : il faut des lignes « forme: remplacement »"
                )
            )
            continue
        for written, meant in mapping.items():
            line = _line_of(mapping, written)
            if not isinstance(meant, (str, int)) or not fold(str(written)) or not fold(str(meant)):
                problems.append(Problem(path, line, f"« {written} » : remplacement vide ou invalide"))
                continue
            key = fold(str(written))
            if key in lexicon and lexicon[key] != fold(str(meant)):
                problems.append(Problem(path, line, f"« {written} » est déjà défini plus haut avec un autre sens"))
                continue
            lexicon[key] = fold(str(meant))
    return lexicon


def parse_learned(path: Path, data: Any, problems: list[Problem]) -> dict[str, tuple[str, ...]]:
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
            problems.append(Problem(path, _line_of(data, key), f"« {key} » : liste de phrases attendue"))
    return learned
