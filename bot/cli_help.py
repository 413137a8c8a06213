"""`--help` in French: mediators read it, and click writes its own words in English.

Click's help ("Usage:", "Options", "Show this message and exit.") comes from
its formatter and its help option; these classes change only those words, so
every command written with `@cli.command()` gets them without asking.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import click

HELP_TEXT = "Afficher cette aide et quitter."
USAGE_PREFIX = "Utilisation : "
SECTIONS = {"Options": "Options", "Commands": "Commandes", "Arguments": "Arguments"}
# Click names a value by its type in English ("--since TEXT", "COMMAND [ARGS]..."): the same in French.
METAVARS = {
    "TEXT": "TEXTE",
    "INTEGER": "ENTIER",
    "FLOAT": "NOMBRE",
    "DIRECTORY": "DOSSIER",
    "FILE": "FICHIER",
    "PATH": "CHEMIN",
    "FILENAME": "FICHIER",
    "BOOLEAN": "OUI/NON",
    "COMMAND": "COMMANDE",
    "ARGS": "ARGUMENTS",
    "QUESTION": "QUESTION",
}
# What click adds in brackets after an option's help ("[default: 30d]", "[required]").
EXTRAS = (("default: ", "défaut : "), ("required", "obligatoire"), ("env var: ", "variable d'environnement : "))
_UPPER_WORD = re.compile(r"\b[A-Z][A-Z_]+\b")


def french_metavars(text: str) -> str:
    """ "--knowledge DIRECTORY" -> "--knowledge DOSSIER"; other words (and our own metavars) unchanged."""
    return _UPPER_WORD.sub(lambda word: METAVARS.get(word[0], word[0]), text)


def french_extras(help_text: str) -> str:
    """The bracket click appends to an option's help, in French: "[default: 30d]" -> "[défaut : 30d]"."""
    head, bracket, tail = help_text.rpartition("  [")
    if not bracket:
        if not help_text.startswith("["):
            return help_text
        head, tail = "", help_text[1:]
    for english, french in EXTRAS:
        tail = tail.replace(english, french)
    return f"{head}  [{tail}" if head else f"[{tail}"


class FrenchHelpFormatter(click.HelpFormatter):
    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, USAGE_PREFIX if prefix is None else prefix)

    @contextmanager
    def section(self, name: str) -> Iterator[None]:
        with super().section(SECTIONS.get(name, name)):
            yield


class FrenchContext(click.Context):
    formatter_class = FrenchHelpFormatter


def french_help_option(option: click.Option | None) -> click.Option | None:
    """Click's own help option, with its line of help in French."""
    if option is not None:
        option.help = HELP_TEXT
    return option


def write_french_options(command: click.Command, ctx: click.Context, formatter: click.HelpFormatter) -> None:
    """The « Options » section as click writes it, with French value names and brackets."""
    rows = []
    for param in command.get_params(ctx):
        record = param.get_help_record(ctx)
        if record is not None:
            rows.append((french_metavars(record[0]), french_extras(record[1])))
    if rows:
        with formatter.section("Options"):
            formatter.write_dl(rows)


class _FrenchHelp(click.Command):
    """What a command and the root group share: French help option, usage line and options."""

    context_class = FrenchContext

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        return french_help_option(super().get_help_option(ctx))

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        return [french_metavars(piece) for piece in super().collect_usage_pieces(ctx)]

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        write_french_options(self, ctx, formatter)


class FrenchCommand(_FrenchHelp):
    """A subcommand whose help speaks French."""


class FrenchGroup(_FrenchHelp, click.Group):
    """The command line's root: its subcommands and their help speak French too."""

    command_class = FrenchCommand

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_options(ctx, formatter)
        self.format_commands(ctx, formatter)
