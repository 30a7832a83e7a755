"""The batch lines of a results day (`adapters.simulateur.cohorte.Journee`), in the order of the day.

Every act carries its real actor and role: the recteur constitutes juries and authorises
replacements (R26, R34), a member examines livrets (R29), the president deliberates (R26).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from adapters.simulateur.generateur import NATURES_TERMINALES
from adapters.simulateur.journee import CandidatPrevu, Journee, identite, specialites
from domain.reglement import charger_reglement

RECTEUR = {"acteur": "recteur-aix-marseille", "role": "recteur"}
SERVICE = {"acteur": "dec-aix-marseille", "role": "service_examens"}
GESTION = {"acteur": "dec-aix-marseille", "role": "gestionnaire"}


def president(jury: str) -> dict[str, str]:
    return {"acteur": f"pres-{jury.lower()}", "role": "president_jury"}


def membre(jury: str) -> dict[str, str]:
    return {"acteur": f"membre-{jury.lower()}-1", "role": "membre_jury"}


def _origine(c: CandidatPrevu, annee: int, code: str) -> tuple[str, str]:
    """R1, R5: terminal épreuves from Santorin; the rest from the livret, or évaluations ponctuelles."""
    if charger_reglement(annee, c.voie, c.serie).epreuve(code).nature in NATURES_TERMINALES:
        return "epreuve_terminale", "santorin"
    if c.categorie == "individuel":
        return "evaluation_ponctuelle", "cyclades"
    return "controle_continu", "livret_scolaire"


def _releve(c: CandidatPrevu, annee: int) -> list[dict[str, Any]]:
    notes = []
    for code, note in c.dossier.notes.items():
        origine, source = _origine(c, annee, code)
        ligne: dict[str, Any] = {"epreuve": code, "origine": origine, "source": source}
        if note is None:
            ligne["absence"] = c.dossier.absences[code]
        else:
            ligne["note"] = str(note)
        notes.append(ligne)
    return notes


def _inscriptions(journee: Journee, voie: str) -> list[dict[str, Any]]:

    session, annee = journee.session, journee.profil.annee
    lignes: list[dict[str, Any]] = []
    for c in journee.candidats:
        if c.voie != voie:
            continue
        lignes.append(
            {
                "type": "inscrire",
                "session": session,
                "numero": c.numero,
                "identite": identite(c, annee),
                "voie": c.voie,
                "serie": c.serie,
                "specialites": specialites(c),
                "options": list(c.options),
                "categorie": c.categorie,
                "etablissement": f"013{int(c.numero[2:]) % 997:04d}{'ABCDEFGH'[int(c.numero[2:]) % 8]}",
                "livret_scolaire": c.livret,
                "handicap": c.handicap,
                "consentement_publication": c.consentement_publication,
                **SERVICE,
            }
        )
        if c.origine is not None:
            session_origine, numero_origine, epreuves = c.origine
            lignes.append(
                {
                    "type": "conserver_notes",
                    "session": session,
                    "numero": c.numero,
                    "session_origine": session_origine,
                    "numero_origine": numero_origine,
                    "epreuves": list(epreuves),
                    **SERVICE,
                }
            )
        lignes.append({"type": "saisir_notes", "session": session, "numero": c.numero, "notes": _releve(c, annee)})
    return lignes


def _jurys(journee: Journee) -> list[dict[str, Any]]:
    session = journee.session
    lignes: list[dict[str, Any]] = []
    for code, candidats in journee.jurys.items():
        voie = candidats[0].voie
        membres = [{"identifiant": f"membre-{code.lower()}-1", "categorie": "professeur_lycee_public"}]
        if voie != "general":  # R27: one third of professionals, the president counting as a member
            membres += [
                {"identifiant": f"membre-{code.lower()}-2", "categorie": "professionnel_employeur"},
                {"identifiant": f"membre-{code.lower()}-3", "categorie": "professionnel_salarie"},
            ]
        lignes.append(
            {
                "type": "constituer_jury",
                "session": session,
                "jury": code,
                "voie": voie,
                "president": {"identifiant": f"pres-{code.lower()}", "qualite": "professeur_des_universites"},
                "membres": membres,
                **RECTEUR,
            }
        )
        lignes.append(
            {"type": "affecter_candidats", "session": session, "jury": code, "numeros": [c.numero for c in candidats]}
            | SERVICE
        )
    for c in journee.candidats:
        if c.dossier.remplacement is not None:
            lignes.append(
                {
                    "type": "autoriser_remplacement",
                    "session": session,
                    "numero": c.numero,
                    "epreuves": [c.dossier.remplacement[0]],
                    "raison": "absence justifiée par un cas de force majeure (certificat médical)",
                    **RECTEUR,
                }
            )
    return lignes


def _premier_groupe(journee: Journee) -> list[dict[str, Any]]:
    session = journee.session
    lignes: list[dict[str, Any]] = []
    for code, candidats in journee.jurys.items():
        # R29: the livret of every candidate the jury may adjourn is examined first.
        for c in candidats:
            if c.livret and c.issue in ("ajourne_1", "sg_ajourne"):
                lignes.append(
                    {"type": "examiner_livret", "session": session, "numero": c.numero, "jury": code, **membre(code)}
                )
        lignes.append(_deliberation(session, code, 1, "premier-groupe"))
    return lignes


def _deliberation(session: str, jury: str, groupe: int, moment: str) -> dict[str, Any]:
    """A deliberation says "those still due", not whom: it is identified by its ``id`` (ADR 0015), so that the
    September re-deliberation (R34), word for word the July one, is a new act and not a retry of it."""
    return {"type": "deliberer", "id": f"{session}.{jury}.{moment}", "session": session, "jury": jury,
            "groupe": groupe, **president(jury)}  # fmt: skip


def _second_groupe(journee: Journee) -> list[dict[str, Any]]:
    session = journee.session
    lignes: list[dict[str, Any]] = []
    for code, candidats in journee.jurys.items():
        au_second = [c for c in candidats if c.issue in ("sg_admis", "sg_ajourne")]
        if not au_second:
            continue
        for c in au_second:
            if not c.dossier.controles:
                continue  # Q8: did not sit the contrôle, the premier-groupe grades stand
            choix = [e for e, _ in c.dossier.controles]
            lignes.append({"type": "choisir_controle", "session": session, "numero": c.numero, "epreuves": choix})
            for epreuve, note in c.dossier.controles:
                lignes.append(
                    {"type": "saisir_controle", "session": session, "numero": c.numero, "epreuve": epreuve}
                    | {"note": str(note)}
                )
        lignes.append(_deliberation(session, code, 2, "second-groupe"))
    return [ligne if "acteur" in ligne else ligne | GESTION for ligne in lignes]


def _remplacement(journee: Journee) -> list[dict[str, Any]]:
    session = journee.session
    lignes: list[dict[str, Any]] = []
    for code, candidats in journee.jurys.items():
        remplaces = [c for c in candidats if c.dossier.remplacement is not None]
        if not remplaces:
            continue
        for c in remplaces:
            assert c.dossier.remplacement is not None
            epreuve, note = c.dossier.remplacement
            origine, source = _origine(c, journee.profil.annee, epreuve)
            lignes.append(
                {
                    "type": "saisir_note",
                    "session": session,
                    "numero": c.numero,
                    "epreuve": epreuve,
                    "note": str(note),
                    "origine": origine,
                    "source": source,
                    **SERVICE,
                }
            )
        lignes.append(_deliberation(session, code, 1, "remplacement"))
    return lignes


def lots_de_la_journee(journee: Journee) -> Iterator[tuple[str, str, list[dict[str, Any]]]]:
    ouvrir = {
        "type": "ouvrir_session",
        "session": journee.session,
        "libelle": journee.profil.session.libelle,
        **SERVICE,
    }
    for i, voie in enumerate(("general", "technologique", "professionnel")):
        lignes = _inscriptions(journee, voie)
        yield "inscriptions", f"inscriptions-notes-{voie}", [ouvrir, *lignes] if i == 0 else lignes
    yield "jurys", "jurys-et-remplacements", _jurys(journee)
    yield "premier_groupe", "deliberation-premier-groupe", _premier_groupe(journee)
    yield "second_groupe", "second-groupe", _second_groupe(journee)
    yield "remplacement", "remplacement-septembre", _remplacement(journee)
