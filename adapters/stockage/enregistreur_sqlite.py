"""The library's SQLite process recorder, inserting a transaction's events in one ``executemany``.

The library inserts row by row to return each notification id; the registry never uses those ids
(projections pull the log by position, ADR 0005), and one call per transaction instead of one per
event is the largest share of the write cost left once planning is done (bench/ingest.py).
Uniqueness on (originator_id, originator_version) still rejects a stale write as a whole
transaction, and the batch's tracking row is still written in the same transaction, and so are the
ids of the commands applied (ADR 0015): a command id already there rejects the whole transaction too.
So are the candidates' new identity keys, and an erased identity's key is deleted there (ADR 0023), with
``secure_delete`` so that its bytes are overwritten, and the WAL truncated after it so no old frame keeps them.
And so is the hash chain of the new rows (ADR 0025): the positions SQLite gave them are read back under the
write lock (a rowid table gives one more than the largest rowid to each new row, so they are consecutive) and
the registry's greffons run on the same cursor before the commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent, Tracking
from eventsourcing.sqlite import SQLiteCursor, SQLiteDatastore, SQLiteProcessRecorder

from adapters.stockage import cles
from adapters.stockage import commandes as cmd
from adapters.stockage.ecriture import DialecteSQL, Ecrit, executer_greffons


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
        with self.datastore.transaction(commit=False) as c:  # also on a log created before ADR 0023
            c.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (cles.TABLE,))
            existe = c.fetchone() is not None
        if not existe:
            with self.datastore.transaction(commit=True) as c:
                c.execute(cles.CREER_SQLITE)
        self.dialecte = DialecteSQL("sqlite", self.events_table_name, "rowid")

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
        nouvelles: dict[str, bytes] = kwargs.get("cles_nouvelles") or {}
        if nouvelles:
            c.executemany(f"INSERT INTO {cles.TABLE} (cle_id, cle) VALUES (?, ?)", list(nouvelles.items()))
        detruites: Sequence[str] = kwargs.get("cles_detruites") or ()
        if detruites:
            c.execute("PRAGMA secure_delete=ON")  # the deleted key's bytes are zeroed, not left in a free page
            c.executemany(f"DELETE FROM {cles.TABLE} WHERE cle_id = ?", [(i,) for i in detruites])
        # Last, once every uniqueness check has passed: the chain is hashed only for a write that will commit.
        ecrit: Ecrit | None = kwargs.get("ecrit")
        if ecrit is not None:
            self._positions(c, ecrit, len(stored_events))
            executer_greffons(kwargs.get("greffons", ()), c.sqlite_cursor, self.dialecte, ecrit, stored_events)

    def _positions(self, c: SQLiteCursor, ecrit: Ecrit, nombre: int) -> None:
        c.execute(f"SELECT MAX(rowid) FROM {self.events_table_name}")
        fin = int(c.fetchone()[0] or 0)
        premier = fin - nombre + 1
        c.execute(f"SELECT MAX(rowid) FROM {self.events_table_name} WHERE rowid < ?", (premier,))
        ecrit.precedent = int(c.fetchone()[0] or 0)
        ecrit.positions = list(range(premier, fin + 1))

    def lire_cles(self, cle_ids: Sequence[str] | None) -> dict[str, bytes]:
        trouvees: dict[str, bytes] = {}
        with self.datastore.transaction(commit=False) as c:
            if cle_ids is None:
                c.execute(f"SELECT cle_id, cle FROM {cles.TABLE}")
                trouvees.update((ligne[0], bytes(ligne[1])) for ligne in c.fetchall())
            for tranche in cmd.tranches(cle_ids or (), cmd.TRANCHE_SQLITE):
                marques = ",".join("?" * len(tranche))
                c.execute(f"SELECT cle_id, cle FROM {cles.TABLE} WHERE cle_id IN ({marques})", list(tranche))
                trouvees.update((ligne[0], bytes(ligne[1])) for ligne in c.fetchall())
        return trouvees

    def purger_apres_effacement(self) -> bool:
        """Copy the WAL into the file and truncate it: the frames of the key's page before its deletion go.
        False if a reader kept the checkpoint from completing (the next erasure or checkpoint finishes it)."""
        with self.datastore.get_connection(commit=True) as connexion:  # a checkpoint runs outside a transaction
            occupe = connexion._sqlite_conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        return not (occupe and occupe[0])

    def commandes_appliquees(self, commandes: Sequence[str]) -> set[str]:
        trouvees: set[str] = set()
        with self.datastore.transaction(commit=False) as c:
            for tranche in cmd.tranches(commandes, cmd.TRANCHE_SQLITE):
                marques = ",".join("?" * len(tranche))
                c.execute(f"SELECT commande_id FROM {cmd.TABLE} WHERE commande_id IN ({marques})", list(tranche))
                trouvees.update(ligne[0] for ligne in c.fetchall())
        return trouvees
