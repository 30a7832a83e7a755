"""Second groupe (R18–R22, R24, R29, R31; Q3, Q8; D334-4, D334-8, D336-8)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from domain.calcul import (
    ChoixControleRefuse,
    ContexteJury,
    DecisionPremierGroupe,
    Dossier,
    LivretNonExamine,
    NoteCandidat,
    NoteControle,
    Origine,
    Resultat,
    calculer_moyenne,
    deliberer_premier_groupe,
    deliberer_second_groupe,
)
from domain.errors import EtatIncompatible
from domain.reglement import Nature, Reglement, charger_reglement

D = Decimal
R = charger_reglement(2024, "general")


def premier_groupe(reglement: Reglement, note: str, **autres: str) -> DecisionPremierGroupe:
    notes = []
    for e in reglement.epreuves_obligatoires():
        cc = e.nature in (Nature.controle_continu, Nature.eps)
        origine = Origine.controle_continu if cc else Origine.epreuve
        notes.append(NoteCandidat(code=e.code, note=D(autres.get(e.code, note)), origine=origine))
    return deliberer_premier_groupe(reglement, calculer_moyenne(reglement, Dossier(notes=tuple(notes))))


def controles(**notes: str) -> tuple[NoteControle, ...]:
    return tuple(NoteControle(code=c, note=D(n)) for c, n in notes.items())


# REGLEMENT R22: 900 − 32 (philo 5) − 48 (spé 6) + 90 (Grand oral 18) + 2 = 912 points.
R22 = {"PHILO": "5", "SPE2": "6", "GRAND_ORAL": "18", "EMC_1": "11"}


def test_r18_r22_premier_groupe_912_second_groupe():
    d1 = premier_groupe(R, "9", **R22)
    assert d1.total_apres_jury == 912
    assert d1.resultat == Resultat.second_groupe


def test_r22_issue_a_992_ajourne_avec_certificat():
    d2 = deliberer_second_groupe(R, premier_groupe(R, "9", **R22), controles(PHILO="11", SPE2="8"))
    gains = [s.points_retenus - s.points_premier_groupe for s in d2.substitutions]
    assert gains == [48, 32]
    assert d2.total_points == 992
    assert d2.moyenne_affichee == D("9.92")
    assert d2.resultat == Resultat.ajourne
    assert d2.certificat == "certificat de fin d'études secondaires"  # R31


def test_r22_issue_b_1024_admis_sans_mention():
    d2 = deliberer_second_groupe(R, premier_groupe(R, "9", **R22), controles(SPE2="10", PHILO="11"))
    assert d2.total_points == 1024
    assert d2.resultat == Resultat.admis
    assert d2.mention is None
    assert d2.certificat is None


def test_r20_r22_oral_moins_bon_que_l_ecrit_ne_fait_rien_perdre():
    d2 = deliberer_second_groupe(R, premier_groupe(R, "9", **R22), controles(PHILO="4"))
    (s,) = d2.substitutions
    assert (s.points_premier_groupe, s.points_controle, s.points_retenus, s.retenue) == (40, 32, 40, "premier_groupe")
    assert d2.total_points == 912


def test_r21_r24_mention_refusee_apres_le_second_groupe():
    d1 = premier_groupe(R, "12", SPE1="1", SPE2="4")  # 1200 − 176 − 128 = 896
    assert d1.resultat == Resultat.second_groupe
    d2 = deliberer_second_groupe(R, d1, controles(SPE1="20", SPE2="20"))
    assert d2.total_points == 1456  # 14.56: would be « Bien » at the premier groupe
    assert d2.resultat == Resultat.admis
    assert d2.mention is None
    assert any(e.regle == "R21, R24" for e in d2.etapes)


def test_q3_le_controle_de_francais_remplace_l_ecrit_seul_coef_5():
    d1 = premier_groupe(R, "9", FR_ECRIT="4")
    (s,) = deliberer_second_groupe(R, d1, controles(FR_ECRIT="14")).substitutions
    assert s.remplace == ("FR_ECRIT",)
    assert s.coefficient == 5
    assert s.points_retenus - s.points_premier_groupe == 50


def test_r19_grand_oral_et_cc_non_rattrapables():
    d1 = premier_groupe(R, "9")
    for code in ("GRAND_ORAL", "HG_T", "FR_ORAL", "EPS"):
        with pytest.raises(ChoixControleRefuse, match="R19"):
            deliberer_second_groupe(R, d1, controles(**{code: "12"}))


def test_r19_pas_de_troisieme_epreuve():
    with pytest.raises(ChoixControleRefuse, match="2 au plus") as exc:
        deliberer_second_groupe(R, premier_groupe(R, "9"), controles(PHILO="12", SPE1="12", SPE2="12"))
    assert exc.value.regle == "R19"


def test_r19_q3_une_seule_epreuve_autorisee():
    d2 = deliberer_second_groupe(R, premier_groupe(R, "9", PHILO="4"), controles(PHILO="20"))
    assert d2.total_points == 900 - 40 + 128


def test_r18_candidat_admis_ou_ajourne_n_a_pas_de_second_groupe():
    with pytest.raises(EtatIncompatible, match="R18"):
        deliberer_second_groupe(R, premier_groupe(R, "12"), controles(PHILO="12"))
    with pytest.raises(EtatIncompatible, match="R18"):
        deliberer_second_groupe(R, premier_groupe(R, "5"), ())


def test_q8_r31_absent_au_second_groupe_ajourne_avec_certificat():
    d2 = deliberer_second_groupe(R, premier_groupe(R, "9"), ())
    assert d2.resultat == Resultat.ajourne
    assert d2.total_points == 900
    assert d2.certificat is not None


def test_r29_ajournement_apres_second_groupe_exige_le_livret_examine():
    with pytest.raises(LivretNonExamine):
        deliberer_second_groupe(R, premier_groupe(R, "9"), (), ContexteJury(livret_fourni=True))


def test_r31_techno_certificat_technologique_apres_second_groupe():
    rt = charger_reglement(2024, "technologique", "STI2D")
    d2 = deliberer_second_groupe(rt, premier_groupe(rt, "9"), controles(PHILO="9"))
    assert d2.certificat == "certificat de fin d'études technologiques secondaires"
