"""Second groupe: choice, contrôle grades, best-of, decision (R18–R22, R31, Q3, Q8; bac pro R39, R40)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.scenario import SESSION, Scenario, affecter, constituer_jury, deliberer, inscrire, notes_completes, ouvrir

UN, DEUX = "00000001", "00000002"
R22 = {"PHILO": 5, "SPE2": 6, "GRAND_ORAL": 18, "EMC_1": 11}  # 912 points (REGLEMENT R22)


def choix(*epreuves: str, numero: str = UN, session: str = SESSION) -> dict:
    return {"type": "choisir_controle", "session": session, "numero": numero, "epreuves": list(epreuves)}


def controle(epreuve: str, note: object, numero: str = UN, session: str = SESSION) -> dict:
    return {"type": "saisir_controle", "session": session, "numero": numero, "epreuve": epreuve, "note": str(note)}


@pytest.fixture
def au_second_groupe(scenario: Scenario) -> Scenario:
    """UN has 9.12 (R22); DEUX is admis at 12."""
    return scenario.etant_donne(
        ouvrir(),
        inscrire(UN),
        inscrire(DEUX),
        constituer_jury(),
        affecter(UN, DEUX),
        *notes_completes(UN, 9, **R22),
        *notes_completes(DEUX, 12),
        deliberer(1),
    )


def finale(s: Scenario, numero: str = UN, session: str = SESSION):  # type: ignore[no-untyped-def]
    return s.service.candidat(session, numero).deliberations[2]


def test_r22_exemple_a_992_ajourne_avec_certificat(au_second_groupe: Scenario) -> None:
    assert au_second_groupe.quand(choix("PHILO", "SPE2")) == ["ChoixContrôleEnregistré"]
    assert au_second_groupe.quand(controle("PHILO", 11)) == ["ContrôlePassé"]
    au_second_groupe.etant_donne(controle("SPE2", 8))
    assert au_second_groupe.quand(deliberer(2)) == ["GroupeDélibéré", "Délibéré"]
    d = finale(au_second_groupe)
    assert (d.decision, d.total_points, d.moyenne) == ("ajourne", 992, Decimal("9.92"))
    assert d.certificat == "certificat de fin d'études secondaires"  # R31
    assert [s.points_retenus - s.points_premier_groupe for s in d.trace.substitutions] == [48, 32]


def test_r22_exemple_b_1024_admis(au_second_groupe: Scenario) -> None:
    au_second_groupe.etant_donne(choix("PHILO", "SPE2"), controle("PHILO", 11), controle("SPE2", 10), deliberer(2))
    d = finale(au_second_groupe)
    assert (d.decision, d.total_points, d.moyenne, d.certificat) == ("admis", 1024, Decimal("10.24"), None)


def test_r21_pas_de_mention_apres_second_groupe(au_second_groupe: Scenario) -> None:
    au_second_groupe.etant_donne(choix("SPE1", "SPE2"), controle("SPE1", 20), controle("SPE2", 20), deliberer(2))
    d = finale(au_second_groupe)
    assert d.decision == "admis" and d.total_points == 912 + 11 * 16 + 14 * 16  # 13.12: no Assez bien
    assert d.mention is None
    ligne = next(e for e in au_second_groupe.service.etats(SESSION) if e["numero"] == UN)
    assert (ligne["statut"], ligne["mention"], ligne["groupe"]) == ("admis", None, 2)
    assert au_second_groupe.service.decision(SESSION, UN).rejeu == "identique"


def test_r20_r22_oral_moins_bon_conserve_l_ecrit(au_second_groupe: Scenario) -> None:
    au_second_groupe.etant_donne(choix("PHILO"), controle("PHILO", 4), deliberer(2))
    d = finale(au_second_groupe)
    assert d.total_points == 912 and d.trace.substitutions[0].retenue == "premier_groupe"


def test_q8_sans_choix_les_notes_du_premier_groupe_restent(au_second_groupe: Scenario) -> None:
    au_second_groupe.quand(deliberer(2))
    d = finale(au_second_groupe)
    assert (d.decision, d.total_points, d.certificat) == ("ajourne", 912, "certificat de fin d'études secondaires")


def test_r18_admis_ne_choisit_pas_de_controle(au_second_groupe: Scenario) -> None:
    refus = au_second_groupe.refus(choix("PHILO", numero=DEUX))
    assert refus.regle == "R18" and DEUX in refus.message


def test_r18_note_de_controle_refusee_hors_second_groupe(au_second_groupe: Scenario) -> None:
    refus = au_second_groupe.refus(controle("PHILO", 12, numero=DEUX))
    assert refus.code == "PAS_AU_SECOND_GROUPE" and refus.regle == "R18"


def test_r19_epreuve_non_eligible_refusee(au_second_groupe: Scenario) -> None:
    for epreuve in ("GRAND_ORAL", "HG_T", "FR_ORAL"):
        refus = au_second_groupe.refus(choix(epreuve))
        assert refus.code == "CHOIX_CONTROLE_REFUSE" and refus.regle == "R19"


def test_r19_pas_de_troisieme_epreuve(au_second_groupe: Scenario) -> None:
    assert au_second_groupe.refus(choix("PHILO", "SPE1", "SPE2")).regle == "R19"
    au_second_groupe.etant_donne(choix("PHILO", "SPE2"))
    refus = au_second_groupe.refus(choix("SPE1"))
    assert refus.regle == "R19" and "2 au plus" in refus.message


def test_r19_note_d_une_epreuve_non_choisie_refusee(au_second_groupe: Scenario) -> None:
    au_second_groupe.etant_donne(choix("PHILO"))
    assert au_second_groupe.refus(controle("SPE1", 12)).regle == "R19"
    au_second_groupe.etant_donne(controle("PHILO", 12))
    assert au_second_groupe.refus(controle("PHILO", 13)).code == "NOTE_DEJA_SAISIE"


def test_r13_note_de_controle_en_points_entiers(au_second_groupe: Scenario) -> None:
    au_second_groupe.etant_donne(choix("PHILO"))
    assert "R13" in str(au_second_groupe.refus(controle("PHILO", "11.5")).regle)


def test_second_groupe_avant_les_notes_de_controle_refuse(au_second_groupe: Scenario) -> None:
    au_second_groupe.etant_donne(choix("PHILO", "SPE2"), controle("PHILO", 11))
    refus = au_second_groupe.refus(deliberer(2))
    assert refus.code == "NOTES_MANQUANTES" and "SPE2" in refus.message


def test_second_groupe_une_seule_fois(au_second_groupe: Scenario) -> None:
    au_second_groupe.etant_donne(deliberer(2))
    assert au_second_groupe.refus(deliberer(2)).code == "RIEN_A_DELIBERER"
    assert au_second_groupe.refus(deliberer(2, numeros=[UN])).code == "DEJA_DELIBERE"


# --- Bac pro (R39, R40): CUISINE 2024, Σcoef 27, professional épreuves 15 ----------------------------

PRO = "2024-aix-marseille"
GENERAL_PRO = ("FRANCAIS", "HG_EMC", "MATHS", "LVA", "ECO_GESTION", "PSE", "ARTS_APPLIQUES", "EPS")


@pytest.fixture
def pro(scenario: Scenario) -> Scenario:
    notes = {code: "7.5" for code in GENERAL_PRO}  # 12 coef × 7.5 = 90
    return scenario.etant_donne(
        ouvrir(),
        inscrire(UN, voie="professionnel", serie="CUISINE"),
        constituer_jury(voie="professionnel"),
        affecter(UN),
        *notes_completes(UN, 10, voie="professionnel", serie="CUISINE", **notes),  # + 15 × 10 = 240 → 8.88
        deliberer(1),
    )


def test_r39_bac_pro_controle_une_sous_epreuve_par_groupe(pro: Scenario) -> None:
    d = pro.service.candidat(PRO, UN).deliberations[1]
    assert (d.decision, d.total_points, d.total_coefficients) == ("second_groupe", 240, 27)
    refus = pro.refus(choix("MATHS", "PSE"))
    assert refus.regle == "R39" and "exactement" in refus.message
    pro.etant_donne(choix("MATHS", "FRANCAIS"), controle("MATHS", 20), controle("FRANCAIS", 20), deliberer(2))
    finale_ = pro.service.candidat(PRO, UN).deliberations[2]
    # (20 − 7.5) × 1 + (20 − 7.5) × 2.5 = 43.75 → 283.75 / 27 = 10.50…: admis, no mention (R39, R40).
    assert (finale_.decision, finale_.total_points, finale_.mention) == ("admis", Decimal("283.75"), None)


def test_r39_bac_pro_sans_moyenne_professionnelle_pas_de_controle(scenario: Scenario) -> None:
    notes = {code: "9.5" for code in GENERAL_PRO}  # 114 + 15 × 8 = 234 → 8.66 but professional average 8
    scenario.etant_donne(
        ouvrir(),
        inscrire(UN, voie="professionnel", serie="CUISINE"),
        constituer_jury(voie="professionnel"),
        affecter(UN),
        *notes_completes(UN, 8, voie="professionnel", serie="CUISINE", **notes),
        deliberer(1),
    )
    d = scenario.service.candidat(PRO, UN).deliberations[1]
    assert d.decision == "ajourne" and d.certificat is None  # no certificate in the bac pro set ([U], R31)
    assert any(e.regle == "R39" for e in d.trace.etapes)
