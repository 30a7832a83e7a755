"""Replacement épreuves (R34, Q15; D334-19, D336-18): the recteur authorises, the jury waits, then deliberates."""

from __future__ import annotations

import pytest

from domain.evenements import NoteSaisie
from tests.scenario import (
    SESSION,
    Scenario,
    affecter,
    appliquer_comme,
    constituer_jury,
    deliberer,
    inscrire,
    note,
    notes_completes,
    ouvrir,
)

UN, DEUX = "00000001", "00000002"
RECTEUR = {"acteur": "recteur-aix", "role": "recteur"}


def autoriser(*epreuves: str, numero: str = UN, **acteur: str) -> dict:
    return {
        "type": "autoriser_remplacement",
        "session": SESSION,
        "numero": numero,
        "epreuves": list(epreuves),
        "raison": "hospitalisation, certificat médical",
        **(acteur or RECTEUR),
    }


@pytest.fixture
def absent(scenario: Scenario) -> Scenario:
    """UN missed philosophie with a justified absence; DEUX has every grade."""
    return scenario.etant_donne(
        ouvrir(),
        inscrire(UN),
        inscrire(DEUX),
        constituer_jury(),
        affecter(UN, DEUX),
        *notes_completes(UN, 12, sauf=("PHILO",)),
        note("PHILO", None, UN, absence="justifiee"),
        *notes_completes(DEUX, 12),
    )


def test_r34_absence_justifiee_sans_autorisation_bloque_la_deliberation(absent: Scenario) -> None:
    refus = absent.refus(deliberer(1))
    assert "R34" in str(refus.regle) and UN in refus.message and "PHILO" in refus.message


def test_r34_seul_le_recteur_autorise(absent: Scenario) -> None:
    refus = absent.refus(autoriser("PHILO", acteur="dec", role="service_examens"))
    assert refus.code == "REMPLACEMENT_NON_AUTORISE" and "R34" in str(refus.regle)


def test_r34_ni_eps_ni_option_ni_controle_continu(scenario: Scenario) -> None:
    scenario.etant_donne(
        ouvrir(),
        inscrire(UN),
        note("EPS", None, UN, origine="controle_continu", absence="justifiee"),
        note("HG_T", None, UN, origine="controle_continu", absence="justifiee"),
    )
    for epreuve in ("EPS", "HG_T"):
        refus = scenario.refus(autoriser(epreuve))
        assert refus.code == "REMPLACEMENT_IMPOSSIBLE" and refus.regle == "R34"


def test_r34_seulement_apres_une_absence_justifiee(absent: Scenario) -> None:
    assert absent.refus(autoriser("SPE1")).code == "ABSENCE_NON_JUSTIFIEE"


def test_r34_en_attente_puis_note_de_remplacement_puis_deliberation(absent: Scenario) -> None:
    assert absent.quand(autoriser("PHILO")) == ["RemplacementAutorisé"]
    absent.quand(deliberer(1))
    un = absent.service.candidat(SESSION, UN)
    assert un.deliberations[1].decision == "en_attente_remplacement"
    assert next(e for e in absent.service.etats(SESSION) if e["numero"] == UN)["statut"] == "en_attente_remplacement"
    # Nothing to deliberate while the replacement grade is missing; named: a clear refusal.
    assert absent.refus(deliberer(1)).code == "RIEN_A_DELIBERER"
    assert absent.refus(deliberer(1, numeros=[UN])).code == "REMPLACEMENT_EN_ATTENTE"
    evenements = absent.executer(note("PHILO", 14, UN))
    assert [type(e).__name__ for e in evenements] == ["NoteSaisie"] and evenements[0].remplacement is True
    assert absent.refus(note("PHILO", 15, UN)).code == "NOTE_DEJA_SAISIE"  # once only
    assert absent.quand(deliberer(1)) == ["GroupeDélibéré", "Délibéré"]
    d = absent.service.candidat(SESSION, UN).deliberations[1]
    assert (d.decision, d.total_points) == ("admis", 1216)  # 1200 − 12×8 + 14×8
    assert absent.refus(deliberer(1, numeros=[DEUX])).code == "DEJA_DELIBERE"


def test_r34_seconde_note_refusee_sans_remplacement(absent: Scenario) -> None:
    assert absent.refus(note("PHILO", 14, UN)).code == "NOTE_DEJA_SAISIE"


def test_notesaisie_ancienne_sans_marque_de_remplacement_se_lit() -> None:
    # A NoteSaisie stored before the `remplacement` field existed (additive field with a default: no upcaster).
    ancien = (
        '{"originator_id":"b17bf8d8-bb7d-5df8-a676-04bd7fca3906","originator_version":2,'
        '"timestamp":"2024-06-20T10:00:00+00:00","epreuve":"PHILO","note":"12","absence":null,'
        '"origine":"epreuve_terminale","source":"santorin","correcteur":null,'
        '"acte":{"acteur":"dec","role":"gestionnaire","raison":null,'
        '"correlation_id":"8594fdd4-4b3b-4555-90bf-0521f71c54e4","causation_id":null}}'
    )
    evenement = NoteSaisie.model_validate_json(ancien)
    assert evenement.remplacement is False and str(evenement.note) == "12"


def test_r34_adr0015_la_redeliberation_par_lot_mot_pour_mot_est_un_nouvel_acte_si_elle_a_son_id(
    absent: Scenario,
) -> None:
    """July's one-line batch and September's are the same bytes: the same file again is a retry (nothing
    happens, said as such); the re-deliberation is told apart by its ``id``, as its content cannot tell."""
    service = absent.service
    absent.quand(autoriser("PHILO"))
    ((_, juillet),) = appliquer_comme(service, [deliberer(1)])
    assert juillet.appliquees == 1
    absent.executer(note("PHILO", 14, UN))
    ((_, relance),) = appliquer_comme(service, [deliberer(1)])
    assert (relance.appliquees, relance.deja_appliquees) == (0, 1), "le même fichier : une reprise"
    assert service.candidat(SESSION, UN).deliberations[1].decision == "en_attente_remplacement"
    ((_, septembre),) = appliquer_comme(service, [deliberer(1, id="2024-aix-marseille.J1.remplacement")])
    assert (septembre.appliquees, septembre.deja_appliquees) == (1, 0)
    assert service.candidat(SESSION, UN).deliberations[1].decision == "admis"
