"""The règlement as versioned, validated data (R1, R2, R4, R6, R9–R11, R16, R18, R23, R30, R38, R40, R43)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from domain.errors import ReglementInvalide
from domain.reglement import (
    EpreuveInconnue,
    Nature,
    Reglement,
    ReglementIntrouvable,
    charger_reglement,
    lire_texte,
    reglements_disponibles,
)

SERIES_TECHNO = ("ST2S", "STI2D", "STL", "STMG", "STHR", "S2TMD", "STD2A", "STAV")


def _somme(reglement: Reglement, natures: set[Nature] | None = None) -> Decimal:
    return sum(
        (e.coefficient for e in reglement.epreuves_obligatoires() if natures is None or e.nature in natures),
        Decimal(0),
    )


def test_jeux_livres_general_techno_pro_et_2016():
    cles = {(c.session, c.voie, c.serie) for c in reglements_disponibles()}
    for session in range(2022, 2027):
        assert (session, "general", None) in cles
        for serie in SERIES_TECHNO:
            assert (session, "technologique", serie) in cles
        assert (session, "professionnel", "CUISINE") in cles
        assert (session, "professionnel", "MCV") in cles
    for serie in ("ES", "L", "S"):
        assert (2016, "general", serie) in cles


def test_chaque_jeu_a_sa_version_et_son_empreinte():
    disponibles = reglements_disponibles()
    assert len({c.version for c in disponibles}) == len(disponibles)
    assert len({c.empreinte for c in disponibles}) == len(disponibles)
    r = charger_reglement(2024, "general")
    assert r.version == "2024-general-v1"
    assert len(r.empreinte) == 64


def test_empreinte_stable_et_relue_a_l_identique():
    r = charger_reglement(2025, "technologique", "STMG")
    relu = Reglement.model_validate(r.model_dump(mode="json"))
    assert relu == r
    assert relu.empreinte == r.empreinte
    modifie = Reglement.model_validate({**r.model_dump(mode="json"), "version": "autre"})
    assert modifie.empreinte != r.empreinte


def test_charger_reglement_est_mis_en_cache():
    assert charger_reglement(2024, "general") is charger_reglement(2024, "general")


def test_r1_r2_r4_general_60_terminal_40_controle_continu():
    for session in range(2022, 2027):
        r = charger_reglement(session, "general")
        terminal = {Nature.ecrit_terminal, Nature.oral_terminal, Nature.anticipee_ecrit, Nature.anticipee_oral}
        assert _somme(r, terminal) == 60
        assert _somme(r, {Nature.controle_continu, Nature.eps}) == 40
        assert _somme(r) == 100
        assert r.epreuve("PHILO").coefficient == 8
        assert r.epreuve("GRAND_ORAL").coefficient == 10
        assert r.epreuve("SPE1").coefficient == r.epreuve("SPE2").coefficient == 16
        assert r.epreuve("SPE_1RE").coefficient == 8


def test_r10_r11_techno_philo_4_grand_oral_14_maths_en_cc():
    for serie in SERIES_TECHNO:
        r = charger_reglement(2024, "technologique", serie)
        assert _somme(r) == 100
        assert r.epreuve("PHILO").coefficient == 4
        assert r.epreuve("GRAND_ORAL").coefficient == 14
        assert r.epreuve("MATHS_1").nature == Nature.controle_continu
        assert r.benefice.meme_serie  # D336-13


def test_r9_stav_livre_avec_la_meme_structure_mais_non_confirme():
    r = charger_reglement(2024, "technologique", "STAV")
    assert all(not e.confirme for e in r.epreuves)
    assert all(e.confirme for e in charger_reglement(2024, "technologique", "STMG").epreuves if e.code == "PHILO")


def test_r23_mentions_avec_felicitations_depuis_2021_et_sans_en_2016():
    for session in range(2022, 2027):
        seuils = [m.seuil for m in charger_reglement(session, "general").mentions]
        assert seuils == [12, 14, 16, 18]
    assert [m.code for m in charger_reglement(2016, "general", "S").mentions][-1] == "tres_bien"


def test_r40_felicitations_bac_pro_a_partir_de_2024():
    assert [m.seuil for m in charger_reglement(2023, "professionnel", "CUISINE").mentions] == [12, 14, 16]
    assert [m.seuil for m in charger_reglement(2024, "professionnel", "CUISINE").mentions] == [12, 14, 16, 18]


def test_r16_r18_seuils_10_et_8():
    for cle in reglements_disponibles():
        r = charger_reglement(cle.session, cle.voie, cle.serie)
        assert r.seuils.admission == 10
        assert r.seuils.second_groupe == 8


def test_r30_plafond_de_points_de_jury_seulement_en_2026():
    assert charger_reglement(2025, "general").jury.points_max is None
    r26 = charger_reglement(2026, "general")
    assert r26.jury.points_max == 50
    assert r26.jury.interdit_vers_second_groupe
    assert not r26.jury.confirme  # décret reported by the press only [C2]
    assert not charger_reglement(2016, "general", "L").jury.points_autorises  # D334-10 (2016)


def test_r6_options_moyenne_complete_depuis_2022_points_au_dessus_de_10_en_2016_et_pro():
    assert charger_reglement(2022, "general").options.regle_calcul == "moyenne_complete"
    assert charger_reglement(2016, "general", "ES").options.regle_calcul == "points_au_dessus_de_10"
    assert charger_reglement(2024, "professionnel", "MCV").options.regle_calcul == "points_au_dessus_de_10"


def test_q3_substitution_du_francais_ecrit_seul_non_confirmee():
    r = charger_reglement(2024, "general")
    assert r.substitution("FR_ECRIT") == ("FR_ECRIT",)
    assert r.substitution("PHILO") == ("PHILO",)
    assert "substitution:FR_ECRIT" in r.non_confirmes


def test_r38_r43_specialites_pro_avec_code_nsf_et_groupe():
    cuisine = charger_reglement(2024, "professionnel", "CUISINE").specialite_pro
    commerce = charger_reglement(2024, "professionnel", "MCV").specialite_pro
    assert cuisine is not None and (cuisine.code_nsf[0], cuisine.groupe) == ("2", "Production")
    assert commerce is not None and (commerce.code_nsf[0], commerce.groupe) == ("3", "Services")
    r = charger_reglement(2024, "professionnel", "MCV")
    assert r.epreuve("FRANCAIS").coefficient == Decimal("2.5")
    assert r.epreuve("PRO_E31").professionnelle and not r.epreuve("PRO_E31").confirme


def test_d334_3_historique_2016_series_es_l_s_avec_tpe_points_au_dessus_de_10():
    for serie in ("ES", "L", "S"):
        r = charger_reglement(2016, "general", serie)
        assert r.epreuve("TPE").points_au_dessus_de_10
        assert all(e.note_entiere for e in r.epreuves)  # D334-8 (2016): points entiers
        assert r.version == f"2016-general-{serie.lower()}-v1"


def test_reglement_introuvable_nomme_la_session_et_la_voie():
    with pytest.raises(ReglementIntrouvable) as exc:
        charger_reglement(2019, "general")
    assert "Aucun règlement pour la session 2019, voie générale" in str(exc.value)
    assert exc.value.code == "REGLEMENT_INTROUVABLE"
    with pytest.raises(ReglementIntrouvable, match="séries disponibles : S2TMD"):
        charger_reglement(2024, "technologique", "XYZ")


def test_epreuve_inconnue_code_et_message():
    with pytest.raises(EpreuveInconnue) as exc:
        charger_reglement(2024, "general").epreuve("XYZ")
    assert str(exc.value) == "Épreuve « XYZ » inconnue pour la voie générale, session 2024 (R2, R4)"
    assert exc.value.code == "EPREUVE_INCONNUE"


# --- Invalid data is refused at load with a precise message --------------------------------------

_MINIMAL = """
voie = "general"
[commun]
version = "{session}-test-v1"
regles_epreuves = "R2"
arrondi_notes_non_entieres = "dixieme_superieur"
seuils = { admission = 10, second_groupe = 8, source = "t" }
options = { regle_calcul = "moyenne_complete", regle = "R6", source = "t" }
jury = { source = "t" }
second_groupe = { max_epreuves = 2, regle = "R19", source = "t" }
mentions = [
  { code = "assez_bien", libelle = "AB", seuil = 12, source = "t" },
  { code = "bien", libelle = "B", seuil = 14, source = "t" },
]
epreuves = [
  { code = "PHILO", libelle = "Philo", nature = "ecrit_terminal", coefficient = 60, note_entiere = true, source = "t" },
  { code = "HG", libelle = "HG", nature = "controle_continu", coefficient = 40, note_entiere = false, source = "t" },
]
[commun.benefice]
nb_sessions = 5
seuil = 10
natures = ["ecrit_terminal"]
meme_serie = false
regle = "R32"
source = "t"
[sessions.2030]
"""


def test_donnees_minimales_valides():
    (r,) = lire_texte(_MINIMAL, "test.toml")
    assert r.version == "2030-test-v1"


@pytest.mark.parametrize(
    ("remplacer", "par", "attendu"),
    [
        ("coefficient = 40", "coefficient = 0", "greater than 0"),
        ('code = "HG"', 'code = "PHILO"', "codes d'épreuve en double : PHILO"),
        ("seuil = 14", "seuil = 11", "strictement croissants"),
        ("second_groupe = 8", "second_groupe = 12", "seuil du second groupe"),
        ("note_entiere = false, source", "note_entiere = false, coefficient2 = 1, source", "Extra inputs"),
        ("[sessions.2030]", '[commun.structure]\ntotal_obligatoire = 99\nregle = "R1"\n[sessions.2030]', "R1"),
    ],
)
def test_donnees_invalides_refusees_avec_message_precis(remplacer: str, par: str, attendu: str):
    texte = _MINIMAL.replace(remplacer, par, 1)
    assert texte != _MINIMAL
    with pytest.raises(ReglementInvalide, match=attendu) as exc:
        lire_texte(texte, "faux.toml")
    assert "faux.toml [session 2030]" in str(exc.value)


def test_r1_structure_60_40_verifiee():
    texte = _MINIMAL.replace(
        "[sessions.2030]",
        '[commun.structure]\ntotal_obligatoire = 100\nterminal = 50\ncontrole_continu = 50\nregle = "R1"\n'
        "[sessions.2030]",
    )
    with pytest.raises(ReglementInvalide, match="Σ coefficients de contrôle continu = 40, attendu 50"):
        lire_texte(texte, "faux.toml")


def test_patch_sur_epreuve_absente_refuse():
    texte = _MINIMAL + 'epreuves_retirees = ["NEANT"]\n'
    with pytest.raises(ReglementInvalide, match="NEANT"):
        lire_texte(texte, "faux.toml")


def test_r34_ni_eps_ni_option_remplacables():
    texte = _MINIMAL.replace('nature = "controle_continu"', 'nature = "eps", remplacable = true')
    with pytest.raises(ReglementInvalide, match="R34"):
        lire_texte(texte, "faux.toml")


def test_empreinte_recalculee_sur_une_copie_modifiee():
    r = charger_reglement(2024, "general")
    assert r.model_copy(update={"version": "autre"}).empreinte != r.empreinte
    assert r.model_copy().empreinte == r.empreinte


def test_r15_rang_et_epreuve_relus_sur_une_copie_modifiee():
    """The code → épreuve index is the set's own: a copy with other épreuves does not keep the original's."""
    r = charger_reglement(2024, "general")
    troisieme = r.epreuves[2].code
    assert r.rang(troisieme) == 2 and r.epreuve(troisieme) is r.epreuves[2]
    copie = r.model_copy(update={"epreuves": r.epreuves[1:]})
    assert copie.rang(troisieme) == 1
    with pytest.raises(EpreuveInconnue):
        copie.epreuve(r.epreuves[0].code)
    assert r.model_dump() == charger_reglement(2024, "general").model_dump()  # the index is no field
