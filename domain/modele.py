"""Base classes of every aggregate and event: pydantic v2 events on `eventsourcing` aggregates.

Events are frozen pydantic models, so every stored payload is validated when it is written
*and* when it is read back (see ADR 0002). Aggregates use the library's declarative
``@event("Nom")`` syntax: the event class is built from the decorated method's signature.
One exception, the hottest event: `Candidate.NoteSaisie` is a class with its own ``apply`` (ADR 0029).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal
from uuid import UUID

from eventsourcing.domain import BaseAggregate, CanInitAggregate, CanMutateAggregate
from pydantic import BaseModel, ConfigDict, Field, StringConstraints


class Immutable(BaseModel):
    """A frozen value: nothing in the audit record can be changed after the fact."""

    model_config = ConfigDict(extra="forbid", frozen=True)


Role = Literal[
    "service_examens",  # DEC / SIEC back-office service of the rectorat
    "gestionnaire",  # a person of the exam office acting by hand
    "correcteur",
    "membre_jury",
    "president_jury",
    "recteur",
    "commission_harmonisation",
    "auditeur",
    "administrateur",  # grants the exam office's roles (domain/habilitation.py)
]

Texte = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


class Acte(Immutable):
    """Who did this, in which role, why, and as part of which act (STYLE: every event says who and why).

    ``correlation_id`` groups the events of one act (a batch import, a deliberation);
    ``causation_id`` names the command that caused the event.
    """

    acteur: Texte
    role: Role
    raison: Texte | None = None
    correlation_id: UUID
    causation_id: UUID | None = None


class DomainEvent(Immutable):
    originator_id: UUID
    originator_version: int = Field(ge=1)
    timestamp: datetime

    @staticmethod
    def create_timestamp() -> datetime:
        return datetime.now(tz=UTC)


class Agregat(BaseAggregate[UUID]):
    """Base of `Session`, `Candidate`, `Jury`: ids are always derived from natural keys (domain.ids)."""

    class Event(DomainEvent, CanMutateAggregate[UUID]):
        pass

    class Created(Event, CanInitAggregate[UUID]):
        originator_topic: str
