"""Aggregates loaded in bulk (issue 14): one query per 500 aggregates instead of one or two per aggregate.

A batch's slice, a jury's candidates: the registry checks every aggregate it keeps in memory against the last
stored event in one query (same version, same timestamp, else replayed — `Registre.charger`'s rule), and
replays the others from one query of all their events. The in-memory store keeps the library's path.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent

TRANCHE = 500


def _tranches(ids: Sequence[UUID]) -> Iterator[Sequence[UUID]]:
    for debut in range(0, len(ids), TRANCHE):
        yield ids[debut : debut + TRANCHE]


def _lignes(registre: Any, sql_sqlite: str, sql_postgres: str, ids: Sequence[UUID]) -> Iterator[Any]:
    moteur = registre.stockage.moteur
    for tranche in _tranches(ids):
        if moteur == "sqlite":
            requete = sql_sqlite.format(marques=",".join("?" * len(tranche)))
            with registre.factory.datastore.transaction(commit=False) as curseur:
                curseur.execute(requete, [a.hex for a in tranche])
                yield from curseur.fetchall()
        else:
            with registre.factory.datastore.get_connection() as connexion:
                yield from connexion.execute(sql_postgres, [list(tranche)]).fetchall()


def _stocke(ligne: Any) -> StoredEvent:
    ident = ligne["originator_id"]
    return StoredEvent(
        originator_id=ident if isinstance(ident, UUID) else UUID(ident),
        originator_version=int(ligne["originator_version"]),
        topic=ligne["topic"],
        state=bytes(ligne["state"]),
    )


def derniers_evenements(registre: Any, ids: Sequence[UUID]) -> dict[UUID, StoredEvent]:
    """The last stored event of each of these aggregates (none for an aggregate without events)."""
    lignes = _lignes(
        registre,
        # SQLite's bare columns beside MAX() come from the row holding the maximum.
        "SELECT originator_id, MAX(originator_version) AS originator_version, topic, state FROM stored_events "
        "WHERE originator_id IN ({marques}) GROUP BY originator_id",
        "SELECT DISTINCT ON (originator_id) originator_id, originator_version, topic, state FROM registre_events "
        "WHERE originator_id = ANY(%s) ORDER BY originator_id, originator_version DESC",
        ids,
    )
    return {UUID(str(s.originator_id)): s for s in map(_stocke, lignes)}


def tous_les_evenements(registre: Any, ids: Sequence[UUID]) -> dict[UUID, list[StoredEvent]]:
    """Every stored event of each of these aggregates, in version order."""
    evenements: dict[UUID, list[StoredEvent]] = {}
    lignes = _lignes(
        registre,
        "SELECT originator_id, originator_version, topic, state FROM stored_events "
        "WHERE originator_id IN ({marques}) ORDER BY originator_id, originator_version",
        "SELECT originator_id, originator_version, topic, state FROM registre_events "
        "WHERE originator_id = ANY(%s) ORDER BY originator_id, originator_version",
        ids,
    )
    for stocke in map(_stocke, lignes):
        evenements.setdefault(UUID(str(stocke.originator_id)), []).append(stocke)
    return evenements
