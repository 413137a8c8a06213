"""Reading the danger data: `knowledge/urgences/`, one file per kind of danger, plus look-alikes.

This data decides whether a person in danger gets the right numbers first, so
nothing here is optional or silently skipped: a missing folder, a missing
kind, an empty or unreadable file (a tab!), a number listed but not shown, an
entry that does not exist — each is an error with its `path:line`. The loader
then leaves `kb.dangers` empty: the validator fails, the commands refuse to
start, and a running bot keeps its last good data (see `engine`).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any

from bot.knowledge.model import DANGER_KINDS, DANGERS_FOLDER, LOOKALIKES_FILE, DangerKind, Dangers, Problem
from bot.knowledge.parsing import _FileChecker
from bot.knowledge.yamlio import LineDict, LineList
from bot.understanding.normalize import fold

KIND_KEYS = (
    "id", "titre", "message", "en_bref", "fiche", "numeros", "formulations", "expressions", "mots_lies",
    "source", "verifie_le", "note",
)  # fmt: skip
LOOKALIKE_KEYS = ("id", "formulations", "expressions", "note")
# Enough varied phrasings for the detector to generalise; fewer is reported.
MIN_DANGER_PHRASINGS = 30
MISSING = "le bot ne donnerait plus les bons numéros d'urgence"


def load_dangers(
    directory: Path, read: Callable[[Path], Any], problems: list[Problem], entries: Collection[str]
) -> Dangers | None:
    """The danger data if every part of it is sound, else None (the problems say why).

    `entries` are the ids of every entry read, sound or not: a kind's `fiche`
    must name one of them.
    """
    folder = directory / DANGERS_FOLDER
    if not folder.is_dir():
        problems.append(Problem(folder, 1, f"dossier des urgences manquant : {MISSING}"))
        return None
    errors_before = _errors(problems)
    files = {p.stem: p for p in sorted(folder.iterdir()) if p.suffix in (".yaml", ".yml") and p.name[0] != "."}
    for name in DANGER_KINDS:
        if name not in files:
            message = f"fichier manquant pour le danger « {name} » : {MISSING}"
            problems.append(Problem(folder / f"{name}.yaml", 1, message))
    kinds: dict[str, DangerKind] = {}
    lookalikes: list[str] = []
    lookalike_expressions: list[str] = []
    owners: dict[str, str] = {}  # folded phrasing -> file that holds it
    lookalike_stem = Path(LOOKALIKES_FILE).stem
    # The look-alikes come last, so that a phrasing in both is reported where it is wrong.
    for stem, path in sorted(files.items(), key=lambda item: is_lookalike_file(item[0])):
        data = _read_mapping(path, read, problems)
        if data is None:
            continue
        if is_lookalike_file(stem):
            phrasings, expressions = _parse_lookalikes(path, data, problems)
            lookalikes += phrasings
            lookalike_expressions += expressions
        elif stem in DANGER_KINDS:
            kind = _parse_kind(path, data, problems, entries)
            if kind:
                kinds[stem] = kind
        else:
            choices = ", ".join(DANGER_KINDS)
            message = (f"type de danger inconnu « {stem} » (choix : {choices}, ou {LOOKALIKES_FILE} "
                       f"et {lookalike_stem}-….yaml pour ce qui n'est pas un danger)")  # fmt: skip
            problems.append(Problem(path, 1, message))
            continue
        _check_duplicates(path, data, owners, problems)
    if lookalike_stem not in files:
        problems.append(Problem(folder / LOOKALIKES_FILE, 1, "fichier des phrases qui ne sont pas un danger manquant : "
                                "le bot donnerait plus souvent l'alerte à tort", error=False))  # fmt: skip
    if _errors(problems) > errors_before or set(kinds) != set(DANGER_KINDS):
        return None
    return Dangers(kinds=kinds, lookalikes=tuple(lookalikes), lookalike_expressions=tuple(lookalike_expressions))


def is_lookalike_file(stem: str) -> bool:
    """`pas-urgence.yaml` and its companions (`pas-urgence-sante.yaml`…): look-alikes kept by theme.

    Hundreds of look-alikes in one file are hard for a mediator to review; one
    file per theme (health, sleep, the street) keeps each list readable.
    """
    lookalike_stem = Path(LOOKALIKES_FILE).stem
    return stem == lookalike_stem or stem.startswith(lookalike_stem + "-")


def _errors(problems: list[Problem]) -> int:
    return sum(1 for p in problems if p.error)


def _read_mapping(path: Path, read: Callable[[Path], Any], problems: list[Problem]) -> LineDict | None:
    before = len(problems)
    data = read(path)
    if data is None:
        if len(problems) == before:  # empty, or only comments
            problems.append(Problem(path, 1, f"fichier vide : {MISSING}"))
        return None
    if not isinstance(data, LineDict):
        problems.append(Problem(path, 1, "le fichier doit commencer par « id: … » puis « message: … »"))
        return None
    return data


def _parse_kind(path: Path, data: LineDict, problems: list[Problem], entries: Collection[str]) -> DangerKind | None:
    check = _FileChecker(path, data, problems, KIND_KEYS)
    ident = check.text("id", required=True)
    if ident is not None and ident != path.stem:
        check.fail("id", f"l'identifiant « {ident} » doit être le nom du fichier ({path.stem})")
    message = check.text("message", required=True)
    brief = check.text("en_bref", required=True)
    phrasings = check.texts("formulations", required=True)
    expressions = check.texts("expressions")
    follow_up = check.texts("mots_lies")
    if phrasings and len(phrasings) < MIN_DANGER_PHRASINGS:
        check.fail(
            "formulations",
            f"seulement {len(phrasings)} formulations : visez au moins {MIN_DANGER_PHRASINGS}, dans des styles variés",
            error=False,
        )
    entry = check.text("fiche")
    if entry and entry not in entries:
        check.fail("fiche", f"« fiche » cite « {entry} », qui n'existe pas")
    numbers = _parse_numbers(check, message or "")
    source, checked = check.sources()
    if not check.ok or not message or not brief or not phrasings:
        return None
    return DangerKind(
        id=path.stem,
        title=check.text("titre") or path.stem,
        message=message,
        brief=brief,
        entry=entry,
        numbers=numbers,
        phrasings=phrasings,
        expressions=expressions,
        source=source,
        checked=checked,
        path=path,
        follow_up=follow_up,
    )


def _parse_numbers(check: _FileChecker, message: str) -> tuple[tuple[str, str], ...]:
    """The numbers of the message, each sourced with the file: one listed but not shown is a mistake."""
    raw = check.data.get("numeros")
    if not isinstance(raw, list) or not raw:
        check.fail(None if raw is None else "numeros", "« numeros » : la liste des numéros du message, {numero, nom}")
        return ()
    numbers = []
    for index, item in enumerate(raw):
        line = raw.line_of(index) if isinstance(raw, LineList) else check.line("numeros")
        if not isinstance(item, dict) or not str(item.get("numero") or "").strip():
            check.problems.append(Problem(check.path, line, 'numéro invalide : il faut {numero: "17", nom: …}'))
            check.ok = False
            continue
        number = str(item["numero"]).strip()
        if message and number not in message:
            check.problems.append(Problem(check.path, line, f"le numéro {number} est listé mais n'est pas écrit "
                                                            "dans « message »"))  # fmt: skip
            check.ok = False
        numbers.append((number, str(item.get("nom") or "")))
    return tuple(numbers)


def _parse_lookalikes(path: Path, data: LineDict, problems: list[Problem]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The look-alike phrasings, and the set phrases that cancel a danger expression they hold."""
    check = _FileChecker(path, data, problems, LOOKALIKE_KEYS)
    return check.texts("formulations", required=True), check.texts("expressions")


def _check_duplicates(path: Path, data: LineDict, owners: dict[str, str], problems: list[Problem]) -> None:
    """The same words under two files would teach the detector two answers for one message."""
    raw = data.get("formulations")
    if not isinstance(raw, list):
        return
    for index, item in enumerate(raw):
        if not isinstance(item, str) or not fold(item):
            continue
        first = owners.setdefault(fold(item), path.name)
        if first != path.name:
            line = raw.line_of(index) if isinstance(raw, LineList) else data.line_of("formulations")
            message = f"la formulation « {item} » est aussi dans {first} : gardez-la à un seul endroit"
            problems.append(Problem(path, line, message))
