"""Erasing a candidate's identity as an act (R56, ADR 0023): `IdentitéEffacée`, on the `Candidate` aggregate.

The event says who erased, why and under which retention rule; the store destroys the candidate's key in the same
transaction, so the `Inscrit` then reads as `IdentiteEffacee` while every grade and decision stays. The stored
topic is ``domain.candidat_identite:ActesIdentite.IdentitéEffacée`` (pinned in tests/test_sujets.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from eventsourcing.domain import event

from domain.errors import DejaFait
from domain.modele import Acte, Agregat, Texte
from domain.valeurs import IdentiteEffacee, IdentiteInscrite

__all__ = ["ActesIdentite", "IdentiteInscrite"]


class ActesIdentite(Agregat):
    if TYPE_CHECKING:  # state set by `Candidate`
        identite: IdentiteInscrite
        numero: str
        session: str

    @property
    def identite_effacee(self) -> bool:
        return isinstance(self.identite, IdentiteEffacee)

    def effacer_identite(self, *, regle: str, acte: Acte) -> None:
        """R56: once the retention period is over (or on a justified request), the identity goes, the proof stays."""
        if self.identite_effacee:
            raise DejaFait(
                f"L'identité du candidat {self.numero} (session {self.session}) est déjà effacée",
                regle="R56",
                code="DEJA_EFFACEE",
            )
        self._identite_effacee(regle=regle, acte=acte)

    @event("IdentitéEffacée")
    def _identite_effacee(self, regle: Texte, acte: Acte) -> None:
        self.identite = IdentiteEffacee()
