#!/usr/bin/env python3
"""Results-day benchmark: the whole Aix-Marseille 2024 day through `bac apply`'s path, against a raw baseline.

Stages as on the day: inscriptions and transcripts (three voies), juries, premier-groupe deliberation
of every jury (one command per jury), second groupe, replacement. Each batch goes through the same
functions as `bac apply` (validate every line, plan on the aggregates, bounded transactions with the
batch's tracking position, then the seal of each jury act, ADR 0013), then the projections catch up
(and the audit hash chain, ADR 0008).
In the same run, the very rows the registry stored are inserted raw (SQLite ``executemany``, PostgreSQL
binary ``COPY``, one transaction; bench/brut.py) into a table of the same shape: the ratio is the figure.
Then `bac statistiques` from the projection and one candidate's history (medians); the process's peak RSS
after each stage; then a new process (a `bac apply` from the command line, a service just restarted) loads every
candidate of the first session, its rows read alone then replayed: what a first jury act pays with nothing in memory.
Printed, never asserted. ``--academies 23``: a national session (≈ 736,000 candidates).
``--ecrivains N``: N processes write at once on the same log (ADR 0027), each taking the next académie not yet
taken until none is left, as N rectorats' services would; the day's figure is then the wall time from the first
batch to the last, the stages' figures the writers' times added up, the RSS the largest writer's.

    .venv/bin/python bench/results_day.py [--db postgresql+psycopg://…] [--academies 23] [--ecrivains 2] [--fenetre N]
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any, cast

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from adapters.application.journalisation import configurer
from adapters.application.service import PROJECTIONS, ServiceRegistre, appliquer_et_sceller
from adapters.lots.lot import lire_lot
from adapters.lots.plan import FENETRE_EVENEMENTS
from adapters.simulateur.cohorte import construire
from adapters.simulateur.journee import Journee
from adapters.simulateur.lots_journee import lots_de_la_journee
from adapters.simulateur.profils import Profil, charger_profil
from adapters.stockage.chargement import tous_les_evenements
from adapters.stockage.ramasse_miettes import sans_ramasse_miettes
from bench.brut import brut_postgres_copy, brut_sqlite_flux
from bench.ingest import vider_postgres
from domain import ids
from projections.runner import rattraper_ensemble


def profil_academie(base: Profil, k: int) -> Profil:
    """The Aix-Marseille profile under another académie's session code (scale runs)."""
    if k == 0:
        return base
    session = base.session.model_copy(update={"code": f"2024-academie-{k:02d}", "precedente": None})
    return base.model_copy(update={"session": session})


def jouer(service: ServiceRegistre, journee: Journee, mesures: dict[str, list[float]], fenetre: int) -> None:
    from adapters.audit.preuves.chaine import rattraper_chaine

    for etape, nom, lignes in lots_de_la_journee(journee):
        contenu = b"".join(orjson.dumps(ligne) + b"\n" for ligne in lignes)
        t0 = time.perf_counter()
        lot = lire_lot(contenu, acteur="bench", role="service_examens")
        t1 = time.perf_counter()
        rapport = appliquer_et_sceller(service.registre, service.moteur, lot, fenetre=fenetre)
        t2 = time.perf_counter()
        rattraper_chaine(service.registre, service.moteur)
        t3 = time.perf_counter()
        rattraper_ensemble(service.registre, service.moteur, PROJECTIONS)
        t4 = time.perf_counter()
        m = mesures.setdefault(etape, [0.0] * 8)
        for i, v in enumerate(
            (rapport.evenements, t1 - t0, rapport.phases.get("plan", 0.0), rapport.phases.get("ecriture", 0.0),
             t3 - t2, t4 - t3, t4 - t0)
        ):  # fmt: skip
            m[i] += v
        m[7] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # the process's peak so far, MiB
        print(f"    {journee.session} {nom}: {rapport.evenements} événements, {t4 - t0:.1f} s", flush=True)


def journee_de(base: Profil, k: int, graine: int) -> Journee:
    return construire(profil_academie(base, k), graine, academie=k)


def jouer_academies(
    service: ServiceRegistre, academies: Iterable[int], graine: int, fenetre: int, mesures: dict[str, list[float]]
) -> tuple[float, float, int]:
    """Each académie's day in turn, one cohort at a time (a national run never holds 23): the seconds of batch
    generation, the seconds of the days, the candidates."""
    base, generation, journees, candidats = charger_profil("aix-marseille-2024"), 0.0, 0.0, 0
    for k in academies:
        debut = time.perf_counter()
        journee = journee_de(base, k, graine)
        generation += time.perf_counter() - debut
        candidats += len(journee.candidats)
        debut = time.perf_counter()
        jouer(service, journee, mesures, fenetre)
        journees += time.perf_counter() - debut
        del journee
    return generation, journees, candidats


def _ecrivain(url: str, graine: int, fenetre: int, file: Any, resultats: Any) -> None:
    """A writer process: the next académie not yet taken, its whole day, until none is left."""
    configurer()  # a spawned writer starts from nothing: the same log level as its parent
    mesures: dict[str, list[float]] = {}
    with ServiceRegistre(url) as service:
        generation, _, candidats = jouer_academies(service, iter(file.get, None), graine, fenetre, mesures)
    resultats.put((mesures, generation, candidats))


def jouer_a_plusieurs(url: str, academies: int, ecrivains: int, graine: int, fenetre: int) -> tuple[Any, ...]:
    """The académies written by ``ecrivains`` processes at once: (stages added up, generation, candidates, wall)."""
    contexte = multiprocessing.get_context("spawn")  # each writer opens the log itself: nothing inherited
    file, resultats = contexte.Queue(), contexte.Queue()
    for k in [*range(academies), *([None] * ecrivains)]:
        file.put(k)
    processus = [contexte.Process(target=_ecrivain, args=(url, graine, fenetre, file, resultats))
                 for _ in range(ecrivains)]  # fmt: skip
    debut = time.perf_counter()
    for p in processus:
        p.start()
    lus = [resultats.get() for _ in processus]
    mur = time.perf_counter() - debut
    for p in processus:
        p.join()
        if p.exitcode != 0:
            raise SystemExit(f"un écrivain a échoué (code {p.exitcode})")
    mesures: dict[str, list[float]] = {}
    for siennes, _, _ in lus:
        for etape, m in siennes.items():
            cumul = mesures.setdefault(etape, [0.0] * 8)
            cumul[:7] = [a + b for a, b in zip(cumul[:7], m[:7], strict=True)]
            cumul[7] = max(cumul[7], m[7])
    return mesures, sum(g for _, g, _ in lus), sum(c for _, _, c in lus), mur


def _recharger(url: str, session: str, numeros: list[str], resultats: Any) -> None:
    """A new process (a `bac apply` from the command line, a service just restarted) loads the session's candidates,
    as its first jury act does: the rows read alone, then the aggregates replayed from them."""
    configurer()
    agregats = [ids.candidat_id(session, n) for n in numeros]
    with ServiceRegistre(url) as service, sans_ramasse_miettes():
        debut = time.perf_counter()
        lignes = sum(len(v) for v in tous_les_evenements(service.registre, agregats).values())
        lus = time.perf_counter()
        service.registre.charger_plusieurs(agregats)
        resultats.put((lignes, lus - debut, time.perf_counter() - lus))


def reprise_a_froid(url: str, session: str, numeros: list[str]) -> tuple[int, float, float]:
    """(rows, seconds reading them, seconds replaying every candidate) in a process that has nothing in memory."""
    contexte = multiprocessing.get_context("spawn")
    resultats = contexte.Queue()
    processus = contexte.Process(target=_recharger, args=(url, session, numeros, resultats))
    processus.start()
    lu = resultats.get()
    processus.join()
    return cast(tuple[int, float, float], lu)


def main() -> None:
    configurer()  # BAC_LOG_LEVEL as for `bac`: a run's figures are not buried under its info lines
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=None, help="URL PostgreSQL (sinon SQLite dans un dossier temporaire)")
    parser.add_argument("--academies", type=int, default=1, help="Nombre de sessions de la taille d'Aix-Marseille")
    parser.add_argument("--graine", type=int, default=2024)
    parser.add_argument("--ecrivains", type=int, default=1, help="Processus qui écrivent à la fois (ADR 0027)")
    parser.add_argument("--fenetre", type=int, default=FENETRE_EVENEMENTS, help="Événements gardés (ADR 0026)")
    args = parser.parse_args()
    base = charger_profil("aix-marseille-2024")
    with tempfile.TemporaryDirectory(prefix="bac-results-day-") as tmp:
        if args.db:
            vider_postgres(args.db)
        url = args.db or f"sqlite:///{tmp}/registre.db"
        mesures: dict[str, list[float]] = {}
        generation, journee_s, candidats = 0.0, 0.0, 0
        if args.ecrivains > 1:
            mesures, generation, candidats, journee_s = jouer_a_plusieurs(
                url, args.academies, args.ecrivains, args.graine, args.fenetre
            )
        with ServiceRegistre(url) as service:
            if args.ecrivains == 1:
                generation, journee_s, candidats = jouer_academies(
                    service, range(args.academies), args.graine, args.fenetre, mesures
                )
            premiere = journee_de(base, 0, args.graine)  # the first académie's cohort again, for the reads below
            stats = []
            for _ in range(5):
                t0 = time.perf_counter()
                service.statistiques(premiere.session, etape="provisoire")
                stats.append(time.perf_counter() - t0)
            historiques = []
            for c in premiere.candidats[:: max(1, len(premiere.candidats) // 20)]:
                t0 = time.perf_counter()
                service.historique(premiere.session, c.numero)
                historiques.append(time.perf_counter() - t0)
            brut = (
                brut_postgres_copy(service.registre, args.db)
                if args.db
                else brut_sqlite_flux(service.registre, Path(tmp))
            )
            verifie = service.verifier() if args.ecrivains > 1 else None  # several writers: nothing lost, in order
        froid = reprise_a_froid(url, premiere.session, [c.numero for c in premiere.candidats])
    total = sum(m[0] for m in mesures.values())
    octets = brut.octets / max(1, brut.lignes)
    magasin = "PostgreSQL" if args.db else "SQLite"
    print(
        f"bench/results_day.py — {magasin}, {args.academies} session(s) Aix-Marseille 2024, {candidats} candidats, "
        f"{int(total)} événements (≈ {octets:.0f} octets en moyenne), génération des lots {generation:.1f} s, "
        f"fenêtre {args.fenetre} événements"
        + (f", {args.ecrivains} écrivains à la fois (colonnes : leurs temps additionnés)" if args.ecrivains > 1 else "")
    )
    print(f"  {'étape':<16}{'événements':>12}{'lecture':>9}{'plan':>8}{'écriture':>10}{'chaîne':>8}{'vues':>8}"
          f"{'total s':>9}{'évén./s':>10}{'RSS max Mo':>12}")  # fmt: skip
    for etape, m in mesures.items():
        print(
            f"  {etape:<16}{int(m[0]):>12}{m[1]:>9.1f}{m[2]:>8.1f}{m[3]:>10.1f}{m[4]:>8.1f}{m[5]:>8.1f}{m[6]:>9.1f}"
            f"{m[0] / m[6]:>10,.0f}{m[7]:>12,.0f}"
        )
    mur = " (de bout en bout, écrivains à la fois)" if args.ecrivains > 1 else ""
    print(f"  journée entière (lots + vues)     : {journee_s:.1f} s{mur}, {total / journee_s:,.0f} événements/s")
    facon = "COPY binaire" if args.db else "executemany"
    print(f"  brut {facon}, 1 transaction{' ' * (17 - len(facon))}: {brut.secondes:.1f} s, "
          f"{brut.lignes / brut.secondes:,.0f} lignes/s")  # fmt: skip
    print(f"  ratio journée / brut               : {(total / journee_s) / (brut.lignes / brut.secondes):.3f}")
    if verifie is not None:
        etat = "intact" if verifie.valide else verifie.premier_defaut
        n, secondes = f"{verifie.evenements:,}", f"{verifie.secondes:.0f}"
        print(f"  journal vérifié après les écrivains : {etat}, {n} événements ({secondes} s)")
    print(f"  bac statistiques (projection)      : médiane {statistics.median(stats) * 1000:.0f} ms")
    print(f"  historique d'un candidat           : médiane {statistics.median(historiques) * 1000:.1f} ms")
    lignes, lecture, rejeu = froid
    print(
        f"  reprise à froid, {len(premiere.candidats)} candidats  : {lecture + rejeu:.1f} s "
        f"({(lecture + rejeu) / len(premiere.candidats) * 1e6:,.0f} µs par candidat), dont lecture brute de "
        f"leurs {lignes:,} lignes {lecture:.1f} s ; ratio lecture / reprise {lecture / (lecture + rejeu):.3f}"
    )


if __name__ == "__main__":
    main()
