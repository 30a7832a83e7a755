"""The log exported from a position, for an auditor to re-verify elsewhere (ADR 0008, ADR 0016).

One record per stored event: its position, topic, the SHA-256 of its stored bytes, its leaf and chain hashes
(adapters/audit/preuves/chaine.py). Payloads are not exported: personal data stays in the registry.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Engine

from adapters.audit.preuves.chaine import lignes_chaine, rattraper_chaine
from adapters.stockage.registre import Registre

PAGE = 1000


def exporter(registre: Registre, moteur: Engine, depuis: int, limite: int) -> Iterator[dict[str, Any]]:
    rattraper_chaine(registre, moteur)
    chaine = {position: (feuille, maillon) for position, _, feuille, maillon in lignes_chaine(moteur, depuis, limite)}
    restant, debut = limite, depuis + 1
    while restant > 0:
        lot = registre.notifications(
            start=debut, limit=min(PAGE, restant), stop=depuis + limite, topics=(), inclusive_of_start=True
        )
        for n in lot:
            feuille, maillon = chaine.get(n.id, (None, None))
            yield {
                "position": n.id,
                "topic": n.topic,
                "sha256": hashlib.sha256(bytes(n.state)).hexdigest(),
                "feuille": feuille.hex() if feuille else None,
                "chaine": maillon.hex() if maillon else None,
            }
        if len(lot) < min(PAGE, restant):
            return
        restant -= len(lot)
        debut = lot[-1].id + 1
