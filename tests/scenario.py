"""Given past commands / when a command / then new events or a clear refusal: one line each."""

from __future__ import annotations

from typing import Any

from adapters.application.service import ServiceRegistre
from domain.commandes import COMMANDE
from domain.errors import RefusMetier

SESSION = "2024-aix-marseille"
AUTRE_SESSION = "2024-nice"

ACTEUR = {"acteur": "test", "role": "service_examens"}


def ouvrir(session: str = SESSION) -> dict[str, Any]:
    return {"type": "ouvrir_session", "session": session, "libelle": "Session de test"}


def inscrire(
    numero: str = "00000001",
    *,
    session: str = SESSION,
    ine: str | None = None,
    voie: str = "general",
    serie: str | None = None,
    **autres: Any,
) -> dict[str, Any]:
    commande = {
        "type": "inscrire",
        "session": session,
        "numero": numero,
        "identite": {
            "ine": ine or f"{int(numero):09d}AB",
            "nom": "Candidat",
            "prenom": "Test",
            "date_naissance": f"{int(session[:4]) - 18}-01-01",  # 18 at the session (a plausible age)
        },
        "voie": voie,
        "serie": serie,
        "specialites": ["MATHS", "PC"] if voie != "professionnel" else [],
        "categorie": "scolaire_public",
        "etablissement": "0130001A",
    }
    commande.update(autres)
    return commande


def note(
    epreuve: str,
    valeur: Any,
    numero: str = "00000001",
    *,
    origine: str = "epreuve_terminale",
    session: str = SESSION,
    **autres: Any,
) -> dict[str, Any]:
    commande = {
        "type": "saisir_note",
        "session": session,
        "numero": numero,
        "epreuve": epreuve,
        "note": None if valeur is None else str(valeur),
        "origine": origine,
    }
    commande.update(autres)
    return commande


PRESIDENT = "pres-j1"
MEMBRE = "membre-j1"
PAR_LE_PRESIDENT = {"acteur": PRESIDENT, "role": "president_jury"}


def constituer_jury(code: str = "J1", *, voie: str = "general", session: str = SESSION) -> dict[str, Any]:
    """A jury designated by the recteur (R26), one third professionals outside the général (R27)."""
    membres = [{"identifiant": MEMBRE, "categorie": "professeur_lycee_public"}]
    if voie != "general":
        membres.append({"identifiant": "pro-j1", "categorie": "professionnel_employeur"})
    return {
        "type": "constituer_jury",
        "session": session,
        "jury": code,
        "voie": voie,
        "president": {"identifiant": PRESIDENT, "qualite": "professeur_des_universites"},
        "membres": membres,
        "acteur": "recteur-aix",
        "role": "recteur",
    }


def affecter(*numeros: str, jury: str = "J1", session: str = SESSION) -> dict[str, Any]:
    return {"type": "affecter_candidats", "session": session, "jury": jury, "numeros": list(numeros)}


def notes_completes(
    numero: str = "00000001",
    base: Any = 10,
    *,
    session: str = SESSION,
    voie: str = "general",
    serie: str | None = None,
    sauf: tuple[str, ...] = (),
    **notes: Any,
) -> list[dict[str, Any]]:
    """One grade per compulsory épreuve of the rule set: ``base`` unless given by code (None: skipped)."""
    from domain.candidat import NATURES_TERMINALES
    from domain.reglement import charger_reglement

    commandes = []
    for e in charger_reglement(int(session[:4]), voie, serie).epreuves_obligatoires():
        if e.code in sauf:
            continue
        origine = "epreuve_terminale" if e.nature in NATURES_TERMINALES else "controle_continu"
        commandes.append(note(e.code, notes.get(e.code, base), numero, origine=origine, session=session))
    return commandes


def deliberer(groupe: int = 1, *, jury: str = "J1", session: str = SESSION, **autres: Any) -> dict[str, Any]:
    return {"type": "deliberer", "session": session, "jury": jury, "groupe": groupe, **PAR_LE_PRESIDENT, **autres}


class Scenario:
    def __init__(self, url: str) -> None:
        self.service = ServiceRegistre(url)

    def fermer(self) -> None:
        self.service.fermer()

    def commande(self, donnees: dict[str, Any]) -> Any:
        return COMMANDE.validate_python({**ACTEUR, **donnees})

    def etant_donne(self, *commandes: dict[str, Any]) -> Scenario:
        for donnees in commandes:
            self.service.executer(self.commande(donnees))
        return self

    def quand(self, donnees: dict[str, Any]) -> list[str]:
        """The names of the new events, exactly as the audit trail shows them."""
        return [type(e).__name__ for e in self.service.executer(self.commande(donnees))]

    def refus(self, donnees: dict[str, Any]) -> RefusMetier:
        """Run a command that must be refused; check that nothing at all was stored."""
        avant = self.taille_journal()
        try:
            self.service.executer(self.commande(donnees))
        except RefusMetier as refus:
            assert self.taille_journal() == avant, "un refus ne doit rien enregistrer"
            return refus
        raise AssertionError("la commande devait être refusée")

    def taille_journal(self) -> int:
        return self.service.registre.enregistreur.max_notification_id() or 0
