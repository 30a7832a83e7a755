"""A unit of work over aggregates: load each once, let commands decide, collect the new events.

Commands of one batch run against the same in-memory aggregates; nothing is written here.
A refused command must leave no pending event behind (guards before events, STYLE): it is
checked after every refusal, because a half-applied command would corrupt the batch.
"""

from __future__ import annotations

from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from adapters.stockage.registre import Registre
from domain.errors import Introuvable
from domain.modele import Agregat

A = TypeVar("A", bound=Agregat)


class CommandeIncoherente(RuntimeError):
    """A refused command left events behind: a programming error, never a user error."""


class Chantier:
    def __init__(self, registre: Registre) -> None:
        self.registre = registre
        self.agregats: dict[UUID, Agregat | None] = {}
        self.touches: list[Agregat] = []

    def trouver(self, agregat_id: UUID, type_attendu: type[A]) -> A | None:
        if agregat_id not in self.agregats:
            try:
                self.agregats[agregat_id] = self.registre.charger(agregat_id)
            except AggregateNotFoundError:
                self.agregats[agregat_id] = None
        agregat = self.agregats[agregat_id]
        if agregat is None:
            return None
        if not isinstance(agregat, type_attendu):
            raise Introuvable(f"L'identifiant {agregat_id} ne désigne pas un(e) {type_attendu.__name__}")
        self.touches.append(agregat)
        return agregat

    def exiger(self, agregat_id: UUID, type_attendu: type[A], message: str, regle: str | None = None) -> A:
        agregat = self.trouver(agregat_id, type_attendu)
        if agregat is None:
            raise Introuvable(message, regle=regle)
        return agregat

    def precharger(self, agregats: list[UUID]) -> None:
        """Load in bulk the aggregates the next commands will look for or create (one query per 500, not one
        each); those without events are known absent, so creating them costs no query."""
        inconnus = [a for a in dict.fromkeys(agregats) if a not in self.agregats]
        if not inconnus:
            return
        trouves = self.registre.charger_plusieurs(inconnus)
        for agregat_id in inconnus:
            self.agregats[agregat_id] = trouves.get(agregat_id)

    def ajouter(self, agregat: Agregat) -> None:
        self.agregats[agregat.id] = agregat
        self.registre.memoriser(agregat)  # checked against the stored version before any reuse
        self.touches.append(agregat)

    def recolter(self) -> list[Any]:
        """The events of the command just executed, in order, and forget what it touched."""
        evenements: list[Any] = []
        vus: set[UUID] = set()
        for agregat in self.touches:
            if agregat.id not in vus:
                vus.add(agregat.id)
                evenements.extend(agregat.collect_events())
        self.touches.clear()
        return evenements

    def verifier_refus_sans_effet(self) -> None:
        salis = [a for a in self.touches if a._pending_events]
        self.touches.clear()
        if salis:
            raise CommandeIncoherente("Une commande refusée a laissé des événements : garde manquante")

    def oublier(self, agregat_id: UUID) -> None:
        self.agregats.pop(agregat_id, None)

    def vider(self) -> None:
        self.agregats.clear()
        self.touches.clear()
