"""The retention job (R56, ADR 0023): which candidates' identities are past their period, and erasing them.

Each erasure is its own act (`effacer_identite`, the rule cited), done as the caller under his habilitation; a
dry run only lists. A session counts once it is closed, from the end of its year (domain/donnees_personnelles.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from adapters.stockage.registre import Registre
from domain import ids
from domain.commandes import COMMANDE
from domain.donnees_personnelles import DUREES_CONSERVATION, DureeConservation, echeance, est_echue
from domain.errors import RefusMetier
from domain.evenements import sujets
from domain.session import Session

SUJET_EFFACEMENT = sujets()["IdentitéEffacée"]


@dataclass
class RapportRetention:
    regle: str
    donnee: str
    mois: int
    confirme: bool
    source: str
    date: str
    echues: list[dict[str, Any]] = field(default_factory=list)  # session, numero, échéance
    effaces: int = 0
    appliquer: bool = False


def duree(code: str) -> DureeConservation:
    try:
        return DUREES_CONSERVATION[code]
    except KeyError:
        connues = ", ".join(sorted(DUREES_CONSERVATION))
        raise RefusMetier(
            f"Durée de conservation inconnue : « {code[:40]} » (connues : {connues})",
            regle="R56",
            code="DUREE_INCONNUE",
        ) from None


def effacees(registre: Registre) -> set[str]:
    """Candidate ids (hex) whose identity is already erased: one pass over the erasures only."""
    trouvees: set[str] = set()
    depuis, borne = 0, registre.borne()
    while depuis < borne:
        page = registre.notifications(
            start=depuis, limit=1000, stop=borne, topics=(SUJET_EFFACEMENT,), inclusive_of_start=False
        )
        trouvees.update(n.originator_id.hex for n in page)
        if len(page) < 1000:
            break
        depuis = page[-1].id
    return trouvees


def echues(service: Any, regle: DureeConservation, aujourd_hui: date) -> list[dict[str, Any]]:
    """Candidates of closed sessions past the period whose identity is not erased yet, by session and number."""
    deja = effacees(service.registre)
    trouves: list[dict[str, Any]] = []
    for session, _nombre in service.sessions():
        annee = int(session[:4])
        if not est_echue(annee, regle, aujourd_hui):
            continue
        agregat = service.registre.charger(ids.session_id(session))
        if not isinstance(agregat, Session) or not agregat.close:
            continue  # an open session may still need its candidates' identity (recours, R54)
        fin = echeance(annee, regle).isoformat()
        for etat in service.etats(session):
            if ids.candidat_id(session, etat["numero"]).hex not in deja:
                trouves.append({"session": session, "numero": etat["numero"], "echeance": fin})
    return trouves


def commande_effacement(ligne: dict[str, Any], regle: DureeConservation) -> Any:
    raison = f"Durée de conservation échue le {ligne['echeance']} : {regle.donnee}, {regle.mois} mois"
    return COMMANDE.validate_python(
        {"type": "effacer_identite", "session": ligne["session"], "numero": ligne["numero"], "regle": regle.code,
         "raison": raison}
    )  # fmt: skip
