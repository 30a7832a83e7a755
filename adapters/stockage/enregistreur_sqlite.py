"""The library's SQLite process recorder, inserting a transaction's events in one ``executemany``.

The library inserts row by row to return each notification id; the registry never uses those ids
(projections pull the log by position, ADR 0005), and one call per transaction instead of one per
event is the largest share of the write cost left once planning is done (bench/ingest.py).
Uniqueness on (originator_id, originator_version) still rejects a stale write as a whole
transaction, and the batch's tracking row is still written in the same transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent, Tracking
from eventsourcing.sqlite import SQLiteCursor, SQLiteProcessRecorder


class EnregistreurSQLite(SQLiteProcessRecorder):
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
