"""Typer's own texts in French (the help option, the panels of `--help`, defaults, the error box, usage errors).

Typer (0.2x) carries its texts as module constants, builds the help option lazily with an English help
string and writes its usage errors as f-strings; none has a setting, so they are replaced once, when `bac`
is assembled (cli/main.py). Tests pin every replaced text, so that an upgrade of typer that renames one
fails loudly instead of going back to English silently.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import typer.rich_utils as rich_utils

AIDE = "Affiche cette aide et quitte."
TEXTES = {
    "DEPRECATED_STRING": "(obsolète) ",
    "DEFAULT_STRING": "[défaut : {}]",
    "ENVVAR_STRING": "[variable d'environnement : {}]",
    "REQUIRED_LONG_STRING": "[obligatoire]",
    "ARGUMENTS_PANEL_TITLE": "Arguments",
    "OPTIONS_PANEL_TITLE": "Options",
    "COMMANDS_PANEL_TITLE": "Commandes",
    "ERRORS_PANEL_TITLE": "Erreur",
    "ABORTED_TEXT": "Interrompu.",
    "RICH_HELP": "Voir [blue]« {command_path} {help_option} »[/] pour l'aide.",
}

COMPLETION = {
    "Install completion for the current shell.": "Installe la complétion pour l'interpréteur courant.",
    "Show completion for the current shell, to copy it or customize the installation.": (
        "Affiche la complétion pour l'interpréteur courant, à copier ou adapter."
    ),
    "Install completion for the specified shell.": "Installe la complétion pour l'interpréteur indiqué.",
    "Show completion for the specified shell, to copy it or customize the installation.": (
        "Affiche la complétion pour l'interpréteur indiqué, à copier ou adapter."
    ),
}

# Usage errors are f-strings inside the exception classes: their messages are translated on the way out.
ERREURS_D_USAGE = (
    (r"^Missing argument '([^']*)'\.", r"Argument manquant : « \1 »."),
    (r"^Missing option '([^']*)'\.", r"Option manquante : « \1 »."),
    (r"^Missing parameter: (.*)", r"Paramètre manquant : \1"),
    (r"^No such option: (\S+)", r"Option inconnue : \1"),
    (r"Did you mean ([^?]*)\?", r"Vouliez-vous dire \1 ?"),
    (r"\(Possible options: ([^)]*)\)", r"(options possibles : \1)"),
    (r"^No such command '([^']*)'\.", r"Commande inconnue : « \1 »."),
    (r"^Got unexpected extra argument(?:s|\(s\))? \((.*)\)", r"Argument(s) en trop : \1"),
    (r"^Option '([^']*)' requires an argument\.", r"L'option « \1 » attend une valeur."),
    (r"^Invalid value for '([^']*)': ", r"Valeur invalide pour « \1 » : "),
    (r"^Invalid value: ", r"Valeur invalide : "),
    (r"Value error, ", ""),
    (r"'([^']*)' is not one of (.*)\.", r"« \1 » n'est pas parmi \2."),
    (r"Input should be a valid integer, unable to parse string as an integer", "nombre entier attendu"),
    (r"Input should be a valid integer", "nombre entier attendu"),
    (r"Input should be a valid boolean", "booléen attendu"),
    (r"'([^']*)' is not a valid (integer|float)\.", r"« \1 » n'est pas un nombre valide."),
    (r"^Missing command\.", "Commande manquante."),
)


def traduire_usage(message: str) -> str:
    for motif, remplacement in ERREURS_D_USAGE:
        message = re.sub(motif, remplacement, message)
    return message


def _message_en_francais(original: Callable[[Any], str]) -> Callable[[Any], str]:
    def format_message(self: Any) -> str:
        return traduire_usage(original(self))

    format_message.francise = True  # type: ignore[attr-defined]
    return format_message


def _aide_en_francais(original: Callable[[list[str]], Callable[[Any], Any]]) -> Callable[[list[str]], Any]:
    def help_option(param_decls: list[str]) -> Callable[[Any], Any]:
        decorer = original(param_decls)

        def appliquer(commande: Any) -> Any:
            resultat = decorer(commande)
            commande.params[-1].help = AIDE
            return resultat

        return appliquer

    help_option.francise = True  # type: ignore[attr-defined]
    return help_option


def franciser() -> None:
    """Replace Typer's English texts; idempotent."""
    for nom, texte in TEXTES.items():
        if not hasattr(rich_utils, nom):
            raise RuntimeError(f"typer.rich_utils.{nom} a disparu : revoir cli/francais.py")
        setattr(rich_utils, nom, texte)
    try:
        from typer._click import decorators
    except ImportError:  # an older typer on click itself
        import click.decorators as decorators  # type: ignore[no-redef]
    try:
        from typer._click import exceptions
    except ImportError:  # an older typer on click itself
        import click.exceptions as exceptions  # type: ignore[no-redef]
    from typer import exceptions as exceptions_typer

    for classe in [*vars(exceptions).values(), *vars(exceptions_typer).values()]:
        if isinstance(classe, type) and issubclass(classe, Exception):
            methode = classe.__dict__.get("format_message")
            if methode is not None and not getattr(methode, "francise", False):
                classe.format_message = _message_en_francais(methode)  # type: ignore[attr-defined]
    from typer import completion

    for fonction in vars(completion).values():
        for defaut in getattr(fonction, "__defaults__", None) or ():
            if getattr(defaut, "help", None) in COMPLETION:
                defaut.help = COMPLETION[defaut.help]
    if not getattr(decorators.help_option, "francise", False):
        decorators.help_option = _aide_en_francais(decorators.help_option)  # type: ignore[assignment]
