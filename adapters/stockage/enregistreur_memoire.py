"""The library's in-memory process recorder, keeping the applied command ids with the events (ADR 0015).

Tests and `memoire://` must refuse a command id twice exactly like the real stores do, atomically with
the events of the same call (the library's database lock covers the check and the write).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import IntegrityError, ProcessRecorder, StoredEvent
from eventsourcing.popo import POPOFactory, POPOProcessRecorder


class EnregistreurMemoire(POPOProcessRecorder):
    def __init__(self) -> None:
        super().__init__()
        self._commandes: set[str] = set()
        self._cles: dict[str, bytes] = {}  # the candidates' identity keys (ADR 0023)

    def _assert_uniqueness(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> None:
        super()._assert_uniqueness(stored_events, **kwargs)
        commandes: Sequence[str] = kwargs.get("commandes", ())
        if len(set(commandes)) != len(commandes) or not self._commandes.isdisjoint(commandes):
            raise IntegrityError("commande déjà appliquée")
        if set(kwargs.get("cles_nouvelles") or {}) & set(self._cles):
            raise IntegrityError("clé d'identité déjà enregistrée")

    def _update_table(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        notification_ids = super()._update_table(stored_events, **kwargs)
        self._commandes.update(kwargs.get("commandes", ()))
        self._cles.update(kwargs.get("cles_nouvelles") or {})
        for cle_id in kwargs.get("cles_detruites") or ():
            self._cles.pop(cle_id, None)
        return notification_ids

    def lire_cles(self, cle_ids: Sequence[str] | None) -> dict[str, bytes]:
        with self._database_lock:
            if cle_ids is None:
                return dict(self._cles)
            return {i: self._cles[i] for i in cle_ids if i in self._cles}

    def purger_apres_effacement(self) -> bool:
        return True

    def commandes_appliquees(self, commandes: Sequence[str]) -> set[str]:
        with self._database_lock:
            return self._commandes.intersection(commandes)


class FabriqueMemoire(POPOFactory):
    def process_recorder(self) -> ProcessRecorder:
        return EnregistreurMemoire()
