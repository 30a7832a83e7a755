"""Corrections, harmonisation, recours and inspection of a candidate's record (R5, R29, R52, R54, R55; ADR 0009).

A grade is never overwritten: an *erreur matérielle* (transcription, count, coefficient) is corrected by the
administration as its own act, carrying the old and the new value, who and why. After a deliberation, a
correction that can change the decision sends the candidate back to the jury (R29: "final grades result from
the deliberation"; a correction triggers a new deliberation if the decision may change). Pure guards: each
raises a `RefusMetier` naming its rule or returns what the event records.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from domain.calcul import NoteCandidat
from domain.calcul import Origine as OrigineCalcul
from domain.deliberation import ORIGINES, Deliberation, dossier, evaluer
from domain.errors import DejaFait, EtatIncompatible, NonHabilite, RefusMetier
from domain.modele import Acte, Immutable
from domain.reglement import valider_note_reglement
from domain.saisie import NATURES_TERMINALES
from domain.valeurs import Absence

if TYPE_CHECKING:
    from domain.candidat import Candidate

MotifCorrection = Literal["transcription", "report", "calcul", "coefficient"]
IssueRecours = Literal["rejete", "erreur_materielle_reconnue", "irrecevable"]
Conclusion = Literal["conforme", "non_conforme"]

ROLES_CORRECTION = frozenset({"gestionnaire", "service_examens"})
ROLES_RECOURS = frozenset({"service_examens", "recteur"})


class ChangementNote(Immutable):
    """One grade changed by the commission d'harmonisation (R5, D336-4-1), old → new."""

    numero: str
    epreuve: str
    ancienne: Decimal
    nouvelle: Decimal


def _raison(acte: Acte, quoi: str, regle: str) -> None:
    if acte.raison is None:
        raise RefusMetier(
            f"{quoi} est un acte motivé : la raison est obligatoire", regle=regle, code="RAISON_OBLIGATOIRE"
        )


def verifier_correction(
    candidat: Candidate, *, epreuve: str, note: Decimal | None, absence: Absence | None, acte: Acte
) -> bool:
    """R29 (erreur matérielle), Q9: who may correct, what, and whether the decision may change (returned)."""
    if acte.role not in ROLES_CORRECTION:
        raise NonHabilite(
            "Une erreur matérielle est corrigée par l'administration (gestionnaire, service_examens), "
            f"pas par {acte.role}",
            regle="R29",
            code="ROLE_NON_AUTORISE",
        )
    _raison(acte, "Une correction", "R29, Q9")
    ancienne = candidat.notes.get(epreuve)
    if ancienne is None:
        raise EtatIncompatible(
            f"Aucune note de « {epreuve} » n'est saisie pour le candidat {candidat.numero} : rien à corriger",
            regle="R29",
            code="NOTE_NON_SAISIE",
        )
    if note is not None:
        valider_note_reglement(candidat.reglement, epreuve, note)
    if (ancienne.note, ancienne.absence) == (note, absence):
        raise DejaFait(
            f"La note de « {epreuve} » vaut déjà {note or absence}", regle="R29", code="CORRECTION_SANS_EFFET"
        )
    return decision_peut_changer(candidat, {epreuve: (note, absence)})


def verifier_harmonisation(candidat: Candidate, epreuve: str, nouvelle: Decimal) -> Decimal:
    """R5, D336-4-1: the commission harmonises contrôle-continu grades only, already entered; returns the old one."""
    definition = candidat.reglement.epreuve(epreuve)
    if definition.nature in NATURES_TERMINALES:
        raise RefusMetier(
            f"« {epreuve} » est une épreuve terminale : la commission n'harmonise que le contrôle continu",
            regle="R5, D336-4-1",
            code="HARMONISATION_HORS_CC",
        )
    ancienne = candidat.notes.get(epreuve)
    if ancienne is None or ancienne.note is None:
        raise EtatIncompatible(
            f"Pas de note de contrôle continu de « {epreuve} » pour le candidat {candidat.numero}",
            regle="R5",
            code="NOTE_NON_SAISIE",
        )
    valider_note_reglement(candidat.reglement, epreuve, nouvelle)
    if ancienne.note == nouvelle:
        raise DejaFait(f"« {epreuve} » vaut déjà {nouvelle}", regle="R5", code="CORRECTION_SANS_EFFET")
    return ancienne.note


def verifier_commission(acte: Acte, membres: tuple[str, ...]) -> None:
    if acte.role != "commission_harmonisation":
        raise NonHabilite(
            "Seule la commission d'harmonisation harmonise les notes de contrôle continu",
            regle="R5, D336-4-1",
            code="ROLE_NON_AUTORISE",
        )
    if acte.acteur not in membres:
        raise RefusMetier(
            f"{acte.acteur} n'est pas membre de la commission", regle="R5, D336-4-1", code="PAS_MEMBRE_COMMISSION"
        )
    _raison(acte, "Une harmonisation", "R5, D336-4-1")


def decision_peut_changer(candidat: Candidate, changements: dict[str, tuple[Decimal | None, Absence | None]]) -> bool:
    """Re-run the rules of the last deliberation with the changed grades: would the outcome differ (R29)?"""
    premier = candidat.deliberations.get(1)
    if premier is None:
        return False
    notes = {n.code: n for n in dossier(candidat).notes}
    for code, (note, absence) in changements.items():
        origine = candidat.notes[code].origine
        if absence == "justifiee":
            notes.pop(code, None)
        elif absence == "injustifiee":
            notes[code] = NoteCandidat(code=code, origine=OrigineCalcul.absence_injustifiee)
        else:
            notes[code] = NoteCandidat(code=code, note=note, origine=ORIGINES[origine])
    reglement = candidat.reglement
    entrees = premier.entrees.model_copy(
        update={"notes": tuple(sorted(notes.values(), key=lambda n: reglement.rang(n.code)))}
    )
    derniere: Deliberation = candidat.deliberations.get(2, premier)
    try:
        trace = evaluer(
            reglement,
            entrees,
            derniere.contexte,
            contexte_premier_groupe=derniere.contexte_premier_groupe,
            controles=derniere.controles,
        )
    except RefusMetier:
        return True  # the rules no longer decide on these inputs: the jury must
    avant = (derniere.decision, derniere.mention, derniere.certificat)
    return (trace.resultat, trace.mention, trace.certificat) != avant


def verifier_recours(candidat: Candidate, acte: Acte) -> None:
    """R55: only erreurs matérielles can be contested; one recours pending at a time, on a decided candidate."""
    _raison(acte, "Un recours", "R55")
    if candidat.derniere_deliberation is None:
        raise EtatIncompatible(
            f"Le candidat {candidat.numero} n'a pas encore de décision à contester", regle="R55", code="NON_DELIBERE"
        )
    if candidat.recours_en_cours:
        raise DejaFait(
            f"Un recours du candidat {candidat.numero} est déjà en cours", regle="R55", code="RECOURS_EN_COURS"
        )


def verifier_tranchage(candidat: Candidate, acte: Acte) -> None:
    if acte.role not in ROLES_RECOURS:
        raise NonHabilite(
            "Un recours est tranché par le service des examens ou le recteur", regle="R55", code="ROLE_NON_AUTORISE"
        )
    _raison(acte, "La réponse à un recours", "R55")
    if not candidat.recours_en_cours:
        raise EtatIncompatible(
            f"Aucun recours en cours pour le candidat {candidat.numero}", regle="R55", code="PAS_DE_RECOURS"
        )


def verifier_inspection(candidat: Candidate, acte: Acte) -> None:
    if acte.role != "auditeur":
        raise NonHabilite("Une inspection est menée par un auditeur", regle="R54", code="ROLE_NON_AUTORISE")
    _raison(acte, "Une inspection", "R54")
    if candidat.derniere_deliberation is None:
        raise EtatIncompatible(
            f"Le candidat {candidat.numero} n'a pas de décision à inspecter", regle="R54", code="NON_DELIBERE"
        )
