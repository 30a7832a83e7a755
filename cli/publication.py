"""`bac publication` (the list of admitted candidates, R57) and `bac acces` (the right of access, R55), ADR 0024.

Both act as the holder of the token (BAC_JETON): the list for the exam office of the académie (recorded as
`ListePubliée`), the access archive for its service des examens only (`AccèsCommuniqué`). Parse, call, render.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from adapters.publication import resultats
from cli.options import OptionDb, OptionJson, authentifier, groupe, ouvrir
from cli.reponse import imprimer_succes
from cli.sortie import console, refus_propres

app = groupe()
FORMATS = ("csv", "pdf")


@app.command("publication")
def publication(
    session: Annotated[str, typer.Argument(help="Session, ex. 2024-aix-marseille")],
    etape: Annotated[str, typer.Option("--etape", help="provisoire (après le premier groupe) ou final")] = "provisoire",
    format: Annotated[str, typer.Option("--format", help="csv ou pdf")] = "csv",
    sortie: Annotated[Path | None, typer.Option("--sortie", help="Fichier (csv : sinon la sortie standard)")] = None,
    db: OptionDb = None,
    json: OptionJson = False,
) -> None:
    """La liste des admis qui ont consenti à la publication : nom et prénom, sans notes ni mentions (R57)."""
    with refus_propres(json):
        if format not in FORMATS:
            raise typer.BadParameter(f"format inconnu : {format[:20]} (csv ou pdf)")
        with ouvrir(db) as service:
            liste = service.publication(session, etape, authentifier(service), format=format)
        contenu = resultats.csv(liste) if format == "csv" else resultats.pdf(liste)
        if sortie is None and format == "csv" and not json:
            sys.stdout.buffer.write(contenu)
            return
        chemin = sortie or Path(resultats.nom_fichier(liste, format))
        chemin.write_bytes(contenu)
    if json:
        imprimer_succes({"fichier": str(chemin), "admis_publies": liste.nombre, "etape": etape})
    else:
        console.print(f"[green]✓[/] {chemin} — {liste.nombre} admis publié(s) ({liste.libelle_etape})", highlight=False)


@app.command("acces")
def acces(
    session: Annotated[str, typer.Argument(help="Session, ex. 2024-aix-marseille")],
    numero: Annotated[str, typer.Argument(help="Numéro du candidat")],
    sortie: Annotated[Path | None, typer.Option("--sortie", help="Fichier ZIP")] = None,
    db: OptionDb = None,
    json: OptionJson = False,
) -> None:
    """Droit d'accès (R55) : tout ce que le registre détient sur un candidat, en ZIP (JSON et PDF) ; pour le
    service des examens de son académie."""
    with refus_propres(json), ouvrir(db) as service:
        archive = service.acces(session, numero, authentifier(service))
        chemin = sortie or Path(archive.nom_fichier)
        chemin.parent.mkdir(parents=True, exist_ok=True)
        chemin.write_bytes(archive.contenu)
    if json:
        imprimer_succes({"fichier": str(chemin), "empreinte": archive.empreinte})
    else:
        console.print(f"[green]✓[/] {chemin} — SHA-256 {archive.empreinte}", highlight=False)
