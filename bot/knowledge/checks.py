"""Whole-base checks: what no single file can see (links between files, duplicates, places, freshness)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from pathlib import Path

from bot.knowledge.model import CITY_WIDE, Entry, KnowledgeBase, Line, Place, Problem, Quartier
from bot.knowledge.yamlio import LineDict, LineList, YamlFileError, read_yaml
from bot.understanding.matcher import reading_of
from bot.understanding.normalize import Lexicon, Normalizer, fold
from bot.understanding.stemmer import Stemmer

# --------------------------------------------------------------------------- whole-base checks

_CITED = re.compile(r"cite « ([^»]+) », qui n'existe pas$")


def check_references(
    kb: KnowledgeBase,
    problems: list[Problem],
    lines: dict[tuple[str, str], tuple[Path, int]],
    unreadable: Mapping[str, Path] | None = None,
) -> None:
    """Links between files: every id one file names must exist, with the right kind.

    `unreadable`: entry files that could not be read at all, by the id their name gives.
    One tab in droits/rsa.yaml must not read as ten mistakes elsewhere: a file that
    cites « rsa » gets a warning pointing at rsa.yaml, whose own error is the one to fix.
    """
    unreadable = unreadable or {}

    def report(owner: str, key: str, message: str) -> None:
        # A missing key ("ou_aller" forgotten) has no line: point at the file's id.
        path, line = lines.get((owner, key)) or lines.get((owner, "id")) or (kb.directory, 1)
        cited = _CITED.search(message)
        if cited and cited[1] in unreadable:
            where = _relative(unreadable[cited[1]], kb.directory)
            message = (
                message[: cited.start()]
                + f"cite « {cited[1]} », dont le fichier {where} a une erreur : corrigez d'abord ce fichier"
            )
            problems.append(Problem(path, line, message, error=False))
            return
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
        if place.quartier != CITY_WIDE and place.quartier in unreadable:  # a tab in quartiers/bellevue.yaml
            report("lieu:" + place.id, "quartier", f"« quartier » cite « {place.quartier} », qui n'existe pas")
        elif place.quartier != CITY_WIDE and place.quartier not in kb.quartiers:
            report(
                "lieu:" + place.id,
                "quartier",
                f"quartier « {place.quartier} » inconnu (choix : {', '.join(sorted(kb.quartiers))} ou {CITY_WIDE})",
            )
        for topic in place.topics:
            if topic not in kb.entries:
                report("lieu:" + place.id, "sujets", f"« sujets » cite « {topic} », qui n'existe pas")
    for line in kb.lines.values():
        for topic in line.topics:
            if topic not in kb.entries:
                report("ligne:" + line.id, "sujets", f"« sujets » cite « {topic} », qui n'existe pas")
    for quartier in kb.quartiers.values():
        for priority in quartier.priorities:
            if priority not in kb.entries:
                report("quartier:" + quartier.id, "priorites", f"« priorites » cite « {priority} », qui n'existe pas")
        for neighbour in quartier.neighbours:
            if neighbour not in kb.quartiers or neighbour == quartier.id:
                report(
                    "quartier:" + quartier.id,
                    "voisins",
                    f"« voisins » cite « {neighbour} », qui n'est pas un autre quartier "
                    f"(choix : {', '.join(sorted(kb.quartiers))})",
                )
    for entry_id in kb.learned:
        if entry_id not in kb.entries:
            report("appris", entry_id, f"phrases apprises pour « {entry_id} », qui n'existe pas")


def check_duplicate_phrasings(
    kb: KnowledgeBase, problems: list[Problem], lines: dict[tuple[str, str], tuple[Path, int]]
) -> None:
    """The same words under two entries would make the matcher toss a coin."""
    owner: dict[str, str] = {}
    for entry in kb.entries.values():
        for phrasing in entry.phrasings:
            key = fold(phrasing)
            first = owner.setdefault(key, entry.id)
            if first != entry.id:
                # Blame the file edited last (the mediator's own change), and name the other place too.
                places = sorted(
                    ((lines.get((e, "formulations"), (kb.directory, 1)), e) for e in (entry.id, first)),
                    key=lambda place: -_modified(place[0][0]),
                )
                (path, line), _ = places[0]
                (other_path, other_line), other = places[1]
                where = _relative(other_path, kb.directory)
                problems.append(
                    Problem(
                        path,
                        line,
                        f"la formulation « {phrasing} » est aussi dans « {other} » "
                        f"(déjà utilisée par l'entrée {other}, {where}:{other_line}) : gardez-la dans une seule fiche",
                    )
                )


def lookalike_phrasings(kb: KnowledgeBase) -> list[Problem]:
    """Phrasings of two entries that the matcher reads as the same words: a warning at a phrasing's line.

    « t'es un robot ? » (parler-humain) and « tu es un robot » (aide-bot)
    differ in spelling only: the matcher keeps the same stems for both, so a
    resident who types either gets one entry or the other by chance, and the
    cross-validation counts both as confusions. Exact copies are already an
    error (`check_duplicate_phrasings`); this only warns (a mediator may
    disagree that two texts mean the same). Two off-topic files may share a
    text: either way the bot declines. Run by `validate` only, like the other
    reminders: reading every phrasing as the matcher does costs a tenth of a
    second per 10,000 phrasings, which start-up and reloads need not pay.
    """
    normalizer, stemmer = Normalizer(Lexicon(kb.lexicon)), Stemmer()
    readers: dict[frozenset[str], list[tuple[str, str]]] = {}
    for entry in sorted(kb.entries.values(), key=lambda e: e.id):
        for phrasing in entry.phrasings:
            reading = reading_of(normalizer, stemmer, phrasing)
            if reading:
                readers.setdefault(reading, []).append((entry.id, phrasing))
    problems: list[Problem] = []
    lines = _PhrasingLines(kb)
    for group in readers.values():
        for index, (entry_id, phrasing) in enumerate(group):
            for other_id, other in group[:index]:
                if other_id == entry_id or fold(other) == fold(phrasing):
                    continue
                if kb.entries[entry_id].offtopic and kb.entries[other_id].offtopic:
                    continue
                problems.append(_lookalike(kb, lines, (entry_id, phrasing), (other_id, other)))
    return problems


class _PhrasingLines:
    """The file and line of an entry's phrasing, read again only for the entries a warning names."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self._lines: dict[str, dict[str, int]] = {}

    def __call__(self, entry_id: str, phrasing: str) -> tuple[Path, int]:
        path = self.kb.entries[entry_id].path or self.kb.directory
        if entry_id not in self._lines:
            self._lines[entry_id] = self._read(path)
        found = self._lines[entry_id]
        return path, found.get(phrasing.strip(), found.get("", 1))

    @staticmethod
    def _read(path: Path) -> dict[str, int]:
        try:
            data = read_yaml(path)
        except (OSError, YamlFileError):
            return {}
        if not isinstance(data, LineDict):
            return {}
        lines = {"": data.line_of("formulations")}  # a flow list « [a, b] » has one line for all
        phrasings = data.get("formulations")
        if isinstance(phrasings, LineList):
            for index, item in enumerate(phrasings):
                if isinstance(item, str):
                    lines.setdefault(item.strip(), phrasings.line_of(index))
        return lines


def _lookalike(kb: KnowledgeBase, lines: _PhrasingLines, one: tuple[str, str], other: tuple[str, str]) -> Problem:
    """The warning for two look-alike phrasings, on the one in the file edited last."""
    here, there = sorted((one, other), key=lambda side: -_modified(lines(*side)[0]))
    (path, line), (other_path, other_line) = lines(*here), lines(*there)
    return Problem(
        path,
        line,
        f"la formulation « {here[1]} » a les mêmes mots pour le bot que « {there[1]} » de l'entrée "
        f"{there[0]} ({_relative(other_path, kb.directory)}:{other_line}) : il les confond ; "
        "gardez-la dans la fiche où elle a sa place, ou ajoutez un mot qui fait la différence",
        error=False,
    )


def _modified(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _relative(path: Path, directory: Path) -> str:
    try:
        return str(path.relative_to(directory))
    except ValueError:
        return str(path)


def check_gazetteer(kb: KnowledgeBase, problems: list[Problem], lines: dict[tuple[str, str], tuple[Path, int]]) -> None:
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
                problems.append(
                    Problem(
                        path,
                        line,
                        f"« {name} » est dans plusieurs quartiers "
                        f"({', '.join(sorted(ids))}) : marquez-le « incertain: true » partout",
                    )
                )
                break


# --------------------------------------------------------------------------- freshness and coverage
# Warnings a mediator can act on, computed by `validate` only (with an injected
# `today`), never while loading: an old date is a reminder, not an error, and
# the running bot must not depend on the calendar.

MIN_PLACES_WITH_CONTACT = 2
_CHECKED_KEY = re.compile(r"^verifie_le\s*:", re.MULTILINE)


def _line_of_checked_date(path: Path) -> int:
    """The line of `verifie_le` in the file, so the warning points where to edit."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return 1
    match = _CHECKED_KEY.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else 1


def checked_long_ago(checked: dt.date, today: dt.date, max_age_days: int) -> bool:
    """Older than the freshness limit: what `validate` warns about and the bot shows « à confirmer »."""
    return (today - checked).days > max_age_days


def _age_in_words(checked: dt.date, today: dt.date, max_age_days: int) -> str:
    """How old a check is, for a mediator: never « il y a 12 mois (plus de 12 mois) ».

    Counting calendar months, a date a few days past the limit can still count as many
    months as the limit itself, which read as a contradiction next to « plus de 12 mois »;
    say « un peu plus d'un an » (or of the limit's months) then. The limit comes from
    `max_age_days`, as in `freshness_summary`, not from a second literal.
    """
    months = (today.year - checked.year) * 12 + today.month - checked.month
    limit = max_age_days // 30
    if months <= limit:
        return "il y a un peu plus d'un an" if limit == 12 else f"il y a un peu plus de {limit} mois"
    return f"il y a {months} mois (plus de {limit} mois)"


def stale_facts(kb: KnowledgeBase, today: dt.date, max_age_days: int) -> list[Problem]:
    """A warning for every file whose `verifie_le` is older than `max_age_days`."""
    items: list[Entry | Place | Quartier | Line] = [
        *kb.entries.values(),
        *kb.places.values(),
        *kb.quartiers.values(),
        *kb.lines.values(),
    ]
    problems = []
    for item in items:
        if item.checked is None or not checked_long_ago(item.checked, today, max_age_days) or item.path is None:
            continue
        problems.append(
            Problem(
                item.path,
                _line_of_checked_date(item.path),
                f"vérifié le {item.checked.strftime('%d/%m/%Y')}, {_age_in_words(item.checked, today, max_age_days)} : "
                "revérifiez la source, puis mettez à jour « source » et « verifie_le »",
                error=False,
            )
        )
    return problems


def _checked(place: Place, field_name: str, value: str | None) -> bool:
    return bool(value) and field_name not in place.to_verify


def thin_quartiers(kb: KnowledgeBase) -> list[Problem]:
    """A warning for a quartier with fewer than two places a resident can actually reach.

    Two steps, one warning per quartier: first places with a checked phone or
    address at all, then places with both (« joignables »), since only those
    let someone call or walk in without guessing. A place whose quartier is
    itself « à confirmer » is not counted: it may be on the other side of town.
    """
    problems = []
    for quartier in kb.quartiers.values():
        places = [p for p in kb.places_in(quartier.id) if not p.unsure("quartier")]
        with_contact = [p for p in places if _checked(p, "telephone", p.phone) or _checked(p, "adresse", p.address)]
        reachable = [p for p in places if p.reachable]
        if len(with_contact) < MIN_PLACES_WITH_CONTACT:
            message = (
                f"quartier « {quartier.name} » : {len(with_contact)} lieu(x) seulement avec un téléphone ou "
                f"une adresse vérifiés (il en faut au moins {MIN_PLACES_WITH_CONTACT}) : complétez lieux/"
            )
        elif len(reachable) < MIN_PLACES_WITH_CONTACT:
            message = (
                f"quartier « {quartier.name} » : {len(reachable)} lieu(x) seulement avec un téléphone ET une "
                f"adresse vérifiés (il en faut au moins {MIN_PLACES_WITH_CONTACT} pour que le bot donne toujours "
                "une personne joignable) : complétez lieux/"
            )
        else:
            continue
        problems.append(Problem(quartier.path or kb.directory, 1, message, error=False))
    return problems


def coverage_summary(kb: KnowledgeBase) -> str:
    """One line: per quartier, how many places have a checked address / phone / hours."""
    parts = []
    for quartier_id in [*kb.quartiers, CITY_WIDE]:
        places = kb.places_in(quartier_id)
        name = kb.quartiers[quartier_id].name if quartier_id in kb.quartiers else "toute la ville"
        address = sum(_checked(p, "adresse", p.address) for p in places)
        phone = sum(_checked(p, "telephone", p.phone) for p in places)
        hours = sum(_checked(p, "horaires", p.hours) for p in places)
        parts.append(f"{name} {address}/{phone}/{hours} sur {len(places)}")
    return "Couverture des lieux (adresse / téléphone / horaires vérifiés) : " + " · ".join(parts)


def freshness_summary(kb: KnowledgeBase, today: dt.date, max_age_days: int) -> str:
    """One line: per quartier, how many places were checked within the freshness limit, then the lines.

    The per-file warnings say what to check again; this line says where the
    bot's « ouvert maintenant » and « répond maintenant » still rest on recent
    checks, so a mediator sees which quartier to visit first.
    """

    def recent(items: list[Place] | list[Line]) -> int:
        return sum(i.checked is not None and not checked_long_ago(i.checked, today, max_age_days) for i in items)

    parts = []
    for quartier_id in [*kb.quartiers, CITY_WIDE]:
        places = kb.places_in(quartier_id)
        name = kb.quartiers[quartier_id].name if quartier_id in kb.quartiers else "toute la ville"
        parts.append(f"{name} {recent(places)} sur {len(places)}")
    lines = list(kb.lines.values())
    return (
        f"Lieux vérifiés depuis moins de {max_age_days // 30} mois : "
        + " · ".join(parts)
        + f" ; numéros nationaux : {recent(lines)} sur {len(lines)}"
    )
