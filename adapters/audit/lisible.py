"""One event as an auditor reads it: the domain's own name, who, why, what (no technical fields)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class EvenementLisible:
    """One event as an auditor reads it: the domain's own name, who, why, what."""

    version: int
    horodatage: str
    evenement: str
    acteur: str
    role: str
    raison: str | None
    correlation_id: str
    details: dict[str, Any]


# Personal data never shows in a history (R28, ADR 0023): only whether the identity was erased.
CHAMPS_TECHNIQUES = {"originator_id", "originator_version", "timestamp", "originator_topic", "acte", "identite", "ine"}


def lisible(evenement: Any) -> EvenementLisible:
    acte = evenement.acte
    details = {k: v for k, v in evenement.model_dump(mode="json").items() if k not in CHAMPS_TECHNIQUES}
    if getattr(getattr(evenement, "identite", None), "effacee", False):
        details["identite"] = "identité effacée"
    return EvenementLisible(
        version=evenement.originator_version,
        horodatage=evenement.timestamp.isoformat(),
        evenement=type(evenement).__name__,
        acteur=acte.acteur,
        role=acte.role,
        raison=acte.raison,
        correlation_id=str(acte.correlation_id),
        details=details,
    )
