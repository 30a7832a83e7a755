"""Bénéfice des notes (R32, R33, R42; Q16; D334-13, D334-14, D336-13, D336-14)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from domain.calcul import (
    ConservationRefusee,
    Dossier,
    NoteCandidat,
    Origine,
    Resultat,
    calculer_moyenne,
    deliberer_premier_groupe,
    notes_conservables,
    verifier_conservation,
)
from domain.reglement import Nature, Reglement, charger_reglement

D = Decimal
R2024 = charger_reglement(2024, "general")
R2025 = charger_reglement(2025, "general")


def dossier(reglement: Reglement, note: str, conservees: dict[str, str] | None = None, **autres: str) -> Dossier:
    conservees = conservees or {}
    notes = []
    for e in reglement.epreuves_obligatoires():
        if e.code in conservees:
            notes.append(
                NoteCandidat(code=e.code, note=D(conservees[e.code]), origine=Origine.conservee, session_obtention=2024)
            )
            continue
        cc = e.nature in (Nature.controle_continu, Nature.eps)
        notes.append(
            NoteCandidat(
                code=e.code,
                note=D(autres.get(e.code, note)),
                origine=Origine.controle_continu if cc else Origine.epreuve,
            )
        )
    return Dossier(notes=tuple(notes))


def test_r32_exemple_maths_12_conservee_philo_9_non():
    calcul = calculer_moyenne(R2024, dossier(R2024, "6", SPE1="12", PHILO="9"))
    decision = deliberer_premier_groupe(R2024, calcul)
    assert decision.resultat == Resultat.ajourne
    codes = {c.code for c in notes_conservables(R2024, calcul, decision.resultat, premiere_session=2024)}
    assert "SPE1" in codes
    assert "PHILO" not in codes
    assert "HG_T" not in codes  # CC grades are not épreuves terminales


def test_r32_exemple_14_1_admis_sans_mention_avec_note_conservee():
    calcul = calculer_moyenne(
        R2025,
        dossier(
            R2025, "14", conservees={"SPE1": "12"}, HG_1="19.0", FR_ORAL="17", GRAND_ORAL="15", EMC_1="15", EMC_T="15"
        ),
    )
    assert calcul.total_points == 1410  # 1400 − 32 + 15 + 15 + 10 + 1 + 1 → 14.10
    decision = deliberer_premier_groupe(R2025, calcul)
    assert decision.resultat == Resultat.admis
    assert decision.mention is None


def test_r32_conservation_accordee_dans_les_cinq_sessions():
    c = verifier_conservation(R2024, R2025, "SPE1", D(12), session_obtention=2024, premiere_session=2024)
    assert c.derniere_session == 2029
    assert c.etapes[0].regle == "R32"


def test_r32_renoncement_definitif():
    with pytest.raises(ConservationRefusee, match="renoncement définitif"):
        verifier_conservation(R2024, R2025, "SPE1", D(12), session_obtention=2024, premiere_session=2024, renoncee=True)


def test_r32_note_inferieure_a_10_non_conservable():
    with pytest.raises(ConservationRefusee, match="R32"):
        verifier_conservation(R2024, R2025, "PHILO", D(9), session_obtention=2024, premiere_session=2024)


def test_r32_au_dela_de_cinq_sessions_refuse():
    with pytest.raises(ConservationRefusee, match="5 sessions"):
        verifier_conservation(
            R2022 := charger_reglement(2022, "general"),
            R2025,
            "SPE1",
            D(12),
            session_obtention=2022,
            premiere_session=2019,
        )
    assert R2022.session == 2022


def test_r32_cc_non_conservable():
    with pytest.raises(ConservationRefusee, match="épreuve terminale"):
        verifier_conservation(R2024, R2025, "HG_T", D(15), session_obtention=2024, premiere_session=2024)


def test_r32_seul_un_ajourne_conserve():
    calcul = calculer_moyenne(R2024, dossier(R2024, "12"))
    with pytest.raises(ConservationRefusee, match="ajourné"):
        notes_conservables(R2024, calcul, Resultat.admis, premiere_session=2024)


def test_r32_d336_13_techno_meme_serie():
    stmg = charger_reglement(2024, "technologique", "STMG")
    st2s = charger_reglement(2025, "technologique", "ST2S")
    with pytest.raises(ConservationRefusee, match="même série"):
        verifier_conservation(stmg, st2s, "PHILO", D(12), session_obtention=2024, premiere_session=2024)
    stmg25 = charger_reglement(2025, "technologique", "STMG")
    assert verifier_conservation(stmg, stmg25, "PHILO", D(12), session_obtention=2024, premiere_session=2024)


def test_r33_handicap_toute_note_conservable():
    c = verifier_conservation(R2024, R2025, "PHILO", D(7), session_obtention=2024, premiere_session=2024, handicap=True)
    assert c.etapes[0].regle == "R33"
    calcul = calculer_moyenne(R2024, dossier(R2024, "6"))
    codes = {c.code for c in notes_conservables(R2024, calcul, Resultat.ajourne, premiere_session=2024, handicap=True)}
    assert {"PHILO", "SPE1", "GRAND_ORAL", "FR_ECRIT"} <= codes


def test_q16_epreuve_absente_de_la_session_cible_refusee():
    s2016 = charger_reglement(2016, "general", "S")
    # A pre-reform set whose « MATHS » épreuve has no 2022+ equivalent (Q16): no silent re-mapping.
    r2021 = s2016.model_copy(
        update={"session": 2020, "serie": None, "benefice": s2016.benefice.model_copy(update={"meme_serie": False})}
    )
    with pytest.raises(ConservationRefusee, match="Q16"):
        verifier_conservation(r2021, R2024, "MATHS", D(12), session_obtention=2020, premiere_session=2020)


def test_r42_bac_pro_notes_au_moins_10_seuil_non_confirme():
    pro24 = charger_reglement(2024, "professionnel", "MCV")
    pro25 = charger_reglement(2025, "professionnel", "MCV")
    assert not pro24.benefice.confirme  # Q14
    c = verifier_conservation(pro24, pro25, "PRO_E31", D(10), session_obtention=2024, premiere_session=2024)
    assert c.etapes[0].regle == "R42"
    with pytest.raises(ConservationRefusee, match="même série"):
        verifier_conservation(
            pro24,
            charger_reglement(2025, "professionnel", "CUISINE"),
            "MATHS",
            D(12),
            session_obtention=2024,
            premiere_session=2024,
        )
