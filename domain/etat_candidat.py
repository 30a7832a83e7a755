"""A candidate's grades as they stand in the record: state built by the events, never stored itself."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from domain.modele import Immutable
from domain.valeurs import Absence, Origine, SourceNote


@dataclass(frozen=True, slots=True)
class NoteEnregistree:
    """The grade of one épreuve as it stands in the candidate's record (state, not an event: a plain
    dataclass, since hundreds of thousands are built per batch and their inputs are validated events)."""

    note: Decimal | None
    absence: Absence | None
    origine: Origine
    source: SourceNote
    version: int
    remplacement: bool = False


class NoteConserveeEnregistree(Immutable):
    """A grade kept from an earlier session (R32, R33, R42), until renounced."""

    note: Decimal
    session_origine: str
    numero_origine: str
    session_obtention: int
    premiere_session: int
    epreuve_origine: str | None = None  # Q16: kept under an équivalence, the épreuve it was obtained at
