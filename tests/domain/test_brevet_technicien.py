"""Brevet de technicien (R58, R59, R60; seed 003_aacc5faa8ca732ac.txt, D336-50, D336-56, D336-57, D336-58 [I])."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.calcul.brevet_technicien import (
    DecisionBrevetRefusee,
    autoriser_septembre,
    decerner_titre,
    issue_premiere_serie,
    verifier_jury_brevet,
)
from domain.errors import ReglementInvalide
from domain.reglement import ReglementIntrouvable
from domain.reglement.brevet import charger_brevet_technicien, lire_brevet

BT = charger_brevet_technicien("HOTELLERIE", 1993)
S1 = [e.code for e in BT.epreuves_de(1)]
S2 = [e.code for e in BT.epreuves_de(2)]


def notes(valeur: int, codes: list[str], **autres: int) -> dict[str, Decimal]:
    return {c: Decimal(autres.get(c, valeur)) for c in codes}


def test_r58_le_jeu_se_charge_avec_ses_sources_et_ses_valeurs_non_confirmees() -> None:
    assert "D336-56" in BT.sources[0] and len(BT.empreinte) == 64
    assert "sessions" in BT.non_confirmes and "S1_PRATIQUE" in BT.non_confirmes
    with pytest.raises(ReglementIntrouvable, match="brevet de technicien"):
        charger_brevet_technicien("HOTELLERIE", 2024)


def test_r58_premiere_serie_10_admis_8_a_10_apres_dossier_sous_8_ajourne() -> None:
    assert issue_premiere_serie(BT, notes(10, S1), candidat_d336_50=True).resultat == "admis_deuxieme_serie"
    with pytest.raises(DecisionBrevetRefusee, match="dossier scolaire"):
        issue_premiere_serie(BT, notes(9, S1), candidat_d336_50=True)
    admis = issue_premiere_serie(BT, notes(9, S1), candidat_d336_50=True, dossier_examine=True, admis_par_le_jury=True)
    assert admis.resultat == "admis_deuxieme_serie"
    refuse = issue_premiere_serie(BT, notes(9, S1), candidat_d336_50=True, dossier_examine=True)
    assert refuse.resultat == "ajourne"
    assert issue_premiere_serie(BT, notes(7, S1), candidat_d336_50=True).resultat == "ajourne"
    with pytest.raises(DecisionBrevetRefusee, match="< 8"):
        issue_premiere_serie(BT, notes(7, S1), candidat_d336_50=True, dossier_examine=True, admis_par_le_jury=True)


def test_r58_dispense_de_la_deuxieme_serie_au_dessus_de_10_pour_un_scolaire_d336_50() -> None:
    dispense = issue_premiere_serie(
        BT, notes(11, S1), candidat_d336_50=True, dossier_examine=True, dispense_par_le_jury=True
    )
    assert dispense.resultat == "dispense_deuxieme_serie"
    titre = decerner_titre(BT, notes(11, S1), issue=dispense)
    assert titre.titre and titre.dispense  # 1° of the article
    with pytest.raises(DecisionBrevetRefusee, match="supérieure à 10"):  # exactly 10 is not « supérieure »
        issue_premiere_serie(BT, notes(10, S1), candidat_d336_50=True, dossier_examine=True, dispense_par_le_jury=True)
    with pytest.raises(DecisionBrevetRefusee, match="D336-50"):  # promotion sociale: never dispensed
        issue_premiere_serie(BT, notes(12, S1), candidat_d336_50=False, dossier_examine=True, dispense_par_le_jury=True)


def test_r58_exemple_moyenne_generale_11_mais_professionnelle_sous_10_pas_de_titre() -> None:
    """REGLEMENT R58's worked example: admitted after the dossier, overall above 10, professional 9.5 → no title."""
    premiere = issue_premiere_serie(
        BT, notes(9, S1), candidat_d336_50=True, dossier_examine=True, admis_par_le_jury=True
    )
    toutes = {**notes(9, S1), **notes(20, S2, S2_GESTION=10, S2_PRATIQUE=10)}
    titre = decerner_titre(BT, toutes, issue=premiere)
    assert titre.moyenne_generale > 10 and titre.moyenne_professionnelle < 10
    assert not titre.titre
    assert "pas de titre" in titre.etapes[-1].libelle


def test_r59_force_majeure_aux_epreuves_generales_septembre() -> None:
    sans_generales_1 = {"S1_TECHNOLOGIE": Decimal(12), "S1_PRATIQUE": Decimal(12)}
    etape1 = autoriser_septembre(BT, sans_generales_1, empechees=["S1_FRANCAIS", "S1_LV_ORAL"])
    assert etape1.epreuves_professionnelles_deuxieme_serie and etape1.epreuves_septembre == ()
    avec_pro_2 = {**sans_generales_1, "S2_GESTION": Decimal(10), "S2_PRATIQUE": Decimal(10)}
    etape2 = autoriser_septembre(BT, avec_pro_2, empechees=["S1_FRANCAIS", "S1_LV_ORAL"])
    assert set(etape2.epreuves_septembre) == {"S1_FRANCAIS", "S1_LV_ORAL", "S2_EPS", "S2_ECONOMIE"}
    seconde = {**notes(12, S1), "S2_GESTION": Decimal(10), "S2_PRATIQUE": Decimal(10)}
    assert autoriser_septembre(BT, seconde, empechees=["S2_EPS", "S2_ECONOMIE"]).epreuves_septembre == (
        "S2_EPS", "S2_ECONOMIE",
    )  # fmt: skip
    faible = {**notes(12, S1), "S2_GESTION": Decimal(5), "S2_PRATIQUE": Decimal(6)}  # professional 8.6
    assert autoriser_septembre(BT, faible, empechees=["S2_EPS", "S2_ECONOMIE"]).epreuves_septembre == ()
    with pytest.raises(DecisionBrevetRefusee, match="générales"):
        autoriser_septembre(BT, notes(12, S1), empechees=["S2_PRATIQUE"])  # professional: no September session


def test_r60_jury_moitie_enseignement_moitie_profession() -> None:
    assert verifier_jury_brevet(BT, ["enseignement_public", "enseignement_prive", "employeur", "salarie"])
    with pytest.raises(DecisionBrevetRefusee, match="moitié"):
        verifier_jury_brevet(BT, ["enseignement_public", "enseignement_public", "enseignement_prive", "employeur"])
    with pytest.raises(DecisionBrevetRefusee, match="salariés"):
        verifier_jury_brevet(BT, ["enseignement_public", "enseignement_prive", "employeur", "employeur"])
    with pytest.raises(DecisionBrevetRefusee, match="privé"):
        verifier_jury_brevet(BT, ["enseignement_public", "enseignement_public", "employeur", "salarie"])
    assert verifier_jury_brevet(BT, ["enseignement_public", "employeur"] * 1 + ["enseignement_public", "salarie"],
                                prive_impossible=True)  # fmt: skip


def test_r58_un_jeu_sans_epreuve_professionnelle_en_deuxieme_serie_est_refuse() -> None:
    texte = (
        'specialite = "X"\nlibelle = "x"\nversion = "x"\nsessions = [1990]\nsources = ["s"]\n'
        "[seuils]\nseconde_serie = 10\nexamen_dossier = 8\ndispense_strictement_au_dessus = 10\ntitre_general = 10\n"
        "titre_professionnel = 10\nremplacement_subies = 8\nremplacement_professionnel_premiere = 8\n"
        'remplacement_professionnel_tous = 10\nsource = "s"\n'
        '[jury]\npart_enseignement_public = 0.5\npart_profession = 0.5\nsource = "s"\n'
        + "".join(
            f'[[epreuves]]\ncode = "E{i}"\nlibelle = "e"\nserie = {s}\nprofessionnelle = {p}\ncoefficient = 1\n'
            'source = "s"\n'
            for i, (s, p) in enumerate([(1, "true"), (1, "false"), (2, "false"), (2, "false")])
        )
    )
    with pytest.raises(ReglementInvalide, match="série 2"):
        lire_brevet(texte, "x.toml")


note = st.integers(min_value=0, max_value=20).map(Decimal)


@settings(max_examples=200, deadline=None)
@given(
    st.fixed_dictionaries({c: note for c in S1 + S2}),
    st.booleans(),
    st.booleans(),
)
def test_propriete_r58_jamais_de_titre_sans_les_deux_moyennes(toutes: dict, admis: bool, d336_50: bool) -> None:
    """Invariant: the title by averages (2°) never goes without both averages ≥ 10; the only other way is the
    jury's dispensation of the second série (1°), which needs a first-série average above 10."""
    try:
        premiere = issue_premiere_serie(BT, {c: toutes[c] for c in S1}, candidat_d336_50=d336_50,
                                        dossier_examine=True, admis_par_le_jury=admis)  # fmt: skip
    except DecisionBrevetRefusee:
        return
    if premiere.resultat == "ajourne":
        with pytest.raises(DecisionBrevetRefusee):
            decerner_titre(BT, toutes, issue=premiere)
        return
    titre = decerner_titre(BT, toutes, issue=premiere)
    if titre.titre:
        assert titre.moyenne_generale >= 10 and titre.moyenne_professionnelle >= 10
    else:
        assert titre.moyenne_generale < 10 or titre.moyenne_professionnelle < 10
