#!/usr/bin/env python3
"""Several writers at once on PostgreSQL (issue 14): one process per académie, against the same académies
applied one after another by a single process, in the same run.

Each writer plays its académie's whole results day (bench/results_day.py's `jouer`: every batch through
`bac apply`'s path, then the catch-ups) on the same database. The sequential pass runs first on a fresh
database, then the concurrent one on another fresh database. The ratio sequential / concurrent says how much
the writers overlap: 1.0 means they are serialised, N means N writers run at full speed. Each writer also
reports how long it waited for the log's table lock (the library's ``LOCK TABLE … IN EXCLUSIVE MODE``, which
keeps positions committed in order, ADR 0027) and how its time split between planning and writing. Printed,
never asserted.

    scripts/avec_postgres.py -- sh -c '.venv/bin/python bench/ecrivains.py --db "$BAC_TEST_PG_URL" [--ecrivains 2]'
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from adapters.application.journalisation import configurer
from adapters.application.service import ServiceRegistre
from adapters.lots.plan import FENETRE_EVENEMENTS
from adapters.simulateur.journee import Journee
from adapters.simulateur.profils import charger_profil
from adapters.stockage.enregistreur_postgres import EnregistreurPostgres
from bench.ingest import vider_postgres
from bench.results_day import jouer, journee_de
from projections.runner import Poussee


class Verrou:
    """Time spent waiting for the log's table lock in this process: the library's `_lock_table`, timed."""

    def __init__(self) -> None:
        self.attente, self.prises = 0.0, 0
        origine = EnregistreurPostgres._lock_table

        def chronometre(recorder: EnregistreurPostgres, curseur: Any) -> None:
            debut = time.perf_counter()
            origine(recorder, curseur)
            self.attente += time.perf_counter() - debut
            self.prises += 1

        EnregistreurPostgres._lock_table = chronometre  # type: ignore[method-assign, assignment]


class Plis:
    """The folds at the write in this process (`Poussee`, ADR 0025 and 0027): done, left to the pull, seconds."""

    def __init__(self) -> None:
        self.faits, self.laisses, self.secondes = 0, 0, 0.0
        self.poussees: list[Poussee] = []
        origine = Poussee.__call__

        def compte(poussee: Poussee, depart: int, fin: int, evenements: list[tuple[str, Any]]) -> bool:
            if poussee not in self.poussees:
                self.poussees.append(poussee)
            debut = time.perf_counter()
            fait = origine(poussee, depart, fin, evenements)
            self.secondes += time.perf_counter() - debut
            self.faits, self.laisses = self.faits + fait, self.laisses + (not fait)
            return fait

        Poussee.__call__ = compte  # type: ignore[method-assign, assignment]

    def mesures(self) -> tuple[int, int, float, str, int, float]:
        """Done, left, seconds folding, reasons left; catch-ups before a write (`Poussee.rattraper_retard`) and
        their seconds."""
        raisons: Counter[str] = sum((p.laisses for p in self.poussees), Counter())
        rattrapages = sum(p.rattrapages for p in self.poussees)
        rattrapage_s = sum(p.rattrapage_s for p in self.poussees)
        detail = ", ".join(f"{r} {n}" for r, n in sorted(raisons.items()))
        return self.faits, self.laisses, self.secondes, detail, rattrapages, rattrapage_s


def _phases(mesures: dict[str, list[float]]) -> tuple[float, ...]:
    """Planning, writing, chain catch-up and views catch-up seconds summed over the day's stages
    (bench/results_day.py's columns)."""
    return tuple(sum(m[i] for m in mesures.values()) for i in (2, 3, 4, 5))


def _journee(k: int, graine: int) -> Journee:
    return journee_de(charger_profil("aix-marseille-2024"), k, graine)


def _ecrivain(url: str, k: int, graine: int, depart: object, resultats: object) -> None:
    configurer()  # a spawned writer starts from nothing: the same log level as its parent
    journee = _journee(k, graine)
    verrou, plis, mesures = Verrou(), Plis(), {}  # type: ignore[var-annotated]
    with ServiceRegistre(url) as service:
        depart.wait()  # type: ignore[attr-defined]
        debut = time.perf_counter()
        jouer(service, journee, mesures, FENETRE_EVENEMENTS)
        duree = time.perf_counter() - debut
        resultats.put((k, (duree, verrou.attente, verrou.prises, *_phases(mesures), *plis.mesures())))  # type: ignore[attr-defined]


def main() -> None:
    configurer()  # BAC_LOG_LEVEL as for `bac`: a run's figures are not buried under its info lines
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="URL PostgreSQL")
    parser.add_argument("--ecrivains", type=int, default=2)
    parser.add_argument("--graine", type=int, default=2024)
    args = parser.parse_args()
    n = args.ecrivains

    vider_postgres(args.db)
    journees = [_journee(k, args.graine) for k in range(n)]
    verrou, plis, mesures = Verrou(), Plis(), {}  # type: ignore[var-annotated]
    with ServiceRegistre(args.db) as service:
        debut = time.perf_counter()
        for journee in journees:
            jouer(service, journee, mesures, FENETRE_EVENEMENTS)
        sequentiel = time.perf_counter() - debut
        seul = (sequentiel, verrou.attente, verrou.prises, *_phases(mesures), *plis.mesures())
        evenements = service.registre.enregistreur.max_notification_id() or 0
    del journees

    vider_postgres(args.db)
    contexte = multiprocessing.get_context("spawn")
    depart, resultats = contexte.Barrier(n + 1), contexte.Queue()
    processus = [
        contexte.Process(target=_ecrivain, args=(args.db, k, args.graine, depart, resultats)) for k in range(n)
    ]
    for p in processus:
        p.start()
    depart.wait()
    debut = time.perf_counter()
    durees = dict(resultats.get() for _ in range(n))
    concurrent = time.perf_counter() - debut
    for p in processus:
        p.join()
    with ServiceRegistre(args.db) as service:
        rapport = service.verifier()
        assert (service.registre.enregistreur.max_notification_id() or 0) == evenements

    print(f"bench/ecrivains.py — PostgreSQL, {n} académie(s) de la taille d'Aix-Marseille, {evenements} événements")
    print(f"  un écrivain, académies l'une après l'autre : {sequentiel:.1f} s, {evenements / sequentiel:,.0f} év./s")
    print(f"  {n} écrivains à la fois (un par académie)   : {concurrent:.1f} s, {evenements / concurrent:,.0f} év./s")
    print("  chaque écrivain                           : " + ", ".join(f"{durees[k][0]:.1f} s" for k in sorted(durees)))
    print("  attente du verrou de table ; plan, écriture (verrou compris), rattrapage de la chaîne et des vues :")
    for nom, (duree, attente, prises, plan, ecriture, chaine, vues, faits, laisses, plis_s, raisons, *rattrapes) in [
        ("seul", seul),
        *((f"écrivain {k}", durees[k]) for k in sorted(durees)),
    ]:
        print(
            f"    {nom:<12}: verrou {attente:.1f} s sur {prises} prises ({attente / duree:.0%} de {duree:.1f} s), "
            f"plan {plan:.1f} s, écriture {ecriture:.1f} s, chaîne {chaine:.1f} s, vues {vues:.1f} s ; "
            f"plis à l'écriture {faits} faits, {laisses} laissés au rattrapage ({plis_s:.1f} s ; {raisons or '—'}), "
            f"rattrapés avant l'écriture suivante {rattrapes[0]} fois ({rattrapes[1]:.1f} s)"
        )
    print(f"  rapport séquentiel / concurrent           : {sequentiel / concurrent:.2f} (1,00 : écritures sérialisées)")
    print(f"  journal vérifié après les écrivains       : {'intact' if rapport.valide else rapport.premier_defaut}")


if __name__ == "__main__":
    main()
