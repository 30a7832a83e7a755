"""The log's rows in position order, read raw: the walks of `verifier` and of the chain's catch-up (issue 14).

The library's `select_notifications` builds a `Notification` and converts every originator id to a `UUID`
object: measured, 58 % of `bac verifier` over a million events. These walks only hash the stored bytes, so they
read the same rows with one SQL query per page and keep them as plain tuples; the in-memory store keeps the
library's path. Same rows, same order, same bounds as `select_notifications(start, stop, inclusive_of_start=False)`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple, cast
from uuid import UUID

PAGE = 10_000


class LigneJournal(NamedTuple):
    """One stored row: the fields of a library `Notification`, the id as stored (text on SQLite)."""

    id: int
    originator_id: UUID | str
    originator_version: int
    topic: str
    state: bytes


_SQL = {
    "sqlite": "SELECT rowid, originator_id, originator_version, topic, state FROM {table} "
    "WHERE rowid > ? AND rowid <= ? ORDER BY rowid LIMIT ?",
    "postgresql": "SELECT notification_id, originator_id, originator_version, topic, state FROM {table} "
    "WHERE notification_id > %s AND notification_id <= %s ORDER BY notification_id LIMIT %s",
}


def page_du_journal(registre: Any, apres: int, borne: int, limite: int = PAGE) -> list[LigneJournal]:
    """The rows at positions in (apres, borne], at most ``limite`` of them, in position order."""
    return list(map(LigneJournal._make, rangees_du_journal(registre, apres, borne, limite)))


def rangees_du_journal(registre: Any, apres: int, borne: int, limite: int = PAGE) -> list[tuple[Any, ...]]:
    """`page_du_journal`'s rows as the driver gives them, (position, id, version, topic, state) tuples: `bac
    verifier` unpacks them at once, and a named tuple per row was 9 % of its walk (measured)."""
    if registre.stockage.moteur in _SQL:
        return _lignes(registre, _SQL, (apres, borne, limite))
    page = registre.enregistreur.select_notifications(start=apres, limit=limite, stop=borne, inclusive_of_start=False)
    return [(n.id, n.originator_id, n.originator_version, n.topic, n.state) for n in page]


def _lignes(registre: Any, sql: dict[str, str], parametres: tuple[int, ...]) -> list[tuple[Any, ...]]:
    """One query on the log's table, its rows as the driver's plain tuples (SQLite or PostgreSQL)."""
    moteur = registre.stockage.moteur
    requete = sql[moteur].format(table=registre.stockage.table_evenements)
    if moteur == "sqlite":
        with registre.factory.datastore.transaction(commit=False) as curseur:
            curseur.row_factory = None  # plain tuples: the library's connections build a sqlite3.Row per row
            curseur.execute(requete, parametres)
            return cast(list[tuple[Any, ...]], curseur.fetchall())
    from psycopg.rows import tuple_row  # psycopg is loaded only by a PostgreSQL log

    with registre.factory.datastore.get_connection() as connexion, connexion.cursor(row_factory=tuple_row) as c:
        c.execute(requete, parametres)  # tuples, not the library's dict rows
        return c.fetchall()


def lignes_du_journal(registre: Any, borne: int, apres: int = 0) -> Iterator[LigneJournal]:
    """Every row at positions in (apres, borne], page by page."""
    while apres < borne:
        page = page_du_journal(registre, apres, borne)
        yield from page
        if len(page) < PAGE:
            return
        apres = page[-1].id


_SQL_RANG = {
    "sqlite": "SELECT rowid FROM {table} WHERE rowid > ? AND rowid <= ? ORDER BY rowid LIMIT 1 OFFSET ?",
    "postgresql": "SELECT notification_id FROM {table} WHERE notification_id > %s AND notification_id <= %s "
    "ORDER BY notification_id LIMIT 1 OFFSET %s",
}


def position_du_rang(registre: Any, apres: int, borne: int, rang: int) -> int | None:
    """The position of the row ``rang`` rows after position ``apres`` (0: the first row after it), at most
    ``borne``; None if there are not so many (an index scan: where `bac verifier` cuts the log in stretches)."""
    lignes = _lignes(registre, _SQL_RANG, (apres, borne, rang))
    return int(lignes[0][0]) if lignes else None
