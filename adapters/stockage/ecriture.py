"""What one write put in the log, for what follows it: inside its transaction, then right after it (ADR 0025).

The recorders fill an `Ecrit` while they hold the log's write lock — the positions the database gave the new
rows and the last position before them — and run the registry's `Greffon`s in that same transaction, on the
recorder's own cursor (the hash chain is written there from the bytes just inserted). After the commit, the
registry hands the same `Ecrit` and the events still in memory to its followers (the read models).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from eventsourcing.persistence import StoredEvent


@dataclass(frozen=True)
class DialecteSQL:
    """The recorder's database as raw SQL sees it: its name, its events table and that table's position column."""

    nom: str  # "sqlite" or "postgresql"
    table_evenements: str
    colonne_position: str  # "rowid" (SQLite) or "notification_id" (PostgreSQL)

    def sql(self, texte: str) -> str:
        """Statements are written with ``?`` placeholders; psycopg's are ``%s``."""
        return texte if self.nom == "sqlite" else texte.replace("?", "%s")


@dataclass
class Ecrit:
    """One committed write: the log's last position before it and the position of each of its rows, in order."""

    precedent: int = 0
    positions: list[int] = field(default_factory=list)

    @property
    def fin(self) -> int:
        return self.positions[-1] if self.positions else self.precedent


class Greffon(Protocol):
    """Work done in the write's own transaction; raising rolls the whole write back."""

    def __call__(self, curseur: Any, dialecte: DialecteSQL, ecrit: Ecrit, stockes: Sequence[StoredEvent]) -> None: ...


# After the commit: the write and its events as the domain built them (never re-read, never re-decoded).
Suivant = Callable[[Ecrit, Sequence[Any]], None]


def executer_greffons(
    greffons: Sequence[Greffon], curseur: Any, dialecte: DialecteSQL, ecrit: Ecrit, stockes: Sequence[StoredEvent]
) -> None:
    for greffon in greffons:
        greffon(curseur, dialecte, ecrit, stockes)
