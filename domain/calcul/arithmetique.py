"""Exact arithmetic for points and averages (Q1): no float, no silent rounding.

Sums and products run in a Decimal context that traps ``Inexact``; divisions go through
`fractions.Fraction`; the displayed average is *truncated* to two decimals (9.996 shows 9.99).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Context, Decimal, Inexact, InvalidOperation, localcontext
from fractions import Fraction

from domain.errors import RefusMetier

_EXACT = Context(prec=60, traps=[Inexact, InvalidOperation])
ZERO = Decimal(0)


class InvariantViole(RuntimeError):
    """A published invariant broke (average outside [0, 20], mention after the 2nd groupe…): a bug."""


def produit(a: Decimal, b: Decimal) -> Decimal:
    with localcontext(_EXACT):
        return a * b


def somme(valeurs: Iterable[Decimal]) -> Decimal:
    with localcontext(_EXACT):
        total = ZERO
        for v in valeurs:
            total += v
        return total


def difference(a: Decimal, b: Decimal) -> Decimal:
    with localcontext(_EXACT):
        return a - b


def tronquer_centiemes(q: Fraction) -> Decimal:
    """Truncation toward zero to two decimals (Q1): never shows 10.00 for 9.996."""
    centiemes = (q.numerator * 100) // q.denominator if q >= 0 else -((-q.numerator * 100) // q.denominator)
    return Decimal(centiemes).scaleb(-2)


def moyenne_exacte(points: Decimal, coefficients: Decimal) -> Fraction:
    if coefficients <= 0:
        raise RefusMetier("Aucun coefficient retenu : la moyenne n'est pas définie", regle="R15")
    return Fraction(points) / Fraction(coefficients)


def ecrire_fraction(q: Fraction, decimales_max: int = 6) -> str:
    """Exact decimal text when it terminates within ``decimales_max`` digits, else truncated + '…'."""
    for n in range(decimales_max + 1):
        mise_a_l_echelle = q * 10**n
        if mise_a_l_echelle.denominator == 1:
            return _texte(Decimal(mise_a_l_echelle.numerator).scaleb(-n))
    tronque = (q.numerator * 10**4) // q.denominator
    return _texte(Decimal(tronque).scaleb(-4)) + "…"


def _texte(d: Decimal) -> str:
    texte = format(d, "f")
    if "." in texte:
        texte = texte.rstrip("0").rstrip(".")
    return texte


def ecrire(d: Decimal) -> str:
    """Human form of an exact decimal: 1187.70 → '1187.7', 100 → '100'."""
    return _texte(d)


def verifier_moyenne(q: Fraction, quoi: str) -> None:
    """Fail loudly on an impossible average (STYLE "Rules": invariants checked at run time)."""
    if q < 0 or q > 20:
        raise InvariantViole(f"{quoi} : moyenne {float(q):.4f} hors de [0, 20]")
