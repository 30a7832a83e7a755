"""`bac document`: the examination's papers as PDF — one candidate or jury, or a whole jury or session into a
folder (with a progress bar) — and `bac document verifier CODE`, what the public page answers. Parse, call, render.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from adapters.application.documents import ServiceDocuments
from cli.options import OptionDb, ouvrir
from cli.reponse import imprimer_succes
from cli.sortie import barre, console, refus_propres

app = typer.Typer(
    name="document",
    help="Documents PDF vérifiables : relevé, procès-verbal, attestation, certificat (R17, R28, R31).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

OptionSortie = Annotated[Path | None, typer.Option("--sortie", help="Fichier PDF (un seul document)")]
OptionDossier = Annotated[
    Path, typer.Option("--dossier", help="Dossier des PDF quand aucun candidat n'est désigné (lot)")
]
OptionJury = Annotated[str | None, typer.Option("--jury", help="Lot : les candidats de ce jury seulement")]
OptionJson = Annotated[bool, typer.Option("--json", help="Sortie JSON pour les machines")]
OptionActeur = Annotated[str, typer.Option("--acteur", envvar="BAC_ACTEUR", help="Qui délivre le document")]
OptionRole = Annotated[str, typer.Option("--role", envvar="BAC_ROLE", help="service_examens, recteur…")]


def _delivrer(
    nature: str, session: str, sujet: dict[str, object], *, lot: bool, jury: str | None, sortie: Path | None,
    dossier: Path, db: str | None, json: bool, acteur: str, role: str,
) -> None:  # fmt: skip
    with refus_propres(json), ouvrir(db) as service:
        documents = ServiceDocuments(service)
        if lot:
            with barre(not json) as progression:
                rapport = documents.lot(
                    nature, session, dossier, jury=jury, acteur=acteur, role=role, progression=progression
                )
            if json:
                imprimer_succes({"fichiers": [str(p) for p in rapport.ecrits],
                               "refuses": [{"sujet": s, "motif": m} for s, m in rapport.refuses],
                               "nouveaux": rapport.nouveaux})  # fmt: skip
                return
            console.print(f"[green]✓[/] {len(rapport.ecrits)} document(s) écrit(s) dans {dossier}/ "
                          f"({rapport.nouveaux} délivré(s) pour la première fois)")  # fmt: skip
            for sujet_refuse, motif in rapport.refuses:
                console.print(f"  pas de document pour {sujet_refuse} : {motif}", markup=False, highlight=False)
            return
        rendu = documents.emettre(nature, session, acteur=acteur, role=role, **sujet)  # type: ignore[arg-type]
        chemin = sortie or Path(rendu.nom_fichier)
        chemin.parent.mkdir(parents=True, exist_ok=True)
        chemin.write_bytes(rendu.pdf())
    if json:
        imprimer_succes({"fichier": str(chemin), "code": rendu.code, "empreinte": rendu.empreinte,
                       "nouveau": rendu.nouveau})  # fmt: skip
    else:
        console.print(f"[green]✓[/] {chemin} — code de vérification {rendu.code}", highlight=False)


def _commande_candidat(nature: str, aide: str) -> None:
    @app.command(nature, help=aide)
    def commande(
        session: Annotated[str, typer.Argument(help="Session, ex. 2024-aix-marseille")],
        numero: Annotated[str | None, typer.Argument(help="Numéro du candidat ; sans numéro : un lot")] = None,
        jury: OptionJury = None,
        sortie: OptionSortie = None,
        dossier: OptionDossier = Path("documents"),
        db: OptionDb = None,
        json: OptionJson = False,
        acteur: OptionActeur = "service-examens",
        role: OptionRole = "service_examens",
    ) -> None:
        _delivrer(nature, session, {"numero": numero}, lot=numero is None, jury=jury, sortie=sortie, dossier=dossier,
                  db=db, json=json, acteur=acteur, role=role)  # fmt: skip


_commande_candidat("releve", "Relevé de notes d'un candidat (ou de tous ceux d'un jury ou de la session).")
_commande_candidat("attestation", "Attestation de réussite, pour les admis (R16, R21).")
_commande_candidat("certificat", "Certificat de fin d'études, pour l'ajourné de moyenne ≥ 8 (R31).")


@app.command("pv", help="Procès-verbal de délibération d'un jury (numéros seuls, R28) et son sceau.")
def pv(
    session: Annotated[str, typer.Argument(help="Session, ex. 2024-aix-marseille")],
    jury: Annotated[str | None, typer.Argument(help="Code du jury ; sans jury : tous les jurys de la session")] = None,
    groupe: Annotated[int, typer.Option("--groupe", min=1, max=2, help="1 ou 2")] = 1,
    sortie: OptionSortie = None,
    dossier: OptionDossier = Path("documents"),
    db: OptionDb = None,
    json: OptionJson = False,
    acteur: OptionActeur = "service-examens",
    role: OptionRole = "service_examens",
) -> None:
    _delivrer("pv", session, {"jury": jury, "groupe": groupe}, lot=jury is None, jury=None, sortie=sortie,
              dossier=dossier, db=db, json=json, acteur=acteur, role=role)  # fmt: skip


@app.command("verifier", help="Ce que la page publique de vérification répond pour ce code.")
def verifier(
    code: Annotated[str, typer.Argument(help="Code imprimé, ex. ABCD-EFGH-JKMN")],
    empreinte: Annotated[str | None, typer.Option("--empreinte", help="Empreinte imprimée (facultatif)")] = None,
    db: OptionDb = None,
    json: OptionJson = False,
) -> None:
    with refus_propres(json), ouvrir(db) as service:
        v = ServiceDocuments(service).verifier(code, empreinte=empreinte)
    if json:
        imprimer_succes(v.__dict__)
    else:
        libelles = {"authentique": "[green]authentique[/]", "remplace": "[yellow]remplacé par une nouvelle "
                    "délibération[/]", "altere": "[red]contenu différent du document délivré[/]",
                    "non_emis": "[red]non délivré par le registre[/]"}  # fmt: skip
        console.print(f"{v.code} : {libelles[v.statut]}")
        for etiquette, valeur in (("Nature", v.nature), ("Session", v.session), ("Décision", v.decision),
                                  ("Empreinte", v.empreinte)):  # fmt: skip
            if valeur:
                console.print(f"  {etiquette} : {valeur}", markup=False, highlight=False)
    if v.statut != "authentique":
        raise typer.Exit(1)
