"""The library's PostgreSQL process recorder, writing a transaction without psycopg's pipeline mode.

notes/EVENTSOURCING.md pitfall 1: a large batched save hung forever in psycopg 3.3.9's pipeline
mode. We reproduced it in CI: a deliberation act (a jury's `Délibéré` events carry their whole trace,
≈ 6 KB each) left the server in ``ClientRead`` on the ``NOTIFY`` of the insert and the client waiting,
with no timeout able to fire (the server is not executing anything). The same statements sent one
after the other in an ordinary transaction — table lock, notify, the library's single
``INSERT … SELECT FROM unnest(…)``, the tracking row — cannot deadlock that way, cost four round
trips per transaction, and keep every guarantee: one transaction, inserts serialised by the table
lock, tracking written atomically, a stale version rejected as a whole.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import InterfaceError, OperationalError, StoredEvent
from eventsourcing.postgres import PostgresProcessRecorder
from eventsourcing.utils import retry


class EnregistreurPostgres(PostgresProcessRecorder):
    @retry((InterfaceError, OperationalError), max_attempts=3, wait=0.2)
    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        with self.datastore.get_connection() as connexion, connexion.transaction(), connexion.cursor() as curseur:
            self._insert_events(curseur, stored_events, **kwargs)  # the batch's tracking row, if any
            if not stored_events:
                return []
            self._insert_stored_events(curseur, stored_events, **kwargs)  # lock, notify, one INSERT
            return self._fetch_ids_after_insert_events(curseur, stored_events, **kwargs)
