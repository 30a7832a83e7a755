"""`bac statistiques`: the published results of a session (R44–R47, Q10–Q12) — parse, call, render."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from adapters.publication import statistiques as rendus
from cli.options import OptionDb, OptionJson, groupe, ouvrir
from cli.reponse import imprimer_succes
from cli.sortie import console, refus_propres

app = groupe()


@app.command("statistiques")
def statistiques(
    session: Annotated[str, typer.Option("--session", help="Session, ex. 2024-aix-marseille")],
    comparer: Annotated[
        str | None, typer.Option("--comparer", help="Session comparée au même stade, ex. 2023-aix-marseille (R46)")
    ] = None,
    etape: Annotated[
        str, typer.Option("--etape", help="provisoire (R45), second_groupe ou final (R47)")
    ] = "provisoire",
    format: Annotated[str, typer.Option("--format", help="texte, markdown, csv, json ou png")] = "texte",
    sortie: Annotated[Path | None, typer.Option("--sortie", help="Fichier de sortie (png : obligatoire)")] = None,
    db: OptionDb = None,
    json: OptionJson = False,
) -> None:
    """Taux de réussite = admis ÷ présents, par voie, série et groupe, évolution en points (R44–R47).

    Un taux sur moins de présents que le seuil publié est masqué, la raison imprimée à sa place (Q12)."""
    if json:
        format = "json"
    with refus_propres(format == "json"):
        if format not in rendus.FORMATS:
            raise typer.BadParameter(f"format inconnu : {format} ({', '.join(rendus.FORMATS)})")
        if etape not in ("provisoire", "second_groupe", "final"):
            raise typer.BadParameter(f"étape inconnue : {etape} (provisoire, second_groupe, final)")
        with ouvrir(db) as service:
            s = service.statistiques(session, etape=etape, comparer=comparer)
    if format == "png":
        chemin = sortie or Path(f"statistiques-{session}-{etape}.png")
        chemin.write_bytes(rendus.png(s))
        console.print(f"[green]✓[/] {chemin}", highlight=False)
        return
    if format == "json":
        if sortie:
            sortie.write_bytes(rendus.json_octets(rendus.en_json(s)))
            console.print(f"[green]✓[/] {sortie}", highlight=False)
        else:
            imprimer_succes(rendus.en_json(s))
        return
    texte = {"markdown": rendus.markdown, "csv": rendus.en_csv, "texte": rendus.texte}[format](s)
    if sortie:
        sortie.write_text(texte, encoding="utf-8", newline="")
        console.print(f"[green]✓[/] {sortie}", highlight=False)
    else:
        typer.echo(texte)
