"""PostgreSQL's statistics of the read models, kept up while a process fills them (issue 14).

A fold reads the rows of its keys (`lire_lignes`: ``WHERE key = ANY(%s)``). On a table PostgreSQL has no
statistics for yet — a results day's first batches, before autovacuum's first pass a minute later — the planner
chose a sequential scan testing every row against the whole array of keys: on the Aix-Marseille general
inscriptions (PostgreSQL), the folds' reads waited 3.4 s on the server, ≈ 24 ms a read on average while the
table grew to 17,500 rows, and growing with it. Analysed, the same read probes the primary key.

A process that writes a table's rows asks for ANALYZE once what it wrote since the last one reaches what the table
held then (at least `SEUIL` rows): O(log n) of them while a table grows, none while it only changes. ANALYZE runs
in the fold's own transaction (allowed; it samples a bounded number of rows) and holds a lock that conflicts
only with another ANALYZE or VACUUM of that table, never with the rows' reads and writes; folds are one at a time
anyway (they queue on the positions' row). Should a VACUUM hold that lock, the fold waits `DELAI_VERROU_MS` at
most, in a savepoint, and goes on without its ANALYZE.
"""

from __future__ import annotations

from sqlalchemy import Table, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

SEUIL = 1000  # rows written before a process's first ANALYZE of a table
DELAI_VERROU_MS = 200  # the longest a fold waits for the table's ANALYZE lock

# (database, table) → [rows written since the last ANALYZE asked here, rows the table held after it]
_CROISSANCE: dict[tuple[str, str], list[float]] = {}


def apres_ecriture(connexion: Connection, table: Table, ecrites: int) -> bool:
    """Count ``ecrites`` rows written to ``table``; ANALYZE it when it has grown enough. True if it did."""
    if connexion.dialect.name != "postgresql":
        return False
    etat = _CROISSANCE.setdefault((connexion.engine.url.render_as_string(), table.name), [0, 0.0])
    etat[0] += ecrites
    if etat[0] < max(SEUIL, etat[1]):
        return False
    etat[0] = 0
    try:
        # In a savepoint, waiting DELAI_VERROU_MS at most: a VACUUM or another ANALYZE of the table holds the lock
        # that ANALYZE takes, and the fold must not wait for it (nor fail: the statistics are being made anyway).
        with connexion.begin_nested():
            delai = connexion.execute(text("SELECT current_setting('lock_timeout')")).scalar()
            connexion.execute(text(f"SET LOCAL lock_timeout = '{DELAI_VERROU_MS}ms'"))
            connexion.execute(text(f"ANALYZE {table.name}"))
            connexion.execute(text("SELECT set_config('lock_timeout', :d, true)"), {"d": delai})
    except DBAPIError:
        return False
    tenues = connexion.execute(
        text("SELECT reltuples FROM pg_class WHERE oid = CAST(:t AS regclass)"), {"t": table.name}
    )
    etat[1] = max(0.0, float(tenues.scalar() or 0))
    return True
