"""Pull the log and apply a projection, its rows and its position in one SQL transaction (ADR 0005).

The library's SQLite recorder has no push subscription (notes/EVENTSOURCING.md pitfall 2), so
projections pull ``select_notifications`` after their recorded position, on every backend alike.
The upper bound is read first: on PostgreSQL, inserts take a table lock, so every id below the
bound is committed; a gap below it is a rolled-back transaction, never a late one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from sqlalchemy import Engine, Table, delete, select
from sqlalchemy.dialects.postgresql import insert as insert_pg
from sqlalchemy.dialects.sqlite import insert as insert_sqlite
from sqlalchemy.engine import Connection

from projections.source import SourceJournal
from projections.tables import metadonnees, positions

TAILLE_PAGE = 5000


class Projection(Protocol):
    nom: str
    table: Table
    cle: str
    topics: tuple[str, ...]

    def cle_de(self, evenement: Any) -> str: ...

    def plier(self, ligne: dict[str, Any] | None, evenement: Any) -> dict[str, Any] | None: ...


def creer_tables(moteur: Engine) -> None:
    metadonnees.create_all(moteur)


def position(connexion: Connection, nom: str) -> int:
    valeur = connexion.execute(select(positions.c.position).where(positions.c.projection == nom)).scalar()
    return int(valeur or 0)


def _upsert(connexion: Connection, table: Table, lignes: list[dict[str, Any]], cle: str) -> None:
    if not lignes:
        return
    inserer = insert_pg if connexion.dialect.name == "postgresql" else insert_sqlite
    requete = inserer(table)
    colonnes = {c.name: requete.excluded[c.name] for c in table.columns if c.name != cle}
    connexion.execute(requete.on_conflict_do_update(index_elements=[cle], set_=colonnes), lignes)


def ecrire_position(connexion: Connection, nom: str, valeur: int) -> None:
    _upsert(connexion, positions, [{"projection": nom, "position": valeur}], "projection")


def rattraper(
    registre: SourceJournal,
    moteur: Engine,
    projection: Projection,
    *,
    progression: Callable[[int, int], None] | None = None,
) -> int:
    """Apply every event after the projection's position; returns how many events were applied."""
    borne = registre.borne()
    appliques = 0
    with moteur.connect() as connexion:
        depart = position(connexion, projection.nom)
    while depart < borne:
        page = registre.notifications(
            start=depart, limit=TAILLE_PAGE, stop=borne, topics=projection.topics, inclusive_of_start=False
        )
        fin = page[-1].id if len(page) == TAILLE_PAGE else borne
        with moteur.begin() as connexion:
            cles = list(dict.fromkeys(str(n.originator_id) for n in page))
            lignes: dict[str, dict[str, Any] | None] = {}
            colonne = projection.table.c[projection.cle]
            for debut in range(0, len(cles), 500):
                for ligne in connexion.execute(select(projection.table).where(colonne.in_(cles[debut : debut + 500]))):
                    lignes[ligne._mapping[projection.cle]] = dict(ligne._mapping)
            for notification in page:
                evenement = registre.lire(notification)
                cle = projection.cle_de(evenement)
                lignes[cle] = projection.plier(lignes.get(cle), evenement)
            _upsert(
                connexion, projection.table, [ligne for ligne in lignes.values() if ligne is not None], projection.cle
            )
            ecrire_position(connexion, projection.nom, fin)
        appliques += len(page)
        depart = fin
        if progression:
            progression(depart, borne)
    return appliques


def reconstruire(registre: SourceJournal, moteur: Engine, projection: Projection) -> int:
    """Drop the projection's rows and position, then fold the whole log again."""
    with moteur.begin() as connexion:
        connexion.execute(delete(projection.table))
        connexion.execute(delete(positions).where(positions.c.projection == projection.nom))
    return rattraper(registre, moteur, projection)


def rattraper_ensemble(
    registre: SourceJournal, moteur: Engine, projections: tuple[Projection, ...], *, taille_page: int = TAILLE_PAGE
) -> int:
    """Catch several projections up together when they stand at the same position: each page of the
    log is read and decoded once, folded into every projection, and all their rows and positions are
    written in one transaction (ADR 0005). Otherwise each catches up on its own."""
    with moteur.connect() as connexion:
        departs = {position(connexion, p.nom) for p in projections}
    if len(departs) != 1 or len(projections) < 2:
        return sum(rattraper(registre, moteur, p) for p in projections)
    borne = registre.borne()
    depart = departs.pop()
    topics = tuple(dict.fromkeys(t for p in projections for t in p.topics))
    appliques = 0
    while depart < borne:
        page = registre.notifications(
            start=depart, limit=taille_page, stop=borne, topics=topics, inclusive_of_start=False
        )
        fin = page[-1].id if len(page) == taille_page else borne
        evenements = [(n.topic, registre.lire_resume(n)) for n in page]
        with moteur.begin() as connexion:
            for projection in projections:
                siens = set(projection.topics)
                a_plier = [e for topic, e in evenements if topic in siens]
                cles = list(dict.fromkeys(projection.cle_de(e) for e in a_plier))
                lignes: dict[str, dict[str, Any] | None] = {}
                colonne = projection.table.c[projection.cle]
                for debut in range(0, len(cles), 500):
                    requete = select(projection.table).where(colonne.in_(cles[debut : debut + 500]))
                    for ligne in connexion.execute(requete):
                        lignes[ligne._mapping[projection.cle]] = dict(ligne._mapping)
                for evenement in a_plier:
                    cle = projection.cle_de(evenement)
                    lignes[cle] = projection.plier(lignes.get(cle), evenement)
                _upsert(connexion, projection.table, [lg for lg in lignes.values() if lg is not None], projection.cle)
                ecrire_position(connexion, projection.nom, fin)
                appliques += len(a_plier)
        depart = fin
    return appliques
