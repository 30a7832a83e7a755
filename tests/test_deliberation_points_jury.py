"""Points de jury (R30, Q2, Q7; D334-10, D336-10; décret 2025-1159 for session 2026)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.scenario import (
    PAR_LE_PRESIDENT,
    Scenario,
    affecter,
    constituer_jury,
    deliberer,
    inscrire,
    notes_completes,
    ouvrir,
)

S2026 = "2026-aix-marseille"
UN = "00000001"


def points(valeur: object, numero: str = UN, *, session: str = S2026, groupe: int = 1, **autres: object) -> dict:
    return {
        "type": "attribuer_points_jury",
        "session": session,
        "numero": numero,
        "jury": "J1",
        "groupe": groupe,
        "points": str(valeur),
        "raison": "écart avec le livret scolaire",
        **PAR_LE_PRESIDENT,
        **autres,
    }


def session_2026(scenario: Scenario, **notes: object) -> Scenario:
    return scenario.etant_donne(
        ouvrir(S2026),
        inscrire(UN, session=S2026),
        constituer_jury(session=S2026),
        affecter(UN, session=S2026),
        *notes_completes(UN, session=S2026, **notes),  # type: ignore[arg-type]
    )


def test_r30_exemple_960_plus_50_admis(scenario: Scenario) -> None:
    session_2026(scenario, base=10, PHILO=5)  # 1000 − 40 = 960 → 9.60
    assert scenario.quand(points(50)) == ["PointsJuryAttribués"]
    scenario.quand(deliberer(1, session=S2026))
    d = scenario.service.candidat(S2026, UN).deliberations[1]
    assert (d.decision, d.total_points, d.moyenne, d.contexte.points_jury) == ("admis", 1010, Decimal("10.10"), 50)
    assert scenario.service.decision(S2026, UN).points_jury == "50"


def test_r30_2026_plafond_50_points_cumules(scenario: Scenario) -> None:
    session_2026(scenario, base=10, PHILO=5)
    refus = scenario.refus(points(51))
    assert refus.code == "POINTS_JURY_REFUSES" and "R30" in str(refus.regle)
    scenario.etant_donne(points(30))
    assert scenario.refus(points(21)).code == "POINTS_JURY_REFUSES"


def test_r30_r18_780_ne_peut_etre_porte_a_800(scenario: Scenario) -> None:
    session_2026(scenario, base=8, FR_ECRIT=4)  # 800 − 20 = 780 → 7.80
    refus = scenario.refus(points(20))
    assert "R18" in str(refus.regle) and "second groupe" in refus.message
    scenario.quand(deliberer(1, session=S2026))
    assert scenario.service.candidat(S2026, UN).deliberations[1].decision == "ajourne"


def test_r30_q7_raison_obligatoire(scenario: Scenario) -> None:
    from pydantic import ValidationError

    session_2026(scenario, base=10, PHILO=5)
    with pytest.raises(ValidationError, match="R30"):
        scenario.commande({**points(10), "raison": None})


def test_r30_seul_le_president_et_avant_la_deliberation(scenario: Scenario) -> None:
    session_2026(scenario, base=10, PHILO=5)
    assert scenario.refus(points(10, acteur="dec", role="gestionnaire")).code == "PAS_PRESIDENT_DU_JURY"
    scenario.etant_donne(deliberer(1, session=S2026))
    assert scenario.refus(points(10)).code == "DEJA_DELIBERE"


def test_r30_points_de_jury_sans_plafond_avant_2026(scenario: Scenario) -> None:
    scenario.etant_donne(ouvrir(), inscrire(UN), constituer_jury(), affecter(UN), *notes_completes(UN, 10, PHILO=5))
    session = "2024-aix-marseille"
    scenario.quand(points(60, session=session))
    scenario.quand(deliberer(1))
    assert scenario.service.candidat(session, UN).deliberations[1].total_points == 1020
