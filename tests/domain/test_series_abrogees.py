"""Abrogated séries of the bac technologique as historical rule sets: hôtellerie (R61, D336-23 to D336-38) and
techniques de la musique et de la danse (R62, D336-39 to D336-48), seed 003_aacc5faa8ca732ac.txt."""

from __future__ import annotations

from tests.scenario import Scenario, affecter, constituer_jury, deliberer, inscrire, notes_completes, ouvrir

S15 = "2015-aix-marseille"
UN = "00000001"


def etant_inscrit(s: Scenario, serie: str) -> Scenario:
    return s.etant_donne(
        ouvrir(S15), inscrire(UN, session=S15, voie="technologique", serie=serie),
        constituer_jury(session=S15, voie="technologique"), affecter(UN, session=S15),
    )  # fmt: skip


def test_r61_hotellerie_une_absence_meme_justifiee_vaut_zero(scenario: Scenario) -> None:
    s = etant_inscrit(scenario, "HOTELLERIE")
    absence = {"type": "saisir_note", "session": S15, "numero": UN, "epreuve": "PHILO", "absence": "justifiee",
               "origine": "epreuve_terminale"}  # fmt: skip
    s.etant_donne(
        absence, *notes_completes(UN, 11, session=S15, voie="technologique", serie="HOTELLERIE", sauf=("PHILO",)),
        deliberer(1, session=S15),
    )  # fmt: skip
    d = s.service.candidat(S15, UN).deliberations[1]
    # D336-28: « L'absence à une épreuve obligatoire est sanctionnée par la note zéro » — justified or not.
    philo = d.trace.calcul.ligne("PHILO")
    assert philo is not None and philo.note == 0
    assert d.reglement_version == "2015-technologique-hotellerie-historique-v1"
    assert (d.total_points, d.total_coefficients, d.decision) == (11 * 23, 25, "admis")  # 10.12
    assert d.mention is None  # D336-31: AB at 12


def test_r61_hotellerie_second_groupe_deux_disciplines_au_choix_meilleure_note(scenario: Scenario) -> None:
    s = etant_inscrit(scenario, "HOTELLERIE")
    s.etant_donne(
        *notes_completes(UN, 9, session=S15, voie="technologique", serie="HOTELLERIE"), deliberer(1, session=S15),
        {"type": "choisir_controle", "session": S15, "numero": UN, "epreuves": ["ECO_DROIT", "GESTION_HOTELIERE"]},
        {"type": "saisir_controle", "session": S15, "numero": UN, "epreuve": "ECO_DROIT", "note": "5"},
        {"type": "saisir_controle", "session": S15, "numero": UN, "epreuve": "GESTION_HOTELIERE", "note": "14"},
        deliberer(2, session=S15),
    )  # fmt: skip
    d = s.service.candidat(S15, UN).deliberations[2]
    # 225 + (14 − 9) × 5 = 250 → 10 : admis; ECO_DROIT's contrôle 5 < 9 keeps the premier-groupe grade.
    assert (d.decision, d.total_points, d.mention) == ("admis", 250, None)
    assert [x.retenue for x in d.trace.substitutions] == ["premier_groupe", "controle"]
    assert {e.regle for e in d.trace.etapes} >= {"R61"}


def test_r62_tmd_certificat_de_fin_d_etudes_professionnelles_secondaires(scenario: Scenario) -> None:
    s = etant_inscrit(scenario, "TMD")
    s.etant_donne(
        *notes_completes(UN, 9, session=S15, voie="technologique", serie="TMD"), deliberer(1, session=S15),
        deliberer(2, session=S15),
    )  # fmt: skip
    d = s.service.candidat(S15, UN).deliberations[2]
    assert (d.decision, d.certificat) == ("ajourne", "certificat de fin d'études professionnelles secondaires")
