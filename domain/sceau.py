"""The seal of an act: a fingerprint of the whole log up to and including the act (R29, R52; ADR 0008, 0013).

Hashing is an adapter's job: the adapter computes the Merkle root once the act's events are written and
chained, then records it here as an `ActeScellé` of its own, so the seal covers the act it seals (its
`Délibéré` events, or the session's closing). Old logs carry an earlier form, `GroupeDélibéré.sceau`,
computed just before the act: it is still read and verified as it was.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID, uuid5

from eventsourcing.domain import event
from pydantic import Field, StringConstraints

from domain.modele import Acte, Agregat, Immutable

Hex = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]+$")]
ObjetScelle = Literal["deliberation", "cloture"]

# Fixed forever: a seal's id is derived from the act it seals, so sealing twice collides on the store.
ESPACE_SCEAUX = UUID("0b9f4f3e-6a52-5d1c-8f3e-2d7a9c41b6e5")


class SceauJournal(Immutable):
    algorithme: Literal["rfc6962-sha256"] = "rfc6962-sha256"
    taille: int = Field(ge=0, description="Number of events (Merkle leaves) sealed")
    position: int = Field(ge=0, description="Position of the last sealed event in the log")
    racine: Annotated[Hex, Field(min_length=64, max_length=64)]
    cle_publique: Annotated[Hex, Field(min_length=64, max_length=64)] | None = Field(
        default=None, description="Ed25519 public key of the jury's president (raw, hex)"
    )
    signature: Annotated[Hex, Field(min_length=128, max_length=128)] | None = None


class ActeSource(Immutable):
    """Which act a seal covers: the stored event that records it (aggregate, version) and where it lies."""

    objet: ObjetScelle
    agregat_id: UUID
    version: int = Field(ge=1)
    position: int = Field(ge=0, description="Position of the act's event in the log when it was sealed")
    session: str
    jury: str | None = None
    groupe: int | None = None
    correlation_id: UUID
    causation_id: UUID | None = None


def message_a_signer(
    *, jury_id: UUID, groupe: int, correlation_id: UUID, taille: int, position: int, racine: str
) -> bytes:
    """What the president signed in the older form (`GroupeDélibéré.sceau`): kept to verify old logs."""
    champs = ("bac-registre:sceau:v1", str(jury_id), str(groupe), str(correlation_id), str(taille), str(position))
    return "\n".join((*champs, racine)).encode("utf-8")


def message_a_signer_acte(source: ActeSource, *, taille: int, position: int, racine: str) -> bytes:
    """What is signed for an `ActeScellé`: the tree head bound to the act it seals (a signature cannot move)."""
    champs = (
        "bac-registre:sceau:v2",
        source.objet,
        str(source.agregat_id),
        str(source.version),
        str(source.position),
        str(source.correlation_id),
        str(source.causation_id or ""),
        str(taille),
        str(position),
        racine,
    )
    return "\n".join(champs).encode("utf-8")


class Sceau(Agregat):
    """One seal per act: its id comes from the act's (aggregate, version), so a second seal collides."""

    @staticmethod
    def create_id(source: ActeSource, **_: Any) -> UUID:
        return sceau_id(source.agregat_id, source.version)

    @classmethod
    def poser(cls, *, source: ActeSource, sceau: SceauJournal, acte: Acte) -> Sceau:
        if sceau.position < source.position:
            raise ValueError("un sceau doit couvrir l'acte qu'il scelle")  # an adapter bug, never a user's
        return cls(source=source, sceau=sceau, acte=acte)

    @event("ActeScellé")
    def __init__(self, source: ActeSource, sceau: SceauJournal, acte: Acte) -> None:
        self.source = source
        self.sceau = sceau


def sceau_id(agregat_id: UUID, version: int) -> UUID:
    return uuid5(ESPACE_SCEAUX, f"sceau:{agregat_id}:{version}")
