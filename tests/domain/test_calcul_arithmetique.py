"""Q1: exact arithmetic of points and averages, property-based (STYLE "Tests").

The written forms and the averages stored in every trace (R54) are defined by their value, not by the
way they are computed: an exact text reads back to the very fraction, a truncated one is its floor to
four decimals followed by '…', and sums and products refuse to round.
"""

from __future__ import annotations

from decimal import Decimal, Inexact
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.calcul.arithmetique import difference, ecrire_fraction, moyenne_exacte, produit, somme
from domain.errors import RefusMetier

REGLAGES = settings(max_examples=400, deadline=None)
points = st.decimals(min_value=0, max_value=10**4, places=2, allow_nan=False, allow_infinity=False)
coefficients = st.decimals(min_value=Decimal("0.5"), max_value=200, places=1, allow_nan=False, allow_infinity=False)


@REGLAGES
@given(st.integers(-(10**9), 10**9), st.integers(1, 10**7))
def test_q1_ecriture_exacte_relue_a_l_identique_sinon_tronquee(numerateur: int, denominateur: int):
    q = Fraction(numerateur, denominateur)
    texte = ecrire_fraction(q)
    if texte.endswith("…"):
        assert (q * 10**6).denominator != 1  # no exact form within six decimals
        tronque = Decimal(texte[:-1])
        assert tronque == Decimal((q.numerator * 10**4) // q.denominator).scaleb(-4)
    else:
        assert Fraction(Decimal(texte)) == q
        decimales = len(texte.partition(".")[2])
        assert decimales <= 6 and (decimales == 0 or not texte.endswith("0"))  # the shortest exact form


@REGLAGES
@given(points, coefficients)
def test_r15_q1_moyenne_exacte_est_le_quotient_des_points_par_les_coefficients(p: Decimal, k: Decimal):
    q = moyenne_exacte(p, k)
    assert q == Fraction(p) / Fraction(k)
    assert q * Fraction(k) == Fraction(p)


def test_r15_pas_de_moyenne_sans_coefficient():
    with pytest.raises(RefusMetier) as refus:
        moyenne_exacte(Decimal(12), Decimal(0))
    assert refus.value.regle == "R15"


@REGLAGES
@given(st.lists(points, max_size=20), coefficients)
def test_q1_sommes_et_produits_exacts(valeurs: list[Decimal], k: Decimal):
    assert Fraction(somme(valeurs)) == sum((Fraction(v) for v in valeurs), Fraction(0))
    assert all(Fraction(produit(v, k)) == Fraction(v) * Fraction(k) for v in valeurs)
    assert all(Fraction(difference(v, k)) == Fraction(v) - Fraction(k) for v in valeurs)


def test_q1_jamais_d_arrondi_silencieux():
    """Beyond the context's 60 digits a result would be rounded: refused instead (Inexact trapped)."""
    with pytest.raises(Inexact):
        somme([Decimal(10) ** 60, Decimal("0.1")])
    with pytest.raises(Inexact):
        produit(Decimal("1." + "1" * 40), Decimal("1." + "1" * 40))
