"""A log opened by several processes at the same instant (services started together on results day, ADR 0027):
its tables created by one of them, the others waiting for it, never failing at their start.

The library's recorders, SQLAlchemy's ``create_all`` and our own tables each look for a table, then create it: two
processes both look, both find nothing, and the second's creation fails ("table … already exists", "Failed to
record tracking for __migration__ 1", "database is locked" while the first turns the file to WAL, "duplicate key
value violates unique constraint pg_type_typname_nsp_index"), a traceback at a service's start
(tests/test_demarrages_concurrents.py). PostgreSQL's own ``CREATE … IF NOT EXISTS`` is not safe against itself.
So the whole start (the look, the log's DDL, the read models') holds one lock, every wait bounded:

- SQLite: an exclusive ``flock`` on a file beside the database (``registre.db-demarrage``). Not on the database
  itself: SQLite locks it with POSIX locks, which any ``close()`` of another descriptor of the file would drop for
  the whole process.
- PostgreSQL: a session advisory lock, on a connection of its own in autocommit (the library runs its DDL in
  several transactions, on connections of its pool), within the connection's ``lock_timeout``; it goes with the
  connection should the process die.
"""

from __future__ import annotations

import fcntl
import time
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, func, select

from adapters.stockage.configuration import DELAI_VERROU_S, RegistreOccupe, Stockage

ATTENTE_S = 0.05
VERROU_DEMARRAGE = 0x6261635F646D72  # "bac_dmr": the PostgreSQL advisory lock's key


@contextmanager
def demarrage_exclusif(stockage: Stockage, moteur: Engine) -> Iterator[None]:
    """The block (the log opened, its tables created when missing) one process at a time."""
    if stockage.moteur == "postgresql":
        with _verrou_postgres(moteur):
            yield
    elif stockage.moteur == "sqlite":
        with _verrou_sqlite(f"{stockage.env_evenements['SQLITE_DBNAME']}-demarrage"):
            yield
    else:
        yield  # in memory: one process by definition


@contextmanager
def _verrou_postgres(moteur: Engine) -> Iterator[None]:
    with moteur.connect().execution_options(isolation_level="AUTOCOMMIT") as connexion:
        connexion.execute(select(func.pg_advisory_lock(VERROU_DEMARRAGE)))
        try:
            yield
        finally:
            connexion.execute(select(func.pg_advisory_unlock(VERROU_DEMARRAGE)))


@contextmanager
def _verrou_sqlite(chemin: str) -> Iterator[None]:
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
