"""The `Session` aggregate: one examination session of one académie and one year."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from domain import ids
from domain.corrections import ChangementNote
from domain.errors import EtatIncompatible, NonHabilite
from domain.modele import Acte, Agregat, Texte

ROLES_PUBLIANT = ("service_examens", "gestionnaire")  # R57: the exam office transmits the lists


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
        self.listes_publiees: list[tuple[str, str]] = []  # (stage, hash) of each list handed out (R57)

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

    def publier_liste(self, *, etape: str, empreinte: str, nombre: int, format: str, acte: Acte) -> None:
        """R57: a list of admitted candidates handed out (press, Publinet, display in the centres) by the exam
        office, recorded with the hash of the names it held: what was transmitted, when, by whom (ADR 0024)."""
        if acte.role not in ROLES_PUBLIANT:
            raise NonHabilite(
                f"Le rôle {acte.role} ne transmet pas les listes d'admis", regle="R57", code="PUBLICATION_NON_HABILITEE"
            )
        self._liste_publiee(etape=etape, empreinte=empreinte, nombre=nombre, format=format, acte=acte)

    @event("ListePubliée")
    def _liste_publiee(self, etape: str, empreinte: str, nombre: int, format: str, acte: Acte) -> None:
        self.listes_publiees.append((etape, empreinte))
