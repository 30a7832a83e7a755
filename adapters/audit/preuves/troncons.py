"""`bac verifier` over stretches of the log, in worker processes when the log is large (ADR 0028).

The log is cut by rank into stretches of ``troncon`` rows, a multiple of the block of the Merkle tree. Each
stretch is walked on its own (adapters.audit.preuves.marche) from the chain link stored just before it — in this
process, or in a pool of processes that each open the log by its URL, for reading only — and the findings are
joined in stretch order. The report is the one a single walk gives (tests/test_verification_pages.py): the
walk's findings come in position order, the counts add up, and any prefix's root is rebuilt from the roots of the
complete blocks and the frontier inside the open one.

Hashing is pure CPU and the interpreter runs one thread at a time: processes are what use the machine's cores.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.context
import os
import threading
from array import array
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from functools import partial
from typing import Any
from uuid import UUID

import structlog
from sqlalchemy import Engine

from adapters.audit.preuves.actes import ids_acte
from adapters.audit.preuves.arbre import BLOC  # leaves under one kept root: stretches start on a multiple of it
from adapters.audit.preuves.chaine import lignes_chaine, maillon_avant
from adapters.audit.preuves.identites import ouvrir as ouvrir_identite
from adapters.audit.preuves.marche import Consigne, Constat, Maillon, Marche
from adapters.audit.preuves.merkle import Frontiere
from adapters.stockage.configuration import stockage_depuis_url
from adapters.stockage.lecture_journal import position_du_rang, rangees_du_journal
from adapters.stockage.ramasse_miettes import sans_ramasse_miettes
from adapters.stockage.registre import Registre

# Rows of a stretch: one block. Short stretches keep two workers busy to the end (an Aix-Marseille day's log
# makes eleven, not three), and each one's chain rows and positions stay small: its walk 7.7 s against 9.4 s.
TRONCON = BLOC
PROCESSUS_MAX = 4

journal = structlog.get_logger("bac.verification")


@dataclass(frozen=True)
class Troncon:
    """Rows ranked [rang, rang + troncon) of the log, at positions in (apres, jusqua]."""

    rang: int
    apres: int
    jusqua: int
    dernier: bool  # the chain rows after the log's end belong to the last stretch: a truncation


def decouper(registre: Registre, borne: int, troncon: int) -> list[Troncon]:
    """Stretches of ``troncon`` rows up to ``borne``; the in-memory log stays one stretch."""
    if registre.stockage.moteur == "memoire":
        return [Troncon(0, 0, borne, True)]
    troncons, apres, rang = [], 0, 0
    while (fin := position_du_rang(registre, apres, borne, troncon - 1)) is not None and fin < borne:
        troncons.append(Troncon(rang, apres, fin, False))
        apres, rang = fin, rang + troncon
    return [*troncons, Troncon(rang, apres, borne, True)]


def parcourir(
    registre: Registre,
    moteur: Engine,
    troncon: Troncon,
    consigne: Consigne,
    progression: Callable[[int], None] | None = None,
) -> Constat:
    """Walk one stretch, a page at a time, the cyclic GC paused (a tuple per row, no cycle: half the reading)."""
    with sans_ramasse_miettes():
        chaine = lignes_chaine(moteur, troncon.apres, jusqua=None if troncon.dernier else troncon.jusqua)
        precedent = maillon_avant(moteur, troncon.apres)
        ouvrir = partial(ouvrir_identite, registre) if consigne.identites else None
        acte_de = partial(ids_acte, registre)
        marche = Marche(consigne, chaine, acte_de, rang=troncon.rang, precedent=precedent, ouvrir=ouvrir)
        apres = troncon.apres
        while apres < troncon.jusqua:
            lignes = rangees_du_journal(registre, apres, troncon.jusqua, consigne.page)
            if not lignes:
                break
            marche.page(lignes)
            if progression:
                progression(lignes[-1][0])
            if len(lignes) < consigne.page:
                break
            apres = lignes[-1][0]
        return marche.finir()


_OUVERTS: dict[str, tuple[Registre, Engine]] = {}  # in a worker: the log opened once, for every stretch it walks


def _parcourir_ailleurs(url: str, troncon: Troncon, consigne: Consigne) -> Constat:
    if url not in _OUVERTS:
        stockage = stockage_depuis_url(url).sans_creation_de_tables()
        _OUVERTS[url] = (Registre(stockage), stockage.creer_moteur_sql())
    registre, moteur = _OUVERTS[url]
    return parcourir(registre, moteur, troncon, consigne)


def constats(
    registre: Registre,
    moteur: Engine,
    troncons: list[Troncon],
    consigne: Consigne,
    processus: int,
    progression: Callable[[int], None] | None = None,
) -> Iterator[Constat]:
    """Each stretch's findings, in stretch order: here, or from ``processus`` workers.

    A worker opens the log by its URL, for reading only (`_parcourir_ailleurs`), and touches nothing else it
    may have inherited. If the pool cannot start or loses a worker, the stretches are walked here instead."""
    if processus > 1 and len(troncons) > 1:
        try:
            lus = list(_dans_des_processus(registre.stockage.url, troncons, consigne, processus, progression))
        except (BrokenProcessPool, OSError) as erreur:
            journal.warning("verification.processus_indisponibles", erreur=type(erreur).__name__)
        else:
            yield from lus
            return
    for t in troncons:
        yield parcourir(registre, moteur, t, consigne, progression)


def _dans_des_processus(
    url: str, troncons: list[Troncon], consigne: Consigne, processus: int, progression: Callable[[int], None] | None
) -> Iterator[Constat]:
    with ProcessPoolExecutor(max_workers=processus, mp_context=_contexte()) as pool:
        lus = pool.map(partial(_parcourir_ailleurs, url, consigne=consigne), troncons)
        for t, constat in zip(troncons, lus, strict=True):
            if progression:
                progression(t.jusqua)
            yield constat


def _contexte() -> multiprocessing.context.BaseContext:
    """How workers start (ADR 0028). Forked from this process when it runs one thread: in milliseconds, and with no
    other thread's lock held in the copy (`bac verifier`, the benchmarks). With other threads (the HTTP server's), a
    fork server: a clean process that imported this module once, then forks each worker. Spawned otherwise: each
    worker imports the registry itself (1.4 s, measured, as long as the walk of a quarter of a million events)."""
    methodes = multiprocessing.get_all_start_methods()
    if "fork" in methodes and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if "forkserver" in methodes:
        contexte = multiprocessing.get_context("forkserver")
        contexte.set_forkserver_preload([__name__])  # not the caller's __main__: the workers need only this module
        return contexte
    return multiprocessing.get_context("spawn")


def processus_pour(troncons: int) -> int:
    """Workers for this many stretches: one per core, at most PROCESSUS_MAX; one stretch stays here."""
    return 1 if troncons <= 1 else min(troncons, os.cpu_count() or 1, PROCESSUS_MAX)


@dataclass
class Parcours:
    """The stretches joined: what the report's checks after the walk need."""

    lignes_lues: int = 0
    derniere_lue: int = 0
    positions: array = field(default_factory=lambda: array("q"))  # type: ignore[type-arg]
    rang_de: dict[int, int] = field(default_factory=dict)
    decisions: list[tuple[int, UUID, UUID | None]] = field(default_factory=list)
    racines: dict[int, bytes] = field(default_factory=dict)
    blocs: list[bytes] = field(default_factory=list)  # roots of the complete blocks, in order
    racine: bytes = b""
    reste: list[Maillon] = field(default_factory=list)
    cles_invalides: list[tuple[int, str]] = field(default_factory=list)
    effacees: int = 0


def contigus(troncons: list[Troncon], lus: list[Constat]) -> bool:
    """Each stretch held the rows its rank promised: the log did not move under the walk."""
    rang = 0
    for t, c in zip(troncons, lus, strict=True):
        if t.rang != rang:
            return False
        rang += c.evenements
    return True


def joindre(rapport: Any, lus: list[Constat], bloc: int) -> Parcours:
    """The stretches' findings into ``rapport``, in order; the roots rebuilt from the blocks (`contigus`)."""
    parcours, blocs, frontieres = Parcours(), [], {}
    ouvert: list[bytes] = []
    for c in lus:
        for defaut in c.defauts:
            rapport.signaler(*defaut)
        rapport.evenements += c.evenements
        rapport.chaines, rapport.non_chaines = rapport.chaines + c.chaines, rapport.non_chaines + c.non_chaines
        if c.evenements:
            rapport.position_max = c.position_max
        if c.lignes_lues:
            parcours.lignes_lues, parcours.derniere_lue = parcours.lignes_lues + c.lignes_lues, c.derniere_lue
        parcours.positions.extend(c.positions)
        parcours.rang_de.update(c.rang_de)
        parcours.decisions.extend(c.decisions)
        blocs.extend(c.blocs)
        frontieres.update(c.frontieres)
        ouvert, parcours.reste = c.ouvert, c.reste
        parcours.cles_invalides.extend(c.cles_invalides)
        parcours.effacees += c.effacees
    parcours.blocs = blocs
    frontieres[rapport.evenements] = ouvert  # the whole log's frontier: its root is the report's
    parcours.racines = {0: Frontiere().racine(), **_racines(blocs, frontieres, bloc)}
    parcours.racine = parcours.racines[rapport.evenements]
    return parcours


def _racines(blocs: list[bytes], frontieres: dict[int, list[bytes]], bloc: int) -> dict[int, bytes]:
    """Each size's root: the frontier over the roots of the blocks before it, then its nodes inside its block."""
    racines, dessus, pris = {}, Frontiere(), 0
    for taille in sorted(frontieres):
        complets = taille // bloc
        dessus.etendre(blocs[pris:complets])
        pris = complets
        racines[taille] = Frontiere(taille, [*dessus.noeuds, *frontieres[taille]]).racine()
    return racines
