"""`bac`: the registry's command line, for exam offices (texts in French). Thin: parse, call, render.

This module only assembles the command groups; each group module registers its own commands.
"""

from __future__ import annotations

import os

import typer

from adapters.application.journalisation import configurer
from cli import audit, deliberation, demo, registre, statistiques

app = typer.Typer(
    help="bac-registre : le registre des sessions du baccalauréat.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
for groupe in (registre, deliberation, audit, statistiques, demo):
    app.add_typer(groupe.app)


@app.callback()
def _global() -> None:
    configurer()


def main() -> None:  # pragma: no cover - console entry point
    os.environ.setdefault("PYTHONIOENCODING", "utf-8")
    app()
