"""`bac demo`: the Aix-Marseille 2024 results day, from nothing to published statistics (the simulator)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from adapters.publication.explication import rendre
from adapters.publication.heures import heure_de_paris
from adapters.simulateur.demo import SESSION, executer_demo
from cli.options import groupe
from cli.sortie import barre, console, refus_propres

app = groupe()


@app.command("demo")
def demo(
    dossier: Annotated[Path, typer.Option(help="Dossier de travail de la démonstration")] = Path("demo"),
    graine: Annotated[int, typer.Option(help="Graine des cohortes synthétiques")] = 2024,
) -> None:
    """Démonstration : la journée des résultats d'Aix-Marseille 2024, de rien aux statistiques publiées."""
    with refus_propres(False), barre(True) as progression:
        resultat = executer_demo(dossier, lambda texte: console.print(texte, highlight=False), progression, graine)
    table = Table(
        "v.",
        "Enregistré le",
        "Événement",
        "Acteur (rôle)",
        "Détails",
        title=f"Historique du candidat {resultat.numero} ({SESSION})",
    )
    for e in resultat.historique:
        details = ", ".join(f"{k}={v}" for k, v in e.details.items() if v not in (None, [], False))
        quand = heure_de_paris(e.horodatage) or ""
        table.add_row(str(e.version), quand, e.evenement, f"{e.acteur} ({e.role})", details[:160])
    console.print(table)
    console.print(rendre(resultat.explication))
    durees = Table("Étape", "Durée (s)", "Événements", "Événements/s", title="Durée de chaque étape")
    for libelle, secondes, evenements in resultat.chrono.lignes:
        debit = f"{evenements / secondes:,.0f}".replace(",", " ") if evenements and secondes else ""
        durees.add_row(libelle, f"{secondes:.2f}", str(evenements or ""), debit)
    console.print(durees)
    # Issue 11: the day ends with papers a candidate and a jury can hold, verifiable by their code.
    console.print("Documents PDF écrits : " + ", ".join(str(p) for p in resultat.documents), highlight=False)
