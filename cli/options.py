"""The `bac` Typer app's shared pieces: its options, the service it opens, how a single command is run.

Every command group (cli/registre.py, cli/deliberation.py, cli/audit.py, cli/statistiques.py, cli/demo.py) builds
its commands on these; cli/main.py only assembles the groups. Doors import the application service only.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from adapters.application.entrees import commande_depuis
from adapters.application.reponses import Succes
from adapters.application.service import ServiceRegistre
from cli.sortie import console, imprimer_json, refus_propres


def groupe(aide: str | None = None) -> typer.Typer:
    """A group of commands, merged into `bac` itself by cli/main.py (no sub-command name)."""
    return typer.Typer(help=aide, no_args_is_help=True, pretty_exceptions_enable=False)


OptionDb = Annotated[
    str | None, typer.Option("--db", help="URL de la base (sinon BAC_DB_URL, sinon sqlite:///bac-registre.db)")
]
OptionJson = Annotated[bool, typer.Option("--json", help="Sortie JSON pour les machines")]
OptionActeur = Annotated[
    str, typer.Option("--acteur", envvar="BAC_ACTEUR", help="Identifiant de l'agent ou du service")
]
OptionRole = Annotated[
    str, typer.Option("--role", envvar="BAC_ROLE", help="Rôle de l'acteur (gestionnaire, service_examens, recteur…)")
]


def ouvrir(db: str | None) -> ServiceRegistre:
    return ServiceRegistre(db)


def executer(
    db: str | None, json: bool, donnees: dict[str, Any], acteur: str, role: str, raison: str | None, succes: str
) -> None:
    with refus_propres(json):
        commande = commande_depuis(donnees, acteur=acteur, role=role, raison=raison)
        with ouvrir(db) as registre:
            evenements = registre.executer(commande)
        noms = [type(e).__name__ for e in evenements]
        if json:
            imprimer_json(Succes(resultat={"evenements": noms}))
        else:
            # A deliberation records one event per candidate: count repeats instead of listing them.
            resume = ", ".join(n if noms.count(n) == 1 else f"{n} ×{noms.count(n)}" for n in dict.fromkeys(noms))
            console.print(f"[green]✓[/] {succes} ({resume})" if noms else "[yellow]Déjà appliquée[/] : rien de plus.")
