"""The library's SQLite process recorder, inserting a transaction's events in one ``executemany``.

The library inserts row by row to return each notification id; the registry never uses those ids
(projections pull the log by position, ADR 0005), and one call per transaction instead of one per
event is the largest share of the write cost left once planning is done (bench/ingest.py).
Uniqueness on (originator_id, originator_version) still rejects a stale write as a whole
transaction, and the batch's tracking row is still written in the same transaction, and so are the
ids of the commands applied (ADR 0015): a command id already there rejects the whole transaction too.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent, Tracking
from eventsourcing.sqlite import SQLiteCursor, SQLiteDatastore, SQLiteProcessRecorder

from adapters.stockage import commandes as cmd


class EnregistreurSQLite(SQLiteProcessRecorder):
    def __init__(self, datastore: SQLiteDatastore, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)
        # Also on a log created before ADR 0015 (its tables exist, so the library creates none).
        with self.datastore.transaction(commit=False) as c:
            c.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (cmd.TABLE,))
            existe = c.fetchone() is not None
        if not existe:
            with self.datastore.transaction(commit=True) as c:
                c.execute(cmd.CREER_SQLITE)

    def _insert_events(self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], **kwargs: Any) -> None:
        c.executemany(
            self.insert_events_statement,
            [
                (
                    s.originator_id.hex if isinstance(s.originator_id, UUID) else s.originator_id,
                    s.originator_version,
                    s.topic,
                    s.state,
                )
                for s in stored_events
            ],
        )
        tracking: Tracking | None = kwargs.get("tracking")
        if tracking is not None:
            self._insert_tracking(c, tracking)
        commandes: Sequence[str] = kwargs.get("commandes", ())
        if commandes:
            c.executemany(cmd.INSERER_SQLITE, [(i,) for i in commandes])

    def commandes_appliquees(self, commandes: Sequence[str]) -> set[str]:
        trouvees: set[str] = set()
        with self.datastore.transaction(commit=False) as c:
            for tranche in cmd.tranches(commandes, cmd.TRANCHE_SQLITE):
                marques = ",".join("?" * len(tranche))
                c.execute(f"SELECT commande_id FROM {cmd.TABLE} WHERE commande_id IN ({marques})", list(tranche))
                trouvees.update(ligne[0] for ligne in c.fetchall())
        return trouvees
