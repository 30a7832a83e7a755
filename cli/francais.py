"""Typer's own texts in French (the help option, the panels of `--help`, defaults, the error box).

Typer (0.2x) carries its texts as module constants and builds the help option lazily with an English help
string; neither has a setting, so they are replaced once, when `bac` is assembled (cli/main.py). A test
pins every replaced text, so that an upgrade of typer that renames one fails loudly instead of going back
to English silently.
"""

from __future__ import annotations

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
    from typer import completion

    for fonction in vars(completion).values():
        for defaut in getattr(fonction, "__defaults__", None) or ():
            if getattr(defaut, "help", None) in COMPLETION:
                defaut.help = COMPLETION[defaut.help]
    if not getattr(decorators.help_option, "francise", False):
        decorators.help_option = _aide_en_francais(decorators.help_option)  # type: ignore[assignment]
