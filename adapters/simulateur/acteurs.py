"""The actors of a simulated results day and their credentials, granted through the chain of authority (R26).

`bac init`'s administrator grants the rectorat's roles (the exam office's agent, the recteur); the recteur
designates each jury's president and members over that jury only. Each actor then sends his own batches with
his own token: a batch is one actor's act (ADR 0017), so the day's mixed batches are cut by actor.
"""

from __future__ import annotations

from typing import Any, cast

from adapters.application.authentification import Principal
from adapters.application.service import ServiceRegistre
from adapters.simulateur.journee import Journee
from domain.habilitation import AccorderHabilitation, Portee, academie_de
from domain.modele import Role

RAISON = "Journée des résultats simulée (bac demo)"


class Acteurs:
    def __init__(self, service: ServiceRegistre) -> None:
        self.service = service
        jeton = service.initialiser()
        if jeton is None:
            raise RuntimeError("la démonstration part d'un registre neuf (son administrateur n'a pas de jeton ici)")
        self.jetons: dict[str, str] = {jeton.acteur: jeton.texte}
        self.administrateur = jeton.acteur
        self.academies: set[str] = set()

    def principal(self, acteur: str) -> Principal:
        return self.service.authentifier(self.jetons[acteur])

    def _accorder(self, donneur: str, acteur: str, role: str, portee: Portee) -> None:
        demande = AccorderHabilitation(
            acteur=acteur, role=cast(Role, role), portee=portee, raison=RAISON, emettre_jeton=acteur not in self.jetons
        )
        _, jeton = self.service.accorder(demande, self.principal(donneur))
        if jeton is not None:
            self.jetons[acteur] = jeton.texte

    def habiliter_academie(self, academie: str) -> None:
        if academie in self.academies:
            return
        portee = Portee(academie=academie)
        for acteur, role in ((f"dec-{academie}", "service_examens"), (f"dec-{academie}", "gestionnaire"),
                             (f"recteur-{academie}", "recteur")):  # fmt: skip
            self._accorder(self.administrateur, acteur, role, portee)
        self.academies.add(academie)

    def habiliter_journee(self, journee: Journee) -> None:
        """The rectorat's roles, then every jury of the session designated by the recteur (R26)."""
        academie = academie_de(journee.session) or ""
        self.habiliter_academie(academie)
        for code in journee.jurys:
            self.designer_jury(journee.session, code)

    def designer_jury(self, session: str, code: str) -> None:
        """The recteur designates the jury's president and one member, over that jury only (R26)."""
        portee = Portee(session=session, jury=code)
        recteur = f"recteur-{academie_de(session) or ''}"
        self._accorder(recteur, f"pres-{code.lower()}", "president_jury", portee)
        self._accorder(recteur, f"membre-{code.lower()}-1", "membre_jury", portee)


def par_acteur(lignes: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """The lines of each actor, actors in order of first appearance (in a day's batch, an actor's lines never
    wait for a later actor's: the recteur's juries come before the service's assignments, livrets before the
    president's deliberation)."""
    groupes: dict[str, list[dict[str, Any]]] = {}
    for ligne in lignes:
        acteur = ligne.get("acteur") or f"dec-{academie_de(ligne['session'])}"  # unnamed: the exam office's
        groupes.setdefault(acteur, []).append({**ligne, "acteur": acteur})
    return list(groupes.items())
