"""Shared fixtures: stores (in-memory, SQLite file, real PostgreSQL) and the given/when/then helper.

PostgreSQL tests need ``BAC_TEST_PG_URL`` (``make test`` starts a throw-away server and sets it).
Under ``BAC_EXIGER_PG=1`` (``make test``, CI) a missing server is a failure, never a skip.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url

from tests.modeles import Construire, Copie, Modeles, conninfo
from tests.scenario import Scenario

URL_PG = os.environ.get("BAC_TEST_PG_URL")
os.environ.setdefault("BAC_ARGON2", "rapide")  # tokens issued by the thousand here; the log's hashes say their cost


def _exiger_pg() -> None:
    if not URL_PG:
        message = "BAC_TEST_PG_URL absent : pas de serveur PostgreSQL de test"
        if os.environ.get("BAC_EXIGER_PG") == "1":
            pytest.fail(message)
        pytest.skip(message)


def _base_pg_neuve() -> Iterator[str]:
    """A fresh database per test on the throw-away server, dropped afterwards."""
    _exiger_pg()
    assert URL_PG
    url = make_url(URL_PG)
    nom = f"bac_t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(conninfo(URL_PG), autocommit=True) as connexion:
        connexion.execute(f'CREATE DATABASE "{nom}"')
    try:
        yield url.set(database=nom).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(conninfo(URL_PG), autocommit=True) as connexion:
            connexion.execute(f'DROP DATABASE IF EXISTS "{nom}" WITH (FORCE)')


@pytest.fixture
def url_postgres() -> Iterator[str]:
    yield from _base_pg_neuve()


@pytest.fixture
def url_sqlite(tmp_path: object) -> str:
    return f"sqlite:///{tmp_path}/registre.db"  # type: ignore[str-bytes-safe]


@pytest.fixture(params=["sqlite", "postgres"])
def url_persistante(request: pytest.FixtureRequest, tmp_path: object) -> Iterator[str]:
    """Each integration test runs on both real stores."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/registre.db"  # type: ignore[str-bytes-safe]
    else:
        yield from _base_pg_neuve()


@pytest.fixture(scope="session")
def modeles(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Modeles]:
    m = Modeles(tmp_path_factory.mktemp("modeles"), URL_PG)
    yield m
    m.fermer()


@pytest.fixture(params=["sqlite", "postgres"])
def copie_de(request: pytest.FixtureRequest, modeles: Modeles, tmp_path: Path) -> Iterator[Callable[..., Copie]]:
    """On both real stores, a copy of the log a builder makes once per process: ``copie_de(nom, construire)``."""
    if request.param == "postgres":
        _exiger_pg()
    faites: list[Copie] = []

    def copier(nom: str, construire: Construire) -> Copie:
        faites.append(modeles.copie(nom, construire, request.param, tmp_path))
        return faites[-1]

    yield copier
    for copie in faites:
        modeles.jeter(copie)


@pytest.fixture
def scenario() -> Iterator[Scenario]:
    s = Scenario("memoire://")
    yield s
    s.fermer()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that needs the PostgreSQL server, so `-m "not postgres"` leaves them out cleanly."""
    for item in items:
        callspec = getattr(item, "callspec", None)
        parametres = callspec.params.values() if callspec else ()
        if "url_postgres" in getattr(item, "fixturenames", ()) or "postgres" in parametres:
            item.add_marker(pytest.mark.postgres)


def pytest_collection_finish(session: pytest.Session) -> None:
    """Under ``--dist loadgroup``, a worker whose grouped tests carry no group in their id would share them out:
    each worker would then play the press-release day (measured: twice per store, 15 min each). Said at once."""
    if not getattr(session.config.option, "loadgroup", False):
        return
    perdus = [i.nodeid for i in session.items if i.get_closest_marker("xdist_group") and "@" not in i.nodeid]
    if perdus:
        raise pytest.UsageError(
            f"--dist loadgroup : {len(perdus)} test(s) marqués xdist_group sans groupe dans leur id "
            f"(versions de pytest et pytest-xdist incompatibles ?), p. ex. {perdus[0]}"
        )


class ServeurHttp:
    """A real uvicorn on 127.0.0.1 serving `creer_app` on a SQLite file; the administrator's token from bac init."""

    def __init__(self, url_db: str, routeurs: tuple[object, ...] = ()) -> None:
        import socket
        import threading

        import uvicorn

        from adapters.application.service import ServiceRegistre
        from adapters.http.app import creer_app

        with ServiceRegistre(url_db) as service:
            jeton = service.initialiser()
            assert jeton is not None
            self.jeton_admin = jeton.texte
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        self.url_db = url_db
        self.base = f"http://127.0.0.1:{port}"
        app = creer_app(url_db, routeurs=routeurs, taille=4)  # type: ignore[arg-type]
        self.serveur = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
        self.fil = threading.Thread(target=self.serveur.run, daemon=True)
        self.fil.start()
        import time

        for _ in range(500):
            if self.serveur.started:
                break
            time.sleep(0.01)
        assert self.serveur.started, "uvicorn n'a pas démarré"

    def arreter(self) -> None:
        self.serveur.should_exit = True
        self.fil.join(timeout=10)

    def taille_journal(self) -> int:
        if self.url_db.startswith("postgresql"):
            from sqlalchemy import create_engine, text

            moteur = create_engine(self.url_db)
            try:
                with moteur.connect() as connexion:
                    return int(connexion.execute(text("SELECT count(*) FROM registre_events")).scalar_one())
            finally:
                moteur.dispose()
        import sqlite3

        with sqlite3.connect(self.url_db.removeprefix("sqlite:///")) as connexion:
            return int(connexion.execute("SELECT count(*) FROM stored_events").fetchone()[0])


@pytest.fixture
def serveur(tmp_path: object) -> Iterator[ServeurHttp]:
    s = ServeurHttp(f"sqlite:///{tmp_path}/registre.db")  # type: ignore[str-bytes-safe]
    yield s
    s.arreter()
