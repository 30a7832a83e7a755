"""Raw baselines of the same run, streamed: the registry's own stored rows re-inserted with no registry at all.

The rows are read back page by page (never all in memory: a national log is ≈ 15 million rows) and only the
writing is timed: SQLite `executemany` in one transaction, PostgreSQL one binary `COPY` in one transaction (what
the registry itself now uses for event rows, so the fair floor), into a table of the same shape.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from adapters.stockage.lecture_journal import lignes_du_journal


def connecter_pg(url: str, *, autocommit: bool = False) -> Any:
    """A psycopg connection from the registry's SQLAlchemy URL (the benches' own SQL, beside the registry)."""
    import psycopg
    from sqlalchemy.engine import make_url

    u = make_url(url)
    return psycopg.connect(
        host=u.host, port=u.port, user=u.username, password=u.password or "", dbname=u.database, autocommit=autocommit
    )


def ouvrir_brut_sqlite(dossier: Path) -> sqlite3.Connection:
    """A fresh SQLite file with a table of the library's shape, in autocommit (the caller opens the transaction)."""
    chemin = dossier / "brut.db"
    chemin.unlink(missing_ok=True)
    connexion = sqlite3.connect(chemin, isolation_level=None)
    connexion.execute("PRAGMA journal_mode=WAL")
    connexion.execute(
        "CREATE TABLE stored_events (originator_id TEXT, originator_version INTEGER, topic TEXT, "
        "state BLOB, PRIMARY KEY (originator_id, originator_version))"
    )
    return connexion


def creer_brut_pg(connexion: Any) -> None:
    """Table ``bench_brut``, of the registry's events table's shape (committed)."""
    connexion.execute("DROP TABLE IF EXISTS bench_brut")
    connexion.execute(
        "CREATE TABLE bench_brut (originator_id uuid, originator_version integer, topic text, "
        "state bytea, notification_id bigserial, PRIMARY KEY (originator_id, originator_version))"
    )
    connexion.commit()


@dataclass
class Brut:
    secondes: float = 0.0
    lignes: int = 0
    octets: int = 0


def _pages(registre: Any, taille: int = 20_000) -> Any:
    borne = registre.enregistreur.max_notification_id() or 0
    page: list[Any] = []
    for ligne in lignes_du_journal(registre, borne):
        page.append(ligne)
        if len(page) >= taille:
            yield page
            page = []
    if page:
        yield page


def brut_sqlite_flux(registre: Any, dossier: Path) -> Brut:
    connexion = ouvrir_brut_sqlite(dossier)
    brut = Brut()
    connexion.execute("BEGIN")
    for page in _pages(registre):
        lignes = [(str(n.originator_id), n.originator_version, n.topic, n.state) for n in page]
        debut = time.perf_counter()
        connexion.executemany("INSERT INTO stored_events VALUES (?, ?, ?, ?)", lignes)
        brut.secondes += time.perf_counter() - debut
        brut.lignes += len(lignes)
        brut.octets += sum(len(n.state) for n in page)
    debut = time.perf_counter()
    connexion.execute("COMMIT")
    brut.secondes += time.perf_counter() - debut
    connexion.close()
    return brut


def brut_postgres_copy(registre: Any, url: str) -> Brut:
    brut = Brut()
    with connecter_pg(url) as connexion:
        creer_brut_pg(connexion)
        with connexion.cursor() as curseur:
            debut = time.perf_counter()
            with curseur.copy(
                "COPY bench_brut (originator_id, originator_version, topic, state) FROM STDIN (FORMAT BINARY)"
            ) as copie:
                copie.set_types(["uuid", "int4", "text", "bytea"])
                brut.secondes += time.perf_counter() - debut
                for page in _pages(registre):
                    debut = time.perf_counter()
                    for n in page:
                        copie.write_row((n.originator_id, n.originator_version, n.topic, n.state))
                    brut.secondes += time.perf_counter() - debut
                    brut.lignes += len(page)
                    brut.octets += sum(len(n.state) for n in page)
                debut = time.perf_counter()
            connexion.commit()
            brut.secondes += time.perf_counter() - debut
        connexion.execute("DROP TABLE bench_brut")
        connexion.commit()
    return brut
