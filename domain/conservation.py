"""Bénéfice des notes across sessions, on the candidates' states (R32, R33, R42; D334-13, D336-13).

The arithmetic and the thresholds are `domain.calcul.benefice`'s; this module finds the grade in
the origin candidate's final deliberation and checks that both candidacies are the same person.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from domain.calcul import (
    Conservation,
    ConservationRefusee,
    DecisionSecondGroupe,
    Resultat,
    notes_conservables,
    verifier_conservation,
)
from domain.errors import DejaFait, EtatIncompatible
from domain.valeurs import Identite

if TYPE_CHECKING:
    from domain.candidat import Candidate


def verifier_conservations(
    nouveau: Candidate, origine: Candidate, epreuves: tuple[str, ...], *, renoncees_ailleurs: frozenset[str]
) -> tuple[Conservation, ...]:
    """The grades of ``origine`` that ``nouveau`` may keep, or a refusal naming R32 / R33 / R42.

    ``renoncees_ailleurs``: épreuves of ``origine`` renounced at an intermediate session (final, R32).
    """
    regle = "R33" if origine.handicap else origine.reglement.benefice.regle
    if not isinstance(nouveau.identite, Identite) or not isinstance(origine.identite, Identite):
        raise ConservationRefusee(
            "Identité effacée (R56) : rien ne permet plus de vérifier qu'il s'agit de la même personne", regle=regle
        )
    if nouveau.identite.ine != origine.identite.ine:
        raise ConservationRefusee(
            f"Le candidat {origine.numero} de la session {origine.session} n'est pas la même personne", regle=regle
        )
    precedente = nouveau.deliberations.get(1)
    if precedente is not None and precedente.decision != Resultat.en_attente_remplacement:
        raise EtatIncompatible(f"Le candidat {nouveau.numero} a déjà été délibéré", regle=regle)
    derniere = origine.derniere_deliberation
    if derniere is None:
        raise ConservationRefusee(
            f"Le candidat {origine.numero} n'a pas de décision finale à la session {origine.session}", regle=regle
        )
    trace = derniere.trace
    calcul = trace.premier_groupe.calcul if isinstance(trace, DecisionSecondGroupe) else trace.calcul
    # Raises for anyone but an ajourné (an admis, a second groupe not yet deliberated, sans décision finale).
    conservables = {
        c.code
        for c in notes_conservables(
            origine.reglement,
            calcul,
            derniere.decision,
            premiere_session=origine.premiere_session,
            handicap=origine.handicap,
        )
    }
    if len(set(epreuves)) != len(epreuves):
        raise ConservationRefusee("Une épreuve figure deux fois dans la demande", regle=regle)
    gardees: list[Conservation] = []
    for code in epreuves:
        equivalence = nouveau.reglement.equivalence(code)  # Q16: the épreuve it now stands for
        for cible in {code, equivalence.nouvelle if equivalence else code}:
            if cible in nouveau.notes or cible in nouveau.notes_conservees:
                raise DejaFait(
                    f"« {cible} » a déjà une note pour le candidat {nouveau.numero}", regle=regle,
                    code="NOTE_DEJA_SAISIE",
                )  # fmt: skip
        ligne = calcul.ligne(code)
        if ligne is None:
            raise ConservationRefusee(f"« {code} » n'a pas de note à la session {origine.session}", regle=regle)
        conservation = verifier_conservation(
            origine.reglement,
            nouveau.reglement,
            code,
            ligne.note,
            session_obtention=origine.annee,
            premiere_session=origine.premiere_session,
            handicap=origine.handicap,
            renoncee=code in nouveau.conservations_renoncees or code in renoncees_ailleurs,
        )
        if code not in conservables:
            raise ConservationRefusee(
                f"« {code} » n'est pas conservable (note {ligne.note}, origine {ligne.origine.value})", regle=regle
            )
        if any(g.code == conservation.code for g in gardees):
            raise ConservationRefusee(f"Deux notes conservées pour « {conservation.code} »", regle=f"{regle}, Q16")
        gardees.append(conservation)
    return tuple(gardees)


def verifier_renoncement(candidat: Candidate, epreuve: str) -> None:
    """R32: renouncing a kept grade is final; it can only be done before the deliberation."""
    regle = candidat.reglement.benefice.regle
    if epreuve not in candidat.notes_conservees:
        raise EtatIncompatible(f"Le candidat {candidat.numero} n'a pas de note conservée en « {epreuve} »", regle=regle)
    precedente = candidat.deliberations.get(1)
    if precedente is not None and precedente.decision != Resultat.en_attente_remplacement:
        raise EtatIncompatible(f"Le candidat {candidat.numero} a déjà été délibéré", regle=regle)
