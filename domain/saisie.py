"""Guards of a grade entry on a candidate (R1, R5, R6, R13, R14, R28, R32, R34; D334-8, D334-9, D336-8, D336-9)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from domain.errors import DejaFait, RefusMetier
from domain.reglement import valider_note
from domain.valeurs import Absence, Correcteur, Origine

if TYPE_CHECKING:
    from domain.candidat import Candidate

# R5: candidates whose contrôle continu comes from the livret scolaire; the others sit évaluations ponctuelles.
CATEGORIES_SCOLAIRES = frozenset({"scolaire_public", "scolaire_prive_sous_contrat", "cned", "apprenti"})
NATURES_TERMINALES = frozenset({"ecrit_terminal", "oral_terminal", "anticipee_ecrit", "anticipee_oral"})


def verifier_saisie(
    candidat: Candidate,
    *,
    epreuve: str,
    note: Decimal | None,
    absence: Absence | None,
    origine: Origine,
    correcteur: Correcteur | None,
) -> bool:
    """Refuse a grade the rules forbid; ``True`` when it is the grade of an authorised replacement (R34)."""
    definition = candidat.reglement.epreuve(epreuve)
    if definition.nature == "option" and epreuve not in candidat.options:
        raise RefusMetier(
            f"Le candidat {candidat.numero} n'a pas choisi l'option « {epreuve} »",
            regle="R6",
            code="OPTION_NON_CHOISIE",
        )
    if note is not None:
        valider_note(definition, note)
    terminale = definition.nature in NATURES_TERMINALES
    if terminale and origine != "epreuve_terminale":
        raise RefusMetier(
            f"L'épreuve « {epreuve} » est une épreuve terminale : origine « {origine} » impossible",
            regle="R1",
            code="ORIGINE_INVALIDE",
        )
    if not terminale and origine == "epreuve_terminale":
        raise RefusMetier(
            f"« {epreuve} » est évalué en contrôle continu, pas par une épreuve terminale",
            regle="R1",
            code="ORIGINE_INVALIDE",
        )
    if not terminale and origine == "controle_continu" and not candidat.scolaire:
        raise RefusMetier(
            f"Le candidat {candidat.numero} n'est pas scolarisé : son contrôle continu vient "
            "d'évaluations ponctuelles, pas du livret scolaire",
            regle="R5",
            code="ORIGINE_INVALIDE",
        )
    if (
        terminale
        and correcteur is not None
        and correcteur.etablissement is not None
        and correcteur.etablissement == candidat.etablissement
    ):
        raise RefusMetier(
            f"Le correcteur {correcteur.identifiant} enseigne dans l'établissement du candidat {candidat.numero} : "
            "un examinateur ne peut pas évaluer ses propres élèves",
            regle="R28, D334-9, D336-9",
            code="CORRECTEUR_NON_INDEPENDANT",
        )
    if epreuve in candidat.notes_conservees:
        raise DejaFait(
            f"Le candidat {candidat.numero} conserve sa note de « {epreuve} » d'une session antérieure : "
            "y renoncer d'abord pour la repasser",
            regle=candidat.reglement.benefice.regle,
            code="NOTE_CONSERVEE",
        )
    # R34: the one grade a justified absence may still receive is that of an authorised replacement.
    remplacement = epreuve in candidat.remplacements and epreuve in candidat.remplacements_en_attente()
    if epreuve in candidat.notes and not remplacement:
        raise DejaFait(
            f"La note de « {epreuve} » du candidat {candidat.numero} est déjà saisie ; "
            "une note n'est jamais écrasée, seule une correction d'erreur matérielle peut la modifier "
            "(commande « corriger_note » : bac corriger-note, avec un motif et une raison)",
            regle="R29",
            code="NOTE_DEJA_SAISIE",
        )
    if remplacement and absence == "justifiee":
        raise RefusMetier(
            f"« {epreuve} » : l'épreuve de remplacement attend une note (ou une absence injustifiée)",
            regle="R34",
            code="REMPLACEMENT_INVALIDE",
        )
    return remplacement
