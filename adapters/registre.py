"""The registry application: the event store of one database, with our pydantic mapper (ADR 0002, 0003)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import Mapper, ProcessRecorder, Tracking

from adapters.codec import MappeurPydantic, TranscodeurInutile
from adapters.stockage import Stockage, stockage_depuis_url
from domain.modele import Agregat


class Registre(Application[UUID]):
    """One log for every aggregate of every session (a database holds one registry)."""

    name = "Registre"

    def __init__(self, stockage: Stockage) -> None:
        self.stockage = stockage
        super().__init__(env=stockage.env_evenements)

    @classmethod
    def ouvrir(cls, url: str | None = None) -> Registre:
        return cls(stockage_depuis_url(url))

    def construct_mapper(self) -> Mapper[UUID]:
        return MappeurPydantic(
            transcoder=TranscodeurInutile(),  # type: ignore[arg-type]
            compressor=self.factory.compressor(),
            cipher=self.factory.cipher(),
        )

    def construct_recorder(self) -> ProcessRecorder:
        # A process recorder, so a batch's position can be tracked atomically with its events.
        return self.factory.process_recorder()

    @property
    def enregistreur(self) -> ProcessRecorder:
        assert isinstance(self.recorder, ProcessRecorder)
        return self.recorder

    def enregistrer(self, evenements: Sequence[Any], suivi: Tracking | None = None) -> None:
        """Append events in one transaction; a stale aggregate version rejects the whole transaction."""
        self.events.put(list(evenements), tracking=suivi)

    def position_suivie(self, nom: str) -> int:
        return self.enregistreur.max_tracking_id(nom) or 0

    def existants(self, agregats: list[UUID]) -> set[UUID]:
        """Which of these aggregates have events: one query per 500 ids instead of one per id."""
        trouves: set[UUID] = set()
        for debut in range(0, len(agregats), 500):
            tranche = agregats[debut : debut + 500]
            if self.stockage.moteur == "sqlite":
                marques = ",".join("?" * len(tranche))
                requete = (
                    "SELECT originator_id FROM stored_events "
                    f"WHERE originator_version=1 AND originator_id IN ({marques})"
                )
                with self.factory.datastore.transaction(commit=False) as curseur:  # type: ignore[attr-defined]
                    curseur.execute(requete, [a.hex for a in tranche])
                    trouves.update(UUID(ligne[0]) for ligne in curseur.fetchall())
            elif self.stockage.moteur == "postgresql":
                requete = (
                    "SELECT originator_id FROM registre_events WHERE originator_version = 1 AND originator_id = ANY(%s)"
                )
                with self.factory.datastore.get_connection() as connexion:  # type: ignore[attr-defined]
                    lignes = connexion.execute(requete, [tranche]).fetchall()
                    trouves.update(ligne["originator_id"] for ligne in lignes)
            else:
                trouves.update(a for a in tranche if self.recorder.select_events(a, limit=1))
        return trouves

    def evenements_de(self, agregat_id: UUID) -> Iterator[Agregat.Event]:
        return iter(self.events.get(agregat_id))  # type: ignore[arg-type]

    def close(self) -> None:
        super().close()
