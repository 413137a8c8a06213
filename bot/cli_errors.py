"""Command-line mistakes explained in French: click's own messages are English.

Mediators and staff type `purge --older-than abc` or a misspelt option; they
must read what is wrong and how to fix it in their language, never
"Error: Invalid value…". Our own messages (already French) pass unchanged.
"""

from __future__ import annotations

import re

import click

# click's wording for a value its types refuse, and the French that replaces it.
_VALUE_MESSAGES = (
    (re.compile(r"^'(.*)' is not a valid integer(?: range)?\.?$"), "« {0} » n'est pas un nombre entier"),
    (re.compile(r"^'(.*)' is not a valid float(?: range)?\.?$"), "« {0} » n'est pas un nombre"),
    (re.compile(r"^'(.*)' is not a valid boolean\.?$"), "« {0} » n'est ni oui ni non"),
    (re.compile(r"^'(.*)' is not one of (.*?)\.?$"), "« {0} » n'est pas un des choix possibles ({1})"),
    (re.compile(r"^'(.*)' does not match the formats? (.*?)\.?$"), "« {0} » n'est pas au format {1}"),
    (re.compile(r"^(?:File|Directory|Path) '(.*)' does not exist\.?$"), "« {0} » n'existe pas"),
    (re.compile(r"^(?:File|Directory|Path) '(.*)' is a (?:file|directory)\.?$"), "« {0} » n'est pas du bon type"),
    (re.compile(r"^(.*) is not in the range (.*?)\.?$"), "{0} n'est pas entre {1}"),
    (re.compile(r"^Got unexpected extra arguments? \((.*)\)$"), "en trop : « {0} »"),
    (re.compile(r"^Option '(.*)' requires an argument\.?$"), "l'option « {0} » attend une valeur"),
    (re.compile(r"^No such command '(.*)'\.?$"), "commande inconnue « {0} »"),
)


def french_value_message(message: str) -> str:
    """click's English description of a refused value, in French; French text is kept."""
    for pattern, french in _VALUE_MESSAGES:
        found = pattern.match(message.strip())
        if found:
            return french.format(*found.groups())
    return message


def _hint(error: click.exceptions.BadParameter | click.exceptions.MissingParameter) -> str:
    if error.param_hint is not None:
        hint = error.param_hint
        return " / ".join(hint) if isinstance(hint, (list, tuple)) else str(hint)
    if error.param is not None:
        return error.param.get_error_hint(error.ctx).replace("'", "")  # type: ignore[arg-type]
    return "?"


def french_error(error: click.ClickException) -> str:
    """The one-line French explanation of a command-line mistake."""
    if isinstance(error, click.exceptions.NoSuchOption):
        text = f"option inconnue « {error.option_name} »"
        if error.possibilities:
            text += " (vouliez-vous dire " + ", ".join(sorted(error.possibilities)) + " ?)"
        return text
    if isinstance(error, click.exceptions.MissingParameter):
        return f"il manque {_hint(error)}"
    if isinstance(error, click.exceptions.BadParameter):
        return f"valeur refusée pour {_hint(error)} : {french_value_message(error.message)}"
    return french_value_message(error.message)


def show_in_french(error: click.ClickException) -> None:
    """Print the mistake as click would, but in French, on standard error."""
    ctx = getattr(error, "ctx", None)
    if isinstance(error, click.UsageError) and ctx is not None:
        usage = ctx.get_usage().replace("Usage:", "Utilisation :", 1)
        click.echo(usage, err=True)
        click.echo(f"Aide : {ctx.command_path} --help", err=True)
        click.echo("", err=True)
    click.echo(f"Erreur : {french_error(error)}", err=True)
