"""The jury deliberates on its own candidates, acts by its designated members (R26, R27, R41)."""

from __future__ import annotations

from typing import Any

import pytest

from domain import ids
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

UN, DEUX = "00000001", "00000002"


@pytest.fixture
def deux_jurys(scenario: Scenario) -> Scenario:
    j2 = constituer_jury("J2")
    j2["president"] = {"identifiant": "pres-j2", "qualite": "maitre_de_conferences"}
    j2["membres"] = [{"identifiant": "membre-j2", "categorie": "ia_ipr"}]
    return scenario.etant_donne(
        ouvrir(),
        inscrire(UN, livret_scolaire=True),
        inscrire(DEUX, livret_scolaire=True),
        constituer_jury(),
        j2,
        affecter(UN),
        affecter(DEUX, jury="J2"),
        *notes_completes(UN, 12),
        *notes_completes(DEUX, 12),
    )


def test_r26_seul_le_president_delibere(deux_jurys: Scenario) -> None:
    refus = deux_jurys.refus({**deliberer(1), "acteur": MEMBRE, "role": "membre_jury"})
    assert refus.code == "PAS_PRESIDENT_DU_JURY" and refus.regle == "R26"
    refus = deux_jurys.refus({**deliberer(1), "acteur": "pres-j2"})
    assert refus.code == "PAS_PRESIDENT_DU_JURY"


def test_r26_le_jury_ne_delibere_que_ses_candidats(deux_jurys: Scenario) -> None:
    refus = deux_jurys.refus(deliberer(1, numeros=[UN, DEUX]))
    assert refus.code == "AUTRE_JURY" and DEUX in refus.message
    assert deux_jurys.quand(deliberer(1)) == ["GroupeDélibéré", "Délibéré"]
    jury: Any = deux_jurys.service.registre.repository.get(ids.jury_id(SESSION, "J1"))
    assert jury.deliberations == [(1, (UN,))]


def test_r26_r29_livret_examine_par_un_membre_du_jury_du_candidat(deux_jurys: Scenario) -> None:
    livret = {"type": "examiner_livret", "session": SESSION, "numero": DEUX, "jury": "J1"}
    assert deux_jurys.refus({**livret, **PAR_LE_PRESIDENT}).code == "AUTRE_JURY"
    assert deux_jurys.refus({**livret, "jury": "J2", "acteur": MEMBRE, "role": "membre_jury"}).code == (
        "PAS_MEMBRE_DU_JURY"
    )
    assert deux_jurys.refus({**livret, "jury": "J2", "acteur": "dec", "role": "gestionnaire"}).regle == "R26"
    assert deux_jurys.quand({**livret, "jury": "J2", "acteur": "membre-j2", "role": "membre_jury"}) == ["LivretExaminé"]
    assert deux_jurys.refus({**livret, "jury": "J2", "acteur": "pres-j2", "role": "president_jury"}).code == (
        "DEJA_EXAMINE"
    )


def test_r27_jury_techno_avec_un_tiers_de_professionnels(scenario: Scenario) -> None:
    sans_pro = constituer_jury(voie="technologique")
    sans_pro["membres"] = sans_pro["membres"][:1]
    scenario.etant_donne(ouvrir())
    assert scenario.refus(sans_pro).code == "JURY_SANS_PROFESSIONNELS"
    assert scenario.quand(constituer_jury(voie="technologique")) == ["JuryConstitué"]
