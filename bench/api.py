#!/usr/bin/env python3
"""HTTP benchmark: commands/s and latency through `bac serveur` beside the in-process service, in the same run.

Two workloads, each on a fresh SQLite file per door: single commands (one grade per request, ``POST /commandes``
against ``ServiceRegistre.executer``) and a batch (a cohort's JSON Lines, ``POST /lots`` against the in-process
path of ``bac apply``). The server is a real uvicorn in a subprocess on 127.0.0.1, so the client does not share
its interpreter. Ratios are printed (goal: a batch through HTTP within 0.8 of in-process), never asserted.

    .venv/bin/python bench/api.py [--candidats 400] [--commandes 300]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import orjson

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from adapters.application.entrees import commande_depuis
from adapters.application.journalisation import configurer
from adapters.application.service import ServiceRegistre
from adapters.simulateur.generateur import cohorte
from domain.habilitation import AccorderHabilitation, Portee

SESSION = "2024-aix-marseille"
OUVRIR = {"type": "ouvrir_session", "session": SESSION, "libelle": "bench"}


def preparer(url: str) -> tuple[ServiceRegistre, str]:
    """A registry, its administrator, and the exam office's agent with his token."""
    service = ServiceRegistre(url)
    jeton = service.initialiser()
    assert jeton is not None
    admin = service.authentifier(jeton.texte)
    _, dec = service.accorder(
        AccorderHabilitation(
            acteur="dec", role="service_examens", portee=Portee(academie="aix-marseille"), raison="bench"
        ),
        admin,
    )
    assert dec is not None
    return service, dec.texte


def lignes_cohorte(n: int) -> list[dict]:
    return [{k: v for k, v in ligne.items() if k not in ("acteur", "role")} for ligne in cohorte(SESSION, 2024, n)]


def jsonl(lignes: list[dict]) -> bytes:
    return b"".join(orjson.dumps(ligne) + b"\n" for ligne in lignes)


def notes_seules(lignes: list[dict], n: int) -> tuple[list[dict], list[dict]]:
    """The inscriptions, and ``n`` single grade commands for them."""
    inscriptions = [ligne for ligne in lignes if ligne["type"] == "inscrire"]
    notes = [ligne for ligne in lignes if ligne["type"] == "saisir_note"][:n]
    return inscriptions, notes


class Serveur:
    def __init__(self, url: str) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        env = {**os.environ, "BAC_DB_URL": url}
        self.processus = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "adapters.http.app:creer_app", "--factory", "--host", "127.0.0.1",
             "--port", str(self.port), "--log-level", "warning", "--no-access-log"],
            env=env, cwd=Path(__file__).resolve().parents[1],
        )  # fmt: skip
        self.base = f"http://127.0.0.1:{self.port}"
        for _ in range(300):
            try:
                httpx.get(f"{self.base}/openapi.json", timeout=1)
                return
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError("le serveur n'a pas démarré")

    def arreter(self) -> None:
        self.processus.terminate()
        self.processus.wait(timeout=20)


def centiles(durees: list[float]) -> str:
    q = statistics.quantiles(durees, n=100)
    return f"p50 {q[49] * 1000:6.1f} ms  p99 {q[98] * 1000:6.1f} ms"


def main() -> None:
    configurer()  # BAC_LOG_LEVEL as for `bac`: a run's figures are not buried under its info lines
    parametres = argparse.ArgumentParser()
    parametres.add_argument("--candidats", type=int, default=400)
    parametres.add_argument("--commandes", type=int, default=300)
    args = parametres.parse_args()
    lignes = lignes_cohorte(args.candidats)
    inscriptions, notes = notes_seules(lignes, args.commandes)
    lot = jsonl([OUVRIR, *lignes])
    with tempfile.TemporaryDirectory() as dossier:
        # In process: the CLI's path.
        service, jeton = preparer(f"sqlite:///{dossier}/local.db")
        principal = service.authentifier(jeton)
        t0 = time.perf_counter()
        rapport = service.appliquer_lot(service.lire_contenu(lot, principal), principal)
        lot_local = time.perf_counter() - t0
        service.appliquer_lot(
            service.lire_contenu(jsonl([OUVRIR | {"session": "2025-aix-marseille"}]), principal), principal
        )
        session2 = [{**x, "session": "2025-aix-marseille"} for x in inscriptions]
        service.appliquer_lot(service.lire_contenu(jsonl(session2), principal), principal)
        durees_local = []
        for note in notes:
            c = commande_depuis({**note, "session": "2025-aix-marseille"})
            t = time.perf_counter()
            service.executer(c, service.authentifier(jeton))
            durees_local.append(time.perf_counter() - t)
        service.fermer()
        # Through HTTP: the same work on a fresh database behind `bac serveur`.
        _, jeton_http = preparer_ferme(f"sqlite:///{dossier}/http.db")
        serveur = Serveur(f"sqlite:///{dossier}/http.db")
        try:
            with httpx.Client(
                base_url=serveur.base, headers={"Authorization": f"Bearer {jeton_http}"}, timeout=600
            ) as h:
                t0 = time.perf_counter()
                r = h.post("/lots", content=lot, headers={"Content-Type": "application/x-ndjson"})
                lot_http = time.perf_counter() - t0
                assert r.status_code == 200, r.text
                for corps in (jsonl([OUVRIR | {"session": "2025-aix-marseille"}]), jsonl(session2)):
                    assert h.post("/lots", content=corps).status_code == 200
                durees_http = []
                for note in notes:
                    t = time.perf_counter()
                    r = h.post("/commandes", json={**note, "session": "2025-aix-marseille"})
                    durees_http.append(time.perf_counter() - t)
                    assert r.status_code == 200, r.text
        finally:
            serveur.arreter()
    n = len(lignes) + 1
    print(f"Lot de {n} lignes ({rapport.evenements} événements), SQLite :")
    print(f"  en processus (bac apply) : {n / lot_local:8.0f} commandes/s  ({lot_local:.2f} s)")
    print(f"  par HTTP (POST /lots)    : {n / lot_http:8.0f} commandes/s  ({lot_http:.2f} s)")
    print(f"  rapport HTTP / en processus : {lot_local / lot_http:.2f}  (objectif ≥ 0.8)")
    print(f"{len(notes)} commandes isolées (une note chacune) :")
    print(f"  en processus   : {len(notes) / sum(durees_local):8.0f} commandes/s  {centiles(durees_local)}")
    print(f"  par HTTP       : {len(notes) / sum(durees_http):8.0f} commandes/s  {centiles(durees_http)}")
    print(f"  rapport HTTP / en processus : {sum(durees_local) / sum(durees_http):.2f}")


def preparer_ferme(url: str) -> tuple[None, str]:
    service, jeton = preparer(url)
    service.fermer()
    return None, jeton


if __name__ == "__main__":
    main()
