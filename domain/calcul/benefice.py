"""Bénéfice des notes (R32, R33, R42; Q14, Q16; D334-13, D334-14, D336-13, D336-14).

Pure helpers: which grades an ajourné may keep, and whether a kept grade may be used at a later
session. Each answer is a decision with its steps, or a refusal naming the rule.
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, ConfigDict

from domain.calcul.arithmetique import ecrire
from domain.calcul.types import Calcul, Etape, Origine, Resultat
from domain.errors import RefusMetier
from domain.reglement import Reglement


class ConservationRefusee(RefusMetier):
    code = "CONSERVATION_REFUSEE"


class Conservation(BaseModel):
    """A grade the candidate may keep (and then sit only the other épreuves)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str
    note: Decimal
    session_obtention: int
    derniere_session: int
    etapes: tuple[Etape, ...]
    epreuve_origine: str | None = None  # Q16: the vanished épreuve this grade was obtained at


def _regles(reglement: Reglement, handicap: bool) -> str:
    return "R33" if handicap else reglement.benefice.regle


def notes_conservables(
    reglement: Reglement, calcul: Calcul, resultat: Resultat, *, premiere_session: int, handicap: bool = False
) -> tuple[Conservation, ...]:
    """Grades of épreuves terminales of the premier groupe ≥ seuil (any grade for R33) of an ajourné.

    A handicap candidate spreading the épreuves (R17) keeps them from a session « sans décision finale » too.
    """
    etalement = handicap and resultat == Resultat.sans_decision_finale
    if resultat != Resultat.ajourne and not etalement:
        raise ConservationRefusee(
            "Seul un candidat ajourné peut conserver des notes", regle=_regles(reglement, handicap)
        )
    b = reglement.benefice
    regle = _regles(reglement, handicap)
    derniere = premiere_session + b.nb_sessions
    gardees = []
    for lg in calcul.lignes:
        e = reglement.epreuve(lg.code)
        if e.nature not in b.natures or lg.origine == Origine.absence_injustifiee:
            continue
        if handicap or lg.note >= b.seuil:
            libelle = "toute note (handicap)" if handicap else f"note ≥ {ecrire(b.seuil)}"
            gardees.append(
                Conservation(
                    code=lg.code,
                    note=lg.note,
                    session_obtention=calcul.session,
                    derniere_session=derniere,
                    etapes=(
                        Etape(
                            regle=regle,
                            libelle=f"« {lg.code} » conservable : {libelle}",
                            valeur=ecrire(lg.note),
                            seuil="" if handicap else ecrire(b.seuil),
                        ),
                    ),
                )
            )
    return tuple(gardees)


def verifier_conservation(
    origine: Reglement,
    cible: Reglement,
    code: str,
    note: Decimal,
    *,
    session_obtention: int,
    premiere_session: int,
    handicap: bool = False,
    renoncee: bool = False,
) -> Conservation:
    """May grade ``note`` of ``code`` (obtained under ``origine``) be used under ``cible``?"""
    b = origine.benefice
    regle = _regles(origine, handicap)
    if renoncee:
        raise ConservationRefusee(f"Le bénéfice de « {code} » a été abandonné : renoncement définitif", regle=regle)
    if origine.voie != cible.voie or (b.meme_serie and origine.serie != cible.serie):
        raise ConservationRefusee(
            f"Notes conservées seulement dans la même {'série' if b.meme_serie else 'voie'}", regle=regle
        )
    e = origine.epreuve(code)
    if e.nature not in b.natures:
        raise ConservationRefusee(
            f"« {code} » n'est pas une épreuve terminale du premier groupe : non conservable", regle=regle
        )
    if not handicap and note < b.seuil:
        raise ConservationRefusee(f"Note {ecrire(note)} < {ecrire(b.seuil)} : non conservable", regle=regle)
    derniere = premiere_session + b.nb_sessions
    if not (premiere_session <= session_obtention < cible.session <= derniere):
        raise ConservationRefusee(
            f"Session {cible.session} hors des {b.nb_sessions} sessions suivant la première ({premiere_session})",
            regle=regle,
        )
    etapes = [
        Etape(
            regle=regle,
            libelle=f"« {code} » conservée de la session {session_obtention}",
            valeur=f"{ecrire(note)} ; session {cible.session}",
            seuil=f"≤ {derniere}",
        )
    ]
    retenu, origine_q16 = code, None
    try:
        cible.epreuve(code)
    except RefusMetier:
        equivalence = cible.equivalence(code)
        if equivalence is None:
            raise ConservationRefusee(
                f"« {code} » n'existe pas à la session {cible.session} et le règlement de cette session ne lui donne "
                "aucune équivalence",
                regle=f"{regle}, Q16",
            ) from None
        retenu, origine_q16 = equivalence.nouvelle, code
        etapes.append(
            Etape(
                regle=f"{regle}, Q16",
                libelle=f"« {code} » n'existe plus à la session {cible.session} : la note compte pour « {retenu} » "
                f"par la table d'équivalence du règlement{'' if equivalence.confirme else ' (non confirmée)'}",
                valeur=ecrire(note),
            )
        )
    return Conservation(
        code=retenu,
        note=note,
        session_obtention=session_obtention,
        derniere_session=derniere,
        etapes=tuple(etapes),
        epreuve_origine=origine_q16,
    )
