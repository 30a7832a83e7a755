"""The seal of a deliberation: a fingerprint of the whole log the jury decided on (R29, R52; ADR 0008).

Computed outside the domain (hashing is an adapter's job) just before the jury's act is written, and
recorded in `GroupeDélibéré`, so the procès-verbal carries the Merkle root of everything before it.
"""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from pydantic import Field, StringConstraints

from domain.modele import Immutable

Hex = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]+$")]


class SceauJournal(Immutable):
    algorithme: Literal["rfc6962-sha256"] = "rfc6962-sha256"
    taille: int = Field(ge=0, description="Number of events (Merkle leaves) sealed")
    position: int = Field(ge=0, description="Position of the last sealed event in the log")
    racine: Annotated[Hex, Field(min_length=64, max_length=64)]
    cle_publique: Annotated[Hex, Field(min_length=64, max_length=64)] | None = Field(
        default=None, description="Ed25519 public key of the jury's president (raw, hex)"
    )
    signature: Annotated[Hex, Field(min_length=128, max_length=128)] | None = None


def message_a_signer(
    *, jury_id: UUID, groupe: int, correlation_id: UUID, taille: int, position: int, racine: str
) -> bytes:
    """What the president signs: the seal bound to this jury and this act (a signature cannot be moved)."""
    champs = ("bac-registre:sceau:v1", str(jury_id), str(groupe), str(correlation_id), str(taille), str(position))
    return "\n".join((*champs, racine)).encode("utf-8")
