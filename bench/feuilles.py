#!/usr/bin/env python3
"""Reading grade sheets (ADR 0018) against reading the same commands as JSON Lines, in the same run.

N candidates × the six terminal épreuves: a long CSV (one row per grade → `saisir_note`), a wide CSV and a
wide XLSX (one row per candidate → `saisir_notes`), and the JSON Lines batch of the very same commands.
Only the reading differs (the plan and the writing are the batch engine's, measured by bench/ingest.py):
the figure is each sheet's reading time over the JSON Lines one. Medians of several runs, never asserted.

    .venv/bin/python bench/feuilles.py [--candidats 20000] [--runs 3]
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import openpyxl
import orjson

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from adapters.application.journalisation import configurer
from adapters.lots.formats import lire_feuille
from adapters.lots.lot import lire_lot

SESSION = "2024-aix-marseille"
EPREUVES = ("FR_ECRIT", "FR_ORAL", "PHILO", "GRAND_ORAL", "SPE1", "SPE2")
ACTEUR = {"acteur": "bench", "role": "service_examens"}


def fichiers(n: int) -> dict[str, bytes]:
    numeros = [f"{i:08d}" for i in range(1, n + 1)]
    note = [str(8 + (i % 12)) for i in range(len(EPREUVES))]
    longue = ["numero;epreuve;note"] + [f"{num};{e};{note[j]}" for num in numeros for j, e in enumerate(EPREUVES)]
    large = ["numero;" + ";".join(EPREUVES)] + [f"{num};" + ";".join(note) for num in numeros]
    jsonl = b"".join(
        orjson.dumps({"type": "saisir_notes", "session": SESSION, "numero": num, **ACTEUR,
                      "notes": [{"epreuve": e, "note": note[j], "origine": "epreuve_terminale", "source": "import"}
                                for j, e in enumerate(EPREUVES)]}) + b"\n"
        for num in numeros
    )  # fmt: skip
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Notes")
    ws.append(["numero", *EPREUVES])
    for num in numeros:
        ws.append([num, *(int(v) for v in note)])
    tampon = io.BytesIO()
    wb.save(tampon)
    return {
        "jsonl": jsonl,
        "csv_longue": ("\ufeff" + "\r\n".join(longue) + "\r\n").encode(),
        "csv_large": ("\ufeff" + "\r\n".join(large) + "\r\n").encode(),
        "xlsx_large": tampon.getvalue(),
    }


def mesurer(fonction: Callable[[], object], runs: int) -> float:
    durees = []
    for _ in range(runs):
        debut = time.perf_counter()
        fonction()
        durees.append(time.perf_counter() - debut)
    return statistics.median(durees)


def main() -> None:
    configurer()  # BAC_LOG_LEVEL as for `bac`: a run's figures are not buried under its info lines
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--candidats", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    contenus = fichiers(args.candidats)
    notes = args.candidats * len(EPREUVES)
    brut = mesurer(lambda: lire_lot(contenus["jsonl"]), args.runs)
    print(f"{args.candidats} candidats, {notes} notes ; médiane de {args.runs} passages")
    print(f"  jsonl (référence, saisir_notes)   {brut:7.2f} s  {notes / brut:9,.0f} notes/s  ratio 1.00")
    for nom, format_ in (("csv_longue", "csv"), ("csv_large", "csv"), ("xlsx_large", "xlsx")):

        def lire(nom: str = nom, format_: str = format_) -> object:
            feuille = lire_feuille(contenus[nom], nom=nom, format=format_, session=SESSION, **ACTEUR)
            assert not feuille.lot.erreurs, feuille.lot.erreurs[:3]
            return feuille

        duree = mesurer(lire, args.runs)
        print(f"  {nom:<33} {duree:7.2f} s  {notes / duree:9,.0f} notes/s  ratio {duree / brut:.2f}")


if __name__ == "__main__":
    main()
