"""The library's PostgreSQL process recorder, writing a transaction without psycopg's pipeline mode.

notes/EVENTSOURCING.md pitfall 1: a large batched save hung forever in psycopg 3.3.9's pipeline
mode. We reproduced it in CI: a deliberation act (a jury's `Délibéré` events carry their whole trace,
≈ 6 KB each) left the server in ``ClientRead`` on the ``NOTIFY`` of the insert and the client waiting,
with no timeout able to fire (the server is not executing anything). The same statements sent one
after the other in an ordinary transaction — table lock, notify, the rows (now by one binary ``COPY``,
issue 14), the tracking row — cannot deadlock that way, cost four round
trips per transaction, and keep every guarantee: one transaction, inserts serialised by the table
lock, tracking written atomically, a stale version rejected as a whole.

The ids of the commands applied (ADR 0015) are inserted in the same transaction, after the table
lock: writers are serialised by then, so a duplicate id fails at once instead of waiting on another
writer's uncommitted row (and two writers can never deadlock on each other's ids). The candidates' new identity
keys are inserted, and an erased identity's key deleted, in that same transaction too (ADR 0023), in the table
``cles.cles_identite`` of a schema of its own. And the hash chain of the new rows is written there too, last, by
the registry's greffons on the same cursor (ADR 0025): under the table lock, every position below the new rows'
is committed, so the last of them is the chain's predecessor.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import InterfaceError, OperationalError, ProgrammingError, StoredEvent
from eventsourcing.postgres import PostgresDatastore, PostgresProcessRecorder
from eventsourcing.utils import retry

from adapters.stockage import cles
from adapters.stockage import commandes as cmd
from adapters.stockage.ecriture import DialecteSQL, Ecrit, executer_greffons


class EnregistreurPostgres(PostgresProcessRecorder):
    def __init__(self, datastore: PostgresDatastore, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)
        self._creer_table(cmd.TABLE, (cmd.CREER_POSTGRES,))
        self._creer_table(cles.TABLE_POSTGRES, cles.CREER_POSTGRES)
        self.dialecte = DialecteSQL("postgresql", self.events_table_name, "notification_id")

    def _creer_table(self, table: str, ddl: Sequence[str]) -> None:
        """A table of ours, also on a log created before ADR 0015 / 0023. Processes starting together on a new log
        run this one at a time (adapters/stockage/demarrage.py): a look, then the creation, is enough."""
        with self.datastore.get_connection() as connexion, connexion.transaction():
            if connexion.execute("SELECT to_regclass(%s) AS t", (table,)).fetchone()["t"]:  # type: ignore[index]
                return
            for instruction in ddl:
                connexion.execute(instruction)

    @retry((InterfaceError, OperationalError), max_attempts=3, wait=0.2)
    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        commandes: Sequence[str] = kwargs.get("commandes", ())
        with self.datastore.get_connection() as connexion, connexion.transaction(), connexion.cursor() as curseur:
            self._insert_events(curseur, stored_events, **kwargs)  # the batch's tracking row, if any
            if not stored_events:
                if commandes:
                    self._lock_table(curseur)
                    curseur.execute(cmd.INSERER_POSTGRES, (sorted(commandes),))
                return []
            precedent, identifiants = self._copier(curseur, stored_events)
            if commandes:
                curseur.execute(cmd.INSERER_POSTGRES, (sorted(commandes),))
            nouvelles: dict[str, bytes] = kwargs.get("cles_nouvelles") or {}
            if nouvelles:
                curseur.execute(
                    f"INSERT INTO {cles.TABLE_POSTGRES} (cle_id, cle) SELECT unnest(%s::text[]), unnest(%s::bytea[])",
                    (list(nouvelles), list(nouvelles.values())),
                )
            detruites: Sequence[str] = kwargs.get("cles_detruites") or ()
            if detruites:
                curseur.execute(f"DELETE FROM {cles.TABLE_POSTGRES} WHERE cle_id = ANY(%s)", (list(detruites),))
            ecrit: Ecrit | None = kwargs.get("ecrit")
            if ecrit is not None:
                ecrit.precedent, ecrit.positions = precedent, identifiants
                executer_greffons(kwargs.get("greffons", ()), curseur, self.dialecte, ecrit, stored_events)
            return identifiants

    def _copier(self, curseur: Any, stored_events: Sequence[StoredEvent]) -> tuple[int, list[int]]:
        """The rows by one binary ``COPY`` (issue 14): the library's ``INSERT … unnest`` of an array of composite
        values is dumped by psycopg in Python, a third of the write measured here. Under the table lock (taken
        first, with the library's notify), the new rows' positions are those above the last one before them, in
        the order of the copy (the sequence gives them row by row); a stale version still fails the whole
        transaction on the primary key."""
        self._lock_table(curseur)
        self._notify_channel(curseur)
        table = f"{self.datastore.schema}.{self.events_table_name}" if self.datastore.schema else self.events_table_name
        curseur.execute(f"SELECT coalesce(max(notification_id), 0) AS m FROM {table}")
        precedent = int(curseur.fetchone()["m"])
        colonnes = "originator_id, originator_version, topic, state"
        with curseur.copy(f"COPY {table} ({colonnes}) FROM STDIN (FORMAT BINARY)") as copie:
            copie.set_types(["uuid", "int8", "text", "bytea"])
            for e in stored_events:
                copie.write_row((e.originator_id, e.originator_version, e.topic, e.state))
        curseur.execute(
            f"SELECT notification_id FROM {table} WHERE notification_id > %s ORDER BY notification_id",
            (precedent,),
        )
        identifiants = [int(ligne["notification_id"]) for ligne in curseur.fetchall()]
        if len(identifiants) != len(stored_events):
            raise ProgrammingError(f"{len(identifiants)} positions pour {len(stored_events)} événements copiés")
        return precedent, identifiants

    def lire_cles(self, cle_ids: Sequence[str] | None) -> dict[str, bytes]:
        with self.datastore.get_connection() as connexion:
            if cle_ids is None:
                lignes = connexion.execute(f"SELECT cle_id, cle FROM {cles.TABLE_POSTGRES}").fetchall()
            else:
                lignes = connexion.execute(
                    f"SELECT cle_id, cle FROM {cles.TABLE_POSTGRES} WHERE cle_id = ANY(%s)", (list(cle_ids),)
                ).fetchall()
        return {ligne["cle_id"]: bytes(ligne["cle"]) for ligne in lignes}  # type: ignore[call-overload]

    def purger_apres_effacement(self) -> bool:
        """VACUUM the key table, so the deleted row's bytes are reclaimed now rather than at autovacuum (ADR 0023:
        the server's WAL and backups are the deployment's to rotate)."""
        with self.datastore.get_connection() as connexion:
            connexion.autocommit = True  # VACUUM cannot run in a transaction
            try:
                connexion.execute(f"VACUUM {cles.TABLE_POSTGRES}")
            finally:
                connexion.autocommit = False
        return True

    def commandes_appliquees(self, commandes: Sequence[str]) -> set[str]:
        trouvees: set[str] = set()
        with self.datastore.get_connection() as connexion:
            for tranche in cmd.tranches(commandes, cmd.TRANCHE_POSTGRES):
                lignes = connexion.execute(
                    f"SELECT commande_id FROM {cmd.TABLE} WHERE commande_id = ANY(%s)", (list(tranche),)
                ).fetchall()
                trouvees.update(ligne["commande_id"] for ligne in lignes)  # type: ignore[call-overload]
        return trouvees
