"""A read model's rows read and upserted on the driver's own cursor, with SQLAlchemy's own type processing.

Folding a jury's deliberations, SQLAlchemy's compiling and binding of the page's rows was 2.3 s of a fold's
4.2 s (profiled, premier groupe of Aix-Marseille, 32,000 rows): it builds and processes one parameter dict per row.
Here the statements are written once per table and dialect, the rows go as tuples, and only the columns whose
type has a bind or result processor on this dialect go through it (on SQLite, ``DateTime`` is stored as text:
its processors are SQLAlchemy's, so the stored text and the values read back are the same as through Core).

On PostgreSQL the rows go as one ``INSERT … SELECT FROM unnest(…)`` per slice, one typed array per column: one
statement, never psycopg's executemany pipeline (notes/EVENTSOURCING.md pitfall 1).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import Table
from sqlalchemy.engine import Connection, Dialect

from projections.analyse import apres_ecriture

TRANCHE_LECTURE = 500  # keys per SELECT (SQLite's bound parameters stay well under its limit)
TRANCHE_ECRITURE = 5000  # rows per PostgreSQL statement (a bounded parameter size)

Conversion = Callable[[Any], Any]


@dataclass(frozen=True)
class _Forme:
    """One table on one dialect: its columns, statements and the processors of the columns that have one."""

    colonnes: tuple[str, ...]
    lire: str  # with ``{marques}`` for the keys on SQLite
    ecrire: str
    vers_base: tuple[tuple[int, Conversion], ...]
    depuis_base: tuple[tuple[int, Conversion], ...]


@lru_cache(maxsize=64)  # a table × an engine's dialect: a handful per process
def _forme(table: Table, cle: str, dialecte: Dialect) -> _Forme:
    colonnes = tuple(c.name for c in table.columns)
    liste = ", ".join(colonnes)
    mises_a_jour = ", ".join(f"{c} = excluded.{c}" for c in colonnes if c != cle)
    vers_base, depuis_base = [], []
    for i, colonne in enumerate(table.columns):
        type_ = colonne.type.dialect_impl(dialecte)
        if (vers := type_.bind_processor(dialecte)) is not None:
            vers_base.append((i, vers))
        if (depuis := type_.result_processor(dialecte, None)) is not None:
            depuis_base.append((i, depuis))
    if dialecte.name == "postgresql":
        types = ", ".join(f"%s::{c.type.compile(dialect=dialecte)}[]" for c in table.columns)
        lire = f"SELECT {liste} FROM {table.name} WHERE {cle} = ANY(%s)"
        ecrire = f"INSERT INTO {table.name} ({liste}) SELECT * FROM unnest({types})"
    else:
        lire = f"SELECT {liste} FROM {table.name} WHERE {cle} IN ({{marques}})"
        ecrire = f"INSERT INTO {table.name} ({liste}) VALUES ({', '.join('?' * len(colonnes))})"
    ecrire += f" ON CONFLICT ({cle}) DO UPDATE SET {mises_a_jour}"
    return _Forme(colonnes, lire, ecrire, tuple(vers_base), tuple(depuis_base))


def _tranches(valeurs: Sequence[Any], taille: int) -> Iterator[Sequence[Any]]:
    for debut in range(0, len(valeurs), taille):
        yield valeurs[debut : debut + taille]


def lire_lignes(connexion: Connection, table: Table, cle: str, cles: Sequence[str]) -> dict[str, dict[str, Any]]:
    """The rows of these keys (a key without a row is absent), each as a dict of its columns."""
    forme = _forme(table, cle, connexion.dialect)
    curseur = connexion.connection.cursor()
    rang_cle = forme.colonnes.index(cle)
    trouvees: dict[str, dict[str, Any]] = {}
    for tranche in _tranches(cles, TRANCHE_LECTURE):
        if connexion.dialect.name == "postgresql":
            curseur.execute(forme.lire, (list(tranche),))
        else:
            curseur.execute(forme.lire.format(marques=", ".join("?" * len(tranche))), tuple(tranche))
        for brute in curseur.fetchall():
            valeurs = list(brute)
            for i, depuis in forme.depuis_base:
                valeurs[i] = depuis(valeurs[i])
            trouvees[valeurs[rang_cle]] = dict(zip(forme.colonnes, valeurs, strict=True))
    return trouvees


def ecrire_lignes(connexion: Connection, table: Table, cle: str, lignes: Sequence[dict[str, Any]]) -> None:
    """Insert these rows, or update every other column of the row already at their key."""
    if not lignes:
        return
    forme = _forme(table, cle, connexion.dialect)
    tuples = []
    for ligne in lignes:
        valeurs = [ligne[c] for c in forme.colonnes]
        for i, vers in forme.vers_base:
            valeurs[i] = vers(valeurs[i])
        tuples.append(valeurs)
    curseur = connexion.connection.cursor()
    if connexion.dialect.name == "postgresql":
        for tranche in _tranches(tuples, TRANCHE_ECRITURE):
            curseur.execute(forme.ecrire, [list(colonne) for colonne in zip(*tranche, strict=True)])
        apres_ecriture(connexion, table, len(tuples))  # the planner's statistics follow the table's growth
    else:
        curseur.executemany(forme.ecrire, tuples)
