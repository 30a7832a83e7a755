"""`bac` commands of the exam office: the registry, inscriptions, grades, batches, reading, projections."""

from __future__ import annotations

import sys
import unicodedata
from dataclasses import asdict
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from adapters.application.entrees import exporter_schema, objet_json
from adapters.publication.tableur import candidats_csv
from cli.options import (
    OptionDb,
    OptionJetonFichier,
    OptionJson,
    OptionRole,
    authentifier,
    executer,
    fichier_de_jeton,
    groupe,
    ouvrir,
)
from cli.reponse import imprimer_succes
from cli.sortie import barre, console, refus_propres

app = groupe()
projections_app = groupe("Vues dérivées du journal (projections).")
app.add_typer(projections_app, name="projections")


@app.command("init")
def init(db: OptionDb = None, json: OptionJson = False, jeton_fichier: OptionJetonFichier = None) -> None:
    """Crée (ou vérifie) le registre : journal des événements et vues ; la première fois, le jeton de
    l'administrateur, affiché une seule fois (ADR 0017)."""
    with fichier_de_jeton(jeton_fichier) as garder:
        with refus_propres(json), ouvrir(db) as service:
            url = service.registre.stockage.url_affichable
            jeton = service.initialiser()
        if jeton is not None and garder is not None:
            garder(jeton.texte)
    if json:
        imprimer_succes({"base": url, "jeton_administrateur": jeton.texte if jeton and not garder else None,
                         "jeton_fichier": str(jeton_fichier) if jeton and garder else None})  # fmt: skip
        return
    console.print(f"[green]✓[/] Registre prêt : {url}")
    if jeton is not None and garder is not None:
        console.print(f"Administrateur « {jeton.acteur} » créé ; son jeton est dans {jeton_fichier} (lisible de vous "
                      f"seul) : export BAC_JETON_FICHIER={jeton_fichier}")  # fmt: skip
    elif jeton is not None:
        console.print(
            f"Administrateur « {jeton.acteur} » créé. Son jeton, affiché cette fois seulement (à garder secret) :\n"
            f"{jeton.texte}\nexport BAC_JETON=… puis « bac habilitation accorder » pour les autres acteurs."
        )


@app.command("ouvrir-session")
def ouvrir_session(
    session: Annotated[str, typer.Argument(help="Code de session, ex. 2024-aix-marseille")],
    libelle: Annotated[str, typer.Option(help="Libellé")] = "Session du baccalauréat",
    role: OptionRole = None,
    db: OptionDb = None,
    json: OptionJson = False,
) -> None:
    """Ouvre une session (une académie, une année)."""
    executer(
        db,
        json,
        {"type": "ouvrir_session", "session": session, "libelle": libelle},
        role,
        None,
        f"Session {session} ouverte",
    )


@app.command("clore-inscriptions")
def clore_inscriptions(
    session: str,
    role: OptionRole = None,
    db: OptionDb = None,
    json: OptionJson = False,
) -> None:
    """Clôt les inscriptions d'une session."""
    executer(
        db,
        json,
        {"type": "clore_inscriptions", "session": session},
        role,
        None,
        f"Inscriptions closes pour {session}",
    )


@app.command("inscrire")
def inscrire(
    session: Annotated[str, typer.Option(help="Code de session")],
    numero: Annotated[str, typer.Option(help="Numéro de candidat")],
    ine: Annotated[str, typer.Option(help="Identifiant national élève")],
    nom: Annotated[str, typer.Option()],
    prenom: Annotated[str, typer.Option()],
    naissance: Annotated[str, typer.Option(help="Date de naissance AAAA-MM-JJ")],
    voie: Annotated[str, typer.Option(help="général, technologique ou professionnel")],
    categorie: Annotated[str, typer.Option(help="scolaire_public, individuel…")] = "scolaire_public",
    serie: Annotated[str | None, typer.Option(help="Série (techno) ou spécialité (pro)")] = None,
    specialite: Annotated[list[str] | None, typer.Option(help="Spécialité de terminale (deux fois)")] = None,
    option: Annotated[list[str] | None, typer.Option(help="Épreuve d'option (code)")] = None,
    etablissement: Annotated[str | None, typer.Option(help="Code UAI")] = None,
    livret: Annotated[bool, typer.Option("--livret/--sans-livret", help="Livret scolaire fourni (R29)")] = False,
    publication: Annotated[
        bool, typer.Option("--publication/--sans-publication", help="Consent à la publication du résultat (R57)")
    ] = False,
    role: OptionRole = None,
    db: OptionDb = None,
    json: OptionJson = False,
) -> None:
    """Inscrit un candidat à une session (R36 : une inscription par an)."""
    donnees = {
        "type": "inscrire",
        "session": session,
        "numero": numero,
        "identite": {"ine": ine, "nom": nom, "prenom": prenom, "date_naissance": naissance},
        "voie": _sans_accents(voie),
        "serie": serie,
        "specialites": tuple(specialite or ()),
        "options": tuple(option or ()),
        "categorie": categorie,
        "etablissement": etablissement,
        "livret_scolaire": livret,
        "consentement_publication": publication,
    }
    executer(db, json, donnees, role, None, f"Candidat {numero} inscrit")


def _sans_accents(texte: str) -> str:
    """« général » as typed is the stored ``general`` (the domain's codes carry no accents)."""
    decompose = unicodedata.normalize("NFKD", texte.strip().lower())
    return "".join(c for c in decompose if not unicodedata.combining(c))


@app.command("saisir-note")
def saisir_note(
    session: Annotated[str, typer.Option()],
    numero: Annotated[str, typer.Option()],
    epreuve: Annotated[str, typer.Option(help="Code de l'épreuve (PHILO, SPE1, HG_T…)")],
    note: Annotated[str | None, typer.Option(help="Note sur 20")] = None,
    absence: Annotated[str | None, typer.Option(help="justifiee ou injustifiee")] = None,
    origine: Annotated[
        str, typer.Option(help="epreuve_terminale, controle_continu, evaluation_ponctuelle")
    ] = "epreuve_terminale",
    source: Annotated[str, typer.Option()] = "saisie_manuelle",
    raison: Annotated[str | None, typer.Option()] = None,
    role: OptionRole = None,
    db: OptionDb = None,
    json: OptionJson = False,
) -> None:
    """Saisit la note d'une épreuve (R13 : notes entières sur 20 ; R14 : contrôle continu au dixième)."""
    donnees = {
        "type": "saisir_note",
        "session": session,
        "numero": numero,
        "epreuve": epreuve,
        "note": note,
        "absence": absence,
        "origine": origine,
        "source": source,
    }
    executer(db, json, donnees, role, raison, f"Note de {epreuve} saisie pour {numero}")


@app.command("corriger-note")
def corriger_note(
    session: Annotated[str, typer.Option()],
    numero: Annotated[str, typer.Option()],
    epreuve: Annotated[str, typer.Option(help="Code de l'épreuve dont la note est erronée")],
    motif: Annotated[str, typer.Option(help="transcription, report, calcul ou coefficient")],
    raison: Annotated[str, typer.Option(help="Ce qui s'est passé (obligatoire, R29)")],
    note: Annotated[str | None, typer.Option(help="Note corrigée sur 20")] = None,
    absence: Annotated[str | None, typer.Option(help="justifiee ou injustifiee")] = None,
    role: OptionRole = None,
    db: OptionDb = None,
    json: OptionJson = False,
) -> None:
    """Corrige une erreur matérielle sur une note déjà saisie (R29, Q9) : un événement de plus, jamais un écrasement."""
    donnees = {
        "type": "corriger_note",
        "session": session,
        "numero": numero,
        "epreuve": epreuve,
        "note": note,
        "absence": absence,
        "motif": motif,
    }
    executer(db, json, donnees, role, raison, f"Note de {epreuve} corrigée pour {numero}")


@app.command("executer")
def executer_json(
    commande: Annotated[str, typer.Argument(help="Une commande en JSON (voir docs/schema/)")],
    role: OptionRole = None,
    db: OptionDb = None,
    json: OptionJson = False,
) -> None:
    """Exécute une commande donnée en JSON (même forme qu'une ligne de lot)."""
    with refus_propres(json):
        donnees = objet_json(commande)
    executer(
        db,
        json,
        {k: v for k, v in donnees.items() if k not in ("role", "raison")},
        donnees.get("role", role),
        donnees.get("raison"),
        "Commande enregistrée",
    )


@app.command("apply")
def appliquer(
    fichier: Annotated[Path, typer.Argument(help="Fichier de commandes JSON Lines (UTF-8)")],
    db: OptionDb = None,
    json: OptionJson = False,
) -> None:
    """Applique un lot : tout est vérifié d'abord ; une ligne fausse et rien n'est enregistré."""
    with refus_propres(json), ouvrir(db) as service:
        principal = authentifier(service)  # every line is this caller's act (ADR 0017)
        lot = service.lire_lot(fichier, principal)
        with barre(not json) as progression:
            rapport = service.appliquer_lot(lot, principal, progression=progression)
    if json:
        imprimer_succes(rapport)
        return
    if rapport.appliquees == 0:
        console.print(f"[yellow]Lot déjà appliqué[/] ({rapport.lignes} lignes) : rien n'a changé.")
        return
    reprise = f", reprise après {rapport.deja_appliquees} ligne(s) déjà appliquée(s)" if rapport.deja_appliquees else ""
    console.print(
        f"[green]✓[/] {rapport.appliquees} commande(s) appliquée(s), {rapport.evenements} événement(s) "
        f"en {rapport.transactions} transaction(s), {rapport.secondes:.2f} s{reprise}."
    )


def _decision(c: Any) -> dict[str, Any] | None:
    d = c.derniere_deliberation
    if d is None:
        return None
    return {
        "decision": d.decision.value,
        "groupe": d.groupe,
        "mention": d.mention,
        "moyenne": d.moyenne,
        "jury": d.jury,
        "a_redeliberer": c.a_redeliberer,
    }


@app.command("candidat")
def candidat(session: str, numero: str, db: OptionDb = None, json: OptionJson = False) -> None:
    """État courant d'un candidat, reconstruit depuis le journal : notes, décision, mention, moyenne."""
    with refus_propres(json), ouvrir(db) as service:
        c = service.candidat(session, numero)
    decision = _decision(c)
    etat = {
        "session": c.session,
        "numero": c.numero,
        "voie": c.voie,
        "serie": c.serie,
        "categorie": c.categorie,
        "specialites": c.specialites,
        "options": c.options,
        "jury": c.jury,
        "version": c.version,
        "notes": {code: asdict(n) for code, n in sorted(c.notes.items())},
        "decision": decision,
    }
    if json:
        imprimer_succes(etat)
        return
    console.print(
        f"[bold]Candidat {c.numero}[/] — session {c.session}, voie {c.voie}"
        + (f", série {c.serie}" if c.serie else "")
        + f", version {c.version}"
    )
    if c.specialites:
        console.print(
            f"Spécialités : {', '.join(c.specialites)}" + (f" — options : {', '.join(c.options)}" if c.options else "")
        )
    console.print(f"Jury : {c.jury or '(non affecté)'}")
    table = Table("Épreuve", "Note", "Origine", "Source")
    for code, n in sorted(c.notes.items()):
        valeur = str(n.note) if n.note is not None else f"absence {n.absence}"
        table.add_row(code, valeur, n.origine, n.source)
    console.print(table)
    if decision is None:
        console.print("Décision : non délibéré")
        return
    console.print(
        f"Décision : [bold]{decision['decision']}[/] (groupe {decision['groupe']}, jury {decision['jury']}) — "
        f"moyenne {decision['moyenne']}/20, mention {decision['mention'] or 'aucune'}"
    )
    if decision["a_redeliberer"]:
        console.print("[yellow]À délibérer de nouveau après une correction (R29)[/]")


class FormatListe(StrEnum):
    texte = "texte"
    csv = "csv"
    json = "json"


@app.command("candidats")
def candidats(
    session: str,
    jury: Annotated[str | None, typer.Option("--jury", help="Seulement les candidats de ce jury")] = None,
    decision: Annotated[
        str | None, typer.Option("--decision", help="Seulement cette décision (admis, ajourne, second_groupe…)")
    ] = None,
    format_: Annotated[FormatListe, typer.Option("--format", help="texte, csv (tableur) ou json")] = FormatListe.texte,
    sortie: Annotated[
        Path | None, typer.Option("--sortie", help="Fichier de sortie (sinon la sortie standard)")
    ] = None,
    db: OptionDb = None,
    json: OptionJson = False,
) -> None:
    """Liste des candidats d'une session (vue projetée) ; --format csv pour un tableur (« ; », virgule décimale)."""
    en_json = json or format_ == FormatListe.json
    with refus_propres(en_json), ouvrir(db) as service:
        lignes = service.etats(session, jury=jury, decision=decision)
    if en_json:
        imprimer_succes(lignes)
    elif format_ == FormatListe.csv:
        contenu = candidats_csv(lignes)
        if sortie:
            sortie.write_bytes(contenu)
            console.print(f"[green]✓[/] {len(lignes)} candidat(s) : {sortie}", highlight=False)
        else:
            sys.stdout.flush()
            sys.stdout.buffer.write(contenu)  # bytes as written: the BOM and CRLF the spreadsheet expects
            sys.stdout.buffer.flush()
    else:
        table = Table("Numéro", "Voie", "Série", "Jury", "Notes", "Statut", "Décision", "Mention", "Moyenne")
        for ligne in lignes:
            table.add_row(
                ligne["numero"], ligne["voie"], ligne["serie"] or "", ligne["jury"] or "",
                f"{ligne['notes_saisies']}/{ligne['epreuves_attendues']}", ligne["statut"], ligne["decision"] or "",
                ligne["mention"] or "", ligne["moyenne"] or "",
            )  # fmt: skip
        # In a pipe the terminal's 80 columns do not apply: never cut a column short.
        if console.is_terminal:
            console.print(table)
            console.print(f"{len(lignes)} candidat(s)", highlight=False)
        else:  # in a pipe the terminal's 80 columns do not apply: never cut a column short
            Console(width=400).print(table)


@projections_app.command("rebuild")
def reconstruire(db: OptionDb = None, json: OptionJson = False) -> None:
    """Reconstruit toutes les vues depuis le journal (mêmes lignes qu'avant)."""
    with refus_propres(json), ouvrir(db) as service, barre(not json) as progression:
        n = service.reconstruire(progression=progression)
    if json:
        imprimer_succes({"evenements": n})
    else:
        console.print(f"[green]✓[/] Vues reconstruites depuis {n} événement(s).")


@projections_app.command("rattraper")
def rattraper(db: OptionDb = None, json: OptionJson = False) -> None:
    """Applique aux vues les événements qu'elles n'ont pas encore vus."""
    with refus_propres(json), ouvrir(db) as service:
        n = service.rattraper()
    if json:
        imprimer_succes({"evenements": n})
    else:
        console.print(f"[green]✓[/] {n} événement(s) appliqué(s).")


@app.command("schema")
def schema(dossier: Annotated[Path, typer.Option(help="Dossier de sortie")] = Path("docs/schema")) -> None:
    """Exporte le schéma JSON des commandes (forme documentée des lignes de lot)."""
    for chemin in exporter_schema(dossier):
        console.print(f"[green]✓[/] {chemin}")
