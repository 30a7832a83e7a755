"""`bac` commands of personal data (R56, ADR 0023): erase one identity, run the retention job. Parse, call, render."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, date, datetime
from typing import Annotated

import typer

from adapters.application.erreurs import RefusMetier
from cli.options import (
    OptionDb,
    OptionJson,
    OptionNumero,
    OptionRole,
    OptionSession,
    authentifier,
    executer,
    groupe,
    ouvrir,
)
from cli.reponse import imprimer_succes
from cli.sortie import console, refus_propres

OptionRegle = Annotated[str, typer.Option("--regle", help="Durée de conservation appliquée (R56), ex. R56-identite")]

app = groupe()


@app.command("effacer-identite")
def effacer_identite(
    session: OptionSession,
    numero: OptionNumero,
    raison: Annotated[str, typer.Option("--raison", help="Motif (obligatoire, R56)")],
    regle: OptionRegle = "R56-identite",
    role: OptionRole = None,
    db: OptionDb = None,
    json: OptionJson = False,
) -> None:
    """Efface l'identité d'un candidat (nom, naissance, INE) : notes, décisions et preuves restent (R56)."""
    donnees = {"type": "effacer_identite", "session": session, "numero": numero, "regle": regle}
    executer(db, json, donnees, role, raison, f"Identité du candidat {numero} effacée, clé détruite")


def _date(texte: str | None) -> date:
    if texte is None:
        return datetime.now(tz=UTC).date()
    try:
        return date.fromisoformat(texte)
    except ValueError:
        raise RefusMetier(f"Date invalide : « {texte[:40]} » (attendu AAAA-MM-JJ)", code="DATE_INVALIDE") from None


@app.command("retention")
def retention(
    regle: OptionRegle = "R56-identite",
    le: Annotated[str | None, typer.Option("--date", help="Date d'application (AAAA-MM-JJ ; défaut : ce jour)")] = None,
    appliquer: Annotated[bool, typer.Option("--appliquer", help="Efface vraiment (sinon : liste seulement)")] = False,
    db: OptionDb = None,
    json: OptionJson = False,
) -> None:
    """Liste les candidats dont la durée de conservation est échue ; --appliquer les efface, un acte chacun (R56)."""
    with refus_propres(json):
        aujourd_hui = _date(le)
        with ouvrir(db) as service:
            principal = authentifier(service)
            rapport = service.retention(principal, aujourd_hui=aujourd_hui, regle=regle, appliquer=appliquer)
        if json:
            imprimer_succes(asdict(rapport))
            return
        statut = "confirmée" if rapport.confirme else "NON CONFIRMÉE [U], à vérifier avant d'appliquer"
        console.print(f"Durée {rapport.regle} : {rapport.donnee}, {rapport.mois} mois ({statut})")
        console.print(f"  source : {rapport.source}")
        for ligne in rapport.echues:
            console.print(f"  {ligne['session']} n° {ligne['numero']} : échue le {ligne['echeance']}")
        if appliquer:
            console.print(f"[green]✓[/] {rapport.effaces} identité(s) effacée(s), chacune par son propre acte")
        else:
            console.print(f"{len(rapport.echues)} candidat(s) à effacer ; rien n'est effacé sans --appliquer")
