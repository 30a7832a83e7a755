"""Given past commands / when a command / then new events or a clear refusal: one line each."""

from __future__ import annotations

import threading
from typing import Any
from weakref import WeakKeyDictionary

from adapters.application.authentification import Principal
from adapters.application.service import ServiceRegistre
from domain.commandes import COMMANDE
from domain.errors import RefusMetier
from domain.habilitation import JURY, AccorderHabilitation, Portee, academie_de

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


class _Etat:
    """What a test knows of one registry: its administrator's and actors' tokens, the grants already made."""

    def __init__(self) -> None:
        self.jetons: dict[str, str] = {}
        self.accordes: set[tuple[str, str, str]] = set()
        self.verrou = threading.Lock()


class Habilitations:
    """The registry's bootstrap and the habilitations a test's acts need, granted through the chain of authority
    (the first administrator grants the rectorat's roles; a recteur designates jury members, R26)."""

    def __init__(self, service: ServiceRegistre, etat: _Etat) -> None:
        self.service = service
        self.etat = etat
        with etat.verrou:
            if "administrateur" not in etat.jetons:
                jeton = service.initialiser()
                assert jeton is not None, "registre déjà amorcé par un autre que ce test"
                etat.jetons["administrateur"] = jeton.texte

    def jeton(self, acteur: str, role: str, session: str) -> str:
        """A token of ``acteur`` holding ``role`` over the académie of ``session`` (granted if needed)."""
        academie = academie_de(session) or "aix-marseille"
        etat = self.etat
        with etat.verrou:
            if (acteur, role, academie) not in etat.accordes:
                if role in JURY:
                    donneur = self.service.authentifier(
                        self._jeton_sans_verrou(f"rectorat-{academie}", "recteur", academie)
                    )
                else:
                    donneur = self.admin
                self._accorder(donneur, acteur, role, academie)
            return etat.jetons[acteur]

    def _jeton_sans_verrou(self, acteur: str, role: str, academie: str) -> str:
        if (acteur, role, academie) not in self.etat.accordes:
            self._accorder(self.admin, acteur, role, academie)
        return self.etat.jetons[acteur]

    def _accorder(self, donneur: Principal, acteur: str, role: str, academie: str) -> None:
        _, neuf = self.service.accorder(
            AccorderHabilitation(
                acteur=acteur,
                role=role,
                portee=Portee(academie=academie),
                raison="Scénario de test",
                emettre_jeton=acteur not in self.etat.jetons,
            ),  # type: ignore[arg-type]
            donneur,
        )
        if neuf is not None:
            self.etat.jetons[acteur] = neuf.texte
        self.etat.accordes.add((acteur, role, academie))

    @property
    def admin(self) -> Principal:
        return self.service.authentifier(self.etat.jetons["administrateur"])

    def principal(self, acteur: str, role: str, session: str = SESSION) -> Principal:
        return self.service.authentifier(self.jeton(acteur, role, session))

    def pour(self, commande: Any) -> Principal:
        """The principal a command names (its ``acteur`` and ``role``), habilitated for it."""
        return self.principal(commande.acteur, commande.role, getattr(commande, "session", SESSION))


_PAR_SERVICE: WeakKeyDictionary[ServiceRegistre, Habilitations] = WeakKeyDictionary()
_PAR_BASE: dict[str, _Etat] = {}  # a file or server database outlives the service objects a test opens on it
_VERROU = threading.Lock()


def copier_etat(source: str, copie: str) -> None:
    """A copied log (tests/modeles.py) comes with what the tests knew of its original: tokens, grants made."""
    with _VERROU:
        if source in _PAR_BASE:
            etat = _PAR_BASE[source]
            neuf = _PAR_BASE.setdefault(copie, _Etat())
            neuf.jetons.update(etat.jetons)
            neuf.accordes.update(etat.accordes)


def habilitations(service: ServiceRegistre) -> Habilitations:
    with _VERROU:
        if service not in _PAR_SERVICE:
            stockage = service.registre.stockage
            etat = _Etat() if stockage.moteur == "memoire" else _PAR_BASE.setdefault(stockage.url, _Etat())
            _PAR_SERVICE[service] = Habilitations(service, etat)
        return _PAR_SERVICE[service]


def executer_comme(service: ServiceRegistre, donnees: dict[str, Any]) -> list[Any]:
    """A command run as the actor it names, who is first given the habilitation it needs."""
    commande = COMMANDE.validate_python({**ACTEUR, **donnees})
    return service.executer(commande, habilitations(service).pour(commande))


class Scenario:
    def __init__(self, url: str) -> None:
        self.service = ServiceRegistre(url)
        self.habilitations = habilitations(self.service)

    def fermer(self) -> None:
        self.service.fermer()

    def commande(self, donnees: dict[str, Any]) -> Any:
        return COMMANDE.validate_python({**ACTEUR, **donnees})

    def executer(self, donnees: dict[str, Any]) -> list[Any]:
        commande = self.commande(donnees)
        return self.service.executer(commande, self.habilitations.pour(commande))

    def etant_donne(self, *commandes: dict[str, Any]) -> Scenario:
        for donnees in commandes:
            self.executer(donnees)
        return self

    def quand(self, donnees: dict[str, Any]) -> list[str]:
        """The names of the new events, exactly as the audit trail shows them."""
        return [type(e).__name__ for e in self.executer(donnees)]

    def refus(self, donnees: dict[str, Any]) -> RefusMetier:
        """Run a command that must be refused; check that nothing at all was stored."""
        commande = self.commande(donnees)
        principal = self.habilitations.pour(commande)  # granting it is the test's set-up, not the act
        avant = self.taille_journal()
        try:
            self.service.executer(commande, principal)
        except RefusMetier as refus:
            assert self.taille_journal() == avant, "un refus ne doit rien enregistrer"
            return refus
        raise AssertionError("la commande devait être refusée")

    def taille_journal(self) -> int:
        return self.service.registre.enregistreur.max_notification_id() or 0


def appliquer_comme(service: ServiceRegistre, lignes: list[dict[str, Any]]) -> list[tuple[Any, Any]]:
    """Batch lines applied as the actors they name: consecutive lines of one actor make one batch, sent with
    that actor's credential (a batch is one actor's act). Returns each batch and its report."""
    import orjson

    from adapters.lots.lot import lire_lot

    faits: list[tuple[Any, Any]] = []
    groupes: list[list[dict[str, Any]]] = []
    for ligne in lignes:
        ligne = {**ACTEUR, **ligne}
        if groupes and (groupes[-1][0]["acteur"], groupes[-1][0]["role"]) == (ligne["acteur"], ligne["role"]):
            groupes[-1].append(ligne)
        else:
            groupes.append([ligne])
    for groupe in groupes:
        principal = habilitations(service).principal(groupe[0]["acteur"], groupe[0]["role"], groupe[0]["session"])
        lot = lire_lot(b"".join(orjson.dumps(ligne) + b"\n" for ligne in groupe), acteur=principal.acteur)
        faits.append((lot, service.appliquer_lot(lot, principal)))
    return faits


def jeton_pour(url: str, acteur: str, role: str, session: str = SESSION, *, admin: str | None = None) -> str:
    """A token (for BAC_JETON) of ``acteur`` holding ``role`` over the académie of ``session``, on this database
    (``admin``: the token `bac init` printed, when the CLI made the registry)."""
    if admin is not None:
        _PAR_BASE.setdefault(url, _Etat()).jetons.setdefault("administrateur", admin)
    with ServiceRegistre(url) as service:
        return habilitations(service).jeton(acteur, role, session)


def sans_suivi(service: ServiceRegistre) -> ServiceRegistre:
    """The service, its writes no longer folded into the views after their commit (ADR 0025): what they write is
    left to the pulled catch-ups, as another process's writes are."""
    service.registre.suivants.clear()
    return service
