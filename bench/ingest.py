#!/usr/bin/env python3
"""Ingest benchmark: N candidates × 15 events through the `bac apply` code path, against a raw baseline.

Each candidate is one inscription (InscriptionAnnuelleEnregistrée + Inscrit) and 13 grades
(NoteSaisie): 15 events. The batch file goes through the same functions as `bac apply`
(read + validate every line, plan on the aggregates, bounded transactions with the batch's
tracking position). In the same run, the very rows the registry stored are inserted raw
(``executemany`` in one transaction) into a table of the same shape: the ratio is the figure.
Machines here are noisy: medians of several runs are printed, never asserted.

    .venv/bin/python bench/ingest.py [--candidats 10000] [--runs 3] [--db postgresql+psycopg://…]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from adapters.application.journalisation import configurer
from adapters.application.service import ServiceRegistre
from adapters.lots.lot import appliquer_lot, lire_lot
from adapters.simulateur.generateur import cohorte
from adapters.stockage.cles import SCHEMA_POSTGRES
from bench.brut import connecter_pg, creer_brut_pg, ouvrir_brut_sqlite

SESSION = "2024-aix-marseille"
NOTES_PAR_CANDIDAT = 13  # + InscriptionAnnuelleEnregistrée + Inscrit = 15 events


def fichier_lot(candidats: int, par_releve: bool = False) -> bytes:
    ouvrir = {
        "type": "ouvrir_session",
        "session": SESSION,
        "libelle": "bench",
        "acteur": "bench",
        "role": "service_examens",
    }
    lignes = [ouvrir, *cohorte(SESSION, 2024, candidats, notes_par_candidat=NOTES_PAR_CANDIDAT, par_releve=par_releve)]
    return b"".join(orjson.dumps(ligne) + b"\n" for ligne in lignes)


def lignes_stockees(service: ServiceRegistre) -> list[tuple[str, int, str, bytes]]:
    notifications = service.registre.enregistreur.select_notifications(start=1, limit=10**9)
    return [(str(n.originator_id), n.originator_version, n.topic, n.state) for n in notifications]


def brut_sqlite(lignes: list[tuple[str, int, str, bytes]], dossier: Path) -> float:
    connexion = ouvrir_brut_sqlite(dossier)
    debut = time.perf_counter()
    connexion.execute("BEGIN")
    connexion.executemany("INSERT INTO stored_events VALUES (?, ?, ?, ?)", lignes)
    connexion.execute("COMMIT")
    duree = time.perf_counter() - debut
    connexion.close()
    return duree


def brut_postgres(lignes: list[tuple[str, int, str, bytes]], url: str) -> float:
    with connecter_pg(url) as connexion:
        creer_brut_pg(connexion)
        debut = time.perf_counter()
        with connexion.cursor() as curseur:
            curseur.executemany(
                "INSERT INTO bench_brut (originator_id, originator_version, topic, state) VALUES (%s, %s, %s, %s)",
                lignes,
            )
        connexion.commit()
        duree = time.perf_counter() - debut
        connexion.execute("DROP TABLE bench_brut")
        connexion.commit()
    return duree


def vider_postgres(url: str) -> None:
    """Every table of the database: the log, the views, the chain, the applied commands' ids and the identity keys
    in their own schema (a run that left any of them would see its batches as applied, its chain as foreign, or
    its candidates' keys as another writer's)."""
    with connecter_pg(url, autocommit=True) as connexion:
        connexion.execute("DROP SCHEMA public CASCADE")
        connexion.execute("CREATE SCHEMA public")
        connexion.execute(f"DROP SCHEMA IF EXISTS {SCHEMA_POSTGRES} CASCADE")


def un_passage(candidats: int, contenu: bytes, url_pg: str | None) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="bac-bench-") as dossier_tmp:
        dossier = Path(dossier_tmp)
        if url_pg:
            vider_postgres(url_pg)
        url = url_pg or f"sqlite:///{dossier}/registre.db"
        with ServiceRegistre(url) as service:
            debut = time.perf_counter()
            lot = lire_lot(contenu, acteur="bench", role="service_examens")
            rapport = appliquer_lot(service.registre, lot)
            duree_lot = time.perf_counter() - debut
            debut = time.perf_counter()
            service.rattraper()
            duree_projection = time.perf_counter() - debut
            lignes = lignes_stockees(service)
        assert rapport.evenements == len(lignes) == 1 + 15 * candidats, (rapport.evenements, len(lignes))
        duree_brut = brut_postgres(lignes, url_pg) if url_pg else brut_sqlite(lignes, dossier)
        octets = sum(len(ligne[3]) for ligne in lignes) / len(lignes)
        return {
            "evenements": float(len(lignes)),
            "octets_par_evenement": octets,
            "lot_s": duree_lot,
            "plan_s": rapport.phases.get("plan", 0.0),
            "ecriture_s": rapport.phases.get("ecriture", 0.0),
            "projection_s": duree_projection,
            "brut_s": duree_brut,
        }


def rapporter(titre: str, passages: list[dict[str, float]]) -> None:
    n = passages[0]["evenements"]
    med = {cle: statistics.median(p[cle] for p in passages) for cle in passages[0]}
    ratios = sorted((n / p["lot_s"]) / (n / p["brut_s"]) for p in passages)
    lignes = [
        titre,
        f"  bac apply, de bout en bout                     : {n / med['lot_s']:>9,.0f} évén./s ({med['lot_s']:.2f} s)",
        f"    dont plan {med['plan_s']:.2f} s, écriture (journal + suivi du lot) {med['ecriture_s']:.2f} s",
        f"  projection etat_candidats (rattrapage)         : {n / med['projection_s']:>9,.0f} évén./s",
        f"  brut executemany, 1 transaction, même passage  : {n / med['brut_s']:>9,.0f} lignes/s "
        f"({med['brut_s']:.2f} s)",
        f"  ratio bac apply / brut : médiane {statistics.median(ratios):.3f} "
        f"(min {ratios[0]:.3f}, max {ratios[-1]:.3f})",
    ]
    print("\n".join("  " + ligne for ligne in lignes))


def main() -> None:
    configurer()  # BAC_LOG_LEVEL as for `bac`: a run's figures are not buried under its info lines
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidats", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--db", default=None, help="URL PostgreSQL (sinon SQLite dans un dossier temporaire)")
    args = parser.parse_args()
    formes = {
        "une ligne par note (saisir_note, lots de correcteurs)": fichier_lot(args.candidats),
        "une ligne par relevé (saisir_notes, livret scolaire)": fichier_lot(args.candidats, par_releve=True),
    }
    resultats = {
        titre: [un_passage(args.candidats, contenu, args.db) for _ in range(args.runs)]
        for titre, contenu in formes.items()
    }
    premier = next(iter(resultats.values()))[0]
    magasin = "PostgreSQL" if args.db else "SQLite"
    print(
        f"bench/ingest.py — {magasin}, {args.candidats} candidats × 15 = {int(premier['evenements'])} événements "
        f"(≈ {premier['octets_par_evenement']:.0f} octets), médianes de {args.runs} passages"
    )
    for titre, passages in resultats.items():
        rapporter(titre, passages)


if __name__ == "__main__":
    main()
