"""Corrections of erreurs matérielles, re-deliberation, harmonisation, recours, inspection (R5, R29, R54, R55)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from tests.scenario import SESSION, Scenario, affecter, constituer_jury, deliberer, inscrire, notes_completes, ouvrir

UN, DEUX = "00000001", "00000002"


def corriger(epreuve: str, note: Any, numero: str = UN, **autres: Any) -> dict[str, Any]:
    return {
        "type": "corriger_note", "session": SESSION, "numero": numero, "epreuve": epreuve, "note": str(note),
        "motif": "transcription", "raison": "Erreur de report du bordereau", **autres,
    }  # fmt: skip


def harmoniser(*changements: tuple[str, str, Any], **autres: Any) -> dict[str, Any]:
    return {
        "type": "harmoniser_notes", "session": SESSION, "commission": "CH-AIX", "membres": ["ipr-1", "ipr-2"],
        "changements": [{"numero": n, "epreuve": e, "note": str(v)} for n, e, v in changements],
        "acteur": "ipr-1", "role": "commission_harmonisation", "raison": "Discordance manifeste avec les ponctuelles",
        **autres,
    }  # fmt: skip


@pytest.fixture
def jury(scenario: Scenario) -> Scenario:
    return scenario.etant_donne(ouvrir(), inscrire(UN), inscrire(DEUX), constituer_jury(), affecter(UN, DEUX))


def candidat(s: Scenario, numero: str = UN) -> Any:
    return s.service.candidat(SESSION, numero)


def test_r29_une_note_corrigee_garde_l_ancienne_valeur(jury: Scenario) -> None:
    jury.etant_donne(*notes_completes(UN, 12))
    evenements = jury.executer(corriger("PHILO", 14))
    assert [type(e).__name__ for e in evenements] == ["NoteCorrigée"]
    e = evenements[0]
    assert (e.ancienne_note, e.note, e.motif, e.redeliberation) == (Decimal(12), Decimal(14), "transcription", False)
    assert e.acte.raison == "Erreur de report du bordereau"
    assert candidat(jury).notes["PHILO"].note == Decimal(14)


def test_r29_correction_par_l_administration_seulement(jury: Scenario) -> None:
    jury.etant_donne(*notes_completes(UN, 12))
    refus = jury.refus(corriger("PHILO", 14, acteur="cor-1", role="correcteur"))
    assert (refus.code, refus.regle) == ("ROLE_NON_AUTORISE", "R29")


def test_r29_correction_motivee_et_d_une_note_saisie(jury: Scenario) -> None:
    with pytest.raises(ValidationError, match="raison"):
        jury.commande({**corriger("PHILO", 14), "raison": None})
    assert jury.refus(corriger("PHILO", 14)).code == "NOTE_NON_SAISIE"
    jury.etant_donne(*notes_completes(UN, 12))
    assert jury.refus(corriger("PHILO", 12)).code == "CORRECTION_SANS_EFFET"
    assert jury.refus(corriger("PHILO", "12.5")).code == "NOTE_INVALIDE"  # R13: whole points


def test_r29_correction_qui_change_la_decision_renvoie_au_jury(jury: Scenario) -> None:
    jury.etant_donne(*notes_completes(UN, 10), *notes_completes(DEUX, 12), deliberer(1))
    assert candidat(jury).deliberations[1].decision == "admis"  # exactly 10.00
    (corrigee,) = jury.executer(corriger("PHILO", 9))
    assert corrigee.redeliberation is True and candidat(jury).a_redeliberer
    assert jury.quand(deliberer(1)) == ["GroupeDélibéré", "Délibéré"]  # only the corrected candidate
    d = candidat(jury).deliberations[1]
    assert (d.decision, d.total_points) == ("second_groupe", 992)
    noms = [e.evenement for e in jury.service.historique(SESSION, UN)]
    assert noms.count("Délibéré") == 2  # the superseded decision stays in the log


def test_r29_correction_sans_effet_sur_la_decision(jury: Scenario) -> None:
    jury.etant_donne(*notes_completes(UN, 14), *notes_completes(DEUX, 12), deliberer(1))
    (corrigee,) = jury.executer(corriger("PHILO", 15))
    assert corrigee.redeliberation is False and not candidat(jury).a_redeliberer
    assert jury.refus(deliberer(1)).code == "RIEN_A_DELIBERER"


def test_r29_second_groupe_attend_la_nouvelle_deliberation(jury: Scenario) -> None:
    jury.etant_donne(*notes_completes(UN, 9), *notes_completes(DEUX, 12), deliberer(1))
    jury.etant_donne(corriger("SPE1", 0))  # 9.00 → 7.56: the candidate would be ajourné, the jury decides again
    refus = jury.refus({"type": "choisir_controle", "session": SESSION, "numero": UN, "epreuves": ["PHILO"]})
    assert (refus.code, refus.regle) == ("A_REDELIBERER", "R29")


def test_r5_harmonisation_un_acte_pour_toute_la_commission(jury: Scenario) -> None:
    jury.etant_donne(*notes_completes(UN, 12), *notes_completes(DEUX, 12))
    evenements = jury.executer(harmoniser((UN, "HG_1", 11), (DEUX, "HG_1", 13), (DEUX, "LVA_1", 10)))
    assert [type(e).__name__ for e in evenements] == [
        "NotesHarmonisées",
        "NoteHarmonisée",
        "NoteHarmonisée",
        "NoteHarmonisée",
    ]
    assert len({e.acte.correlation_id for e in evenements}) == 1
    acte = evenements[0]
    assert acte.commission == "CH-AIX" and acte.membres == ("ipr-1", "ipr-2")
    premier = acte.changements[0]
    assert (premier.numero, premier.epreuve, premier.ancienne, premier.nouvelle) == (UN, "HG_1", 12, 11)
    assert candidat(jury, DEUX).notes["LVA_1"].note == Decimal(10)


def test_r5_harmonisation_refusee_en_entier(jury: Scenario) -> None:
    jury.etant_donne(*notes_completes(UN, 12), *notes_completes(DEUX, 12))
    refus = jury.refus(harmoniser((UN, "HG_1", 11), (DEUX, "PHILO", 13), (DEUX, "HG_1", 13)))
    assert refus.code == "HARMONISATION_REFUSEE" and "PHILO" in refus.message and "D336-4-1" in str(refus.regle)
    assert candidat(jury).notes["HG_1"].note == Decimal(12)
    assert jury.refus(harmoniser((UN, "HG_1", 11), acteur="ipr-9")).code == "PAS_MEMBRE_COMMISSION"
    assert jury.refus(harmoniser((UN, "HG_1", 11), role="gestionnaire")).code == "ROLE_NON_AUTORISE"


def test_r55_recours_depose_puis_tranche(jury: Scenario) -> None:
    recours = {"type": "deposer_recours", "session": SESSION, "numero": UN, "objet": "Note de philosophie",
               "epreuves": ["PHILO"], "raison": "Demande du candidat du 8 juillet"}  # fmt: skip
    assert jury.refus(recours).code == "NON_DELIBERE"
    jury.etant_donne(*notes_completes(UN, 12), *notes_completes(DEUX, 12), deliberer(1))
    assert jury.quand(recours) == ["RecoursDéposé"]
    assert jury.refus(recours).code == "RECOURS_EN_COURS"
    trancher = {"type": "trancher_recours", "session": SESSION, "numero": UN, "issue": "rejete",
                "raison": "Aucune erreur matérielle", "role": "service_examens"}  # fmt: skip
    assert jury.quand(trancher) == ["RecoursTranché"]
    assert jury.refus(trancher).code == "PAS_DE_RECOURS"


def test_r54_inspection_enregistre_le_rejeu(jury: Scenario) -> None:
    jury.etant_donne(*notes_completes(UN, 12), *notes_completes(DEUX, 12), deliberer(1))
    inspection = {"type": "mener_inspection", "session": SESSION, "numero": UN, "conclusion": "conforme",
                  "acteur": "cada-1", "role": "auditeur", "raison": "Saisine CADA n° 42"}  # fmt: skip
    (e,) = jury.executer(inspection)
    assert type(e).__name__ == "InspectionMenée" and e.rejeu_identique is True
    assert jury.refus({**inspection, "role": "gestionnaire"}).code == "ROLE_NON_AUTORISE"
