"""Command-line mistakes explained in French: click's own messages are English.

Mediators and staff type `purge --older-than abc` or a misspelt option; they
must read what is wrong and how to fix it in their language, never
"Error: Invalid value…". Our own messages (already French) pass unchanged.
"""

from __future__ import annotations

import re

import click

from bot.cli_help import french_metavars

# click's wording for a value its types refuse, and the French that replaces it.
_VALUE_MESSAGES = (
    (re.compile(r"^'(.*)' is not a valid integer(?: range)?\.?$"), "« {0} » n'est pas un nombre entier"),
    (re.compile(r"^'(.*)' is not a valid float(?: range)?\.?$"), "« {0} » n'est pas un nombre"),
    (re.compile(r"^'(.*)' is not a valid boolean\.?$"), "« {0} » n'est ni oui ni non"),
    (re.compile(r"^'(.*)' is not one of (.*?)\.?$"), "« {0} » n'est pas un des choix possibles ({1})"),
    (re.compile(r"^'(.*)' does not match the formats? (.*?)\.?$"), "« {0} » n'est pas au format {1}"),
    (re.compile(r"^(?:File|Directory|Path) '(.*)' does not exist\.?$"), "« {0} » n'existe pas"),
    (
        re.compile(r"^(?:Directory|Path) '(.*)' is a file\.?$"),
        "« {0} » est un fichier : donnez un dossier (par exemple knowledge)",
    ),
    (re.compile(r"^(?:File|Path) '(.*)' is a directory\.?$"), "« {0} » est un dossier : donnez un fichier"),
    (re.compile(r"^Got unexpected extra arguments? \((.*)\)$"), "en trop : « {0} »"),
    (re.compile(r"^Option '(.*)' requires an argument\.?$"), "l'option « {0} » attend une valeur"),
    (re.compile(r"^No such command '(.*)'\.?$"), "commande inconnue « {0} »"),
)


# click describes a range as "x>=0" (a lower bound only), or "0<=x<=100", "1<=x<10", "x<5".
_RANGE_AROUND_X = re.compile(r"^(.*) is not in the range (?:(\S+?)(<=?))?x(?:(<=?)(\S+?))?\.?$")
_RANGE_ABOVE = re.compile(r"^(.*) is not in the range x(>=?)(\S+?)\.?$")


def _french_range(message: str) -> str | None:
    """ "-1 is not in the range x>=0." -> "-1 ne convient pas : il faut au moins 0"; None if not a range."""
    found = _RANGE_ABOVE.match(message)
    if found:  # only a lower bound, written after the x
        value, sign, low = found.groups()
        return f"{value} ne convient pas : il faut {'au moins' if sign == '>=' else 'plus de'} {low}"
    found = _RANGE_AROUND_X.match(message)
    if not found or not (found[2] or found[5]):
        return None
    value, low, low_sign, high_sign, high = found.groups()
    if low_sign == "<=" and high_sign == "<=":
        return f"{value} ne convient pas : il faut un nombre entre {low} et {high}"
    bounds = []
    if low is not None:
        bounds.append(f"{'au moins' if low_sign == '<=' else 'plus de'} {low}")
    if high is not None:
        bounds.append(f"{'au plus' if high_sign == '<=' else 'moins de'} {high}")
    return f"{value} ne convient pas : il faut {' et '.join(bounds)}"


def french_value_message(message: str) -> str:
    """click's English description of a refused value, in French; French text is kept."""
    in_range = _french_range(message.strip())
    if in_range is not None:
        return in_range
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
        # An argument is named by its metavar, in English ("[DIRECTORY]"): the French one, as in the usage line.
        return french_metavars(error.param.get_error_hint(error.ctx).replace("'", ""))
    return "?"


def _global_option_hint(error: click.exceptions.NoSuchOption) -> str:
    """Where an option of the whole command line goes when it was typed after a command.

    « export --json --knowledge DIR » reads like the README's « --knowledge DIR »,
    but click only takes it before the command: say so instead of « inconnue » alone.
    """
    ctx = error.ctx
    if ctx is None or ctx.parent is None:
        return ""
    root = ctx.find_root()
    general = {name for param in root.command.params for name in getattr(param, "opts", [])}
    if error.option_name not in general:
        return ""
    return (
        f" après « {ctx.info_name} » : c'est une option générale, à écrire avant la commande "
        f"(par exemple : python -m bot {error.option_name} … {ctx.info_name} …)"
    )


def french_error(error: click.ClickException) -> str:
    """The one-line French explanation of a command-line mistake."""
    if isinstance(error, click.exceptions.NoSuchOption):
        text = f"option inconnue « {error.option_name} »"
        if error.possibilities:
            text += " (vouliez-vous dire " + ", ".join(sorted(error.possibilities)) + " ?)"
        return text + _global_option_hint(error)
    if isinstance(error, click.exceptions.MissingParameter):
        return f"il manque {_hint(error)}"
    if isinstance(error, click.exceptions.BadParameter):
        return f"valeur refusée pour {_hint(error)} : {french_value_message(error.message)}"
    return french_value_message(error.message)


def show_in_french(error: click.ClickException) -> None:
    """Print the mistake as click would, but in French, on standard error."""
    ctx = getattr(error, "ctx", None)
    if isinstance(error, click.exceptions.NoArgsIsHelpError) and ctx is not None:
        click.echo(ctx.get_help(), err=True)  # `python -m bot` alone: the help, not « Erreur : Utilisation… »
        return
    if isinstance(error, click.UsageError) and ctx is not None:
        usage = ctx.get_usage().replace("Usage:", "Utilisation :", 1)
        click.echo(usage, err=True)
        click.echo(f"Aide : {ctx.command_path} --help", err=True)
        click.echo("", err=True)
    click.echo(f"Erreur : {french_error(error)}", err=True)
