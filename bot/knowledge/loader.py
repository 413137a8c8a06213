"""Loading the whole knowledge base from its folder: every file, then the cross-file checks.

Loading never raises on bad content. Every problem becomes a `Problem` with the
file and line to fix, in French, and the files that are sound are still loaded:
the validator prints the problems, the engine decides whether to swap in the
new base or keep the last good one.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot.knowledge.checks import check_duplicate_phrasings, check_gazetteer, check_references
from bot.knowledge.concepts import CONCEPTS_FILE, load_concepts
from bot.knowledge.dangers import load_dangers
from bot.knowledge.generic_words import GENERIC_FILE, load_generic_words
from bot.knowledge.misplaced import misplaced_message
from bot.knowledge.model import (
    DANGERS_FOLDER,
    KIND_FOLDERS,
    LEARNED_FILE,
    LEXICON_FILE,
    LINES_FOLDER,
    PLACES_FOLDER,
    QUARTIERS_FOLDER,
    Entry,
    KnowledgeBase,
    Line,
    LoadResult,
    Place,
    Problem,
    Quartier,
)
from bot.knowledge.parsing import (
    parse_entry,
    parse_learned,
    parse_lexicon,
    parse_line,
    parse_place,
    parse_quartier,
)
from bot.knowledge.stray_files import find_stray_files
from bot.knowledge.synonyms import SYNONYMS_FILE, load_synonyms
from bot.knowledge.yamlio import LineDict, YamlFileError, read_yaml

# Reads one file's mapping into its item (None when unusable) and whether it is free of errors.
Parser = Callable[[Path, LineDict, list[Problem]], tuple[Entry | Place | Line | Quartier | None, bool]]

# --------------------------------------------------------------------------- loading

OLD_EMERGENCY_FILE = "urgences.yaml"  # the single word list the danger folder replaced


def _yaml_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and not p.name.startswith("."))


def _load_rules(kb: KnowledgeBase, parsed: KnowledgeBase, problems: list[Problem], unreadable: dict[str, Path]) -> None:
    """The rights check's rules, checked against every entry that could be read (sound or not).

    `unreadable`: entry files that gave nothing, by file name, so a rule citing one says to fix that
    file instead of suggesting another entry.
    """
    from bot.orientation.rules import load_rules  # here: bot.orientation imports the knowledge model

    known = {e.id: e.kind for e in parsed.entries.values()}
    rules, rule_problems = load_rules(kb.directory, known, unreadable)
    kb.rules = rules if rules.rules else None
    problems.extend(rule_problems)


def _entry_parser(kind: str) -> Parser:
    """The parser of one entries folder: every file in it is an entry of that kind."""

    def parse(path: Path, data: LineDict, problems: list[Problem]) -> tuple[Entry | None, bool]:
        return parse_entry(path, data, kind, problems)

    return parse


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
    # Files that gave no item at all, by the id their name stands for (cited elsewhere, see check_references).
    unreadable: dict[str, Path] = {}
    # Phone lines have their own names: the CAF's line may be called « caf » like the service.
    line_ids: dict[str, Path] = {}

    def claim_id(ident: str, path: Path, data: LineDict, seen_ids: dict[str, Path] = seen_ids) -> bool:
        if ident in seen_ids:
            problems.append(
                Problem(path, data.line_of("id"), f"identifiant « {ident} » déjà utilisé dans {seen_ids[ident]}")
            )
            return False
        seen_ids[ident] = path
        return True

    def load_folder(
        folder: str, parse: Parser, collection: str, owner_prefix: str, what: str, ids: dict[str, Path] = seen_ids
    ) -> None:
        """Read one folder of one-item-per-file YAML into kb (if sound) and parsed (always)."""
        for path in _yaml_files(directory / folder):
            before = len(problems)
            data = read(path)
            if data is None:
                if len(problems) == before:  # empty, or only comments: say so, never skip it silently
                    problems.append(Problem(path, 1, f"fichier vide : il doit décrire {what} (« id: … », …)"))
                unreadable.setdefault(path.stem, path)
                continue
            if not isinstance(data, LineDict):
                problems.append(Problem(path, 1, f"le fichier doit décrire {what} (« id: … », …)"))
                unreadable.setdefault(path.stem, path)
                continue
            elsewhere = misplaced_message(folder, data)
            if elsewhere is not None:
                problems.append(Problem(path, 1, elsewhere))
                unreadable.setdefault(path.stem, path)
                continue
            item, ok = parse(path, data, problems)
            if item is None or item.id != path.stem:
                unreadable.setdefault(path.stem, path)
            if item and item.id != path.stem:
                # A file copied without changing its « id » (css.yaml saying « id: rsa »): already an error.
                # It must not take « rsa » from rsa.yaml, and what cites « css » points at css.yaml.
                continue
            if item and claim_id(item.id, path, data, ids):
                getattr(parsed, collection)[item.id] = item
                remember_lines(owner_prefix + item.id, path, data)
                if ok:
                    getattr(kb, collection)[item.id] = item

    for folder, kind in KIND_FOLDERS.items():
        load_folder(
            folder,
            _entry_parser(kind),
            "entries",
            "",
            "une fiche",
        )
    load_folder(QUARTIERS_FOLDER, parse_quartier, "quartiers", "quartier:", "un quartier")
    load_folder(PLACES_FOLDER, parse_place, "places", "lieu:", "un lieu")
    load_folder(LINES_FOLDER, parse_line, "lines", "ligne:", "un numéro de téléphone", line_ids)

    lexicon_path = directory / LEXICON_FILE
    if lexicon_path.exists():
        data = read(lexicon_path)
        if data is not None:
            kb.lexicon = parse_lexicon(lexicon_path, data, problems)

    if (directory / CONCEPTS_FILE).exists():  # the laboratoire's everyday words: warnings only
        kb.concepts, concept_problems = load_concepts(directory)
        problems.extend(concept_problems)
    if (directory / SYNONYMS_FILE).exists():  # the words the laboratoire reads as one: warnings only
        kb.synonyms, synonym_problems = load_synonyms(directory)
        problems.extend(synonym_problems)
    if (directory / GENERIC_FILE).exists():  # the words any need may hold: warnings only
        kb.generic_words, generic_problems = load_generic_words(directory)
        problems.extend(generic_problems)

    # Without sound danger data the bot would not give the right emergency numbers:
    # every problem is an error, and kb.dangers stays None (the engine refuses it).
    kb.dangers = load_dangers(directory, read, problems, entries=set(parsed.entries))
    if (directory / OLD_EMERGENCY_FILE).exists():
        problems.append(Problem(directory / OLD_EMERGENCY_FILE, 1, f"ancien fichier, plus lu : les urgences sont "
                                f"dans le dossier {DANGERS_FOLDER}/ (un fichier par danger) ; supprimez-le",
                                error=False))  # fmt: skip

    problems.extend(find_stray_files(directory, reported=(OLD_EMERGENCY_FILE,)))

    learned_path = directory / LEARNED_FILE
    if learned_path.exists():
        data = read(learned_path)
        kb.learned = parse_learned(learned_path, data, problems)
        if isinstance(data, LineDict):
            for key in data:
                lines[("appris", str(key))] = (learned_path, data.line_of(key))

    if not kb.entries:
        problems.append(Problem(directory, 1, "aucune fiche valide trouvée (dossiers droits/, services/, intentions/)"))
    parsed.learned = kb.learned
    unread = {i: p for i, p in unreadable.items() if i not in parsed.entries}
    check_references(parsed, problems, lines, unread)
    check_duplicate_phrasings(parsed, problems, lines)
    check_gazetteer(parsed, problems, lines)
    _load_rules(kb, parsed, problems, unread)
    problems.sort(key=lambda p: (str(p.path), p.line))
    return LoadResult(kb, problems)
