"""Guards of the results-week acts of issue 13 (R17, R20, R29, R31, R32, R37; Q4, Q8, Q16; ADR 0019).

Absence at a contrôle, a contrôle choice changed before the oral, corrections of a contrôle grade and of a kept
grade (erreurs matérielles, as ADR 0009 does for grades), the jury's refusal of automatic félicitations, the
privation de mention. Each function raises a `RefusMetier` naming its rule, or returns what the event records;
none changes state.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from domain.actes_jury import verifier_jury_du_candidat
from domain.calcul import (
    ChoixControleRefuse,
    ConservationRefusee,
    DecisionPremierGroupe,
    NoteCandidat,
    NoteControle,
    Origine,
    verifier_choix_second_groupe,
)
from domain.corrections import ROLES_CORRECTION
from domain.deliberation import Deliberation, dossier, evaluer, verifier_deliberable
from domain.errors import DejaFait, EtatIncompatible, RefusMetier
from domain.modele import Acte
from domain.reglement import valider_note_reglement
from domain.valeurs import Absence

if TYPE_CHECKING:
    from domain.candidat import Candidate


def _raison(acte: Acte, quoi: str, regle: str) -> None:
    if acte.raison is None:
        raise RefusMetier(
            f"{quoi} est un acte motivé : la raison est obligatoire", regle=regle, code="RAISON_OBLIGATOIRE"
        )


def _role_correction(acte: Acte) -> None:
    if acte.role not in ROLES_CORRECTION:
        raise RefusMetier(
            "Une erreur matérielle est corrigée par l'administration (gestionnaire, service_examens), "
            f"pas par {acte.role}",
            regle="R29",
            code="ROLE_NON_AUTORISE",
        )


def verifier_absence_controle(candidat: Candidate, epreuve: str) -> None:
    """Q8, R20: an absence at a chosen contrôle is recorded once, instead of a grade."""
    verifier_deliberable(candidat, 2)
    if epreuve not in candidat.controles_choisis:
        raise ChoixControleRefuse(
            f"« {epreuve} » n'est pas une épreuve de contrôle choisie par le candidat {candidat.numero}",
            regle=candidat.reglement.second_groupe.regle,
        )
    if epreuve in candidat.controles or epreuve in candidat.absences_controle:
        raise DejaFait(
            f"Le contrôle de « {epreuve} » du candidat {candidat.numero} est déjà saisi (note ou absence)",
            code="NOTE_DEJA_SAISIE",
        )


def verifier_modification_choix(candidat: Candidate, epreuves: tuple[str, ...]) -> tuple[str, ...]:
    """R19: a candidate may change his choice until the oral; a contrôle already sat stays in the choice."""
    verifier_deliberable(candidat, 2)
    reglement = candidat.reglement
    if not candidat.controles_choisis:
        raise EtatIncompatible(
            f"Le candidat {candidat.numero} n'a encore rien choisi : enregistrer d'abord un choix",
            regle="R19",
            code="PAS_DE_CHOIX",
        )
    retirees = [c for c in candidat.controles_choisis if c not in epreuves]
    passees = [c for c in retirees if c in candidat.controles or c in candidat.absences_controle]
    if passees:
        raise ChoixControleRefuse(
            f"Le contrôle de {', '.join(passees)} est déjà passé (ou l'absence saisie) : le choix ne peut plus changer",
            regle="R19",
        )
    trace = candidat.deliberations[1].trace
    assert isinstance(trace, DecisionPremierGroupe)
    nouveau = verifier_choix_second_groupe(reglement, trace, epreuves)
    if nouveau == candidat.controles_choisis:
        raise DejaFait("Le choix de contrôle est déjà celui-ci", regle="R19", code="CHOIX_SANS_EFFET")
    return nouveau


def _second_groupe_peut_changer(candidat: Candidate, modifies: dict[str, NoteControle]) -> bool:
    """R29: re-run the last second-groupe deliberation with the corrected contrôle; would the outcome differ?"""
    d: Deliberation | None = candidat.deliberations.get(2)
    if d is None:
        return False
    controles = tuple(modifies.get(c.code, c) for c in d.controles)
    try:
        trace = evaluer(
            candidat.reglement, d.entrees, d.contexte, contexte_premier_groupe=d.contexte_premier_groupe,
            controles=controles,
        )  # fmt: skip
    except RefusMetier:
        return True
    return (trace.resultat, trace.mention, trace.certificat) != (d.decision, d.mention, d.certificat)


def verifier_correction_controle(
    candidat: Candidate, *, epreuve: str, note: Decimal | None, absence: Absence | None, acte: Acte
) -> tuple[Decimal | None, Absence | None, bool]:
    """R29 (erreur matérielle), ADR 0009: the old value, and whether the second-groupe decision may change."""
    _role_correction(acte)
    _raison(acte, "Une correction", "R29, Q9")
    if epreuve not in candidat.controles and epreuve not in candidat.absences_controle:
        raise EtatIncompatible(
            f"Aucun contrôle de « {epreuve} » n'est saisi pour le candidat {candidat.numero} : rien à corriger",
            regle="R29",
            code="NOTE_NON_SAISIE",
        )
    if candidat.a_redeliberer:
        raise EtatIncompatible(
            f"Le candidat {candidat.numero} est à délibérer de nouveau au premier groupe", regle="R29",
            code="A_REDELIBERER",
        )  # fmt: skip
    if note is not None:
        valider_note_reglement(candidat.reglement, epreuve, note)
    ancienne = (candidat.controles.get(epreuve), candidat.absences_controle.get(epreuve))
    if ancienne == (note, absence):
        raise DejaFait(f"Le contrôle de « {epreuve} » vaut déjà {note or absence}", regle="R29",
                       code="CORRECTION_SANS_EFFET")  # fmt: skip
    corrige = NoteControle(code=epreuve, note=note, absence=absence)
    return ancienne[0], ancienne[1], _second_groupe_peut_changer(candidat, {epreuve: corrige})


def verifier_correction_conservee(candidat: Candidate, *, epreuve: str, note: Decimal, acte: Acte) -> tuple[
    Decimal, bool
]:  # fmt: skip
    """R29, R32: a kept grade mistranscribed from its session is corrected like any grade (ADR 0009)."""
    _role_correction(acte)
    _raison(acte, "Une correction", "R29, Q9")
    gardee = candidat.notes_conservees.get(epreuve)
    regle = candidat.reglement.benefice.regle
    if gardee is None:
        raise EtatIncompatible(
            f"Le candidat {candidat.numero} n'a pas de note conservée en « {epreuve} » : rien à corriger",
            regle=regle,
            code="NOTE_NON_SAISIE",
        )
    valider_note_reglement(candidat.reglement, epreuve, note)
    if gardee.note == note:
        raise DejaFait(
            f"La note conservée de « {epreuve} » vaut déjà {note}", regle="R29", code="CORRECTION_SANS_EFFET"
        )
    b = candidat.reglement.benefice
    if note < b.seuil and not candidat.handicap:
        raise ConservationRefusee(
            f"Corrigée à {note}, la note de « {epreuve} » n'est plus conservable (< {b.seuil}) : "
            "renoncer à sa conservation et présenter l'épreuve",
            regle=regle,
        )
    return gardee.note, _premier_groupe_peut_changer(candidat, epreuve, note)


def _premier_groupe_peut_changer(candidat: Candidate, epreuve: str, note: Decimal) -> bool:
    premier = candidat.deliberations.get(1)
    if premier is None:
        return False
    reglement = candidat.reglement
    notes = [n for n in dossier(candidat).notes if n.code != epreuve]
    gardee = candidat.notes_conservees[epreuve]
    notes.append(NoteCandidat(code=epreuve, note=note, origine=Origine.conservee,
                              session_obtention=gardee.session_obtention))  # fmt: skip
    entrees = premier.entrees.model_copy(update={"notes": tuple(sorted(notes, key=lambda n: reglement.rang(n.code)))})
    derniere: Deliberation = candidat.deliberations.get(2, premier)
    try:
        trace = evaluer(
            reglement, entrees, derniere.contexte, contexte_premier_groupe=derniere.contexte_premier_groupe,
            controles=derniere.controles,
        )  # fmt: skip
    except RefusMetier:
        return True
    return (trace.resultat, trace.mention, trace.certificat) != (derniere.decision, derniere.mention,
                                                                  derniere.certificat)  # fmt: skip


def verifier_refus_felicitations(candidat: Candidate, jury: str, acte: Acte) -> bool:
    """Q4, R29: the sovereign jury may withhold the automatic félicitations, with a reason.

    Before the deliberation it is applied then; after one that gave them it sends the candidate back (returned).
    """
    verifier_jury_du_candidat(candidat, jury)
    _raison(acte, "Le refus des félicitations", "Q4, R29")
    if candidat.felicitations_refusees:
        raise DejaFait(f"Les félicitations sont déjà refusées au candidat {candidat.numero}", regle="Q4",
                       code="DEJA_FAIT")  # fmt: skip
    premier = candidat.deliberations.get(1)
    if premier is None or candidat.a_redeliberer:
        return False
    if premier.mention != "tres_bien_felicitations":
        raise EtatIncompatible(
            f"Le candidat {candidat.numero} n'a pas reçu les félicitations du jury : rien à refuser",
            regle="Q4",
            code="SANS_FELICITATIONS",
        )
    return True


def verifier_privation(candidat: Candidate, acte: Acte) -> bool:
    """R37 (D334-25 et s.): the commission de discipline's privation de toute mention, recorded by the recteur.

    After a deliberation that gave a mention, the jury must deliberate again (returned).
    """
    if acte.role not in ("recteur", "service_examens"):
        raise RefusMetier(
            "La privation de mention, décidée par la commission de discipline, est enregistrée par le recteur "
            "ou le service des examens",
            regle="R37",
            code="ROLE_NON_AUTORISE",
        )
    _raison(acte, "Une sanction disciplinaire", "R37")
    if candidat.privation_mention:
        raise DejaFait(f"Le candidat {candidat.numero} est déjà privé de mention", regle="R37", code="DEJA_FAIT")
    d = candidat.derniere_deliberation
    return d is not None and d.mention is not None and not candidat.a_redeliberer
