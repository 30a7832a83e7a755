"""R36 (D336-16, D334-17): one registration per person and year, whatever the bac and the académie.

The aggregate exists only for its id, derived from (year, INE): a second inscription of the same
person the same year creates the same id, and the event store refuses the twin even when two
writers race. It is saved in the same transaction as the `Inscrit` event.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from domain import ids
from domain.modele import Acte, Agregat


class InscriptionAnnuelle(Agregat):
    @staticmethod
    def create_id(annee: int, ine: str, **_: Any) -> UUID:
        return ids.inscription_annuelle_id(annee, ine)

    @event("InscriptionAnnuelleEnregistrée")
    def __init__(self, annee: int, ine: str | None, session: str, candidat_id: UUID, acte: Acte) -> None:
        # ``ine`` reads None once the candidate's identity is erased (R56, ADR 0023); the id keeps R36.
        self.annee = annee
        self.session = session
        self.candidat_id = candidat_id
