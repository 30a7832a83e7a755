"""`bac`: the registry's command line, for exam offices (texts in French). Thin: parse, call, render."""

from __future__ import annotations

import os
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from adapters.journalisation import configurer
from adapters.services import ServiceRegistre
from cli.sortie import barre, console, imprimer_json, refus_propres
from domain.commandes import COMMANDE

app = typer.Typer(
    help="bac-registre : le registre des sessions du baccalauréat.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
projections_app = typer.Typer(help="Vues dérivées du journal (projections).", no_args_is_help=True)
app.add_typer(projections_app, name="projections")

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


@app.callback()
def _global() -> None:
    configurer()


def _service(db: str | None) -> ServiceRegistre:
    return ServiceRegistre(db)


def _commande(donnees: dict[str, Any], acteur: str, role: str, raison: str | None) -> Any:
    donnees = {k: v for k, v in donnees.items() if v is not None and v != ()}
    return COMMANDE.validate_python({"acteur": acteur, "role": role, "raison": raison, **donnees})


def _executer(
    db: str | None, json: bool, donnees: dict[str, Any], acteur: str, role: str, raison: str | None, succes: str
) -> None:
    with refus_propres(json):
        from pydantic import ValidationError

        from adapters.erreurs_validation import traduire
        from adapters.lots import ErreurLigne, LotRefuse

        try:
            commande = _commande(donnees, acteur, role, raison)
        except ValidationError as e:
            raise LotRefuse(
                [ErreurLigne(None, champ, message, regle) for champ, message, regle in traduire(e)]
            ) from None
        with _service(db) as service:
            evenements = service.executer(commande)
        noms = [type(e).__name__ for e in evenements]
        if json:
            imprimer_json({"statut": "enregistre", "evenements": noms})
        else:
            # A deliberation records one event per candidate: count repeats instead of listing them.
            resume = ", ".join(n if noms.count(n) == 1 else f"{n} ×{noms.count(n)}" for n in dict.fromkeys(noms))
            console.print(f"[green]✓[/] {succes} ({resume})")


@app.command("init")
def init(db: OptionDb = None, json: OptionJson = False) -> None:
    """Crée (ou vérifie) le registre : journal des événements et vues."""
    with refus_propres(json), _service(db) as service:
        url = service.registre.stockage.url_affichable
    if json:
        imprimer_json({"statut": "pret", "base": url})
    else:
        console.print(f"[green]✓[/] Registre prêt : {url}")


@app.command("ouvrir-session")
def ouvrir_session(
    session: Annotated[str, typer.Argument(help="Code de session, ex. 2024-aix-marseille")],
    libelle: Annotated[str, typer.Option(help="Libellé")] = "Session du baccalauréat",
    acteur: OptionActeur = "dec",
    role: OptionRole = "service_examens",
    db: OptionDb = None,
    json: OptionJson = False,
) -> None:
    """Ouvre une session (une académie, une année)."""
    _executer(
        db,
        json,
        {"type": "ouvrir_session", "session": session, "libelle": libelle},
        acteur,
        role,
        None,
        f"Session {session} ouverte",
    )


@app.command("clore-inscriptions")
def clore_inscriptions(
    session: str,
    acteur: OptionActeur = "dec",
    role: OptionRole = "service_examens",
    db: OptionDb = None,
    json: OptionJson = False,
) -> None:
    """Clôt les inscriptions d'une session."""
    _executer(
        db,
        json,
        {"type": "clore_inscriptions", "session": session},
        acteur,
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
    voie: Annotated[str, typer.Option(help="general, technologique ou professionnel")],
    categorie: Annotated[str, typer.Option(help="scolaire_public, individuel…")] = "scolaire_public",
    serie: Annotated[str | None, typer.Option(help="Série (techno) ou spécialité (pro)")] = None,
    specialite: Annotated[list[str] | None, typer.Option(help="Spécialité de terminale (deux fois)")] = None,
    option: Annotated[list[str] | None, typer.Option(help="Épreuve d'option (code)")] = None,
    etablissement: Annotated[str | None, typer.Option(help="Code UAI")] = None,
    livret: Annotated[bool, typer.Option("--livret/--sans-livret", help="Livret scolaire fourni (R29)")] = False,
    acteur: OptionActeur = "dec",
    role: OptionRole = "service_examens",
    db: OptionDb = None,
    json: OptionJson = False,
) -> None:
    """Inscrit un candidat à une session (R36 : une inscription par an)."""
    donnees = {
        "type": "inscrire",
        "session": session,
        "numero": numero,
        "identite": {"ine": ine, "nom": nom, "prenom": prenom, "date_naissance": naissance},
        "voie": voie,
        "serie": serie,
        "specialites": tuple(specialite or ()),
        "options": tuple(option or ()),
        "categorie": categorie,
        "etablissement": etablissement,
        "livret_scolaire": livret,
    }
    _executer(db, json, donnees, acteur, role, None, f"Candidat {numero} inscrit")


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
    acteur: OptionActeur = "dec",
    role: OptionRole = "gestionnaire",
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
    _executer(db, json, donnees, acteur, role, raison, f"Note de {epreuve} saisie pour {numero}")


@app.command("executer")
def executer(
    commande: Annotated[str, typer.Argument(help="Une commande en JSON (voir docs/schema/)")],
    acteur: OptionActeur = "dec",
    role: OptionRole = "gestionnaire",
    db: OptionDb = None,
    json: OptionJson = False,
) -> None:
    """Exécute une commande donnée en JSON (même forme qu'une ligne de lot)."""
    import orjson

    with refus_propres(json):
        try:
            donnees = orjson.loads(commande)
        except orjson.JSONDecodeError as e:
            from domain.errors import RefusMetier

            raise RefusMetier(f"JSON mal formé : {e}", code="JSON_INVALIDE") from None
    _executer(
        db,
        json,
        {k: v for k, v in donnees.items() if k not in ("acteur", "role", "raison")},
        donnees.get("acteur", acteur),
        donnees.get("role", role),
        donnees.get("raison"),
        "Commande enregistrée",
    )


@app.command("apply")
def appliquer(
    fichier: Annotated[Path, typer.Argument(help="Fichier de commandes JSON Lines (UTF-8)")],
    acteur: Annotated[
        str | None, typer.Option("--acteur", envvar="BAC_ACTEUR", help="Acteur par défaut des lignes")
    ] = None,
    role: Annotated[str | None, typer.Option("--role", envvar="BAC_ROLE", help="Rôle par défaut des lignes")] = None,
    db: OptionDb = None,
    json: OptionJson = False,
) -> None:
    """Applique un lot : tout est vérifié d'abord ; une ligne fausse et rien n'est enregistré."""
    with refus_propres(json), _service(db) as service:
        lot = service.lire_lot(fichier, acteur=acteur, role=role)
        with barre(not json) as progression:
            rapport = service.appliquer_lot(lot, progression=progression)
    if json:
        imprimer_json(rapport)
        return
    if rapport.appliquees == 0:
        console.print(f"[yellow]Lot déjà appliqué[/] ({rapport.lignes} lignes) : rien n'a changé.")
        return
    reprise = f", reprise après {rapport.deja_appliquees} ligne(s) déjà appliquée(s)" if rapport.deja_appliquees else ""
    console.print(
        f"[green]✓[/] {rapport.appliquees} commande(s) appliquée(s), {rapport.evenements} événement(s) "
        f"en {rapport.transactions} transaction(s), {rapport.secondes:.2f} s{reprise}."
    )


@app.command("candidat")
def candidat(session: str, numero: str, db: OptionDb = None, json: OptionJson = False) -> None:
    """État courant d'un candidat, reconstruit depuis le journal."""
    with refus_propres(json), _service(db) as service:
        c = service.candidat(session, numero)
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
    }
    if json:
        imprimer_json(etat)
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


@app.command("candidats")
def candidats(session: str, db: OptionDb = None, json: OptionJson = False) -> None:
    """Liste des candidats d'une session (vue projetée)."""
    with refus_propres(json), _service(db) as service:
        lignes = service.etats(session)
    if json:
        imprimer_json(lignes)
        return
    table = Table("Numéro", "Voie", "Série", "Jury", "Notes", "Statut")
    for ligne in lignes:
        table.add_row(
            ligne["numero"],
            ligne["voie"],
            ligne["serie"] or "",
            ligne["jury"] or "",
            f"{ligne['notes_saisies']}/{ligne['epreuves_attendues']}",
            ligne["statut"],
        )
    console.print(table)


@projections_app.command("rebuild")
def reconstruire(db: OptionDb = None, json: OptionJson = False) -> None:
    """Reconstruit toutes les vues depuis le journal (mêmes lignes qu'avant)."""
    with refus_propres(json), _service(db) as service:
        n = service.reconstruire()
    if json:
        imprimer_json({"statut": "reconstruit", "evenements": n})
    else:
        console.print(f"[green]✓[/] Vues reconstruites depuis {n} événement(s).")


@projections_app.command("rattraper")
def rattraper(db: OptionDb = None, json: OptionJson = False) -> None:
    """Applique aux vues les événements qu'elles n'ont pas encore vus."""
    with refus_propres(json), _service(db) as service:
        n = service.rattraper()
    if json:
        imprimer_json({"statut": "a_jour", "evenements": n})
    else:
        console.print(f"[green]✓[/] {n} événement(s) appliqué(s).")


@app.command("schema")
def schema(dossier: Annotated[Path, typer.Option(help="Dossier de sortie")] = Path("docs/schema")) -> None:
    """Exporte le schéma JSON des commandes (forme documentée des lignes de lot)."""
    from adapters.schema import exporter

    for chemin in exporter(dossier):
        console.print(f"[green]✓[/] {chemin}")


def main() -> None:  # pragma: no cover - console entry point
    os.environ.setdefault("PYTHONIOENCODING", "utf-8")
    app()


@app.command("demo")
def demo(
    dossier: Annotated[Path, typer.Option(help="Dossier de travail de la démonstration")] = Path("demo"),
    graine: Annotated[int, typer.Option(help="Graine des cohortes synthétiques")] = 2024,
) -> None:
    """Démonstration : la journée des résultats d'Aix-Marseille 2024, de rien aux statistiques publiées."""
    from adapters.demo import SESSION, executer_demo
    from adapters.explication import rendre

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
        table.add_row(str(e.version), e.horodatage[:19], e.evenement, f"{e.acteur} ({e.role})", details[:160])
    console.print(table)
    console.print(rendre(resultat.explication))
    durees = Table("Étape", "Durée (s)", "Événements", "Événements/s", title="Durée de chaque étape")
    for libelle, secondes, evenements in resultat.chrono.lignes:
        debit = f"{evenements / secondes:,.0f}".replace(",", " ") if evenements and secondes else ""
        durees.add_row(libelle, f"{secondes:.2f}", str(evenements or ""), debit)
    console.print(durees)


# The jury's commands live in their own module (size); importing it registers them on `app`.
# Auditors' and regulators' commands (history, time travel, diff, expliquer, verifier, preuve).
from cli import audit as _audit  # noqa: E402, F401
from cli import deliberation as _deliberation  # noqa: E402, F401
from cli import statistiques as _statistiques  # noqa: E402, F401
