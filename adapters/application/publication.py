"""The published lists of admitted candidates (R57, ADR 0024), gathered for `ServiceRegistre.publication`.

The outcome at each stage is the statistics read model's (the same definition as the published figures, R45,
R47); the name and the consent are the candidate's own, read from his events — never the read model, which
holds neither. Which candidate appears, and what of him, is the domain's rule (`domain.publication_resultats`).
A list is computed at the moment it is asked for: a consent withdrawn before takes the name off it.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from adapters.application.entrees import code_session
from adapters.publication.resultats import ListeResultats, vue_liste
from adapters.stockage.registre import Registre
from domain.candidat import Candidate
from domain.errors import Introuvable, NonHabilite, RefusMetier
from domain.evenements import Delibere
from domain.habilitation import ROLES_LECTEURS, PorteeLecture
from domain.publication_resultats import (
    ADMIS,
    ETAPES_PUBLICATION,
    CandidatAPublier,
    issue_a_l_etape,
    liste_publiee,
)
from projections.tables import statistiques_candidats

COLONNES = {"provisoire": "issue_provisoire", "final": "issue_finale"}
LONGUEUR_RECHERCHE = 60  # characters: a name and a first name


def verifier_etape(etape: str) -> str:
    if etape not in ETAPES_PUBLICATION:
        raise RefusMetier(
            f"Étape de publication inconnue : {etape[:20]} (provisoire ou final)", regle="R57", code="ETAPE_INCONNUE"
        )
    return etape


def verifier_lecteur(lecteur: PorteeLecture, session: str) -> None:
    """The exam office's export of a list: a reading role (R26) within the session's académie (R36)."""
    if lecteur.role not in ROLES_LECTEURS:
        raise NonHabilite(f"Le rôle {lecteur.role} n'exporte pas les listes d'admis", regle="R26")
    if lecteur.academies is not None and session[5:] not in lecteur.academies:
        raise NonHabilite(f"La session {session[:60]} est hors du périmètre de {lecteur.acteur}", regle="R36")


def liste(registre: Registre, moteur: Engine, session: str, etape: str) -> ListeResultats:
    """The list of one session at one stage: the consenting admitted candidates, by name (R57)."""
    session, etape = code_session(session), verifier_etape(etape)
    t = statistiques_candidats
    colonne = t.c[COLONNES[etape]]
    with moteur.connect() as connexion:
        total, situation = connexion.execute(
            select(func.count(), func.max(t.c.modifie_le)).where(t.c.session == session)
        ).one()
        # The read model only narrows the search to the admitted; each one's outcome is then read again from his
        # own events, so a rewritten row cannot put an ajourné on a public list (a missing one stays off: the safe
        # side of R57).
        requete = select(t.c.candidat_id).where(t.c.session == session, colonne == ADMIS)
        admis = [r.candidat_id for r in connexion.execute(requete)]
    if not total:
        raise Introuvable(f"Session inconnue ou sans candidat : {session}")
    candidats = [_a_publier(registre, UUID(i), etape) for i in sorted(admis)]
    return vue_liste(session, etape, liste_publiee(candidats), situation.isoformat() if situation else None)


def _a_publier(registre: Registre, candidat_id: UUID, etape: str) -> CandidatAPublier:
    candidat: Any = registre.charger(candidat_id)
    assert isinstance(candidat, Candidate)
    decisions = [(e.groupe, e.decision.value) for e in registre.evenements_de(candidat_id) if isinstance(e, Delibere)]
    return CandidatAPublier(
        nom=candidat.identite.nom, prenom=candidat.identite.prenom,
        consentement=candidat.consentement_publication, issue=issue_a_l_etape(decisions, etape),
    )  # fmt: skip


def recherche(texte: str | None) -> str | None:
    """The public page's search, bounded before use; ``None`` when nothing worth searching was typed."""
    if texte is None:
        return None
    texte = " ".join(texte[: LONGUEUR_RECHERCHE * 2].split())[:LONGUEUR_RECHERCHE]
    return texte if len(texte) >= 2 else None
