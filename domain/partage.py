"""Frozen values built once per key and shared by everything that asks for the same one (trace lines, grades).

A results day's premier groupe builds 540,000 grades and as many trace lines, of which a few tens of thousands
are distinct: built and validated once each, then shared. Only for frozen values of pure functions of the key;
the key must hold everything the value depends on, written as given (a grade's text, not its value). Bounded:
emptied when full, so a process that sees many sessions keeps no more than the bound.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Partages(Generic[K, V]):
    def __init__(self, taille_max: int) -> None:
        self.taille_max = taille_max
        self._valeurs: dict[K, V] = {}

    def obtenir(self, cle: K, construire: Callable[[], V]) -> V:
        """The value of ``cle``, built by ``construire`` the first time; a refusal it raises keeps nothing."""
        valeur = self._valeurs.get(cle)
        if valeur is None:
            valeur = construire()
            if len(self._valeurs) >= self.taille_max:
                self._valeurs.clear()
            self._valeurs[cle] = valeur
        return valeur

    def vider(self) -> None:
        self._valeurs.clear()
