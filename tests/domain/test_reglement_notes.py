"""Grade scale (R13) and CC rounding up to the tenth (R14) — D334-8, D336-8."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import NoteInvalide
from domain.reglement import charger_reglement, valider_note

R = charger_reglement(2024, "general")


@pytest.mark.parametrize(("brute", "retenue"), [("11.26", "11.3"), ("9.81", "9.9"), ("12.00", "12.0"), ("0", "0.0")])
def test_r14_cc_arrondi_au_dixieme_superieur(brute: str, retenue: str):
    note = valider_note(R.epreuve("HG_1"), Decimal(brute))
    assert note == Decimal(retenue)
    assert str(note) == retenue


def test_r14_arrondi_jamais_au_dela_de_20():
    assert valider_note(R.epreuve("EPS"), Decimal("19.91")) == Decimal("20.0")
    assert valider_note(R.epreuve("EPS"), Decimal("20")) == Decimal("20.0")


@pytest.mark.parametrize("valeur", ["-1", "20.5", "21", "NaN", "Infinity"])
def test_r13_note_hors_echelle_0_20_refusee(valeur: str):
    with pytest.raises(NoteInvalide, match="R13"):
        valider_note(R.epreuve("PHILO"), Decimal(valeur))


def test_r13_epreuve_terminale_en_points_entiers():
    assert valider_note(R.epreuve("PHILO"), Decimal("12.0")) == Decimal(12)
    with pytest.raises(NoteInvalide) as exc:
        valider_note(R.epreuve("PHILO"), Decimal("12.5"))
    assert exc.value.code == "NOTE_INVALIDE"
    assert "points entiers" in exc.value.message


def test_r13_float_refuse():
    with pytest.raises(NoteInvalide, match="décimal exact"):
        valider_note(R.epreuve("PHILO"), 12.0)  # type: ignore[arg-type]


def test_bac_pro_sans_arrondi_au_plus_deux_decimales():
    pro = charger_reglement(2024, "professionnel", "MCV")
    assert valider_note(pro.epreuve("PRO_E31"), Decimal("12.25"), arrondi="aucun") == Decimal("12.25")
    with pytest.raises(NoteInvalide):
        valider_note(pro.epreuve("PRO_E31"), Decimal("12.255"), arrondi="aucun")


@given(st.decimals(min_value=0, max_value=20, places=2))
def test_r14_propriete_arrondi_superieur_au_plus_un_dixieme(brute: Decimal):
    retenue = valider_note(R.epreuve("LVA_T"), brute)
    assert brute <= retenue < brute + Decimal("0.1")
    assert retenue == retenue.quantize(Decimal("0.1"))
