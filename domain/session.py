"""The `Session` aggregate: one examination session of one académie and one year."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from domain import ids
from domain.corrections import ChangementNote
from domain.errors import EtatIncompatible
from domain.modele import Acte, Agregat, Texte


class Session(Agregat):
    """Opened by the rectorat; inscriptions close before the épreuves; closed after the results."""

    @staticmethod
    def create_id(code: str, **_: Any) -> UUID:
        return ids.session_id(code)

    @classmethod
    def ouvrir(cls, *, code: str, libelle: str, acte: Acte) -> Session:
        match = ids.CODE_SESSION.match(code)
        if match is None:
            raise EtatIncompatible(f"Code de session « {code} » invalide (attendu : 2024-aix-marseille)")
        return cls(code=code, annee=int(match["annee"]), academie=match["academie"], libelle=libelle, acte=acte)

    @event("SessionOuverte")
    def __init__(self, code: str, annee: int, academie: str, libelle: Texte, acte: Acte) -> None:
        self.code = code
        self.annee = annee
        self.academie = academie
        self.libelle = libelle
        self.inscriptions_ouvertes = True
        self.close = False

    def verifier_inscriptions_ouvertes(self) -> None:
        if not self.inscriptions_ouvertes:
            raise EtatIncompatible(
                f"Les inscriptions de la session {self.code} sont closes", regle="R36", code="INSCRIPTIONS_CLOSES"
            )

    def verifier_ouverte(self) -> None:
        if self.close:
            raise EtatIncompatible(f"La session {self.code} est close", code="SESSION_CLOSE")

    def clore_inscriptions(self, *, acte: Acte) -> None:
        self.verifier_inscriptions_ouvertes()
        self._inscriptions_closes(acte=acte)

    @event("InscriptionsCloses")
    def _inscriptions_closes(self, acte: Acte) -> None:
        self.inscriptions_ouvertes = False

    def clore(self, *, acte: Acte) -> None:
        self.verifier_ouverte()
        self._close(acte=acte)

    @event("SessionClose")
    def _close(self, acte: Acte) -> None:
        self.inscriptions_ouvertes = False
        self.close = True

    def harmoniser(
        self, *, commission: str, membres: tuple[str, ...], changements: tuple[ChangementNote, ...], acte: Acte
    ) -> None:
        """R5, D336-4-1: the commission d'harmonisation's act, recorded once with every change (old → new)."""
        self.verifier_ouverte()
        self._notes_harmonisees(commission=commission, membres=membres, changements=changements, acte=acte)

    @event("NotesHarmonisées")
    def _notes_harmonisees(
        self, commission: str, membres: tuple[str, ...], changements: tuple[ChangementNote, ...], acte: Acte
    ) -> None:
        pass
