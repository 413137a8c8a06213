"""The mediators' rules for the rights check: their shapes, and reading them from YAML.

`knowledge/orientation/regles.yaml` says, for each right, on which answers it
may apply and why, with the source of every condition. Mediators edit it, so
reading it never raises on bad content: every mistake becomes a `Problem` with
the file and line, in French, and the rules that are sound are still used.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import process

from bot.knowledge.model import Problem
from bot.knowledge.yamlio import LineDict, LineList, YamlFileError, read_yaml
from bot.orientation.profile import BOOL_KEYS, CHOICE_KEYS, PROFILE_KEYS, Profile

RULES_FILE = Path("orientation") / "regles.yaml"

FILE_KEYS = ("regles", "verifie_le", "source", "note")
RULE_KEYS = ("fiche", "priorite", "raison", "si", "exclu_si", "incertain_si", "possible", "cas", "verifie_le", "note")
CASE_KEYS = ("raison", "priorite", "si", "exclu_si", "incertain_si", "possible", "note")
# `possible: true`: the case hangs on something the check never asks (a partner's job, a bourse, a
# recognised disability), so even with every answer fitting it is listed after the likely rights.
POSSIBLE_KEY = "possible"
CONDITION_META = ("source", "verifie_le", "note")
DOUBT_KEY = "raison"  # an `incertain_si` condition says, in one line, what a person must check
# A condition made of several answers that must ALL hold ("hosted AND under 25 AND no child"):
# `exclu_si` conditions are "any one excludes", and some rights are ruled out only by a combination.
ALL_OF_KEY = "ensemble"
NUMBER_TESTS = ("au_moins", "au_plus", "plus_de", "moins_de")
CHILDREN_TESTS = ("nombre_au_moins", "nombre_au_plus", "age_au_moins", "age_au_plus")
TABLE_BASES = ("personnes", "enfants", "couple")
MAX_REASON_CHARS = 160
MIN_PRIORITY, MAX_PRIORITY = 1, 100


@dataclass(frozen=True)
class Threshold:
    """A limit in euros or years: one number, or a small table by household."""

    number: int | None = None
    by: str | None = None  # personnes | enfants | couple
    table: Mapping[Any, int] = field(default_factory=dict)
    extra: int = 0

    def resolve(self, profile: Profile) -> int:
        if self.number is not None:
            return self.number
        if self.by == "couple":
            return self.table["couple" if profile.couple else "seul"]
        count = profile.persons if self.by == "personnes" else profile.children
        sizes = sorted(self.table)
        if count <= sizes[0]:
            return self.table[sizes[0]]
        if count in self.table:
            return self.table[count]
        below = max(size for size in sizes if size < count)
        if below == sizes[-1]:
            return int(self.table[below] + self.extra * (count - below))
        return int(self.table[below])


@dataclass(frozen=True)
class Condition:
    """One test on one answer. `holds` is None when the answer is missing: unknown, not false."""

    key: str
    source: str
    line: int
    equals: bool | None = None
    among: frozenset[str] = frozenset()
    limits: tuple[tuple[str, Threshold], ...] = ()
    children: Mapping[str, int] = field(default_factory=dict)
    checked: dt.date | None = None
    doubt: str = ""  # only for `incertain_si`: the reason shown when this condition holds
    all_of: tuple[Condition, ...] = ()  # only for `ensemble`: every one must hold

    def income_share(self, profile: Profile) -> float | None:
        """How close the income is to this condition's ceiling (1.0 = on it), None if not an income ceiling.

        Ceilings are estimates (yearly scales, taxable income guessed from net income),
        so an income just under one makes the right less likely than one far below it.
        """
        if self.key != "revenus_mensuels":
            return None
        value = profile.value(self.key)
        if value is None:
            return None
        ceilings = [limit.resolve(profile) for test, limit in self.limits if test in ("plus_de", "au_plus")]
        if not ceilings or min(ceilings) <= 0:
            return None
        return float(value) / min(ceilings)

    def holds(self, profile: Profile) -> bool | None:
        if self.all_of:
            return _all_hold(part.holds(profile) for part in self.all_of)
        value = profile.value(self.key)
        if value is None:
            return None
        if self.key in BOOL_KEYS:
            return value is self.equals
        if self.key in CHOICE_KEYS:
            return value in self.among
        if self.key == "enfants":
            return self._children_hold(value)
        return all(_compare(value, test, limit.resolve(profile)) for test, limit in self.limits)

    def _children_hold(self, ages: tuple[int, ...]) -> bool:
        low = self.children.get("age_au_moins", 0)
        high = self.children.get("age_au_plus", 200)
        count = sum(1 for age in ages if low <= age <= high)
        at_least = self.children.get("nombre_au_moins", 0 if "nombre_au_plus" in self.children else 1)
        return count >= at_least and count <= self.children.get("nombre_au_plus", count)


def _all_hold(outcomes: Iterable[bool | None]) -> bool | None:
    """False as soon as one part is false (then nothing is unknown), True if all are, else unknown."""
    seen = list(outcomes)
    if any(outcome is False for outcome in seen):
        return False
    return True if all(outcome is True for outcome in seen) else None


def _compare(value: int, test: str, limit: int) -> bool:
    return {
        "au_moins": value >= limit,
        "au_plus": value <= limit,
        "plus_de": value > limit,
        "moins_de": value < limit,
    }[test]


@dataclass(frozen=True)
class Case:
    """One way of having the right: all of `required` true, none of `excluding` true."""

    reason: str
    priority: int
    required: tuple[Condition, ...]
    excluding: tuple[Condition, ...]
    line: int
    uncertain: tuple[Condition, ...] = ()
    possible: bool = False  # hangs on something the check does not ask: never among the likely rights


@dataclass(frozen=True)
class Rule:
    entry_id: str
    cases: tuple[Case, ...]
    line: int


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...] = ()
    path: Path | None = None

    def entry_ids(self) -> set[str]:
        return {rule.entry_id for rule in self.rules}


# --------------------------------------------------------------------------- reading


class _Reader:
    """Turns the YAML of the rules file into rules, keeping every problem with its line."""

    def __init__(
        self, path: Path, known_entries: Mapping[str, str] | None, unreadable: Mapping[str, Path] | None = None
    ) -> None:
        self.path = path
        self.known_entries = known_entries
        # Entry files that could not be read at all, by the id their name gives: cited, they are no typo.
        self.unreadable = unreadable or {}
        self.problems: list[Problem] = []
        self.ok = True

    def fail(self, line: int, message: str, error: bool = True) -> None:
        self.problems.append(Problem(self.path, line, message, error))
        if error:
            self.ok = False

    def unknown_keys(self, data: LineDict, allowed: tuple[str, ...], what: str) -> None:
        for key in data:
            if key not in allowed:
                hint = process.extractOne(str(key), allowed, score_cutoff=70)
                suggestion = f" (vouliez-vous dire « {hint[0]} » ?)" if hint else ""
                self.fail(data.line_of(key), f"clé inconnue « {key} » dans {what}{suggestion}")

    def date(self, data: LineDict, key: str = "verifie_le") -> dt.date | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, dt.datetime):
            value = value.date()
        if not isinstance(value, dt.date):
            try:
                value = dt.date.fromisoformat(str(value).strip())
            except ValueError:
                self.fail(data.line_of(key), f"date « {value} » invalide : écrivez AAAA-MM-JJ, par exemple 2026-04-01")
                return None
        if value > dt.date.today() + dt.timedelta(days=1):
            self.fail(data.line_of(key), f"date de vérification {value} dans le futur")
        return value

    # ----------------------------------------------------------------- whole file

    def read(self, data: Any) -> RuleSet:
        if not isinstance(data, LineDict) or "regles" not in data:
            self.fail(1, "le fichier doit commencer par « regles: » suivi de la liste des règles")
            return RuleSet(path=self.path)
        self.unknown_keys(data, FILE_KEYS, "le fichier")
        file_date = self.date(data)
        raw_rules = data["regles"]
        if not isinstance(raw_rules, LineList):
            self.fail(
                data.line_of("regles"), "« regles » doit être une liste (chaque règle commence par « - fiche: … »)"
            )
            return RuleSet(path=self.path)
        rules: list[Rule] = []
        first_line: dict[str, int] = {}
        for index, raw in enumerate(raw_rules):
            line = raw_rules.line_of(index)
            rule = self.rule(raw, line, file_date)
            if rule is None:
                continue
            if rule.entry_id in first_line:
                self.fail(
                    rule.line,
                    f"la fiche « {rule.entry_id} » a déjà une règle (ligne {first_line[rule.entry_id]}) : "
                    "mettez les deux dans « cas »",
                )
                continue
            first_line[rule.entry_id] = rule.line
            rules.append(rule)
        return RuleSet(tuple(rules), self.path)

    # ----------------------------------------------------------------- one rule

    def rule(self, raw: Any, line: int, file_date: dt.date | None) -> Rule | None:
        if not isinstance(raw, LineDict):
            self.fail(line, "une règle doit être un ensemble de clés (« fiche: … », « raison: … », « si: … »)")
            return None
        before = self.ok
        self.ok = True
        self.unknown_keys(raw, RULE_KEYS, "une règle")
        entry_id = self.entry(raw, line)
        rule_date = self.date(raw) or file_date
        if rule_date is None:
            self.fail(line, "« verifie_le » manquant : date de vérification de la règle (ou en tête du fichier)")
        priority = self.priority(raw, MIN_PRIORITY) or MIN_PRIORITY
        reason = self.reason(raw, required="cas" not in raw)
        required = self.conditions(raw, "si", rule_date)
        excluding = self.conditions(raw, "exclu_si", rule_date)
        uncertain = self.conditions(raw, "incertain_si", rule_date)
        possible = self.possible(raw, default=False)
        cases: list[Case] = []
        if "cas" in raw:
            cases = self.cases(raw, reason, priority, (required, excluding, uncertain), rule_date, possible)
        elif reason:
            cases = [Case(reason, priority, required, excluding, line, uncertain, possible)]
        sound = self.ok
        self.ok = before and sound
        if not sound or entry_id is None or not cases:
            return None
        return Rule(entry_id, tuple(cases), line)

    def entry(self, raw: LineDict, line: int) -> str | None:
        entry_id = raw.get("fiche")
        if not isinstance(entry_id, str) or not entry_id.strip():
            self.fail(line, "champ obligatoire « fiche » manquant : l'identifiant de la fiche à proposer (ex. rsa)")
            return None
        entry_id = entry_id.strip()
        if self.known_entries is not None:
            kind = self.known_entries.get(entry_id)
            if kind is None and entry_id in self.unreadable:
                # The entry exists but its file is broken: fixing that file is the remedy, not another id.
                where = _relative(self.unreadable[entry_id], self.path)
                self.fail(
                    raw.line_of("fiche"),
                    f"« fiche » cite « {entry_id} », dont le fichier {where} a une erreur : "
                    "corrigez d'abord ce fichier (cette règle ne propose rien en attendant)",
                    error=False,
                )
            elif kind is None:
                hint = process.extractOne(entry_id, list(self.known_entries), score_cutoff=70)
                suggestion = f" (vouliez-vous dire « {hint[0]} » ?)" if hint else ""
                self.fail(raw.line_of("fiche"), f"« fiche » cite « {entry_id} », qui n'existe pas{suggestion}")
            elif kind != "right":
                self.fail(
                    raw.line_of("fiche"), f"« fiche » cite « {entry_id} », qui n'est pas un droit (dossier droits/)"
                )
        return entry_id

    def priority(self, raw: LineDict, default: int | None) -> int | None:
        value = raw.get("priorite")
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int) or not MIN_PRIORITY <= value <= MAX_PRIORITY:
            self.fail(
                raw.line_of("priorite"), f"« priorite » doit être un nombre entier de {MIN_PRIORITY} à {MAX_PRIORITY}"
            )
            return default
        return value

    def possible(self, raw: LineDict, default: bool) -> bool:
        """`possible: true` (a case that can only be possible); a case without the key keeps its rule's."""
        value = raw.get(POSSIBLE_KEY)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.fail(raw.line_of(POSSIBLE_KEY), f"« {POSSIBLE_KEY} » : écrivez true ou false")
            return default
        return value

    def reason(self, raw: LineDict, required: bool) -> str | None:
        value = raw.get("raison")
        line = raw.line_of("raison")
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.fail(
                    raw.line, "champ obligatoire « raison » manquant : une phrase qui dit pourquoi ce droit est proposé"
                )
            return None
        if not isinstance(value, str):
            self.fail(line, "« raison » doit être un texte")
            return None
        text = " ".join(value.split())
        if "€" in text or "euro" in text.lower():
            self.fail(line, "« raison » ne doit pas donner de montant : le bot n'annonce jamais une somme comme sûre")
        if "{" in text or "}" in text:
            self.fail(line, "« raison » : pas d'accolades { }, écrivez la phrase telle qu'elle sera affichée")
        if len(text) > MAX_REASON_CHARS:
            self.fail(
                line,
                f"« raison » trop longue ({len(text)} caractères, maximum {MAX_REASON_CHARS}) : "
                "une seule phrase courte",
            )
        return text

    def cases(
        self,
        raw: LineDict,
        reason: str | None,
        priority: int,
        shared: tuple[tuple[Condition, ...], tuple[Condition, ...], tuple[Condition, ...]],
        rule_date: dt.date | None,
        possible: bool = False,
    ) -> list[Case]:
        """The rule's cases; each adds its own conditions to the rule's `si`, `exclu_si`, `incertain_si`."""
        required, excluding, uncertain = shared
        items = raw["cas"]
        if not isinstance(items, LineList) or not items:
            self.fail(raw.line_of("cas"), "« cas » doit être une liste (chaque cas commence par « - raison: … »)")
            return []
        cases = []
        for index, item in enumerate(items):
            line = items.line_of(index)
            if not isinstance(item, LineDict):
                self.fail(line, "un cas doit être un ensemble de clés (« raison: … », « si: … »)")
                continue
            self.unknown_keys(item, CASE_KEYS, "un cas")
            case_reason = self.reason(item, required=reason is None) or reason
            case_priority = self.priority(item, priority) or priority
            case_required = required + self.conditions(item, "si", rule_date)
            case_excluding = excluding + self.conditions(item, "exclu_si", rule_date)
            case_uncertain = uncertain + self.conditions(item, "incertain_si", rule_date)
            if not case_required:
                self.fail(line, "ce cas n'a aucune condition « si » : il serait proposé à tout le monde", error=False)
            case_possible = self.possible(item, default=possible)
            if case_reason:
                cases.append(
                    Case(case_reason, case_priority, case_required, case_excluding, line, case_uncertain, case_possible)
                )
        return cases

    # ----------------------------------------------------------------- conditions

    def conditions(self, raw: LineDict, key: str, rule_date: dt.date | None) -> tuple[Condition, ...]:
        items = raw.get(key)
        if items is None:
            return ()
        if not isinstance(items, LineList):
            self.fail(
                raw.line_of(key),
                f"« {key} » doit être une liste de conditions, chacune avec sa « source » "
                "(- age: {{au_moins: 25}} puis source: …)",
            )
            return ()
        found = []
        for index, item in enumerate(items):
            line = items.line_of(index)
            condition = self.condition(item, line, rule_date, doubtful=key == "incertain_si")
            if condition is not None:
                found.append(condition)
        return tuple(found)

    def doubt(self, item: LineDict, line: int) -> str | None:
        """The one-line reason of an `incertain_si` condition: what a person has to check."""
        if DOUBT_KEY not in item:
            self.fail(
                line,
                "condition « incertain_si » sans « raison » : dites en une phrase ce qu'une personne doit vérifier",
            )
            return None
        return self.reason(item, required=True)

    def condition(
        self,
        item: Any,
        line: int,
        rule_date: dt.date | None,
        doubtful: bool = False,
        inherited_source: str | None = None,
    ) -> Condition | None:
        """One condition; the parts of an `ensemble` share its `source` (`inherited_source`)."""
        if not isinstance(item, LineDict):
            self.fail(line, "une condition s'écrit « - clé: valeur » suivi de « source: … »")
            return None
        meta = CONDITION_META + ((DOUBT_KEY,) if doubtful else ())
        keys = [k for k in item if k not in meta]
        if keys == [ALL_OF_KEY]:
            return self.all_of(item, line, rule_date, doubtful)
        for k in keys:
            if k not in PROFILE_KEYS:
                hint = process.extractOne(str(k), PROFILE_KEYS, score_cutoff=70)
                suggestion = f" (vouliez-vous dire « {hint[0]} » ?)" if hint else ""
                self.fail(
                    item.line_of(k),
                    f"« {k} » n'est pas une réponse connue (choix : {', '.join(PROFILE_KEYS)}){suggestion}",
                )
                return None
        if len(keys) != 1:
            self.fail(line, "une condition porte sur une seule réponse à la fois : écrivez-en une par « - »")
            return None
        key = keys[0]
        source = item.get("source", inherited_source)
        if not isinstance(source, str) or not source.strip():
            self.fail(line, f"condition sur « {key} » sans « source » : d'où vient cette condition ?")
            return None
        checked = self.date(item) or rule_date
        value, key_line = item[key], item.line_of(key)
        base: dict[str, Any] = {"key": key, "source": source.strip(), "line": key_line, "checked": checked}
        if doubtful:
            doubt = self.doubt(item, line)
            if doubt is None:
                return None
            base["doubt"] = doubt
        if key in BOOL_KEYS:
            if not isinstance(value, bool):
                self.fail(key_line, f"« {key} » : écrivez true ou false")
                return None
            return Condition(equals=value, **base)
        if key in CHOICE_KEYS:
            among = self.choices(key, value, key_line)
            return Condition(among=among, **base) if among else None
        if key == "enfants":
            children = self.children_test(value, key_line)
            return Condition(children=children, **base) if children else None
        limits = self.limits(key, value, key_line)
        return Condition(limits=limits, **base) if limits else None

    def all_of(self, item: LineDict, line: int, rule_date: dt.date | None, doubtful: bool) -> Condition | None:
        """`- ensemble: [- logement: heberge, - age: {au_plus: 24}]` with one `source` for the whole."""
        source = item.get("source")
        if not isinstance(source, str) or not source.strip():
            self.fail(line, f"condition « {ALL_OF_KEY} » sans « source » : d'où vient cette condition ?")
            return None
        raw_parts = item[ALL_OF_KEY]
        if not isinstance(raw_parts, LineList) or len(raw_parts) < 2:
            self.fail(
                item.line_of(ALL_OF_KEY),
                f"« {ALL_OF_KEY} » : écrivez au moins deux conditions, une par « - » "
                "(ex. - logement: heberge puis - age: {au_plus: 24})",
            )
            return None
        parts = []
        for index, raw in enumerate(raw_parts):
            part_line = raw_parts.line_of(index)
            if isinstance(raw, LineDict) and ALL_OF_KEY in raw:
                self.fail(
                    part_line,
                    f"« {ALL_OF_KEY} » dans « {ALL_OF_KEY} » : écrivez toutes les conditions au même niveau",
                )
                return None
            part = self.condition(raw, part_line, rule_date, inherited_source=source)
            if part is None:
                return None
            parts.append(part)
        checked = self.date(item) or rule_date
        base: dict[str, Any] = {"key": ALL_OF_KEY, "source": source.strip(), "line": item.line_of(ALL_OF_KEY)}
        if doubtful:
            doubt = self.doubt(item, line)
            if doubt is None:
                return None
            base["doubt"] = doubt
        return Condition(checked=checked, all_of=tuple(parts), **base)

    def choices(self, key: str, value: Any, line: int) -> frozenset[str]:
        values = value if isinstance(value, list) else [value]
        allowed = CHOICE_KEYS[key]
        bad = [v for v in values if not isinstance(v, str) or v not in allowed]
        if bad or not values:
            shown = bad[0] if bad else value
            self.fail(line, f"« {key} » : valeur « {shown} » inconnue (choix : {', '.join(allowed)})")
            return frozenset()
        return frozenset(values)

    def children_test(self, value: Any, line: int) -> dict[str, int]:
        if not isinstance(value, dict) or not value:
            self.fail(line, "« enfants » : écrivez par exemple {nombre_au_moins: 2, age_au_plus: 19}")
            return {}
        test = {}
        for name, number in value.items():
            if name not in CHILDREN_TESTS:
                self.fail(line, f"« enfants » : « {name} » inconnu (choix : {', '.join(CHILDREN_TESTS)})")
                return {}
            if isinstance(number, bool) or not isinstance(number, int) or number < 0:
                self.fail(line, f"« enfants » : « {name} » doit être un nombre entier positif")
                return {}
            test[name] = number
        return test

    def limits(self, key: str, value: Any, line: int) -> tuple[tuple[str, Threshold], ...]:
        if not isinstance(value, dict) or not value:
            self.fail(line, f"« {key} » : écrivez une limite, par exemple {{au_moins: 25}} ou {{plus_de: 1200}}")
            return ()
        limits = []
        for test, raw in value.items():
            if test not in NUMBER_TESTS:
                self.fail(line, f"« {key} » : « {test} » inconnu (choix : {', '.join(NUMBER_TESTS)})")
                return ()
            threshold = self.threshold(key, raw, line)
            if threshold is None:
                return ()
            limits.append((test, threshold))
        return tuple(limits)

    def threshold(self, key: str, raw: Any, line: int) -> Threshold | None:
        if isinstance(raw, int) and not isinstance(raw, bool) and raw >= 0:
            return Threshold(number=raw)
        if not isinstance(raw, dict):
            self.fail(line, f"« {key} » : la limite doit être un nombre entier positif ou un barème « selon: … »")
            return None
        by = raw.get("selon")
        if by not in TABLE_BASES:
            self.fail(line, f"« {key} » : un barème commence par « selon: » suivi de {', '.join(TABLE_BASES)}")
            return None
        rows = {k: v for k, v in raw.items() if k not in ("selon", "en_plus")}
        numbers = list(rows.values()) + ([raw["en_plus"]] if "en_plus" in raw else [])
        if any(isinstance(n, bool) or not isinstance(n, int) or n < 0 for n in numbers):
            self.fail(
                line, f"« {key} » : les montants du barème doivent être des nombres entiers positifs (sans « € »)"
            )
            return None
        if by == "couple":
            if set(rows) != {"seul", "couple"} or "en_plus" in raw:
                self.fail(
                    line, f"« {key} » : un barème « selon: couple » a exactement deux lignes, seul: … et couple: …"
                )
                return None
        elif not rows or not all(isinstance(k, int) and not isinstance(k, bool) and k >= 0 for k in rows):
            self.fail(line, f"« {key} » : un barème « selon: {by} » a des lignes 1: …, 2: …, 3: … (nombre de {by})")
            return None
        return Threshold(by=by, table=rows, extra=raw.get("en_plus", 0))


def _relative(entry_file: Path, rules_file: Path) -> str:
    """The entry file as mediators see it from the knowledge folder ("droits/rsa.yaml")."""
    root = rules_file.parent.parent
    return str(entry_file.relative_to(root)) if entry_file.is_relative_to(root) else str(entry_file)


def read_rules(
    path: Path, known_entries: Mapping[str, str] | None = None, unreadable: Mapping[str, Path] | None = None
) -> tuple[RuleSet, list[Problem]]:
    """Read the rules file; sound rules are kept, every problem is reported with its line."""
    path = Path(path)
    try:
        data = read_yaml(path)
    except YamlFileError as exc:
        return RuleSet(path=path), [Problem(path, exc.line, exc.message)]
    if data is None:
        return RuleSet(path=path), [
            Problem(path, 1, "fichier vide : il doit contenir « regles: » et la liste des règles")
        ]
    reader = _Reader(path, known_entries, unreadable)
    rules = reader.read(data)
    return rules, reader.problems


def load_rules(
    directory: Path, known_entries: Mapping[str, str] | None = None, unreadable: Mapping[str, Path] | None = None
) -> tuple[RuleSet, list[Problem]]:
    """The rules of a knowledge directory; a base without the file simply has no rights check."""
    path = Path(directory) / RULES_FILE
    if not path.exists():
        return RuleSet(), []
    return read_rules(path, known_entries, unreadable)
