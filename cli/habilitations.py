"""`bac habilitation …`: grant and withdraw habilitations (R26 chain of authority), as the token's holder."""

from __future__ import annotations

from typing import Annotated

import typer

from adapters.application.habilitations import accord_depuis, retrait_depuis
from cli.options import OptionDb, OptionJetonFichier, OptionJson, authentifier, fichier_de_jeton, groupe, ouvrir
from cli.sortie import console, imprimer_json, refus_propres

app = groupe()
habilitation_app = groupe("Habilitations : qui peut faire quoi, où et jusqu'à quand (R26).")
app.add_typer(habilitation_app, name="habilitation")

OptionRaison = Annotated[str, typer.Option("--raison", help="Motif (arrêté de désignation, fiche de poste…)")]


@habilitation_app.command("accorder")
def accorder(
    acteur: Annotated[str, typer.Argument(help="Identifiant de l'agent ou du service habilité")],
    role: Annotated[str, typer.Option("--role", help="recteur, service_examens, president_jury, membre_jury…")],
    raison: OptionRaison,
    academie: Annotated[str | None, typer.Option("--academie", help="ex. aix-marseille")] = None,
    session: Annotated[str | None, typer.Option("--session", help="ex. 2024-aix-marseille")] = None,
    jury: Annotated[str | None, typer.Option("--jury", help="Code du jury (avec --session)")] = None,
    debut: Annotated[str | None, typer.Option("--debut", help="Début de validité, ISO 8601 avec décalage")] = None,
    fin: Annotated[str | None, typer.Option("--fin", help="Fin de validité, ISO 8601 avec décalage")] = None,
    cle_publique: Annotated[str | None, typer.Option("--cle-publique", help="Clé Ed25519 (hex) du président")] = None,
    sans_jeton: Annotated[bool, typer.Option("--sans-jeton", help="N'émet pas de nouveau jeton")] = False,
    jeton_fichier: OptionJetonFichier = None,
    db: OptionDb = None,
    json: OptionJson = False,
) -> None:
    """Accorde un rôle sur une portée ; émet le jeton de l'acteur, affiché une seule fois."""
    if sans_jeton and jeton_fichier is not None:
        raise typer.BadParameter("--sans-jeton n'émet aucun jeton à écrire", param_hint="--jeton-fichier")
    with fichier_de_jeton(jeton_fichier) as garder, refus_propres(json):
        demande = accord_depuis(
            {
                "acteur": acteur, "role": role, "raison": raison, "debut": debut, "fin": fin,
                "portee": {"academie": academie, "session": session, "jury": jury}, "cle_publique": cle_publique,
                "emettre_jeton": not sans_jeton,
            }
        )  # fmt: skip
        with ouvrir(db) as service:
            numero, jeton = service.accorder(demande, authentifier(service))
        if jeton is not None and garder is not None:
            garder(jeton.texte)
    affiche = jeton.texte if jeton is not None and garder is None else None
    if json:
        imprimer_json({"statut": "ok", "resultat": {"acteur": acteur, "numero": numero, "jeton": affiche}})
        return
    console.print(f"[green]✓[/] Habilitation n° {numero} accordée à {acteur} ({role})")
    if jeton is not None and garder is not None:
        console.print(f"Jeton de {acteur} dans {jeton_fichier} (lisible de vous seul)")
    elif jeton is not None:
        console.print(f"Jeton de {acteur}, affiché cette fois seulement :\n{jeton.texte}")


@habilitation_app.command("retirer")
def retirer(
    acteur: Annotated[str, typer.Argument(help="Identifiant de l'acteur")],
    numero: Annotated[int, typer.Option("--numero", help="Numéro de l'habilitation retirée")],
    raison: OptionRaison,
    db: OptionDb = None,
    json: OptionJson = False,
) -> None:
    """Retire une habilitation : dès maintenant, elle ne couvre plus aucun acte."""
    with refus_propres(json):
        demande = retrait_depuis({"acteur": acteur, "numero": numero, "raison": raison})
        with ouvrir(db) as service:
            service.retirer(demande, authentifier(service))
    if json:
        imprimer_json({"statut": "ok", "resultat": {"acteur": acteur, "numero": numero}})
    else:
        console.print(f"[green]✓[/] Habilitation n° {numero} de {acteur} retirée")
