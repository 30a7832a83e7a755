"""Premier-groupe deliberation of a jury: one act (R16, R23, R26, R28, R29, R17), with its explanation (R54)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from adapters.publication.explication import rendre
from domain.calcul import NoteCandidat
from domain.deliberation import identique
from tests.scenario import (
    MEMBRE,
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

UN, DEUX, TROIS = "00000001", "00000002", "00000003"


def livret(numero: str, **autres: object) -> dict[str, object]:
    return {"type": "examiner_livret", "session": SESSION, "numero": numero, "jury": "J1", **autres}


@pytest.fixture
def jury(scenario: Scenario) -> Scenario:
    """Three candidates of jury J1 (bac général 2024, Σcoef 100)."""
    return scenario.etant_donne(
        ouvrir(), *(inscrire(n) for n in (UN, DEUX, TROIS)), constituer_jury(), affecter(UN, DEUX, TROIS)
    )


def decision(s: Scenario, numero: str, groupe: int = 1):  # type: ignore[no-untyped-def]
    return s.service.candidat(SESSION, numero).deliberations[groupe]


def test_un_acte_pour_tout_le_jury(jury: Scenario) -> None:
    jury.etant_donne(*notes_completes(UN, 12), *notes_completes(DEUX, 9), *notes_completes(TROIS, 10))
    evenements_ = jury.executer(deliberer(1))
    assert [type(e).__name__ for e in evenements_] == ["GroupeDélibéré", "Délibéré", "Délibéré", "Délibéré"]
    assert len({e.acte.correlation_id for e in evenements_}) == 1
    groupe = evenements_[0]
    assert groupe.nombre_candidats == 3
    assert groupe.resultats == {"admis": 2, "second_groupe": 1}


def test_r16_bornes_10_00_admis_et_8_00_second_groupe(jury: Scenario) -> None:
    # 1000 points / 100 → exactly 10.00; 800 → exactly 8.00; 799 (EMC_T, coef 1, at 7) → 7.99.
    jury.etant_donne(*notes_completes(UN, 10), *notes_completes(DEUX, 8), *notes_completes(TROIS, 8, EMC_T=7))
    jury.quand(deliberer(1))
    un, deux, trois = (decision(jury, n) for n in (UN, DEUX, TROIS))
    assert (un.decision, un.total_points, un.moyenne) == ("admis", 1000, Decimal("10.00"))
    assert (deux.decision, deux.total_points, deux.moyenne) == ("second_groupe", 800, Decimal("8.00"))
    assert (trois.decision, trois.total_points, trois.moyenne) == ("ajourne", 799, Decimal("7.99"))
    assert trois.certificat is None  # R31: moyenne < 8


def test_r16_r22_912_points_second_groupe(jury: Scenario) -> None:
    jury.etant_donne(*notes_completes(UN, 9, PHILO=5, SPE2=6, GRAND_ORAL=18, EMC_1=11))
    jury.quand(deliberer(1, numeros=[UN]))
    d = decision(jury, UN)
    assert (d.decision, d.total_points, d.total_coefficients, d.moyenne) == ("second_groupe", 912, 100, Decimal("9.12"))


def test_r23_mention_et_felicitations(jury: Scenario) -> None:
    jury.etant_donne(*notes_completes(UN, 12), *notes_completes(DEUX, 18), *notes_completes(TROIS, 14))
    jury.quand(deliberer(1))
    assert [decision(jury, n).mention for n in (UN, DEUX, TROIS)] == ["assez_bien", "tres_bien_felicitations", "bien"]


def test_deliberer_avant_toutes_les_notes_liste_les_manquantes(jury: Scenario) -> None:
    jury.etant_donne(
        *notes_completes(UN, 12, sauf=("PHILO", "EPS")), *notes_completes(DEUX, 12), *notes_completes(TROIS, 12)
    )
    refus = jury.refus(deliberer(1))
    assert refus.code == "NOTES_MANQUANTES"
    assert "R13" in str(refus.regle)
    assert f"n° {UN}" in refus.message and "PHILO" in refus.message and "EPS" in refus.message
    assert DEUX not in refus.message


def test_r29_pas_d_ajournement_sans_examen_du_livret(scenario: Scenario) -> None:
    scenario.etant_donne(
        ouvrir(), inscrire(UN, livret_scolaire=True), constituer_jury(), affecter(UN), *notes_completes(UN, 6)
    )
    refus = scenario.refus(deliberer(1))
    assert refus.code == "LIVRET_NON_EXAMINE" and "R29" in str(refus.regle) and UN in refus.message
    assert scenario.quand(livret(UN, acteur=MEMBRE, role="membre_jury")) == ["LivretExaminé"]
    scenario.quand(deliberer(1))
    assert decision(scenario, UN).decision == "ajourne"


def test_r29_livret_examine_une_fois_et_seulement_s_il_est_fourni(jury: Scenario) -> None:
    assert jury.refus(livret(UN, **PAR_LE_PRESIDENT)).code == "SANS_LIVRET"


def test_r29_livret_non_examine_n_empeche_pas_l_admission(scenario: Scenario) -> None:
    scenario.etant_donne(
        ouvrir(), inscrire(UN, livret_scolaire=True), constituer_jury(), affecter(UN), *notes_completes(UN, 11)
    )
    scenario.quand(deliberer(1))
    assert decision(scenario, UN).decision == "admis"


def test_candidat_deja_delibere_refuse(jury: Scenario) -> None:
    jury.etant_donne(*(c for n in (UN, DEUX, TROIS) for c in notes_completes(n, 12)), deliberer(1))
    assert jury.refus(deliberer(1)).code == "RIEN_A_DELIBERER"
    refus = jury.refus(deliberer(1, numeros=[UN]))
    assert refus.code == "DEJA_DELIBERE" and UN in refus.message


def test_r28_la_deliberation_ne_montre_que_des_numeros(jury: Scenario) -> None:
    jury.etant_donne(*(c for n in (UN, DEUX, TROIS) for c in notes_completes(n, 12)))
    for e in jury.executer(deliberer(1)):
        texte = e.model_dump_json()
        assert "Candidat" not in texte and "identite" not in texte and "ine" not in e.model_dump()
    explication = jury.service.decision(SESSION, UN)
    assert "Candidat" not in str(explication.en_json())  # the test identity's last name


def test_r17_etalement_sans_decision_finale(scenario: Scenario) -> None:
    scenario.etant_donne(
        ouvrir(),
        inscrire(UN, handicap=True, etalement=True),
        constituer_jury(),
        affecter(UN),
        *notes_completes(UN, 12, sauf=("PHILO", "SPE1")),
        deliberer(1),
    )
    d = decision(scenario, UN)
    assert (d.decision, d.mention, d.certificat) == ("sans_decision_finale", None, None)


def test_r54_explication_et_rejeu_identique(jury: Scenario) -> None:
    jury.etant_donne(*(c for n in (UN, DEUX, TROIS) for c in notes_completes(n, 12, PHILO=15)), deliberer(1))
    e = jury.service.decision(SESSION, UN)
    assert e.rejeu == "identique"
    assert (e.decision, e.mention, e.total_points, e.total_coefficients, e.moyenne) == (
        "admis",
        "Assez bien",
        "1224.0",
        "100",
        "12.24",
    )
    philo = next(lg for lg in e.lignes if lg.code == "PHILO")
    assert (philo.note, philo.coefficient, philo.points, philo.origine) == ("15", "8", "120", "épreuve")
    assert {"R15", "R16", "R23"} <= set(e.regles)
    assert "D334-8" in e.articles and "D334-11" in e.articles
    assert e.reglement_version == "2024-general-v1" and len(e.reglement_empreinte) == 64
    assert (e.jury, e.president) == ("J1", "pres-j1")
    assert any(etape["seuil"] == "1000" for etape in e.etapes)  # 10 × Σcoef compared on points (Q1)
    from rich.console import Console

    console = Console(width=200, record=True)
    console.print(rendre(e))
    texte = console.export_text()
    assert "Rejeu des règles sur les entrées enregistrées : identique" in texte and "Assez bien" in texte


def test_r54_rejeu_detecte_une_decision_alteree(jury: Scenario) -> None:
    jury.etant_donne(*notes_completes(UN, 12), deliberer(1, numeros=[UN]))
    candidat = jury.service.candidat(SESSION, UN)
    d = candidat.deliberations[1]
    alteree = d.model_copy(update={"entrees": d.entrees.model_copy(update={"notes": d.entrees.notes[1:]})})
    assert identique(candidat.reglement, d)
    with pytest.raises(Exception, match="manquantes"):
        identique(candidat.reglement, alteree)
    autre = d.model_copy(update={"contexte": d.contexte.model_copy(update={"points_jury": Decimal(5)})})
    assert not identique(candidat.reglement, autre)


def test_projection_decision_mention_moyenne(jury: Scenario) -> None:
    jury.etant_donne(*notes_completes(UN, 12), *notes_completes(DEUX, 9), *notes_completes(TROIS, 6), deliberer(1))
    lignes = {ligne["numero"]: ligne for ligne in jury.service.etats(SESSION)}
    assert (lignes[UN]["statut"], lignes[UN]["mention"], lignes[UN]["moyenne"]) == ("admis", "assez_bien", "12.00")
    assert (lignes[UN]["total_points"], lignes[UN]["total_coefficients"], lignes[UN]["groupe"]) == ("1200.0", "100", 1)
    assert lignes[DEUX]["statut"] == "second_groupe" and lignes[TROIS]["statut"] == "ajourne"
    avant = jury.service.etats(SESSION)
    jury.service.reconstruire()
    assert jury.service.etats(SESSION) == avant


def test_r13_chaque_dossier_garde_la_note_telle_qu_elle_a_ete_saisie(jury: Scenario) -> None:
    """Grades of equal value written apart (12.5, 12.50) stay each candidate's own, in the dossier and in the
    stored decision: the grades shared between dossiers (domain/deliberation.py) are keyed by their text."""
    from domain.deliberation import dossier

    jury.etant_donne(
        *notes_completes(UN, 12, HG_T="12.5"),
        *notes_completes(DEUX, 12, HG_T="12.50"),
        *notes_completes(TROIS, 12, HG_T="12.5"),
    )

    def hg_t(notes: tuple[NoteCandidat, ...]) -> str:
        return str(next(n.note for n in notes if n.code == "HG_T"))

    attendu = ["12.5", "12.50", "12.5"]
    assert [hg_t(dossier(jury.service.candidat(SESSION, n)).notes) for n in (UN, DEUX, TROIS)] == attendu
    jury.executer(deliberer(1))
    assert [hg_t(decision(jury, n).entrees.notes) for n in (UN, DEUX, TROIS)] == attendu
