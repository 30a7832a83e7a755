"""Results-week cases of issue 13 (ADR 0019): absence at the second groupe, choice changed, contrôle corrected,
félicitations withheld, privation de mention (R19, R20, R29, R31, R37; Q4, Q8; D334-12, D336-12)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.scenario import (
    PAR_LE_PRESIDENT,
    SESSION,
    Scenario,
    affecter,
    constituer_jury,
    deliberer,
    inscrire,
    notes_completes,
    ouvrir,
)

UN, DEUX = "00000001", "00000002"
R22 = {"PHILO": 5, "SPE2": 6, "GRAND_ORAL": 18, "EMC_1": 11}  # 912 points (REGLEMENT R22)
CERTIFICAT = "certificat de fin d'études secondaires"
PAR_LE_SERVICE = {"acteur": "dec-1", "role": "service_examens"}


def choix(*epreuves: str, numero: str = UN, type_: str = "choisir_controle") -> dict:
    return {"type": type_, "session": SESSION, "numero": numero, "epreuves": list(epreuves)}


def controle(epreuve: str, note: object = None, *, absence: str | None = None, numero: str = UN) -> dict:
    donnees = {"type": "saisir_controle", "session": SESSION, "numero": numero, "epreuve": epreuve}
    return donnees | ({"absence": absence} if absence else {"note": str(note)})


def finale(s: Scenario, numero: str = UN):  # type: ignore[no-untyped-def]
    return s.service.candidat(SESSION, numero).deliberations[2]


@pytest.fixture
def au_second_groupe(scenario: Scenario) -> Scenario:
    """UN has 9.12 (REGLEMENT R22) and chose philosophie and spécialité 2."""
    return scenario.etant_donne(
        ouvrir(), inscrire(UN), constituer_jury(), affecter(UN), *notes_completes(UN, 9, **R22), deliberer(1),
        choix("PHILO", "SPE2"),
    )  # fmt: skip


# --- 1. Absence at the second groupe (Q8, R20, R31) ------------------------------------------------------


def test_q8_r20_absence_injustifiee_au_controle_la_note_du_premier_groupe_reste(au_second_groupe: Scenario) -> None:
    s = au_second_groupe
    assert s.quand(controle("PHILO", absence="injustifiee")) == ["AbsentAuContrôle"]
    s.etant_donne(controle("SPE2", 10))
    assert s.quand(deliberer(2)) == ["GroupeDélibéré", "Délibéré"]
    d = finale(s)
    # PHILO 5 × 8 stays (no contrôle grade); SPE2 10 replaces 6 at coef 16: 912 + 64 = 976 → ajourné.
    assert (d.decision, d.total_points) == ("ajourne", 976)
    philo = d.trace.substitutions[0]
    assert (philo.absence, philo.note_controle, philo.retenue) == ("injustifiee", None, "premier_groupe")
    # R31 (D334-12) and Q8: the certificate is delivered to the absent ajourné with an average ≥ 8, and said so.
    assert d.certificat == CERTIFICAT
    regles = [e.regle for e in d.trace.etapes]
    assert "R20, Q8" in regles and "R31, Q8" in regles
    assert s.service.decision(SESSION, UN).rejeu == "identique"


def test_q8_absence_justifiee_aux_deux_controles_puis_deliberation(au_second_groupe: Scenario) -> None:
    s = au_second_groupe
    s.etant_donne(controle("PHILO", absence="justifiee"), controle("SPE2", absence="justifiee"), deliberer(2))
    d = finale(s)
    assert (d.decision, d.total_points, d.certificat) == ("ajourne", 912, CERTIFICAT)
    libelles = " ".join(e.libelle for e in d.trace.etapes)
    assert "Absence justifiée au contrôle « PHILO »" in libelles and "recteur" in libelles  # R34, D334-19


def test_r19_q8_sans_note_ni_absence_la_deliberation_du_second_groupe_est_refusee(au_second_groupe: Scenario) -> None:
    au_second_groupe.etant_donne(controle("PHILO", absence="injustifiee"))
    refus = au_second_groupe.refus(deliberer(2))
    assert "SPE2" in refus.message and "ni note ni absence" in refus.message and "Q8" in (refus.regle or "")


def test_q8_absence_et_note_du_meme_controle_refusees(au_second_groupe: Scenario) -> None:
    s = au_second_groupe
    s.etant_donne(controle("PHILO", absence="injustifiee"))
    assert s.refus(controle("PHILO", 12)).code == "NOTE_DEJA_SAISIE"
    assert s.refus(controle("PHILO", absence="justifiee")).code == "NOTE_DEJA_SAISIE"
    assert s.refus(controle("SPE1", absence="injustifiee")).code == "CHOIX_CONTROLE_REFUSE"  # not chosen (R19)


def test_q8_la_commande_exige_une_note_ou_une_absence(scenario: Scenario) -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="Q8"):
        scenario.commande({"type": "saisir_controle", "session": SESSION, "numero": UN, "epreuve": "PHILO"})
    with pytest.raises(ValidationError, match="Q8"):
        scenario.commande(controle("PHILO", 12) | {"absence": "injustifiee"})


# --- 4. Choice changed before the oral (R19) ---------------------------------------------------------------


def test_r19_le_choix_change_avant_l_oral(au_second_groupe: Scenario) -> None:
    s = au_second_groupe
    assert s.quand(choix("PHILO", "SPE1", type_="modifier_choix_controle")) == ["ChoixContrôleModifié"]
    assert s.service.candidat(SESSION, UN).controles_choisis == ("PHILO", "SPE1")
    s.etant_donne(controle("SPE1", 20))
    # The oral of SPE1 is sat: it can no longer leave the choice; three épreuves are too many (R19).
    assert s.refus(choix("PHILO", "SPE2", type_="modifier_choix_controle")).regle == "R19"
    assert s.refus(choix("SPE1", "PHILO", "SPE2", type_="modifier_choix_controle")).regle == "R19"
    assert s.refus(choix("PHILO", "SPE1", type_="modifier_choix_controle")).code == "CHOIX_SANS_EFFET"


# --- 4. Correction of a contrôle grade (R29, ADR 0009) -----------------------------------------------------


def corriger_controle(epreuve: str, note: object, **autres: object) -> dict:
    return {
        "type": "corriger_controle", "session": SESSION, "numero": UN, "epreuve": epreuve, "note": str(note),
        "motif": "transcription", "raison": "report erroné du bordereau d'oral", **PAR_LE_SERVICE, **autres,
    }  # fmt: skip


def test_r29_correction_d_un_controle_apres_deliberation_renvoie_au_jury(au_second_groupe: Scenario) -> None:
    s = au_second_groupe
    s.etant_donne(controle("PHILO", 11), controle("SPE2", 8), deliberer(2))
    assert finale(s).decision == "ajourne"  # 992 (REGLEMENT R22 outcome A)
    assert s.quand(corriger_controle("SPE2", 10)) == ["ContrôleCorrigé"]
    assert s.service.candidat(SESSION, UN).a_redeliberer_second_groupe
    s.etant_donne(deliberer(2))
    d = finale(s)
    assert (d.decision, d.total_points) == ("admis", 1024)  # outcome B
    assert s.service.decision(SESSION, UN).rejeu == "identique"
    assert s.refus(deliberer(2)).code == "RIEN_A_DELIBERER"


def test_r29_correction_d_un_controle_sans_effet_sur_la_decision(au_second_groupe: Scenario) -> None:
    s = au_second_groupe
    s.etant_donne(controle("PHILO", 11), controle("SPE2", 8), deliberer(2))
    s.etant_donne(corriger_controle("SPE2", 7))
    assert not s.service.candidat(SESSION, UN).a_redeliberer_second_groupe  # 976: still ajourné, certificate
    assert s.refus(corriger_controle("SPE2", 7)).code == "CORRECTION_SANS_EFFET"
    assert s.refus(corriger_controle("SPE2", 9, role="correcteur")).code == "ROLE_NON_AUTORISE"
    assert s.refus(corriger_controle("SPE1", 9)).code == "NOTE_NON_SAISIE"


# --- 4. Félicitations withheld (Q4) and privation de mention (R37) -----------------------------------------


def refuser_felicitations(numero: str = DEUX, raison: str | None = "appréciation du livret") -> dict:
    donnees = {"type": "refuser_felicitations", "session": SESSION, "numero": numero, "jury": "J1"}
    return donnees | PAR_LE_PRESIDENT | ({"raison": raison} if raison else {})


def priver(numero: str = DEUX) -> dict:
    return {
        "type": "priver_de_mention", "session": SESSION, "numero": numero, "decision_commission": "CD-2024-017",
        "raison": "fraude à l'épreuve de philosophie", "acteur": "recteur-aix", "role": "recteur",
    }  # fmt: skip


@pytest.fixture
def a_18(scenario: Scenario) -> Scenario:
    """DEUX has 18 everywhere: félicitations automatic (R23, Q4)."""
    return scenario.etant_donne(ouvrir(), inscrire(DEUX), constituer_jury(), affecter(DEUX), *notes_completes(DEUX, 18))


def test_q4_felicitations_refusees_avant_la_deliberation(a_18: Scenario) -> None:
    assert a_18.quand(refuser_felicitations()) == ["FélicitationsRefusées"]
    a_18.etant_donne(deliberer(1))
    d = a_18.service.candidat(SESSION, DEUX).deliberations[1]
    assert (d.decision, d.mention) == ("admis", "tres_bien")
    assert any("Q4" in e.regle and "félicitations" in e.libelle for e in d.trace.etapes)
    assert a_18.service.decision(SESSION, DEUX).rejeu == "identique"


def test_q4_felicitations_refusees_apres_la_deliberation_le_jury_redelibere(a_18: Scenario) -> None:
    a_18.etant_donne(deliberer(1))
    assert a_18.service.candidat(SESSION, DEUX).deliberations[1].mention == "tres_bien_felicitations"
    a_18.etant_donne(refuser_felicitations())
    assert a_18.service.candidat(SESSION, DEUX).a_redeliberer
    a_18.etant_donne(deliberer(1))
    assert a_18.service.candidat(SESSION, DEUX).deliberations[1].mention == "tres_bien"
    assert a_18.refus(refuser_felicitations()).code == "DEJA_FAIT"


def test_q4_refus_sans_raison_ou_sans_felicitations(a_18: Scenario) -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="Q4"):
        a_18.commande(refuser_felicitations(raison=None))
    a_18.etant_donne(inscrire(UN), affecter(UN), *notes_completes(UN, 12), deliberer(1))
    assert a_18.refus(refuser_felicitations(UN)).code == "SANS_FELICITATIONS"
    assert a_18.refus(refuser_felicitations() | {"acteur": "membre-j1", "role": "membre_jury"}).regle


def test_r37_privation_de_mention_sanction_enregistree_avant_deliberation(a_18: Scenario) -> None:
    assert a_18.quand(priver()) == ["MentionPrivée"]
    a_18.etant_donne(deliberer(1))
    d = a_18.service.candidat(SESSION, DEUX).deliberations[1]
    assert (d.decision, d.mention) == ("admis", None)
    assert any(e.regle == "R24, R37" for e in d.trace.etapes)
    assert a_18.refus(priver()).code == "DEJA_FAIT"


def test_r37_privation_apres_la_deliberation_renvoie_au_jury(a_18: Scenario) -> None:
    a_18.etant_donne(deliberer(1), priver(), deliberer(1))
    assert a_18.service.candidat(SESSION, DEUX).deliberations[1].mention is None
    refus = a_18.refus(priver(DEUX) | {"acteur": "pres-j1", "role": "president_jury", "numero": DEUX})
    assert refus.regle == "R37"


def test_les_nouveaux_actes_passent_par_bac_apply_en_lot(a_18: Scenario, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json

    chemin = tmp_path / "lot.jsonl"
    lignes = [refuser_felicitations(), deliberer(1)]
    chemin.write_text("\n".join(json.dumps(ligne) for ligne in lignes) + "\n", encoding="utf-8")
    president = a_18.habilitations.principal("pres-j1", "president_jury")  # the batch is his act
    rapport = a_18.service.appliquer_lot(a_18.service.lire_lot(chemin, president), president)
    assert rapport.evenements >= 3
    assert a_18.service.candidat(SESSION, DEUX).deliberations[1].mention == "tres_bien"
    assert Decimal(a_18.service.decision(SESSION, DEUX).moyenne) == Decimal(18)


# --- Attacks and bad inputs, written before their defence ---------------------------------------------------


def test_attaque_absence_au_controle_d_un_candidat_admis_refusee(a_18: Scenario) -> None:
    a_18.etant_donne(deliberer(1))
    refus = a_18.refus(controle("PHILO", absence="injustifiee", numero=DEUX))
    assert (refus.code, refus.regle) == ("PAS_AU_SECOND_GROUPE", "R18")


def test_attaque_valeur_d_absence_inconnue_refusee_a_la_validation(scenario: Scenario) -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        scenario.commande(controle("PHILO", absence="peut-etre"))


def test_attaque_choix_modifie_non_rattrapable_ou_apres_deliberation(au_second_groupe: Scenario) -> None:
    s = au_second_groupe
    assert s.refus(choix("GRAND_ORAL", type_="modifier_choix_controle")).code == "CHOIX_CONTROLE_REFUSE"  # R19
    assert s.refus(choix("INCONNUE", type_="modifier_choix_controle")).code == "EPREUVE_INCONNUE"
    s.etant_donne(controle("PHILO", 12), controle("SPE2", 12), deliberer(2))
    assert s.refus(choix("PHILO", "SPE1", type_="modifier_choix_controle")).code == "DEJA_DELIBERE"


def test_attaque_correction_de_controle_sans_raison_ou_hors_echelle(au_second_groupe: Scenario) -> None:
    from pydantic import ValidationError

    s = au_second_groupe
    s.etant_donne(controle("PHILO", 11))
    with pytest.raises(ValidationError, match="R29"):
        s.commande({k: v for k, v in corriger_controle("PHILO", 12).items() if k != "raison"})
    with pytest.raises(ValidationError):
        s.commande(corriger_controle("PHILO", 21))
    assert s.refus(corriger_controle("PHILO", "12.5")).regle == "R13"  # whole points (D334-8)


def test_attaque_privation_par_un_membre_du_jury_refusee(a_18: Scenario) -> None:
    refus = a_18.refus(priver() | {"acteur": "membre-j1", "role": "membre_jury"})
    assert (refus.code, refus.regle) == ("ROLE_NON_AUTORISE", "R37")


def test_attaque_felicitations_refusees_par_un_autre_jury(a_18: Scenario) -> None:
    a_18.etant_donne(constituer_jury("J2"))
    refus = a_18.refus(refuser_felicitations() | {"jury": "J2", "acteur": "pres-j1"})
    assert refus.regle == "R26"
