"""The register of a candidate's data communicated to him (R55, ADR 0024): who asked, when, which archive.

One `RegistreAcces` per candidate, beside his own stream and never part of what is communicated: an event in
the candidate's stream would be in the very archive it records, and the same request would no longer give the
same bytes. Each communication is an act in the log (hash-chained like every event): the actor and role of the
service des examens, the time (the event's), the archive's SHA-256 and its members — what was handed over can
be proved later, and nothing personal is stored here beyond the candidate's session and number.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import event

from domain import ids
from domain.errors import NonHabilite
from domain.modele import Acte, Agregat, Role

ROLE_ACCES: Role = "service_examens"  # R55: the rectorat's exam office answers the candidate's request


def acces_id(session: str, numero: str) -> UUID:
    return uuid5(ids.ESPACE_BAC_REGISTRE, f"acces:{session}:{numero}")


class RegistreAcces(Agregat):
    """Every communication of one candidate's data, in order."""

    @staticmethod
    def create_id(session: str, numero: str, **_: Any) -> UUID:
        return acces_id(session, numero)

    @event("RegistreAccèsOuvert")
    def __init__(self, session: str, numero: str, acte: Acte) -> None:
        self.session = session
        self.numero = numero
        self.communications = 0

    def communiquer(self, *, empreinte: str, fichiers: tuple[str, ...], acte: Acte) -> None:
        if acte.role != ROLE_ACCES:  # the application checked the habilitation; the record refuses any other role
            raise NonHabilite(
                f"Le rôle {acte.role} ne communique pas les données d'un candidat",
                regle="R55",
                code="ACCES_NON_HABILITE",
            )
        self._acces_communique(empreinte=empreinte, fichiers=fichiers, acte=acte)

    @event("AccèsCommuniqué")
    def _acces_communique(self, empreinte: str, fichiers: tuple[str, ...], acte: Acte) -> None:
        self.communications += 1
