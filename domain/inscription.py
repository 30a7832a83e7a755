"""Guards of an inscription that depend only on the règlement of the session (R2, R6, R17)."""

from __future__ import annotations

from domain.errors import RefusMetier
from domain.reglement import Reglement
from domain.valeurs import Voie


def verifier_inscription(
    reglement: Reglement, *, specialites: tuple[str, ...], options: tuple[str, ...], etalement: bool, handicap: bool
) -> None:
    voie: Voie = reglement.voie
    for code in options:
        epreuve = reglement.epreuve(code)
        if epreuve.nature != "option":
            raise RefusMetier(
                f"« {code} » n'est pas un enseignement optionnel de la voie {voie}",
                regle="R6",
                code="OPTION_INVALIDE",
            )
    if len(set(options)) != len(options):
        raise RefusMetier("Une option est déclarée deux fois", regle="R6", code="OPTION_INVALIDE")
    if voie != "professionnel" and len(set(specialites)) != len(specialites):
        raise RefusMetier("Les spécialités doivent être distinctes", regle="R2", code="SPECIALITES_INVALIDES")
    if etalement and not handicap:
        raise RefusMetier(
            "L'étalement des épreuves est réservé aux candidats en situation de handicap",
            regle="R17",
            code="ETALEMENT_INVALIDE",
        )
