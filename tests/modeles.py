"""Logs built once per test process and store, then copied for each test that damages its own (issue 8: tests
that repeat the same set-up share one builder).

The copy is the stored log itself, never a re-run of its commands: SQLite's backup API copies the file page by
page, PostgreSQL copies a template database (`CREATE DATABASE … TEMPLATE`). Files kept next to the log (the
president's keys, exported anchors) are copied into the test's own folder, and what the test helpers know of the
log (its administrator's and actors' tokens) follows the copy, so a test sees exactly what its builder left.
"""

from __future__ import annotations

import shutil
import sqlite3
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

from tests.scenario import copier_etat

Construire = Callable[[str, Path], None]
"""Build a log at ``url``, with the files that go with it in the given folder; every service closed after."""


@dataclass(frozen=True)
class Copie:
    url: str
    dossier: Path  # the builder's files, copied for this test alone


class Modeles:
    """The models of one test process, by (builder, store); PostgreSQL copies are dropped by `jeter`."""

    def __init__(self, racine: Path, url_pg: str | None) -> None:
        self.racine = racine
        self.url_pg = url_pg
        self._modeles: dict[tuple[str, str], Copie] = {}
        self._bases: list[str] = []
        self._verrou = threading.Lock()

    def copie(self, nom: str, construire: Construire, moteur: str, cible: Path) -> Copie:
        modele = self._modele(nom, construire, moteur)
        dossier = cible / nom
        shutil.copytree(modele.dossier, dossier)
        if moteur == "sqlite":
            url = f"sqlite:///{dossier.parent / (nom + '.db')}"
            source, destination = sqlite3.connect(_chemin(modele.url)), sqlite3.connect(_chemin(url))
            try:
                source.backup(destination)
            finally:
                source.close()
                destination.close()
        else:
            url = self._base(modele=_nom_base(modele.url))
        copier_etat(modele.url, url)
        return Copie(url, dossier)

    def jeter(self, copie: Copie) -> None:
        if copie.url.startswith("postgresql"):
            self._supprimer(_nom_base(copie.url))

    def fermer(self) -> None:
        for nom in list(self._bases):
            self._supprimer(nom)

    def _modele(self, nom: str, construire: Construire, moteur: str) -> Copie:
        with self._verrou:
            cle = (nom, moteur)
            if cle not in self._modeles:
                dossier = self.racine / f"{nom}-{moteur}"
                dossier.mkdir(parents=True)
                url = f"sqlite:///{self.racine / (nom + '-' + moteur + '.db')}" if moteur == "sqlite" else self._base()
                construire(url, dossier)
                self._modeles[cle] = Copie(url, dossier)
            return self._modeles[cle]

    def _base(self, modele: str | None = None) -> str:
        assert self.url_pg, "BAC_TEST_PG_URL absent"
        nom = f"bac_{'c' if modele else 'm'}_{uuid.uuid4().hex[:12]}"
        gabarit = f' TEMPLATE "{modele}"' if modele else ""
        with psycopg.connect(conninfo(self.url_pg), autocommit=True) as connexion:
            connexion.execute(f'CREATE DATABASE "{nom}"{gabarit}')
        self._bases.append(nom)
        return make_url(self.url_pg).set(database=nom).render_as_string(hide_password=False)

    def _supprimer(self, nom: str) -> None:
        assert self.url_pg
        with psycopg.connect(conninfo(self.url_pg), autocommit=True) as connexion:
            connexion.execute(f'DROP DATABASE IF EXISTS "{nom}" WITH (FORCE)')
        self._bases.remove(nom)


def _chemin(url: str) -> str:
    return url.removeprefix("sqlite:///")


def _nom_base(url: str) -> str:
    nom = make_url(url).database
    assert nom
    return nom


def conninfo(url_pg: str) -> str:
    """libpq's parameters for the server's maintenance connection (databases are created and dropped there)."""
    url = make_url(url_pg)
    return f"host={url.host} port={url.port} user={url.username} dbname={url.database}"
