"""Inscription: one session and one série per person and year (R36), séries and spécialités (R2, R9)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from tests.scenario import AUTRE_SESSION, Scenario, inscrire, ouvrir


def test_inscrit_enregistre_l_inscription_et_l_annee(scenario: Scenario) -> None:
    scenario.etant_donne(ouvrir())
    assert scenario.quand(inscrire()) == ["InscriptionAnnuelleEnregistrée", "Inscrit"]


def test_r36_seconde_inscription_meme_annee_meme_session_refusee(scenario: Scenario) -> None:
    scenario.etant_donne(ouvrir(), inscrire("00000001", ine="123456789AB"))
    refus = scenario.refus(inscrire("00000002", ine="123456789AB"))
    assert refus.code == "DEJA_INSCRIT_CETTE_ANNEE"
    assert "R36" in str(refus.regle)


def test_r36_seconde_inscription_meme_annee_autre_academie_refusee(scenario: Scenario) -> None:
    scenario.etant_donne(ouvrir(), ouvrir(AUTRE_SESSION), inscrire("00000001", ine="123456789AB"))
    refus = scenario.refus(inscrire("00000001", ine="123456789AB", session=AUTRE_SESSION))
    assert refus.code == "DEJA_INSCRIT_CETTE_ANNEE"


def test_r36_inscription_une_autre_annee_acceptee(scenario: Scenario) -> None:
    scenario.etant_donne(ouvrir(), ouvrir("2025-aix-marseille"), inscrire("00000001", ine="123456789AB"))
    assert "Inscrit" in scenario.quand(inscrire("00000001", ine="123456789AB", session="2025-aix-marseille"))


def test_numero_deja_attribue_refuse(scenario: Scenario) -> None:
    scenario.etant_donne(ouvrir(), inscrire("00000001"))
    assert scenario.refus(inscrire("00000001", ine="999999999ZZ")).code == "NUMERO_DEJA_ATTRIBUE"


def test_session_inconnue_refusee(scenario: Scenario) -> None:
    refus = scenario.refus(inscrire())
    assert refus.code == "INTROUVABLE"
    assert "Session inconnue" in refus.message


def test_inscriptions_closes_refusent_une_inscription(scenario: Scenario) -> None:
    scenario.etant_donne(ouvrir(), {"type": "clore_inscriptions", "session": "2024-aix-marseille"})
    assert scenario.refus(inscrire()).code == "INSCRIPTIONS_CLOSES"


def test_session_ouverte_deux_fois_refusee(scenario: Scenario) -> None:
    scenario.etant_donne(ouvrir())
    assert scenario.refus(ouvrir()).code == "SESSION_DEJA_OUVERTE"


def test_r9_serie_technologique_inconnue_refusee(scenario: Scenario) -> None:
    scenario.etant_donne(ouvrir())
    refus = scenario.refus(inscrire(voie="technologique", serie="XYZ"))
    assert "Aucun règlement" in refus.message


def test_r9_serie_technologique_connue_acceptee(scenario: Scenario) -> None:
    scenario.etant_donne(ouvrir())
    assert "Inscrit" in scenario.quand(inscrire(voie="technologique", serie="STMG"))


def test_r9_voie_generale_sans_serie(scenario: Scenario) -> None:
    with pytest.raises(ValidationError, match="R9"):
        scenario.commande(inscrire(serie="S"))


def test_r2_deux_specialites_distinctes(scenario: Scenario) -> None:
    scenario.etant_donne(ouvrir())
    with pytest.raises(ValidationError, match="R2"):
        scenario.commande(inscrire(specialites=["MATHS"]))
    assert scenario.refus(inscrire(specialites=["MATHS", "MATHS"])).code == "SPECIALITES_INVALIDES"


def test_r6_option_inconnue_ou_non_optionnelle_refusee(scenario: Scenario) -> None:
    scenario.etant_donne(ouvrir())
    assert scenario.refus(inscrire(options=["PHILO"])).code == "OPTION_INVALIDE"
    assert scenario.refus(inscrire(options=["OPT_INEXISTANTE"])).code == "EPREUVE_INCONNUE"


def test_r17_etalement_reserve_au_handicap(scenario: Scenario) -> None:
    scenario.etant_donne(ouvrir())
    assert scenario.refus(inscrire(etalement=True)).code == "ETALEMENT_INVALIDE"
    assert "Inscrit" in scenario.quand(inscrire(etalement=True, handicap=True))
