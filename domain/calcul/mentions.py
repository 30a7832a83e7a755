"""Mentions (R23, R24, R40; Q4, Q5; D334-11, D336-11, D334-13, D336-7, D336-13).

Bands come from the set; the comparison is on points (P ≥ seuil × Σcoef), never on a rounded average.
"""

from __future__ import annotations

from decimal import Decimal

from domain.calcul.arithmetique import ecrire, produit
from domain.calcul.types import Etape
from domain.reglement import Mention, Reglement


def _regle(reglement: Reglement) -> str:
    return "R40" if reglement.voie == "professionnel" else "R23"


def exclusions_mention(
    reglement: Reglement,
    *,
    apres_second_groupe: bool = False,
    notes_conservees: bool = False,
    handicap_benefice: bool = False,
    dispense_autre_bac: bool = False,
    privation: bool = False,
    etalement: bool = False,
) -> list[Etape]:
    """Why no mention may be given (R24), one step per reason; empty when a mention is possible."""
    raisons: list[Etape] = []
    if apres_second_groupe:
        raisons.append(Etape(regle="R21, R24", libelle="Admis après le second groupe : aucune mention"))
    if notes_conservees:
        if handicap_benefice and reglement.benefice.mention_possible_handicap:
            pass  # Q5: the current text does not exclude D334-14 / D336-14 candidates.
        else:
            raisons.append(Etape(regle="R24, R32", libelle="Bénéfice des notes demandé : aucune mention"))
    if dispense_autre_bac:
        raisons.append(
            Etape(
                regle="R12, R24", libelle="Dispensé d'épreuves comme titulaire d'un autre baccalauréat : aucune mention"
            )
        )
    if privation:
        raisons.append(Etape(regle="R24, R37", libelle="Privation de toute mention (sanction disciplinaire)"))
    if etalement and not reglement.benefice.mention_possible_etalement:
        raisons.append(
            Etape(
                regle="R17, R33, Q5",
                libelle="Épreuves étalées sur plusieurs sessions (handicap) : décision finale sans mention",
            )
        )
    return raisons


def attribuer_mention(
    reglement: Reglement,
    points: Decimal,
    coefficients: Decimal,
    exclusions: list[Etape],
    *,
    felicitations_refusees: bool = False,
) -> tuple[Mention | None, list[Etape]]:
    """Highest band with points ≥ seuil × Σcoef, unless excluded; félicitations automatic at 18 unless the
    sovereign jury withheld them with a reason (Q4)."""
    if exclusions:
        return None, exclusions
    retenue: Mention | None = None
    for m in reglement.mentions:
        if points >= produit(m.seuil, coefficients):
            retenue = m
    if felicitations_refusees and retenue is not None and retenue.code == "tres_bien_felicitations":
        mentions = list(reglement.mentions)
        inferieure = mentions[mentions.index(retenue) - 1]
        return inferieure, [
            Etape(
                regle=f"{_regle(reglement)}, Q4, R29",
                libelle=f"Moyenne ≥ {ecrire(retenue.seuil)}, mais le jury souverain n'accorde pas les félicitations "
                f"(décision motivée) : mention {inferieure.libelle}",
                valeur=ecrire(points),
                seuil=ecrire(produit(retenue.seuil, coefficients)),
            )
        ]
    if retenue is None:
        premiere = reglement.mentions[0] if reglement.mentions else None
        seuil = ecrire(produit(premiere.seuil, coefficients)) if premiere else ""
        return None, [
            Etape(
                regle=_regle(reglement),
                libelle="Moyenne sous le premier seuil de mention : sans mention",
                valeur=ecrire(points),
                seuil=seuil,
            )
        ]
    regle = _regle(reglement) + (", Q4" if retenue.code == "tres_bien_felicitations" else "")
    return retenue, [
        Etape(
            regle=regle,
            libelle=f"Moyenne ≥ {ecrire(retenue.seuil)} : mention {retenue.libelle}",
            valeur=ecrire(points),
            seuil=ecrire(produit(retenue.seuil, coefficients)),
        )
    ]
