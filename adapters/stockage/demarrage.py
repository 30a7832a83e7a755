"""A log opened by several processes at the same instant (services started together on results day, ADR 0027):
its tables created by one of them, the others waiting for it, never failing at their start.

The library's recorders and SQLAlchemy look for a table, then create it, in separate transactions: two processes
both look, both find nothing, and the second's creation fails ("table … already exists", "Failed to record
tracking for __migration__ 1", or "database is locked" while the first turns the file to WAL), a traceback at a
service's start (tests/test_demarrages_concurrents.py).

- SQLite: the start holds an exclusive ``flock`` on a file beside the database (``registre.db-demarrage``). Not on
  the database itself: SQLite locks it with POSIX locks, which any ``close()`` of another descriptor of the file
  would drop for the whole process. The wait is bounded like every lock wait of the registry.
- PostgreSQL: each piece of DDL runs under an advisory lock of its own (adapters/stockage/enregistreur_postgres.py,
  projections/runner.py), bounded by the lock timeout of the connection.
"""

from __future__ import annotations

import fcntl
import time
from collections.abc import Iterator
from contextlib import contextmanager

from adapters.stockage.configuration import DELAI_VERROU_S, RegistreOccupe, Stockage

ATTENTE_S = 0.05


@contextmanager
def demarrage_exclusif(stockage: Stockage) -> Iterator[None]:
    """The block (the log opened, its tables created when missing) one process at a time, on SQLite."""
    if stockage.moteur != "sqlite":
        yield
        return
    chemin = f"{stockage.env_evenements['SQLITE_DBNAME']}-demarrage"
    try:
        verrou = open(chemin, "a+b")  # noqa: SIM115 — closed below, after the lock is released
    except OSError:
        # A directory that cannot be written (a read-only copy for an auditor) or does not exist: no table can be
        # created there either, so there is nothing to serialise; opening the store itself says what is wrong.
        yield
        return
    with verrou:
        limite = time.monotonic() + DELAI_VERROU_S
        while True:
            try:
                fcntl.flock(verrou, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= limite:
                    raise RegistreOccupe(
                        f"Registre occupé, réessayez : un autre processus ouvre ce registre depuis plus de "
                        f"{DELAI_VERROU_S} s (rien n'a été enregistré)"
                    ) from None
                time.sleep(ATTENTE_S)
        try:
            yield
        finally:
            fcntl.flock(verrou, fcntl.LOCK_UN)
