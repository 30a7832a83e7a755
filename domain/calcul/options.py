"""Limits on optional subjects (R6 for the général 2022+, D336-4 / R11 techno, D334-4 in 2016, R38 pro)."""

from __future__ import annotations

from decimal import Decimal

from domain.calcul.arithmetique import ecrire, somme
from domain.errors import RefusMetier
from domain.reglement import Nature, Reglement


class OptionsInvalides(RefusMetier):
    code = "OPTIONS_INVALIDES"


def _matiere(reglement: Reglement, code: str) -> str:
    # OPT_THEATRE_1 and OPT_THEATRE_T are one subject followed two years.
    return code.rsplit("_", 1)[0] if reglement.epreuve(code).annee else code


def verifier_options(reglement: Reglement, options: tuple[str, ...]) -> None:
    """Refuse a choice of options the set does not allow, naming its rule (R6)."""
    limites = reglement.options
    regle = limites.regle
    if len(set(options)) != len(options):
        raise OptionsInvalides("Une option est choisie deux fois", regle=regle)
    for code in options:
        if reglement.epreuve(code).nature != Nature.option:
            raise OptionsInvalides(f"« {code} » n'est pas un enseignement optionnel", regle=regle)
    comptees = [c for c in options if c not in limites.hors_limite]
    par_annee = {
        "premiere": (limites.max_premiere, "en première"),
        "terminale": (limites.max_terminale, "en terminale"),
    }
    for annee, (maximum, libelle) in par_annee.items():
        n = sum(1 for c in comptees if reglement.epreuve(c).annee == annee)
        if maximum is not None and n > maximum:
            raise OptionsInvalides(f"{n} options {libelle}, {maximum} au plus", regle=regle)
    matieres = {_matiere(reglement, c) for c in comptees}
    if limites.max_total is not None and len(matieres) > limites.max_total:
        raise OptionsInvalides(f"{len(matieres)} options, {limites.max_total} au plus", regle=regle)
    coefs = somme(reglement.epreuve(c).coefficient for c in options)
    plafond = limites.coefficient_supplementaire_max
    if plafond is not None and coefs > plafond:
        raise OptionsInvalides(
            f"{ecrire(coefs)} coefficients d'options, {ecrire(Decimal(plafond))} au plus", regle=regle
        )
