"""`bac importer`: the grade sheets the back offices already have (CSV `;`, XLSX) — parse, call, render.

The sheet becomes the same batch as `bac apply` (adapters/lots/formats, ADR 0018): all or nothing, exactly
once; a refusal names the sheet, the row and the column.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from cli.options import OptionDb, OptionJson, OptionRole, authentifier, groupe, ouvrir
from cli.reponse import imprimer_succes
from cli.sortie import barre, console, refus_propres

app = groupe()


class FormatFeuille(StrEnum):
    csv = "csv"
    xlsx = "xlsx"


@app.command("importer")
def importer(
    fichier: Annotated[Path, typer.Argument(help="Feuille de notes : CSV (« ; », UTF-8) ou classeur XLSX")],
    session: Annotated[
        str | None, typer.Option("--session", help="Session des notes (sinon une colonne « session »)")
    ] = None,
    format_: Annotated[
        FormatFeuille | None, typer.Option("--format", help="csv ou xlsx (sinon d'après l'extension)")
    ] = None,
    origine: Annotated[
        str, typer.Option("--origine", help="Origine des notes sans colonne « origine » (R1, R5)")
    ] = "epreuve_terminale",
    source: Annotated[str, typer.Option("--source", help="Système d'où viennent les notes (Q9)")] = "import",
    role: OptionRole = None,
    db: OptionDb = None,
    json: OptionJson = False,
) -> None:
    """Importe une feuille de notes : une ligne par candidat × épreuve, ou une colonne par épreuve."""
    with refus_propres(json), ouvrir(db) as service:
        principal = authentifier(service)  # every grade of the sheet is this caller's act (ADR 0017)
        feuille = service.lire_feuille(
            fichier, principal, format=format_.value if format_ else None, session=session, role=role,
            origine=origine, source=source,
        )  # fmt: skip
        with barre(not json) as progression:
            rapport = service.appliquer_feuille(feuille, principal, progression=progression)
    if json:
        imprimer_succes(rapport)
        return
    if rapport.appliquees == 0:
        console.print(f"[yellow]Feuille déjà importée[/] ({rapport.lignes} commande(s)) : rien n'a changé.")
        return
    console.print(
        f"[green]✓[/] {fichier.name} : {rapport.appliquees} commande(s) de saisie, {rapport.evenements} événement(s) "
        f"en {rapport.transactions} transaction(s), {rapport.secondes:.2f} s.",
        highlight=False,
    )
