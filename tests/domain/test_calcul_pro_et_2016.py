"""Bac pro (R38–R40, R43) and the historical 2016 général (seed 004: D334-4, D334-8, D334-10, D334-11)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from domain.calcul import (
    ChoixControleRefuse,
    ContexteJury,
    Dossier,
    NoteCandidat,
    NoteControle,
    Origine,
    PointsJuryRefuses,
    Resultat,
    calculer_moyenne,
    deliberer_premier_groupe,
    deliberer_second_groupe,
    sous_moyenne_professionnelle,
)
from domain.reglement import Reglement, charger_reglement

D = Decimal
MCV = charger_reglement(2024, "professionnel", "MCV")


def dossier(reglement: Reglement, note: str, options: dict[str, str] | None = None, **autres: str) -> Dossier:
    notes = [NoteCandidat(code=e.code, note=D(autres.get(e.code, note))) for e in reglement.epreuves_obligatoires()]
    notes += [NoteCandidat(code=c, note=D(n)) for c, n in (options or {}).items()]
    return Dossier(notes=tuple(notes), options=tuple(options or {}))


# MCV: Σcoef 30.5, professional units 16 (chef-d'œuvre 2 + E2 5 + E31 5 + E32 2 + E33 2).
PRO_11 = {c: "11" for c in ("CHEF_OEUVRE", "PRO_E2", "PRO_E31", "PRO_E32", "PRO_E33")}


def test_r39_acces_au_controle_8_a_10_et_sous_moyenne_professionnelle_au_moins_10():
    calcul = calculer_moyenne(MCV, dossier(MCV, "9", MATHS="6", FRANCAIS="8", **PRO_11))
    assert (calcul.total_points, calcul.total_coefficients) == (D("299.5"), D("30.5"))
    assert sous_moyenne_professionnelle(calcul) == 11
    d1 = deliberer_premier_groupe(MCV, calcul)
    assert d1.resultat == Resultat.second_groupe
    assert any(e.regle == "R39" for e in d1.etapes)


def test_r39_sous_moyenne_professionnelle_sous_10_ajourne():
    d1 = deliberer_premier_groupe(MCV, calculer_moyenne(MCV, dossier(MCV, "9")))
    assert d1.calcul.moyenne_affichee == D("9.00")
    assert d1.resultat == Resultat.ajourne
    assert d1.certificat is None  # R31: no bac pro certificate known [U]


def test_r39_exemple_gains_maths_9_et_francais_2_5_admis_sans_mention():
    d1 = deliberer_premier_groupe(MCV, calculer_moyenne(MCV, dossier(MCV, "9", MATHS="6", FRANCAIS="8", **PRO_11)))
    d2 = deliberer_second_groupe(
        MCV, d1, (NoteControle(code="MATHS", note=D(12)), NoteControle(code="FRANCAIS", note=D(9)))
    )
    assert [s.points_retenus - s.points_premier_groupe for s in d2.substitutions] == [D("2.5"), D("9")]
    assert d2.total_points == D("311.0")
    assert d2.resultat == Resultat.admis
    assert d2.mention is None


def test_r39_une_sous_epreuve_par_groupe():
    d1 = deliberer_premier_groupe(MCV, calculer_moyenne(MCV, dossier(MCV, "9", MATHS="6", FRANCAIS="8", **PRO_11)))
    assert d1.resultat == Resultat.second_groupe
    deux_du_meme_groupe = (NoteControle(code="MATHS", note=D(12)), NoteControle(code="PSE", note=D(12)))
    with pytest.raises(ChoixControleRefuse, match="R39"):
        deliberer_second_groupe(MCV, d1, deux_du_meme_groupe)
    with pytest.raises(ChoixControleRefuse, match="R39"):
        deliberer_second_groupe(MCV, d1, (NoteControle(code="PRO_E31", note=D(12)),))


def test_r39_facultatives_seuls_les_points_au_dessus_de_10():
    base = calculer_moyenne(MCV, dossier(MCV, "12"))
    avec = calculer_moyenne(MCV, dossier(MCV, "12", options={"FAC_LV": "14", "FAC_EPS": "8"}))
    assert avec.total_coefficients == base.total_coefficients
    assert avec.total_points - base.total_points == 4  # (14 − 10) × 1 + 0
    assert avec.ligne("FAC_EPS").points == 0  # type: ignore[union-attr]


@pytest.mark.parametrize(("session", "mention"), [(2023, "tres_bien"), (2024, "tres_bien_felicitations")])
def test_r40_felicitations_bac_pro_depuis_2024(session: int, mention: str):
    r = charger_reglement(session, "professionnel", "CUISINE")
    d = deliberer_premier_groupe(r, calculer_moyenne(r, dossier(r, "18")))
    assert d.mention == mention
    assert any(e.regle.startswith("R40") for e in d.etapes)


# --- 2016 général (seed 004_cf7fcd3b61278ac3.txt) ---------------------------------------------------

S2016 = charger_reglement(2016, "general", "S")


def test_d334_8_2016_options_et_tpe_seuls_points_au_dessus_de_10():
    base = calculer_moyenne(S2016, dossier(S2016, "12", TPE="10"))
    assert base.total_coefficients == 38  # TPE coefficient is not a divisor
    avec = calculer_moyenne(S2016, dossier(S2016, "12", TPE="14", options={"OPT_LATIN": "14", "OPT_LV3": "8"}))
    assert avec.total_coefficients == 38
    assert avec.total_points - base.total_points == 8 + 12  # TPE (14−10)×2, latin (14−10)×3, LV3 0


def test_d334_11_2016_pas_de_felicitations():
    d = deliberer_premier_groupe(S2016, calculer_moyenne(S2016, dossier(S2016, "19")))
    assert d.mention == "tres_bien"


def test_d334_10_2016_pas_de_points_de_jury():
    calcul = calculer_moyenne(S2016, dossier(S2016, "9"))
    with pytest.raises(PointsJuryRefuses, match="ne prévoit pas"):
        deliberer_premier_groupe(S2016, calcul, ContexteJury(points_jury=D(5)))


def test_d334_4_2016_controle_de_francais_sur_ecrit_et_oral():
    d1 = deliberer_premier_groupe(S2016, calculer_moyenne(S2016, dossier(S2016, "9", FR_ECRIT="6", FR_ORAL="8")))
    d2 = deliberer_second_groupe(S2016, d1, (NoteControle(code="FR_ECRIT", note=D(12)),))
    (s,) = d2.substitutions
    assert (s.remplace, s.coefficient, s.points_premier_groupe, s.points_controle) == (
        ("FR_ECRIT", "FR_ORAL"),
        4,
        28,
        48,
    )


def test_d334_4_2016_deux_options_au_plus():
    from domain.calcul import OptionsInvalides

    with pytest.raises(OptionsInvalides, match="D334-4"):
        calculer_moyenne(S2016, dossier(S2016, "12", options={"OPT_LATIN": "12", "OPT_GREC": "12", "OPT_LV3": "12"}))


def test_origine_par_defaut_epreuve():
    assert NoteCandidat(code="X", note=D(1)).origine == Origine.epreuve
