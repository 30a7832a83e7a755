"""The ids of the commands already applied, kept in the log's own database (ADR 0015).

A command id is written in the same transaction as the command's events, under a primary key: a command
is applied at most once whatever file or door it comes through, and a crash leaves either both or neither.
Each recorder (SQLite, PostgreSQL, memory) writes and looks them up in bulk with these statements.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Protocol

TABLE = "commandes_appliquees"
CREER_SQLITE = f"CREATE TABLE IF NOT EXISTS {TABLE} (commande_id TEXT PRIMARY KEY) WITHOUT ROWID"
CREER_POSTGRES = f"CREATE TABLE IF NOT EXISTS {TABLE} (commande_id TEXT PRIMARY KEY)"
INSERER_SQLITE = f"INSERT INTO {TABLE} (commande_id) VALUES (?)"
INSERER_POSTGRES = f"INSERT INTO {TABLE} (commande_id) SELECT unnest(%s::text[])"
TRANCHE_SQLITE = 500  # below SQLite's default limit of bound parameters
TRANCHE_POSTGRES = 10_000


class SuiviCommandes(Protocol):
    """What the registry asks of its recorder about applied commands."""

    def commandes_appliquees(self, commandes: Sequence[str]) -> set[str]: ...


def tranches(valeurs: Sequence[str], taille: int) -> Iterator[Sequence[str]]:
    for debut in range(0, len(valeurs), taille):
        yield valeurs[debut : debut + taille]
