"""YAML reading that remembers where each value came from.

Mediators fix what the validator tells them; "line 12" is worth far more to
them than "somewhere in rsa.yaml". Mappings are built as `LineDict`, which
records the line of every key, and sequences as `LineList`, which records the
line of every item.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from bot.french_os import french_reason
from bot.knowledge.indentation import find_dedented_line
from bot.knowledge.missing_colon import find_field_without_colon
from bot.knowledge.unclosed_quote import find_unclosed_quote


class LineDict(dict[Any, Any]):
    """A dict that knows the 1-based line of itself and of each of its keys."""

    line: int = 1
    key_lines: dict[Any, int]
    glued_lines: dict[Any, int]

    def line_of(self, key: Any) -> int:
        return self.key_lines.get(key, self.line)

    def glued_line(self, key: Any) -> int | None:
        """The line of a « - » merged into the plain text of `key` (« source: … » then « - x » below)."""
        return getattr(self, "glued_lines", {}).get(key)


class LineList(list[Any]):
    """A list that knows the 1-based line of itself and of each item.

    `glued_lines` maps an item's index to the line of a « - » that YAML glued
    onto it: a « - » indented one space too far reads as the item's text going
    on (« aide au permis - le permis coûte cher »), silently merging two items.
    """

    line: int = 1
    item_lines: list[int]
    glued_lines: dict[int, int]

    def line_of(self, index: int) -> int:
        if 0 <= index < len(self.item_lines):
            return self.item_lines[index]
        return self.line

    def glued_line(self, index: int) -> int | None:
        """The line of a « - » merged into item `index` by a wrong indentation, if any."""
        return getattr(self, "glued_lines", {}).get(index)


class DuplicateKeyError(yaml.YAMLError):
    """Two identical keys in one mapping: YAML silently keeps the last one, we refuse."""

    def __init__(self, key: Any, line: int) -> None:
        super().__init__(f"clé « {key} » en double")
        self.key = key
        self.line = line


class _LineLoader(yaml.SafeLoader):
    """SafeLoader whose mappings and sequences carry line numbers."""

    source: str = ""  # the text being read: where a glued « - » is looked for


# libyaml's parser (when PyYAML was built with it) reads the knowledge base several times faster:
# parsing YAML was most of a warm start-up. Same constructors, same line numbers; a file it
# refuses is read again by the pure-Python loader, whose errors the validator explains.
if TYPE_CHECKING:  # the stubs' loaders share one interface; which one exists is only known at run time
    _FastBase = yaml.SafeLoader
else:
    _FastBase = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _FastLineLoader(_FastBase):
    """The same loader on libyaml's parser."""

    source: str = ""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    result.glued_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, (str, int, float, bool)) and key is not None:
            key = str(key)
        if key in result:
            raise DuplicateKeyError(key, key_node.start_mark.line + 1)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
        glued = _glued_dash_line(value_node, loader.source)
        if glued is not None:
            result.glued_lines[key] = glued
    return result


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    result.glued_lines = {}
    for index, child in enumerate(node.value):
        glued = _glued_dash_line(child, loader.source)
        if glued is not None:
            result.glued_lines[index] = glued
    return result


_GLUED_DASH = re.compile(r"\n[ ]*-(?:[ ]|$)")


def _glued_dash_line(node: yaml.Node, source: str) -> int | None:
    """The 1-based line of a « - » that starts a line inside a plain text going on over lines.

    Marks' `index` counts characters of `source` with both parsers (libyaml's marks have no buffer).
    """
    start, end = node.start_mark, node.end_mark
    if not isinstance(node, yaml.ScalarNode) or node.style or start.line == end.line:
        return None
    match = _GLUED_DASH.search(source, start.index, end.index)
    if match is None:
        return None
    return start.line + source.count("\n", start.index, match.start()) + 2


def _construct_timestamp(loader: _LineLoader, node: yaml.ScalarNode) -> Any:
    """A date-shaped value that is not a real date ("2025-13-45") stays text.

    PyYAML raises a bare ValueError for it, with no line: kept as text, the
    validator reports it as an invalid date on its own line instead.
    """
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


for _loader in {_LineLoader, _FastLineLoader}:
    _loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    _loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
    _loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def _parse(text: str, loader_class: type) -> Any:
    loader = loader_class(text)
    loader.source = text
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def _parse_fast_then_exact(text: str) -> Any:
    """libyaml first; on any refusal, the pure-Python loader decides (and its error is explained)."""
    if _FastBase is not yaml.SafeLoader:
        try:
            return _parse(text, _FastLineLoader)
        except (yaml.YAMLError, RecursionError):
            pass
    return _parse(text, _LineLoader)


class YamlFileError(Exception):
    """A file that cannot be read as YAML, with the line to look at."""

    def __init__(self, path: Path, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path = path
        self.line = line
        self.message = message


@functools.cache
def field_names() -> frozenset[str]:
    """Every field a mediator types at the margin of a file, to recognise one typed without its « : ».

    Imported here, not at the top: the modules that define the fields read files with this one.
    """
    from bot.knowledge.dangers import KIND_KEYS, LOOKALIKE_KEYS
    from bot.knowledge.parsing import ENTRY_KEYS, LINE_KEYS, PLACE_KEYS, QUARTIER_KEYS
    from bot.orientation.rules import FILE_KEYS

    return frozenset((*ENTRY_KEYS, *PLACE_KEYS, *LINE_KEYS, *QUARTIER_KEYS, *KIND_KEYS, *LOOKALIKE_KEYS, *FILE_KEYS))


def _decode(path: Path) -> str:
    """The file's text, or YamlFileError in French (not UTF-8, unreadable)."""
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        # Point at the line of the first unreadable letter (often an "é" saved as Latin-1), in French.
        line = exc.object[: exc.start].count(b"\n") + 1
        raise YamlFileError(
            path,
            line,
            "caractère illisible : le fichier n'est pas en UTF-8 ; enregistrez le fichier en UTF-8 "
            "(dans l'éditeur : « Enregistrer sous », encodage UTF-8)",
        ) from None
    except OSError as exc:
        raise YamlFileError(path, 1, f"fichier illisible ({french_reason(exc)})") from None


def read_yaml(path: Path) -> Any:
    """Parse one YAML file into LineDict/LineList values, or raise YamlFileError in French."""
    text = _decode(path)
    fields = field_names()
    try:
        data = _parse_fast_then_exact(text)
    except DuplicateKeyError as exc:
        raise YamlFileError(path, exc.line, str(exc)) from None
    except yaml.MarkedYAMLError as exc:
        # A bracket left open is found where the file goes on; its opening line is the one to fix.
        unclosed_flow = (exc.problem or "").startswith(("expected ',' or ']'", "expected ',' or '}'"))
        mark = (exc.context_mark if unclosed_flow else None) or exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise _explained(path, text, line, exc.problem or exc.context or "syntaxe YAML invalide", fields) from None
    except yaml.reader.ReaderError as exc:  # a control character: pasted from Word or a PDF, or not a text file
        line = text[: exc.position].count("\n") + 1
        raise YamlFileError(path, line, _control_character(exc.character)) from None
    except yaml.YAMLError as exc:
        raise YamlFileError(path, 1, f"YAML invalide : {exc}") from None
    except RecursionError:  # thousands of nested "[": PyYAML recurses once per level
        raise YamlFileError(path, 1, "YAML invalide : listes ou blocs imbriqués trop profondément") from None
    # « Depuis 2026 : 651 € » typed at the margin inside a text is read as a new key: say why.
    dedented = find_dedented_line(text, fields)
    if dedented is not None and dedented.line in _key_lines(data):
        raise YamlFileError(path, dedented.line, dedented.message)
    return data


def _explained(path: Path, text: str, line: int, problem: str, fields: frozenset[str]) -> YamlFileError:
    """YAML's complaint at `line`, turned into the line to fix and what to do, in French.

    YAML stumbles a few lines below the cause: a quote left open, a field typed
    without its « : », or a line of a text typed at the margin, is named instead
    when it comes first.
    """
    odd_space = _odd_space_line(text, line)
    if odd_space is not None:
        return YamlFileError(
            path,
            odd_space,
            "espace insécable au début de la ligne (souvent tapée avec Alt ou venue de Word) : "
            "effacez les espaces du début de la ligne et retapez-les avec la barre d'espace",
        )
    unclosed = find_unclosed_quote(text, line)
    if unclosed is not None and unclosed.line < line:
        return YamlFileError(path, unclosed.line, unclosed.message)
    missing = find_field_without_colon(text, fields)
    if missing is not None and missing.line <= line:
        return YamlFileError(path, missing.line, missing.message)
    dedented = find_dedented_line(text, fields)
    if dedented is not None and dedented.line <= line:
        return YamlFileError(path, dedented.line, dedented.message)
    lines = text.splitlines()
    if problem.startswith("expected <block end>, but found '<scalar>'") and 0 < line <= len(lines):
        if _TEXT_AFTER_QUOTE.search(lines[line - 1]):
            return YamlFileError(path, line, TEXT_AFTER_QUOTE)
    message = f"YAML invalide : {_french_problem(problem)}"
    if 0 < line <= len(lines) and _CURLY_QUOTES.search(lines[line - 1]):
        message += (
            " ; les guillemets typographiques (“ ” « » ‘ ’, ceux de Word) ne comptent pas pour l'ordinateur : "
            'tapez des guillemets droits "…"'
        )
    return YamlFileError(path, line, message)


_CURLY_QUOTES = re.compile("[“”„«»‘‚]")
# `titre: "RSA" pour les jeunes`, `titre: 'l'aide'`: the value's quotes close before its end.
_TEXT_AFTER_QUOTE = re.compile(r"""^\s*(?:- |[\w-]+:\s*)(["'])[^"']*\1\s*\S""")
TEXT_AFTER_QUOTE = (
    "du texte suit le guillemet qui ferme la valeur : mettez toute la valeur entre guillemets doubles "
    '("RSA pour les jeunes", "l\'aide"), ou enlevez les guillemets'
)
_ODD_SPACE_INDENT = re.compile("^[ \u00a0\u2007\u202f]*[\u00a0\u2007\u202f]")  # no-break spaces: not indentation


def _odd_space_line(text: str, until: int) -> int | None:
    """The first line up to `until` whose indentation holds a no-break space, which YAML takes for text."""
    for number, line in enumerate(text.splitlines()[:until], 1):
        if _ODD_SPACE_INDENT.match(line):
            return number
    return None


def _control_character(code: int) -> str:
    """What to say about a character no text file holds (a NUL, a vertical tab…)."""
    return (
        f"caractère invisible interdit (code U+{code:04X}) sur cette ligne : supprimez-le, ou "
        "retapez la ligne ; il vient souvent d'un copier-coller depuis Word ou un PDF (un fichier Word "
        "ou PDF n'est pas un fichier texte : enregistrez en texte brut, UTF-8)"
    )


def _key_lines(data: Any) -> set[int]:
    """Lines where a mapping key starts, anywhere in the file."""
    lines: set[int] = set()
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, LineDict):
            lines.update(value.key_lines.values())
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return lines


_LIST_ITEM_MISALIGNED = (
    "indentation incorrecte dans une liste : le « - » de cette ligne n'est pas aligné sur ceux des "
    "éléments au-dessus ; mettez-le exactement sous les autres (même nombre d'espaces)"
)
_PROBLEMS_FR = {
    "mapping values are not allowed here": "« : » inattendu (une valeur qui contient « : » doit être entre guillemets)",
    "found character '\\t' that cannot start any token": "tabulation interdite (utilisez des espaces)",
    "could not find expected ':'": "« : » manquant après une clé",
    "did not find expected key": "indentation incorrecte",
    "found undefined alias": "alias inconnu",
    "did not find expected '-' indicator": "indentation incorrecte dans une liste",
    "found unexpected end of stream": "fin de fichier inattendue (guillemet non fermé ?)",
    "expected <block end>, but found '-'": _LIST_ITEM_MISALIGNED,
    "expected <block end>, but found '<block sequence start>'": _LIST_ITEM_MISALIGNED,
    "expected <block end>, but found": "indentation incorrecte : cette ligne n'est pas alignée sur les lignes "
    "du même niveau au-dessus (même nombre d'espaces au début)",
    "expected the node content, but found '<stream end>'": "fin de fichier inattendue : un crochet « [ » ou une "
    "accolade « { » ouvert plus haut n'est pas refermé (ajoutez « ] » ou « } »)",
    "expected the node content": "valeur incomplète : un crochet « [ » ou une accolade « { » n'est pas refermé, "
    'ou la valeur commence par un signe spécial : mettez-la entre guillemets droits "…"',
    "sequence entries are not allowed here": "« - » au mauvais endroit : un élément de liste va sur sa propre ligne, "
    "sous la clé et décalé de deux espaces (« - … ») ; pour un texte qui commence par « - », mettez-le entre "
    'guillemets droits "-…"',
    "but found another document": "la ligne « --- » commence une deuxième fiche dans le même fichier : "
    "enlevez-la (une fiche = un fichier)",
    "expected chomping or indentation indicators": "rien ne doit suivre « | » ou « > » sur la ligne : "
    "le texte commence à la ligne suivante, décalé de deux espaces",
    "second occurrence": "une valeur ne peut pas commencer par « & » : " + 'mettez-la entre guillemets droits "&…"',
}


_QUOTE_IT = 'mettez toute la valeur entre guillemets droits : "{0}…"'
# PyYAML's complaints that name the character at fault, and the French that replaces them.
_PATTERNS_FR = (
    (
        re.compile(r"^found character '(.)' that cannot start any token"),
        "une valeur ne peut pas commencer par « {0} » : " + _QUOTE_IT,
    ),
    (
        re.compile(r"^found unknown escape character '(.+?)'"),
        "« \\{0} » dans un texte entre guillemets doubles : "
        "doublez la barre (\\\\) ou mettez le texte entre guillemets simples '…'",
    ),
)
_STARTS_FR = {
    "expected ',' or ']'": "crochet « [ » ouvert sans être refermé : une liste écrite entre crochets finit par « ] » ; "
    "pour un texte qui commence par « [ », " + _QUOTE_IT.format("["),
    "expected ',' or '}'": "accolade « { » ouverte sans être refermée ; pour un texte qui commence par « { », "
    + _QUOTE_IT.format("{"),
    "expected alphabetic or numeric character": "une valeur ne peut pas commencer par « & » ou « * » : "
    + _QUOTE_IT.format("&"),
    "found undefined alias": "une valeur ne peut pas commencer par « * » : " + _QUOTE_IT.format("*"),
    "mapping keys are not allowed here": "une valeur ne peut pas commencer par « ? » : " + _QUOTE_IT.format("?"),
    "could not determine a constructor for the tag": "une valeur ne peut pas commencer par « ! » : "
    + _QUOTE_IT.format("!"),
}


def _french_problem(problem: str) -> str:
    for pattern, french in _PATTERNS_FR:
        found = pattern.match(problem)
        if found:
            return french.format(found.group(1))
    for english, french in _STARTS_FR.items():
        if problem.startswith(english):
            return french
    for english, french in _PROBLEMS_FR.items():
        if problem.startswith(english):
            return french
    return problem
