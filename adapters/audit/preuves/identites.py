"""Every encrypted identity opened with its key by `bac verifier`'s walk, in the stretch that holds it (ADR 0023,
0028).

A key row rewritten in the key table opens nothing (AES-GCM's tag fails): the verification finds it, not the
next read of that candidate. The rows are the walk's own (position, originator id, version, topic, state); each
identity-bearing one is decoded as a read decodes it, by the registry of whichever process walks its stretch,
so that this second look at a tenth of the log runs on every core with the hashing instead of after it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import MapperDeserialisationError, StoredEvent

from adapters.stockage.cles import CleInvalide
from adapters.stockage.codec import PERSONNELS
from adapters.stockage.registre import Registre

SUJETS = frozenset(PERSONNELS)  # stored topics of the events that carry a personal field


def ouvrir(registre: Registre, ligne: Sequence[Any]) -> tuple[str | None, bool] | None:
    """(why its key fails, or None; whether the identity is erased, R56) of an identity-bearing row; None for a
    record that does not decode at all: the walk's hashes already report a damaged one."""
    _, ident, version, sujet, etat = ligne
    stocke = StoredEvent(
        originator_id=ident if isinstance(ident, UUID) else UUID(ident),  # SQLite gives its text form
        originator_version=version,
        topic=sujet,
        state=bytes(etat),  # PostgreSQL gives a memoryview
    )
    try:
        # The field alone, opened by the read's own code: the rest of the event is the hashes' business, and
        # validating it all made 12 µs per identity instead of 7 (bench/audit.py's log, measured).
        valeur = registre.mappeur.champ_personnel(stocke)
    except CleInvalide as erreur:
        return erreur.message, False
    except (MapperDeserialisationError, ValueError):
        return None
    return None, isinstance(valeur, dict) and valeur.get("effacee") is True
