"""What a door reads before asking for a verification (ADR 0008, 0013): trusted keys and outside anchors.

Each reader refuses a bad file or value with a clear French message and a stable code, never a traceback.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from adapters.audit.preuves.ancres import Ancre, lire_ancre, lire_fichier_ancres
from adapters.audit.preuves.sceau import charger_cle_publique


def lire_cles_publiques(chemins: Iterable[Path]) -> frozenset[str]:
    return frozenset(charger_cle_publique(p) for p in chemins)


def lire_ancres(textes: Sequence[str] = (), fichiers: Sequence[Path] = ()) -> list[Ancre]:
    """``--ancre TAILLE:RACINE`` values, then every anchor of each ``--ancres FICHIER``."""
    ancres = [lire_ancre(t) for t in textes]
    for f in fichiers:
        ancres.extend(lire_fichier_ancres(f))
    return ancres


__all__ = ["Ancre", "lire_ancres", "lire_cles_publiques"]
