"""The stored form of a `NoteSaisie` (R13, R14, R34): declared as a class with its own ``apply`` (ADR 0029).

The event was first built by the library from a decorated method; these tests pin that the class changed no byte
of what is stored, that old events (without ``remplacement``, R34) still read, and that the library's sequence
checks still guard a replay.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from uuid import UUID

import pytest
from eventsourcing.domain import OriginatorVersionError
from pydantic import ValidationError

from domain.candidat import Candidate
from domain.modele import Acte
from tests.scenario import Scenario, inscrire, note, ouvrir

# Written by the decorated-method class (before ADR 0029), from the same fields as `_note()`.
ECRIT_AVANT = (
    b'{"originator_id":"00000000-0000-0000-0000-000000000002","originator_version":3,'
    b'"timestamp":"2024-07-04T08:30:00Z","epreuve":"PHILO","note":"12.5","absence":null,'
    b'"origine":"controle_continu","source":"livret_scolaire","correcteur":null,'
    b'"acte":{"acteur":"service-dec","role":"service_examens","raison":null,'
    b'"correlation_id":"00000000-0000-0000-0000-000000000001","causation_id":"00000000-0000-0000-0000-000000000004"},'
    b'"remplacement":false}'
)


def _note(**autres: object) -> object:
    acte = Acte(acteur="service-dec", role="service_examens", correlation_id=UUID(int=1), causation_id=UUID(int=4))
    champs: dict[str, object] = {
        "originator_id": UUID(int=2), "originator_version": 3,
        "timestamp": datetime.datetime(2024, 7, 4, 8, 30, tzinfo=datetime.UTC), "epreuve": "PHILO",
        "note": Decimal("12.5"), "absence": None, "origine": "controle_continu", "source": "livret_scolaire",
        "correcteur": None, "acte": acte, "remplacement": False,
    }  # fmt: skip
    return Candidate.NoteSaisie(**(champs | autres))


def test_r14_une_note_saisie_est_ecrite_octet_pour_octet_comme_avant() -> None:
    evenement = _note()
    assert Candidate.NoteSaisie.__pydantic_serializer__.to_json(evenement) == ECRIT_AVANT
    assert Candidate.NoteSaisie.model_validate_json(ECRIT_AVANT) == evenement


def test_r34_une_note_saisie_ecrite_avant_le_remplacement_se_lit_sans_remplacement() -> None:
    ancienne = ECRIT_AVANT.replace(b',"remplacement":false', b"")
    assert Candidate.NoteSaisie.model_validate_json(ancienne).remplacement is False


def test_une_note_saisie_reecrite_avec_un_champ_de_plus_est_refusee() -> None:
    with pytest.raises(ValidationError, match="jury"):
        Candidate.NoteSaisie.model_validate_json(ECRIT_AVANT.replace(b'"remplacement"', b'"jury":"J1","remplacement"'))


def test_r13_etant_donne_un_inscrit_quand_une_note_est_saisie_alors_elle_est_rejouee_a_sa_version(
    scenario: Scenario,
) -> None:
    scenario.etant_donne(ouvrir(), inscrire())
    assert scenario.quand(note("PHILO", 12)) == ["NoteSaisie"]
    candidat = scenario.service.candidat("2024-aix-marseille", "00000001")
    enregistree = candidat.notes["PHILO"]
    assert (enregistree.note, enregistree.version, enregistree.remplacement) == (Decimal(12), candidat.version, False)


def test_une_note_saisie_hors_de_sa_sequence_ne_se_rejoue_pas(scenario: Scenario) -> None:
    """The library's checks run before our ``apply``: an event of the wrong version changes nothing."""
    scenario.etant_donne(ouvrir(), inscrire())
    candidat = scenario.service.candidat("2024-aix-marseille", "00000001")
    hors_sequence = _note(originator_id=candidat.id, originator_version=candidat.version + 2)
    with pytest.raises(OriginatorVersionError):
        hors_sequence.mutate(candidat)  # type: ignore[attr-defined]
    assert "PHILO" not in candidat.notes
