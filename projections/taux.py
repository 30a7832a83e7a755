"""The published arithmetic of results statistics as small pure functions (R44, R46, Q10, Q12).

Rates are exact fractions until they are shown; shown rates and evolutions are rounded to one
decimal, half away from zero (the press release's precision). An evolution is the difference of
the two *exact* rates, rounded once (never a difference of rounded rates, which could drift by 0.1).
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from math import floor

DEFINITION_PRESENT = (
    "Présent : candidat ayant subi au moins une épreuve de la session (une note, même nulle, autre "
    "qu'une absence) ou conservant une note d'une session antérieure ; les absents à toutes les "
    "épreuves sont exclus du dénominateur (Q10)."
)
DEFINITION_TAUX = "Taux de réussite = admis ÷ présents (R44)."
DEFINITION_EVOLUTION = (
    "Évolution en points = taux de la session − taux de la session comparée au même stade (R46), "
    "sur les taux exacts, arrondie au dixième ; « n/a » si la session comparée n'a aucun présent (Q12)."
)


def taux(admis: int, presents: int) -> Fraction | None:
    """R44: admis ÷ présents, as an exact percentage; none without présents."""
    if admis < 0 or presents < 0 or admis > presents:
        raise ValueError(f"effectifs impossibles : {admis} admis pour {presents} présents (R44)")
    if presents == 0:
        return None
    return Fraction(100 * admis, presents)


def au_dixieme(valeur: Fraction) -> Decimal:
    """One decimal, half away from zero (78.65 → 78.7, −0.25 → −0.3)."""
    signe = -1 if valeur < 0 else 1
    dixiemes = floor(abs(valeur) * 10 + Fraction(1, 2))
    return Decimal(signe * dixiemes).scaleb(-1)


def taux_publie(admis: int, presents: int) -> Decimal | None:
    t = taux(admis, presents)
    return None if t is None else au_dixieme(t)


def evolution(admis: int, presents: int, admis_avant: int, presents_avant: int) -> Decimal | None:
    """R46: points gained since the same stage of the compared session; ``None`` ("n/a") when either
    population is empty (Q12: S2TMD's "+100" against no 2023 candidate is meaningless)."""
    maintenant, avant = taux(admis, presents), taux(admis_avant, presents_avant)
    if maintenant is None or avant is None:
        return None
    return au_dixieme(maintenant - avant)


def ecrire_taux(valeur: Decimal | None) -> str:
    return "n/a" if valeur is None else f"{valeur:.1f} %"


def ecrire_evolution(valeur: Decimal | None) -> str:
    if valeur is None:
        return "n/a"
    return f"{valeur:+.1f}" if valeur != 0 else "0.0"
