"""Rule sets added by issue 13 load and validate with their sources (R3, R38, R43, R61, R62; Q13, Q16; ADR 0019)."""

from __future__ import annotations

import pytest

from domain.errors import ReglementInvalide
from domain.reglement import charger_reglement, reglements_disponibles
from domain.reglement.chargement import resoudre_session

NOUVELLES_SPECIALITES = {"MELEC": "Production", "MSPC": "Production", "AGORA": "Services", "ASSP": "Services",
                         "MA": "Services", "OL": "Services"}  # fmt: skip


def test_r3_2027_un_fichier_par_session_herite_de_2026_pour_chaque_voie() -> None:
    cles = {(c.session, c.voie, c.serie) for c in reglements_disponibles()}
    for _session, voie, serie in [k for k in cles if k[0] == 2026]:
        assert (2027, voie, serie) in cles
    g26, g27 = charger_reglement(2026, "general"), charger_reglement(2027, "general")
    assert g27.jury == g26.jury  # the 2026 points-de-jury cap is inherited
    assert sum(e.coefficient for e in g27.epreuves_obligatoires()) == 100  # R1 still holds (60 + 40)
    assert "MATHS-2027" in g27.sources
    t27 = charger_reglement(2027, "technologique", "STMG")
    assert t27.epreuve("MATHS_ANTICIPEE").coefficient == 2 and "GRAND_ORAL" in t27.non_confirmes


def test_r38_r43_nouvelles_specialites_pro_par_groupe_nsf_et_non_confirmees() -> None:
    for session in range(2022, 2028):
        for code, groupe in NOUVELLES_SPECIALITES.items():
            r = charger_reglement(session, "professionnel", code)
            assert r.specialite_pro is not None and r.specialite_pro.groupe == groupe
            assert any(e.professionnelle for e in r.epreuves)
            assert [e.code for e in r.epreuves if e.professionnelle and e.confirme] == []  # all flagged [U]
    assert "PHYSIQUE_CHIMIE" in charger_reglement(2024, "professionnel", "MELEC").second_groupe.groupes[0].codes


def test_q16_equivalence_du_chef_d_oeuvre_en_2027_signalee_non_confirmee() -> None:
    r = charger_reglement(2027, "professionnel", "CUISINE")
    assert r.equivalence("CHEF_OEUVRE") is not None and "equivalence:CHEF_OEUVRE" in r.non_confirmes
    assert charger_reglement(2026, "professionnel", "CUISINE").equivalences == ()


def test_r61_r62_series_abrogees_avec_leurs_articles() -> None:
    h = charger_reglement(2015, "technologique", "HOTELLERIE")
    t = charger_reglement(2015, "technologique", "TMD")
    assert h.absence_justifiee_zero and not t.absence_justifiee_zero
    assert "D336-28" in h.second_groupe.source and [m.code for m in h.mentions][-1] == "tres_bien"
    assert t.certificat == "certificat de fin d'études professionnelles secondaires"
    assert all(not e.confirme for e in (*h.epreuves, *t.epreuves))


def test_adr_0019_un_fichier_de_session_mal_forme_est_refuse_en_le_nommant() -> None:
    tous = {(r.session, r.voie, r.serie): r for r in (charger_reglement(2026, "general"),)}
    base = {"voie": "general", "session": 2028, "herite_de": 2026, "version": "{session}-general-v1"}
    with pytest.raises(ReglementInvalide, match=r"general-2028\.toml"):
        resoudre_session(base, "general-2029.toml", tous)
    with pytest.raises(ReglementInvalide, match="antérieure"):
        resoudre_session({**base, "herite_de": 2028}, "general-2028.toml", tous)
    with pytest.raises(ReglementInvalide, match="clés inconnues"):
        resoudre_session({**base, "coefficients": {}}, "general-2028.toml", tous)
    with pytest.raises(ReglementInvalide, match="absente de la base"):
        resoudre_session({**base, "commun": {"epreuves_retirees": ["ABSENTE"]}}, "general-2028.toml", tous)
    jeux = resoudre_session(base, "general-2028.toml", tous)
    assert [j.version for j in jeux] == ["2028-general-v1"]
