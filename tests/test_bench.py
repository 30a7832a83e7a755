"""The benchmarks still run (a benchmark that rots is a figure nobody can check): each, small, once.

Nothing is asserted on their figures (STYLE: no timing assertion in the suite); only that each completes and
prints its ratio to the raw baseline of the same run.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.lent
RACINE = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("script", "arguments", "attendu"),
    [
        ("bench/audit.py", ["--evenements", "3000", "--candidats", "6"], "rapport vérifier / base brute"),
        ("bench/ingest.py", ["--candidats", "40", "--runs", "1"], "ratio bac apply / brut"),
    ],
)
def test_le_banc_tourne_et_donne_son_rapport_au_brut(script: str, arguments: list[str], attendu: str) -> None:
    sortie = subprocess.run(
        [sys.executable, script, *arguments], cwd=RACINE, capture_output=True, text=True, timeout=600,
        env={**os.environ, "BAC_LOG_LEVEL": "WARNING"}, check=False,
    )  # fmt: skip
    assert sortie.returncode == 0, sortie.stderr[-2000:]
    assert attendu in sortie.stdout
