"""Pull the log and apply a projection, its rows and its position in one SQL transaction (ADR 0005).

The library's SQLite recorder has no push subscription (notes/EVENTSOURCING.md pitfall 2), so
projections pull ``select_notifications`` after their recorded position, on every backend alike.
The upper bound is read first: on PostgreSQL, inserts take a table lock, so every id below the
bound is committed; a gap below it is a rolled-back transaction, never a late one.

Concurrent catch-ups (two writers' processes, a rebuild beside a writer) never fold a page twice: each page's
transaction first moves the position from where the page was read to where it ends, and only if it is still
there (`avancer`); that write locks the position row until commit, so a second catch-up of the same page finds
the position moved, rolls back its rows and resumes from the new position (issue 9, point 4).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from typing import Any, Protocol

from sqlalchemy import Engine, Table, delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as insert_pg
from sqlalchemy.dialects.sqlite import insert as insert_sqlite
from sqlalchemy.engine import Connection

from projections.lignes import ecrire_lignes, lire_lignes
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


def ecrire_position(connexion: Connection, nom: str, valeur: int) -> None:
    ecrire_lignes(connexion, positions, "projection", [{"projection": nom, "position": valeur}])


class PositionDeplacee(Exception):
    """Another catch-up moved the projection since this page was read: the page's rows are rolled back."""


def avancer(connexion: Connection, nom: str, depart: int, fin: int) -> None:
    """The first write of a page's transaction: the position from ``depart`` to ``fin``, only if it is still at
    ``depart`` (a compare-and-set), else `PositionDeplacee`. First, so that the row lock it takes orders two
    catch-ups before either reads the rows it folds."""
    if depart == 0:  # a projection never caught up has no row yet: create it at 0, once, whoever is first
        inserer = insert_pg if connexion.dialect.name == "postgresql" else insert_sqlite
        connexion.execute(inserer(positions).values(projection=nom, position=0).on_conflict_do_nothing())
    deplacee = connexion.execute(
        update(positions).where(positions.c.projection == nom, positions.c.position == depart).values(position=fin)
    )
    if deplacee.rowcount != 1:
        raise PositionDeplacee(nom)


def plier_page(connexion: Connection, projection: Projection, evenements: list[Any]) -> None:
    """Fold a page's events into the projection's rows: the rows they touch read, folded in log order, written
    back by upsert (inside the page's transaction, after `avancer`; on the driver's cursor, projections/lignes.py)."""
    cles_des_evenements = [projection.cle_de(e) for e in evenements]  # once: `str(UUID)` is 1 µs a call
    cles = list(dict.fromkeys(cles_des_evenements))
    lignes: dict[str, dict[str, Any] | None] = dict(lire_lignes(connexion, projection.table, projection.cle, cles))
    for cle, evenement in zip(cles_des_evenements, evenements, strict=True):
        lignes[cle] = projection.plier(lignes.get(cle), evenement)
    ecrire_lignes(connexion, projection.table, projection.cle, [lg for lg in lignes.values() if lg is not None])


def rattraper(
    registre: SourceJournal,
    moteur: Engine,
    projection: Projection,
    *,
    progression: Callable[[int, int], None] | None = None,
    borne: int | None = None,
) -> int:
    """Apply every event after the projection's position up to ``borne`` (the log's end when not given); returns
    how many events were applied. Events are read as the read models use them (`lire_resume`: a `Délibéré`
    without its trace, as `rattraper_ensemble` reads them)."""
    borne = registre.borne() if borne is None else borne
    appliques = 0
    with moteur.connect() as connexion:
        depart = position(connexion, projection.nom)
    while depart < borne:
        page = registre.notifications(
            start=depart, limit=TAILLE_PAGE, stop=borne, topics=projection.topics, inclusive_of_start=False
        )
        fin = page[-1].id if len(page) == TAILLE_PAGE else borne
        evenements = [registre.lire_resume(n) for n in page]  # decoded before the transaction: short locks
        try:
            with moteur.begin() as connexion:
                avancer(connexion, projection.nom, depart, fin)
                plier_page(connexion, projection, evenements)
        except PositionDeplacee:  # another catch-up folded this page: resume from where it stands now
            with moteur.connect() as connexion:
                depart = position(connexion, projection.nom)
            continue
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


class Poussee:
    """Fold each write of one process right after its commit, from the events it has in hand (ADR 0025).

    The fold moves every projection from the write's previous position to its last, only if they all stand
    there. When they stand before it, the writes in between are other writers' (or this one's, left to a pull),
    whose folds queue on the positions' row: this fold waits for them as long as the views keep moving toward
    it, or another transaction holds their row (a fold, a pull's page: `positions_tenues`), and gives up once
    they have stood still, unheld, for ``immobile_s`` (an older writer's rows that nobody folds, a writer that
    died between its commit and its fold) or after ``plafond_s`` in all. A position where it gave
    up is not waited for again: the pull is the way past it. Without the wait, one lost race left the views
    behind for every later write of both writers until the next pull (measured, bench/ecrivains.py). A fold not
    done leaves the events to the next catch-up, with the same rows.
    """

    def __init__(
        self, moteur: Engine, projections: tuple[Projection, ...], *, immobile_s: float = 0.25, plafond_s: float = 10.0
    ) -> None:
        self.moteur, self.projections, self.immobile_s, self.plafond_s = moteur, projections, immobile_s, plafond_s
        self.sans_relais: int | None = None  # where a wait gave up
        self.laisses: Counter[str] = Counter()  # folds left to the pull, by reason (bench/ecrivains.py prints them)
        self.en_retard = False  # the last fold was left, and nobody is known to have folded it since
        self.rattrapages, self.rattrapage_s = 0, 0.0  # catch-ups before a write (`rattraper_retard`), and their time

    def _laisser(self, raison: str) -> bool:
        self.laisses[raison] += 1
        self.en_retard = raison != "deja_pliee"
        return False

    def rattraper_retard(self, source: SourceJournal) -> int:
        """Before this process's next write: catch up what its last fold left (another writer's rows, its own
        write), so that the next folds find the views at their start again. A write's fold itself never folds
        another writer's rows; without this catch-up, one fold left made every later fold of the batch wait for
        the pull, each needing the views at its own start (measured, bench/ecrivains.py: 3 folds given up by a
        writer left 538 more). Returns how many events were folded."""
        if not self.en_retard:
            return 0
        debut = time.monotonic()
        plies = rattraper_ensemble(source, self.moteur, self.projections)
        self.en_retard = False
        self.rattrapages += 1
        self.rattrapage_s += time.monotonic() - debut
        return plies

    def __call__(self, depart: int, fin: int, evenements: list[tuple[str, Any]]) -> bool:
        """Fold (topic, event) pairs, in log order, of the write at (``depart``, ``fin``]; True if folded."""
        debut = time.monotonic()
        vu, depuis, pause = -1, debut, 0.002
        while True:
            try:
                plier_ensemble(self.moteur, self.projections, depart, fin, evenements)
                self.en_retard = False
                return True
            except PositionDeplacee:
                pass
            ou = positions_de(self.moteur, self.projections)
            if len(ou) != 1:
                return self._laisser("vues_separees")  # a rebuild runs, an older catch-up: the pull levels them
            q = ou.pop()
            if q >= fin:
                return self._laisser("deja_pliee")  # another process's pull folded this write already
            if q > depart:
                return self._laisser("pliee_en_partie")  # a pull's page ended inside this write
            if q < depart and q == self.sans_relais:
                return self._laisser("sans_relais")  # behind where nobody folds
            maintenant = time.monotonic()
            if q != vu:
                vu, depuis = q, maintenant  # the views moved: the folds before this one are being done
            elif maintenant - depuis >= self.immobile_s and positions_tenues(self.moteur, self.projections):
                depuis = maintenant  # a fold or a pull's page is being written: moving, unseen until its commit
            if maintenant - depuis >= self.immobile_s or maintenant - debut >= self.plafond_s:
                if maintenant - debut < self.plafond_s and positions_de(self.moteur, self.projections) != {q}:
                    continue  # the page that held them committed between the two reads: they moved, look again
                self.sans_relais = q if q < depart else None
                return self._laisser("immobile")
            if q < depart:
                time.sleep(pause)
                pause = min(pause * 2, 0.05)


def plier_ensemble(
    moteur: Engine, projections: tuple[Projection, ...], depart: int, fin: int, evenements: list[tuple[str, Any]]
) -> int:
    """One transaction: every projection's position moved from ``depart`` to ``fin`` (`avancer`, else
    `PositionDeplacee`), then each folds its topics' events; returns how many events were folded."""
    plies = 0
    with moteur.begin() as connexion:
        for projection in projections:  # every position moved first, in one order: no deadlock
            avancer(connexion, projection.nom, depart, fin)
        for projection in projections:
            siens = set(projection.topics)
            a_plier = [e for topic, e in evenements if topic in siens]
            plier_page(connexion, projection, a_plier)
            plies += len(a_plier)
    return plies


def rattraper_ensemble(
    registre: SourceJournal, moteur: Engine, projections: tuple[Projection, ...], *, taille_page: int = TAILLE_PAGE
) -> int:
    """Catch several projections up together when they stand at the same position: each page of the
    log is read and decoded once, folded into every projection, and all their rows and positions are
    written in one transaction (ADR 0005). Otherwise each catches up on its own."""
    borne = registre.borne()
    departs = positions_de(moteur, projections)
    if len(departs) != 1 or len(projections) < 2:
        return _niveler(registre, moteur, projections, borne)
    depart = departs.pop()
    topics = tuple(dict.fromkeys(t for p in projections for t in p.topics))
    appliques = 0
    while depart < borne:
        page = registre.notifications(
            start=depart, limit=taille_page, stop=borne, topics=topics, inclusive_of_start=False
        )
        fin = page[-1].id if len(page) == taille_page else borne
        evenements = [(n.topic, registre.lire_resume(n)) for n in page]
        try:
            appliques += plier_ensemble(moteur, projections, depart, fin, evenements)
        except PositionDeplacee:  # another catch-up or a write's fold went first
            departs = positions_de(moteur, projections)
            if len(departs) != 1:
                return appliques + _niveler(registre, moteur, projections, borne)
            depart = departs.pop()  # still together: go on from there, one decode for all
            continue
        depart = fin
    return appliques


def positions_tenues(moteur: Engine, projections: tuple[Projection, ...]) -> bool:
    """True while another transaction holds a projection's position row: a fold or a catch-up's page is being
    written (`avancer` updated the row first), so the positions read stand still only until its commit. A
    ``FOR SHARE SKIP LOCKED`` read skips the rows an update holds, waits for nothing, and does not stop other
    readers. SQLite has no row locks (one writer at a time): False."""
    if moteur.dialect.name != "postgresql":
        return False
    ligne = positions.c.projection.in_([p.nom for p in projections])
    with moteur.begin() as connexion:
        presentes = connexion.execute(select(func.count()).select_from(positions).where(ligne)).scalar_one()
        libres = connexion.execute(
            select(positions.c.projection).where(ligne).with_for_update(read=True, skip_locked=True)
        ).all()
    return len(libres) < presentes


def positions_de(moteur: Engine, projections: tuple[Projection, ...]) -> set[int]:
    """Where the projections stand, read by one statement: one snapshot, so a page that moves them all in one
    transaction is seen before or after its commit, never half (one read per projection saw a commit land between
    two of them and took the views for separated: seen once in the suite, PostgreSQL under load). No row is 0."""
    noms = [p.nom for p in projections]
    with moteur.connect() as connexion:
        lues = dict(
            connexion.execute(
                select(positions.c.projection, positions.c.position).where(positions.c.projection.in_(noms))
            )
            .tuples()
            .all()
        )
    return {int(lues.get(nom) or 0) for nom in noms}


def _niveler(registre: SourceJournal, moteur: Engine, projections: tuple[Projection, ...], borne: int) -> int:
    """Each projection on its own, all up to the same bound: they meet again there, and the next write's fold
    and catch-up can take them together (with a bound read per projection, two writers' processes kept them
    apart for good: measured, bench/ecrivains.py, 58 % of a writer's time in these single catch-ups)."""
    return sum(rattraper(registre, moteur, p, borne=borne) for p in projections)
