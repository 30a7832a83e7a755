"""Several processes opening a new log at the same instant (ADR 0027: one writer per académie, services started
together on results day): every one starts, on both stores, and the log they share is one log.

PostgreSQL's ``CREATE TABLE IF NOT EXISTS`` is not safe against itself: two sessions creating the same table at
once collide on the catalogue ("duplicate key value violates unique constraint pg_type_typname_nsp_index"), and
one service died with a traceback at its start (seen on bench/results_day.py --ecrivains 2, a fresh database).
"""

from __future__ import annotations

import fcntl
import multiprocessing
import traceback
from typing import Any

import orjson
import pytest

from adapters.application.service import ServiceRegistre
from adapters.lots.lot import appliquer_lot, lire_lot
from adapters.stockage import demarrage
from adapters.stockage.configuration import RegistreOccupe
from tests.scenario import ACTEUR, inscrire, ouvrir

PROCESSUS = 4


def _demarrer(url: str, depart: Any, resultats: Any) -> None:
    """A service's start, all at once with the others: the registry opened (its tables created if missing)."""
    depart.wait()
    try:
        with ServiceRegistre(url):
            resultats.put("démarré")
    except Exception as e:  # what the test reports: which start failed, and why
        resultats.put(f"{type(e).__name__}: {e}\n{traceback.format_exc(limit=-4)}")


def test_adr0027_des_services_demarres_ensemble_sur_un_journal_neuf_demarrent_tous(url_persistante: str) -> None:
    contexte = multiprocessing.get_context("spawn")
    depart, resultats = contexte.Barrier(PROCESSUS), contexte.Queue()
    demarrer = (url_persistante, depart, resultats)
    processus = [contexte.Process(target=_demarrer, args=demarrer) for _ in range(PROCESSUS)]
    for p in processus:
        p.start()
    issues = [resultats.get(timeout=120) for _ in processus]
    for p in processus:
        p.join(timeout=60)
    assert issues == ["démarré"] * PROCESSUS
    with ServiceRegistre(url_persistante) as service:  # one log, usable by whoever comes next
        lot = b"".join(orjson.dumps({**ACTEUR, **ligne}) + b"\n" for ligne in (ouvrir(), inscrire("00000001")))
        assert appliquer_lot(service.registre, lire_lot(lot)).evenements > 0
        assert service.verifier().valide


def test_adr0027_un_demarrage_qui_ne_finit_pas_fait_attendre_un_temps_borne(
    url_sqlite: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process holds the start of this SQLite log (its lock file) past the bounded wait: this one gives up
    with the registry's clear refusal, naming the wait, rather than hanging or failing with a traceback."""
    monkeypatch.setattr(demarrage, "DELAI_VERROU_S", 0.2)
    chemin = url_sqlite.removeprefix("sqlite:///") + "-demarrage"
    with open(chemin, "a+b") as autre:
        fcntl.flock(autre, fcntl.LOCK_EX)
        with pytest.raises(RegistreOccupe, match=r"un autre processus ouvre ce registre depuis plus de 0\.2 s"):
            ServiceRegistre(url_sqlite)
    with ServiceRegistre(url_sqlite) as service:  # the lock released: the log opens
        assert service.verifier().valide
