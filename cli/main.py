"""`bac`: the registry's command line, for exam offices (texts in French). Thin: parse, call, render.

This module only assembles the command groups; each group module registers its own commands.
"""

from __future__ import annotations

import os
from importlib.metadata import PackageNotFoundError, version
from typing import Annotated

import typer

from adapters.application.journalisation import configurer
from cli import (
    audit,
    deliberation,
    demo,
    documents,
    donnees_personnelles,
    feuilles,
    habilitations,
    publication,
    registre,
    serveur,
    statistiques,
)
from cli.francais import franciser

franciser()

app = typer.Typer(
    help="bac-registre : le registre des sessions du baccalauréat.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
for groupe in (
    registre,
    feuilles,
    deliberation,
    audit,
    statistiques,
    demo,
    documents,
    habilitations,
    serveur,
    donnees_personnelles,
    publication,
):
    app.add_typer(groupe.app)


def _version(demandee: bool) -> None:
    if demandee:
        try:
            numero = version("bac-registre")
        except PackageNotFoundError:  # run from a checkout that was never installed
            numero = "inconnue"
        typer.echo(f"bac-registre {numero}")
        raise typer.Exit(0)


@app.callback()
def _global(
    _version_demandee: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Affiche la version et quitte."),
    ] = False,
) -> None:
    configurer()


def main() -> None:  # pragma: no cover - console entry point
    os.environ.setdefault("PYTHONIOENCODING", "utf-8")
    app()
