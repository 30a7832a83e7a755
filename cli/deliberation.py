"""`bac` commands of the jury's deliberation (R16–R24, R29–R34): parse, call, render — nothing else."""

from __future__ import annotations

from typing import Annotated

import typer

from cli.options import OptionDb, OptionJson, OptionNumero, OptionRole, OptionSession, executer, groupe

OptionJury = Annotated[str, typer.Option("--jury", help="Code du jury")]
OptionRaison = Annotated[str | None, typer.Option("--raison", help="Motif de l'acte")]
OptionEpreuve = Annotated[list[str], typer.Option("--epreuve", help="Code d'épreuve (répéter l'option)")]
OptionAbsence = Annotated[
    str | None, typer.Option("--absence", help="justifiee ou injustifiee, au lieu d'une note (Q8)")
]
OptionMotif = Annotated[str, typer.Option("--motif", help="transcription, report, calcul ou coefficient (R29)")]

app = groupe()


@app.command("deliberer")
def deliberer(
    session: OptionSession,
    jury: OptionJury,
    groupe: Annotated[int, typer.Option("--groupe", min=1, max=2, help="1 (premier groupe) ou 2 (second)")] = 1,
    numero: Annotated[
        list[str] | None, typer.Option("--numero", help="Seulement ces candidats (ex. après remplacement, R34)")
    ] = None,
    role: OptionRole = None,
    raison: OptionRaison = None,
    db: OptionDb = None,
    json: OptionJson = False,
) -> None:
    """Délibération du jury souverain : un seul acte pour tous ses candidats (R16–R24, R29)."""
    donnees = {"type": "deliberer", "session": session, "jury": jury, "groupe": groupe, "numeros": tuple(numero or ())}
    executer(db, json, donnees, role, raison, f"Jury {jury} : groupe {groupe} délibéré")


@app.command("examiner-livret")
def examiner_livret(
    session: OptionSession,
    numero: OptionNumero,
    jury: OptionJury,
    role: OptionRole = None,
    db: OptionDb = None,
    json: OptionJson = False,
) -> None:
    """Le jury a examiné le livret scolaire du candidat (R29 : avant tout ajournement)."""
    donnees = {"type": "examiner_livret", "session": session, "numero": numero, "jury": jury}
    executer(db, json, donnees, role, None, f"Livret du candidat {numero} examiné")


@app.command("points-jury")
def points_jury(
    session: OptionSession,
    numero: OptionNumero,
    jury: OptionJury,
    points: Annotated[str, typer.Option("--points", help="Points ajoutés au total du candidat")],
    raison: Annotated[str, typer.Option("--raison", help="Motif (obligatoire, R30)")],
    groupe: Annotated[int, typer.Option("--groupe", min=1, max=2)] = 1,
    role: OptionRole = None,
    db: OptionDb = None,
    json: OptionJson = False,
) -> None:
    """Attribue des points de jury avant la délibération du groupe (R30 ; 2026 : 50 au plus, jamais vers 8/20)."""
    donnees = {
        "type": "attribuer_points_jury",
        "session": session,
        "numero": numero,
        "jury": jury,
        "groupe": groupe,
        "points": points,
    }
    executer(db, json, donnees, role, raison, f"{points} point(s) de jury pour {numero}")


@app.command("choisir-controle")
def choisir_controle(
    session: OptionSession,
    numero: OptionNumero,
    epreuve: OptionEpreuve,
    role: OptionRole = None,
    db: OptionDb = None,
    json: OptionJson = False,
) -> None:
    """Enregistre le choix des épreuves de contrôle du second groupe (R19 ; bac pro R39)."""
    donnees = {"type": "choisir_controle", "session": session, "numero": numero, "epreuves": tuple(epreuve)}
    executer(db, json, donnees, role, None, f"Choix de contrôle de {numero} enregistré")


@app.command("saisir-controle")
def saisir_controle(
    session: OptionSession,
    numero: OptionNumero,
    epreuve: Annotated[str, typer.Option("--epreuve", help="Épreuve de contrôle choisie")],
    note: Annotated[str | None, typer.Option("--note", help="Note sur 20 (points entiers, R13)")] = None,
    absence: OptionAbsence = None,
    role: OptionRole = None,
    db: OptionDb = None,
    json: OptionJson = False,
) -> None:
    """Saisit la note d'une épreuve de contrôle (R20 : la meilleure des deux notes est retenue) ou l'absence du
    candidat (Q8 : la note du premier groupe est alors retenue)."""
    donnees = {
        "type": "saisir_controle", "session": session, "numero": numero, "epreuve": epreuve, "note": note,
        "absence": absence,
    }  # fmt: skip
    executer(db, json, donnees, role, None, f"Contrôle {epreuve} saisi pour {numero}")


@app.command("modifier-choix-controle")
def modifier_choix_controle(
    session: OptionSession,
    numero: OptionNumero,
    epreuve: OptionEpreuve,
    raison: OptionRaison = None,
    role: OptionRole = None,
    db: OptionDb = None,
    json: OptionJson = False,
) -> None:
    """Remplace le choix des épreuves de contrôle avant l'oral (R19) : donner le nouveau choix complet."""
    donnees = {"type": "modifier_choix_controle", "session": session, "numero": numero, "epreuves": tuple(epreuve)}
    executer(db, json, donnees, role, raison, f"Choix de contrôle de {numero} modifié")


@app.command("modifier-consentement")
def modifier_consentement(
    session: OptionSession,
    numero: OptionNumero,
    publication: Annotated[bool, typer.Option("--publication/--sans-publication", help="La nouvelle réponse")],
    raison: Annotated[str, typer.Option("--raison", help="La demande écrite du candidat ou de son représentant")],
    role: OptionRole = None,
    db: OptionDb = None,
    json: OptionJson = False,
) -> None:
    """Donne ou retire le consentement à la publication du résultat (R57)."""
    donnees = {"type": "modifier_consentement", "session": session, "numero": numero, "consentement": publication}
    executer(db, json, donnees, role, raison, f"Consentement de {numero} modifié")


@app.command("corriger-controle")
def corriger_controle(
    session: OptionSession,
    numero: OptionNumero,
    epreuve: Annotated[str, typer.Option("--epreuve", help="Épreuve de contrôle")],
    motif: OptionMotif,
    raison: Annotated[str, typer.Option("--raison", help="Motif de la correction (obligatoire, R29)")],
    note: Annotated[str | None, typer.Option("--note", help="Note corrigée sur 20")] = None,
    absence: OptionAbsence = None,
    role: OptionRole = None,
    db: OptionDb = None,
    json: OptionJson = False,
) -> None:
    """Corrige une erreur matérielle sur une note (ou une absence) de contrôle (R29 ; ADR 0009)."""
    donnees = {
        "type": "corriger_controle", "session": session, "numero": numero, "epreuve": epreuve, "note": note,
        "absence": absence, "motif": motif,
    }  # fmt: skip
    executer(db, json, donnees, role, raison, f"Contrôle {epreuve} corrigé pour {numero}")


@app.command("corriger-note-conservee")
def corriger_note_conservee(
    session: OptionSession,
    numero: OptionNumero,
    epreuve: Annotated[str, typer.Option("--epreuve", help="Épreuve de la note conservée")],
    note: Annotated[str, typer.Option("--note", help="Note corrigée sur 20")],
    motif: OptionMotif,
    raison: Annotated[str, typer.Option("--raison", help="Motif de la correction (obligatoire, R29)")],
    role: OptionRole = None,
    db: OptionDb = None,
    json: OptionJson = False,
) -> None:
    """Corrige une erreur matérielle sur une note conservée d'une session antérieure (R29, R32)."""
    donnees = {
        "type": "corriger_note_conservee", "session": session, "numero": numero, "epreuve": epreuve, "note": note,
        "motif": motif,
    }  # fmt: skip
    executer(db, json, donnees, role, raison, f"Note conservée {epreuve} corrigée pour {numero}")


@app.command("refuser-felicitations")
def refuser_felicitations(
    session: OptionSession,
    numero: OptionNumero,
    jury: OptionJury,
    raison: Annotated[str, typer.Option("--raison", help="Motif du jury (obligatoire, Q4)")],
    role: OptionRole = None,
    db: OptionDb = None,
    json: OptionJson = False,
) -> None:
    """Le jury souverain n'accorde pas les félicitations automatiques (Q4) ; après délibération, il redélibère."""
    donnees = {"type": "refuser_felicitations", "session": session, "numero": numero, "jury": jury}
    executer(db, json, donnees, role, raison, f"Félicitations refusées à {numero}")


@app.command("priver-de-mention")
def priver_de_mention(
    session: OptionSession,
    numero: OptionNumero,
    decision: Annotated[str, typer.Option("--decision", help="Référence de la décision de la commission")],
    raison: Annotated[str, typer.Option("--raison", help="Motif de la sanction (obligatoire, R37)")],
    role: OptionRole = None,
    db: OptionDb = None,
    json: OptionJson = False,
) -> None:
    """Enregistre la privation de toute mention prononcée par la commission de discipline (R37)."""
    donnees = {"type": "priver_de_mention", "session": session, "numero": numero, "decision_commission": decision}
    executer(db, json, donnees, role, raison, f"Privation de mention enregistrée pour {numero}")


@app.command("conserver-notes")
def conserver_notes(
    session: OptionSession,
    numero: OptionNumero,
    session_origine: Annotated[str, typer.Option("--session-origine", help="Session où le candidat fut ajourné")],
    numero_origine: Annotated[str, typer.Option("--numero-origine", help="Son numéro à cette session")],
    epreuve: OptionEpreuve,
    role: OptionRole = None,
    db: OptionDb = None,
    json: OptionJson = False,
) -> None:
    """Bénéfice des notes : conserve des notes ≥ 10 d'une session antérieure (R32, R33, R42 ; sans mention)."""
    donnees = {
        "type": "conserver_notes",
        "session": session,
        "numero": numero,
        "session_origine": session_origine,
        "numero_origine": numero_origine,
        "epreuves": tuple(epreuve),
    }
    executer(db, json, donnees, role, None, f"Notes conservées pour {numero}")


@app.command("renoncer-conservation")
def renoncer_conservation(
    session: OptionSession,
    numero: OptionNumero,
    epreuve: Annotated[str, typer.Option("--epreuve", help="Épreuve dont la note conservée est abandonnée")],
    role: OptionRole = None,
    db: OptionDb = None,
    json: OptionJson = False,
) -> None:
    """Renonce à une note conservée : définitif (R32)."""
    donnees = {"type": "renoncer_conservation", "session": session, "numero": numero, "epreuve": epreuve}
    executer(db, json, donnees, role, None, f"Conservation de {epreuve} abandonnée pour {numero}")


@app.command("autoriser-remplacement")
def autoriser_remplacement(
    session: OptionSession,
    numero: OptionNumero,
    epreuve: OptionEpreuve,
    raison: OptionRaison = None,
    role: OptionRole = None,
    db: OptionDb = None,
    json: OptionJson = False,
) -> None:
    """Autorisation du recteur : épreuves de remplacement après une absence justifiée (R34)."""
    donnees = {"type": "autoriser_remplacement", "session": session, "numero": numero, "epreuves": tuple(epreuve)}
    executer(db, json, donnees, role, raison, f"Remplacement autorisé pour {numero}")


@app.command("decision")
def decision(session: str, numero: str, db: OptionDb = None, json: OptionJson = False) -> None:
    """Explique la dernière décision du candidat et rejoue les règles (R54) ; comme « bac expliquer »."""
    from cli.audit import Format, _expliquer

    _expliquer(session, numero, Format.texte, db, json)
