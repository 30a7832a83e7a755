"""`bac` commands of auditors and regulators (R52, R54, Q9): history, time travel, diff, explanation, proofs.

Thin: parse, call `adapters.audit.historique`, render. Every answer is rebuilt from the log.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import orjson
import typer
from rich.table import Table

from adapters.application.entrees import lire_date
from adapters.application.integrite import lire_ancres, lire_cles_publiques
from adapters.application.reponses import (
    SORTIE_JOURNAL_ALTERE,
    SORTIE_USAGE,
    ErreurChamp,
    JournalAltere,
    probleme_depuis,
)
from adapters.application.service import EvenementLisible, Rapport
from adapters.publication.explication import rendre, rendre_markdown
from adapters.publication.heures import heure_de_paris
from cli.options import OptionDb, OptionJson, authentifier, groupe, ouvrir
from cli.reponse import imprimer_succes
from cli.sortie import barre, console, erreur, imprimer_json, refus_propres

app = groupe()
ancres_app = groupe("Têtes signées du journal, à garder hors de la base (ADR 0013).")
app.add_typer(ancres_app, name="ancres")


class Format(StrEnum):
    texte = "texte"
    markdown = "markdown"
    json = "json"


def _details(e: EvenementLisible) -> str:
    return ", ".join(f"{k}={v}" for k, v in e.details.items() if v not in (None, [], False, {}))


def _table_evenements(evenements: list[EvenementLisible], titre: str) -> Table:
    table = Table("v.", "Enregistré le", "Événement", "Acteur (rôle)", "Raison", "Ce qui change", title=titre)
    for e in evenements:
        table.add_row(
            str(e.version),
            heure_de_paris(e.horodatage) or "",
            e.evenement,
            f"{e.acteur} ({e.role})",
            e.raison or "",
            _details(e),
        )
    return table


@app.command("historique")
def historique(
    session: str,
    numero: str,
    a_la_date: Annotated[
        str | None, typer.Option("--a-la-date", help="État du candidat tel que connu à cet instant (ISO 8601)")
    ] = None,
    version: Annotated[int | None, typer.Option("--version", help="État du candidat à cette version")] = None,
    db: OptionDb = None,
    json: OptionJson = False,
) -> None:
    """Tous les événements d'un candidat et les actes du jury qui le concernent, dans l'ordre ; ou son état passé."""
    with refus_propres(json), ouvrir(db) as service:
        if a_la_date is None and version is None:
            evenements = service.historique_complet(session, numero)
            if json:
                imprimer_succes(evenements)
            else:
                console.print(_table_evenements(evenements, f"Historique du candidat {numero}"))
            return
        date = lire_date(a_la_date) if a_la_date else None
        etat = service.etat_a(session, numero, date=date, version=version)
    if json:
        imprimer_succes(etat)
        return
    console.print(f"[bold]Candidat {numero}[/] — version {etat.version}, connu le {heure_de_paris(etat.connu_le)}")
    table = Table("Épreuve", "Note")
    for code, valeur in etat.notes.items():
        table.add_row(code, valeur)
    console.print(table)
    decision = etat.decision or "non délibéré"
    if etat.decision:
        decision += f" (groupe {etat.groupe}, moyenne {etat.moyenne}" + (
            f", mention {etat.mention})" if etat.mention else ")"
        )
    console.print(f"Décision alors en vigueur : {decision}")
    if etat.a_redeliberer:
        console.print("[yellow]À délibérer de nouveau après une correction (R29)[/]")


@app.command("diff")
def diff(session: str, numero: str, t1: str, t2: str, db: OptionDb = None, json: OptionJson = False) -> None:
    """Ce qui a changé entre deux instants (notes, décision, mention) et les événements qui l'ont causé."""
    with refus_propres(json), ouvrir(db) as service:
        d = service.difference(session, numero, lire_date(t1), lire_date(t2))
    if json:
        imprimer_succes(d)
        return
    console.print(f"[bold]Candidat {numero}[/] : version {d.avant.version} → {d.apres.version}")
    for code, (avant, apres) in d.notes.items():
        console.print(f"  {code} : {avant or '—'} → {apres or '—'}")
    for libelle, ecart in (("Décision", d.decision), ("Mention", d.mention), ("Moyenne", d.moyenne)):
        if ecart:
            console.print(f"  {libelle} : {ecart[0] or '—'} → {ecart[1] or '—'}")
    console.print(_table_evenements(d.causes, "Événements entre les deux instants"))


def _expliquer(session: str, numero: str, format_: Format, db: str | None, json: bool) -> None:
    with refus_propres(json or format_ == Format.json), ouvrir(db) as service:
        e = service.expliquer(session, numero)
    if json or format_ == Format.json:
        imprimer_succes(e.en_json())
    elif format_ == Format.markdown:
        console.file.write(rendre_markdown(e))
    else:
        console.print(rendre(e))


@app.command("expliquer")
def expliquer(
    session: str,
    numero: str,
    format_: Annotated[Format, typer.Option("--format", help="texte, markdown ou json")] = Format.texte,
    db: OptionDb = None,
    json: OptionJson = False,
) -> None:
    """Le dossier d'une décision pour le régulateur (CRPA L311-3-1, R311-3-1-2 ; R54, Q9), rejeu compris."""
    _expliquer(session, numero, format_, db, json)


@contextmanager
def _journal_altere(json: bool) -> Iterator[None]:
    """A damaged log is exit status 3 (adapters.application.reponses), other refusals as every command."""
    with refus_propres(json):
        try:
            yield
        except JournalAltere as e:
            probleme = probleme_depuis(e)
            assert probleme is not None
            if json:
                imprimer_json(probleme.model_dump())
            else:
                erreur.print(f"[bold red]Journal altéré[/] ({e.code}) : ", end="")
                erreur.print(str(e), markup=False, highlight=False)
            raise typer.Exit(probleme.sortie) from None


OptionCles = Annotated[
    list[Path] | None,
    typer.Option(
        "--cle-publique",
        help="Clé publique de confiance d'un président (PEM) ; un sceau non signé devient alors un défaut",
    ),
]


@app.command("verifier")
def verifier(
    cle: OptionCles = None,
    ancre: Annotated[
        list[str] | None, typer.Option("--ancre", help="TAILLE:RACINE publiée ailleurs (procès-verbal imprimé)")
    ] = None,
    fichier_ancres: Annotated[
        list[Path] | None, typer.Option("--ancres", help="Fichier écrit par « bac ancres exporter » (gardé ailleurs)")
    ] = None,
    db: OptionDb = None,
    json: OptionJson = False,
) -> None:
    """Reparcourt le journal : chaîne, sceaux, décisions, signatures, ancres ; signale la première position altérée."""
    with refus_propres(json):
        cles = lire_cles_publiques(cle or ())
        ancres = lire_ancres(ancre or (), fichier_ancres or ())
        with ouvrir(db) as service, barre(not json) as progression:
            rapport = service.verifier(cles=cles, ancres=ancres, progression=progression)
    premier = rapport.premier_defaut
    if json and premier is None:
        imprimer_succes({**asdict(rapport), "premier_defaut": None})
    elif json:
        _imprimer_alteration(rapport)
    else:
        _afficher_rapport(rapport)
    if premier is not None:
        raise typer.Exit(SORTIE_JOURNAL_ALTERE)


def _imprimer_alteration(rapport: Any) -> None:
    """A damaged log answers as a problem (exit 3), each defect a located error whose code is its nature, the
    first damaged position first (one answer shape)."""
    premier = rapport.premier_defaut
    probleme = probleme_depuis(
        JournalAltere(f"Journal altéré — première position : {premier.position} ({premier.message})", regle="R52")
    )
    assert probleme is not None
    defauts = [premier, *(d for d in rapport.defauts if d != premier)]
    erreurs = [
        ErreurChamp(ligne=d.position, champ=f"position {d.position}", message=d.message, code=d.nature.upper())
        for d in defauts
    ]
    imprimer_json(probleme.model_copy(update={"erreurs": erreurs}))


def _afficher_rapport(rapport: Rapport) -> None:
    premier = rapport.premier_defaut
    console.print(
        f"{rapport.evenements} événement(s), {rapport.chaines} chaîné(s), {len(rapport.sceaux)} sceau(x), "
        f"{rapport.ancres} ancre(s) ; racine {rapport.racine} ; {rapport.secondes:.2f} s"
    )
    for s in rapport.sceaux:
        etat = "[green]tient[/]" if s.racine_ok else "[bold red]ROMPU[/]"
        quoi = f"jury {s.jury} groupe {s.groupe}" if s.objet == "deliberation" else f"clôture ({s.jury})"
        console.print(
            f"  sceau {quoi} (position {s.position}, {s.taille} événements) : {etat}, signature {s.signature}"
        )
    if rapport.hors_sceau:
        console.print(f"  {rapport.hors_sceau} événement(s) après le dernier sceau : couverts par la chaîne seule.")
    for r in rapport.remarques:
        console.print(f"[yellow]Remarque[/] : {r}", highlight=False)
    if premier is None:
        console.print("[green]✓[/] Journal intègre : aucune modification, suppression ni réordonnancement.")
        return
    console.print(f"[bold red]Journal altéré[/] — première position : {premier.position} ({premier.message})")
    for d in rapport.defauts[:10]:
        if d != premier:
            console.print(f"  position {d.position} : {d.message}", markup=False)


@app.command("preuve")
def preuve(session: str, numero: str, db: OptionDb = None, json: OptionJson = False) -> None:
    """Preuves d'inclusion (RFC 6962) des événements du candidat sous le sceau du PV de son jury (docs/preuves.md)."""
    with _journal_altere(json), ouvrir(db) as service:
        dossier = service.preuve(session, numero)
    if json:
        imprimer_succes(dossier)
        return
    if dossier.racine is None:
        console.print("[yellow]Aucune délibération n'a encore scellé le journal.[/]")
        return
    de = "procès-verbal de son jury" if dossier.sceau_de == "proces_verbal" else "dernier sceau du journal"
    console.print(
        f"Sceau ({de}) du jury {dossier.sceau_jury} (position {dossier.sceau_position}) : racine {dossier.racine}, "
        f"{dossier.taille} événements, " + ("signé" if dossier.signature else "non signé")
    )
    table = Table("Position", "Rang", "v.", "Événement", "Feuille", "Chemin", "Vérifiée")
    for p in dossier.preuves:
        table.add_row(
            str(p.position), str(p.rang), str(p.version), p.evenement, p.feuille[:16] + "…", str(len(p.chemin)),
            "oui" if p.verifiee else "[bold red]NON[/]",
        )  # fmt: skip
    console.print(table)
    if dossier.non_scelles:
        console.print(f"{len(dossier.non_scelles)} événement(s) postérieur(s) à ce sceau.")
    console.print("Procédure de vérification : docs/preuves.md (--json pour les données complètes).")


@ancres_app.command("exporter")
def exporter(fichier: Path, db: OptionDb = None, json: OptionJson = False) -> None:
    """Écrit dans FICHIER la tête signée (taille, racine, signature) de chaque sceau et la tête du journal."""
    with _journal_altere(json), ouvrir(db) as service:
        export = service.exporter_ancres()
    try:
        fichier.write_bytes(orjson.dumps(asdict(export), option=orjson.OPT_INDENT_2))
    except OSError as e:
        erreur.print(f"[bold red]Refusé[/] : impossible d'écrire {fichier} ({e.strerror})")
        raise typer.Exit(SORTIE_USAGE) from None
    if json:
        imprimer_succes({"fichier": str(fichier), "ancres": len(export.ancres)})
    else:
        console.print(
            f"[green]✓[/] {len(export.ancres)} ancre(s) écrite(s) dans {fichier} (journal de {export.taille} "
            f"événements, racine {export.racine}) : à garder hors de la base, puis « bac verifier --ancres {fichier} »."
        )


@ancres_app.command("coherence")
def coherence_(
    m: Annotated[int, typer.Argument(help="Taille scellée la plus ancienne")],
    n: Annotated[int | None, typer.Argument(help="Taille la plus récente (défaut : tout le journal chaîné)")] = None,
    db: OptionDb = None,
    json: OptionJson = False,
) -> None:
    """Preuve de cohérence RFC 6962 : le journal de M événements est un préfixe de celui de N."""
    with _journal_altere(json), ouvrir(db) as service:
        p = service.coherence(m, n)
    if json:
        imprimer_succes(p)
    else:
        console.print(f"Taille {p.m} : racine {p.racine_m}" + (f" (sceaux {p.sceaux_m})" if p.sceaux_m else ""))
        console.print(f"Taille {p.n} : racine {p.racine_n}" + (f" (sceaux {p.sceaux_n})" if p.sceaux_n else ""))
        console.print(
            f"Preuve ({len(p.preuve)} nœuds) : " + ("[green]vérifiée[/]" if p.verifiee else "[bold red]NON[/]")
        )
        for h in p.preuve:
            console.print(f"  {h}")
    if not p.verifiee:
        raise typer.Exit(SORTIE_JOURNAL_ALTERE)


@app.command("rechainer")
def rechainer(
    raison: Annotated[str, typer.Option("--raison", help="Pourquoi la chaîne est reconstruite (inscrit)")],
    db: OptionDb = None,
    json: OptionJson = False,
) -> None:
    """Reconstruit explicitement la chaîne d'intégrité (journal copié sans elle) ; refusé si un sceau ne tient plus."""
    with _journal_altere(json), ouvrir(db) as service:
        rapport = service.rechainer(acteur=authentifier(service).acteur, raison=raison)  # the token's holder
    if json:
        imprimer_succes({"evenements": rapport.chaines, "racine": rapport.racine})
    else:
        console.print(
            f"[yellow]Chaîne reconstruite[/] sur {rapport.chaines} événement(s), racine {rapport.racine} ; "
            "la reconstruction est inscrite et « bac verifier » la signalera."
        )


@app.command("sceller")
def sceller(
    raison: Annotated[str, typer.Option("--raison", help="Pourquoi les actes sont scellés après coup (inscrit)")],
    db: OptionDb = None,
    json: OptionJson = False,
) -> None:
    """Scelle les actes restés sans sceau (interruption entre l'acte et son sceau) ; il couvre le journal actuel."""
    with _journal_altere(json), ouvrir(db) as service:
        n = service.sceller_en_attente(acteur=authentifier(service).acteur, raison=raison)
    if json:
        imprimer_succes({"sceaux": n})
    else:
        console.print(f"[green]✓[/] {n} acte(s) scellé(s) après coup.")
