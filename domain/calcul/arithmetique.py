"""Exact arithmetic for points and averages (Q1): no float, no silent rounding.

Sums and products run in a Decimal context that traps ``Inexact``; divisions go through
`fractions.Fraction`; the displayed average is *truncated* to two decimals (9.996 shows 9.99).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Context, Decimal, Inexact, InvalidOperation
from fractions import Fraction

from domain.errors import RefusMetier

_EXACT = Context(prec=60, traps=[Inexact, InvalidOperation])
ZERO = Decimal(0)


class InvariantViole(RuntimeError):
    """A published invariant broke (average outside [0, 20], mention after the 2nd groupe…): a bug."""


# The context's own methods rather than ``localcontext``: same traps, same results, without switching the
# thread's context for every grade of every deliberation.
def produit(a: Decimal, b: Decimal) -> Decimal:
    return _EXACT.multiply(a, b)


def somme(valeurs: Iterable[Decimal]) -> Decimal:
    total = ZERO
    for v in valeurs:
        total = _EXACT.add(total, v)
    return total


def difference(a: Decimal, b: Decimal) -> Decimal:
    return _EXACT.subtract(a, b)


def tronquer_centiemes(q: Fraction) -> Decimal:
    """Truncation toward zero to two decimals (Q1): never shows 10.00 for 9.996."""
    centiemes = (q.numerator * 100) // q.denominator if q >= 0 else -((-q.numerator * 100) // q.denominator)
    return Decimal(centiemes).scaleb(-2)


def moyenne_exacte(points: Decimal, coefficients: Decimal) -> Fraction:
    if coefficients <= 0:
        raise RefusMetier("Aucun coefficient retenu : la moyenne n'est pas définie", regle="R15")
    # One Fraction built from the two exact ratios (Fraction(a) / Fraction(b) builds three, each with its gcd).
    n_points, d_points = points.as_integer_ratio()
    n_coefficients, d_coefficients = coefficients.as_integer_ratio()
    return Fraction(n_points * d_coefficients, d_points * n_coefficients)


def ecrire_fraction(q: Fraction, decimales_max: int = 6) -> str:
    """Exact decimal text when it terminates within ``decimales_max`` digits, else truncated + '…'."""
    numerateur, denominateur = q.numerator, q.denominator  # in lowest terms: q·10ⁿ is whole iff den | num·10ⁿ
    for n in range(decimales_max + 1):
        entier, reste = divmod(numerateur * 10**n, denominateur)
        if not reste:
            return _texte(Decimal(entier).scaleb(-n))
    tronque = (numerateur * 10**4) // denominateur
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
