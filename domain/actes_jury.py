"""Guards of the acts around a deliberation, on one candidate's state (R18–R20, R29, R30, R34).

Each function raises a `RefusMetier` naming its rule, or returns what the event will record.
They never change state: the `Candidate` records the event only after its guard passed.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from domain.calcul import (
    ChoixControleRefuse,
    ContexteJury,
    DecisionPremierGroupe,
    DecisionSecondGroupe,
    NotesManquantes,
    RemplacementImpossible,
    calculer_moyenne,
    verifier_choix_second_groupe,
    verifier_points_jury,
)
from domain.deliberation import Groupe, controles, dossier, evaluer, verifier_deliberable
from domain.errors import DejaFait, EtatIncompatible, NonHabilite, RefusMetier
from domain.modele import Acte
from domain.reglement import valider_note_reglement

if TYPE_CHECKING:
    from domain.candidat import Candidate


def verifier_jury_du_candidat(candidat: Candidate, jury: str) -> None:
    """A jury acts only on the candidates the rectorat assigned to it (R26)."""
    if candidat.jury != jury:
        affecte = f"affecté au jury {candidat.jury}" if candidat.jury else "affecté à aucun jury"
        raise RefusMetier(
            f"Le candidat {candidat.numero} n'est pas du jury {jury} ({affecte})", regle="R26", code="AUTRE_JURY"
        )


def verifier_examen_livret(candidat: Candidate, jury: str) -> None:
    """R29 (D334-10, D336-10): the jury examines the livret scolaire the candidate supplied."""
    verifier_jury_du_candidat(candidat, jury)
    if not candidat.livret_scolaire:
        raise EtatIncompatible(
            f"Le candidat {candidat.numero} n'a pas fourni de livret scolaire", regle="R29", code="SANS_LIVRET"
        )
    if candidat.livret_examine:
        raise DejaFait(f"Le livret du candidat {candidat.numero} est déjà examiné", regle="R29", code="DEJA_EXAMINE")


def verifier_points(candidat: Candidate, *, groupe: Groupe, points: Decimal, jury: str, acte: Acte) -> None:
    """R30 (D334-10, D336-10; Q2, Q7): points added to the total before the groupe is deliberated.

    Validated by `verifier_points_jury` on the candidate's total: cap of the session (2026: 50
    points, cumulated over both groupes) and never from below 8 up to the second groupe.
    """
    verifier_jury_du_candidat(candidat, jury)
    if acte.raison is None:
        raise RefusMetier(
            "Des points de jury sont une décision motivée : la raison est obligatoire",
            regle="R30, Q7",
            code="RAISON_OBLIGATOIRE",
        )
    verifier_deliberable(candidat, groupe)
    reglement = candidat.reglement
    deja = candidat.points_jury.get(groupe, Decimal(0))
    if groupe == 1:
        calcul = calculer_moyenne(reglement, dossier(candidat))
        if calcul.epreuves_manquantes:
            raise NotesManquantes(
                f"Notes manquantes : {', '.join(calcul.epreuves_manquantes)} ; le total n'est pas connu",
                regle="R13, R30",
            )
        verifier_points_jury(reglement, calcul.total_points + deja, calcul.total_coefficients, points, deja=deja)
        return
    premier = candidat.deliberations[1]
    # The livret is not in question here: only the total matters to the cap and the 8/20 line.
    actuelle = evaluer(
        reglement,
        premier.entrees,
        ContexteJury(points_jury=deja),
        contexte_premier_groupe=premier.contexte,
        controles=controles(candidat),
    )
    assert isinstance(actuelle, DecisionSecondGroupe)
    verifier_points_jury(
        reglement,
        actuelle.total_points,
        premier.total_coefficients,
        points,
        deja=actuelle.points_jury,
    )


def verifier_choix(candidat: Candidate, epreuves: tuple[str, ...]) -> tuple[str, ...]:
    """R18, R19 (bac pro R39): only a candidate sent to the second groupe chooses, within the set's maximum.

    Choices add up: a later choice is checked together with the earlier ones (no third épreuve).
    """
    verifier_deliberable(candidat, 2)
    trace = candidat.deliberations[1].trace
    assert isinstance(trace, DecisionPremierGroupe)
    deja = [c for c in epreuves if c in candidat.controles_choisis]
    if deja:
        raise ChoixControleRefuse(f"Épreuve(s) de contrôle déjà choisie(s) : {', '.join(deja)}", regle="R19")
    verifier_choix_second_groupe(candidat.reglement, trace, (*candidat.controles_choisis, *epreuves))
    return tuple(sorted(epreuves, key=candidat.reglement.rang))


def verifier_controle(candidat: Candidate, epreuve: str, note: Decimal | None) -> Decimal:
    """R19, R20, R13: a contrôle grade, once, for an épreuve the candidate chose (returned); Q8: or an absence."""
    if note is None:
        raise RefusMetier(
            "Indiquer la note de contrôle ou l'absence du candidat", regle="R20, Q8", code="NOTE_OU_ABSENCE"
        )
    verifier_deliberable(candidat, 2)
    if epreuve not in candidat.controles_choisis:
        choisies = ", ".join(candidat.controles_choisis) or "aucune"
        raise ChoixControleRefuse(
            f"« {epreuve} » n'est pas une épreuve de contrôle choisie par le candidat {candidat.numero} "
            f"(choisies : {choisies})",
            regle=candidat.reglement.second_groupe.regle,
        )
    if epreuve in candidat.controles or epreuve in candidat.absences_controle:
        raise DejaFait(
            f"La note de contrôle de « {epreuve} » du candidat {candidat.numero} est déjà saisie (ou son absence)",
            code="NOTE_DEJA_SAISIE",
        )
    valider_note_reglement(candidat.reglement, epreuve, note)
    return note


def verifier_remplacement(candidat: Candidate, epreuves: tuple[str, ...], acte: Acte) -> None:
    """R34 (D334-19, D336-18): the recteur authorises replacement épreuves for a justified absence.

    EPS, options and contrôle continu have none (``remplacable`` in the rule set).
    """
    if acte.role != "recteur":
        raise NonHabilite(
            "Seul le recteur autorise une épreuve de remplacement",
            regle="R34, D334-19, D336-18",
            code="REMPLACEMENT_NON_AUTORISE",
        )
    precedente = candidat.deliberations.get(1)
    if precedente is not None and precedente.decision.value != "en_attente_remplacement":
        raise EtatIncompatible(
            f"Le candidat {candidat.numero} a déjà été délibéré au premier groupe ({precedente.decision.value})",
            regle="R34",
        )
    if len(set(epreuves)) != len(epreuves):
        raise RefusMetier("Une épreuve figure deux fois dans l'autorisation", regle="R34", code="REMPLACEMENT_INVALIDE")
    for code in epreuves:
        if not candidat.reglement.epreuve(code).remplacable:
            raise RemplacementImpossible(
                f"« {code} » n'a pas d'épreuve de remplacement (ni l'EPS, ni les options, ni le contrôle continu)",
                regle="R34",
            )
        if code in candidat.remplacements:
            raise DejaFait(f"Le remplacement de « {code} » est déjà autorisé", regle="R34", code="DEJA_AUTORISE")
        enregistree = candidat.notes.get(code)
        if enregistree is None or enregistree.absence != "justifiee":
            raise EtatIncompatible(
                f"Aucune absence justifiée (force majeure) enregistrée à « {code} » pour le candidat {candidat.numero}",
                regle="R34",
                code="ABSENCE_NON_JUSTIFIEE",
            )
