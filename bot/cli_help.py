"""`--help` in French: mediators read it, and click writes its own words in English.

Click's help ("Usage:", "Options", "Show this message and exit.") comes from
its formatter and its help option; these classes change only those words, so
every command written with `@cli.command()` gets them without asking.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click

HELP_TEXT = "Afficher cette aide et quitter."
USAGE_PREFIX = "Utilisation : "
SECTIONS = {"Options": "Options", "Commands": "Commandes", "Arguments": "Arguments"}


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


class FrenchCommand(click.Command):
    context_class = FrenchContext

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        return french_help_option(super().get_help_option(ctx))


class FrenchGroup(click.Group):
    """The command line's root: its subcommands and their help speak French too."""

    context_class = FrenchContext
    command_class = FrenchCommand

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        return french_help_option(super().get_help_option(ctx))
