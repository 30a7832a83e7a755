"""The published lists of admitted candidates (R57, ADR 0024), gathered for `ServiceRegistre.publication`.

The outcome at each stage is the statistics read model's (the same definition as the published figures, R45,
R47); the name and the consent are the candidate's own, read from his events — never the read model, which
holds neither. Which candidate appears, and what of him, is the domain's rule (`domain.publication_resultats`).
A list is computed at the moment it is asked for: a consent withdrawn before takes the name off it.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from typing import Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from adapters.application.authentification import Principal
from adapters.application.entrees import code_session
from adapters.application.habilitations import habilitation_de, maintenant
from adapters.publication.resultats import ListeResultats, vue_liste
from adapters.stockage.registre import Registre
from domain import ids
from domain.candidat import Candidate
from domain.errors import Introuvable, NonHabilite, RefusMetier
from domain.evenements import Delibere
from domain.modele import Acte, Role
from domain.publication_resultats import (
    ADMIS,
    ETAPES_PUBLICATION,
    CandidatAPublier,
    issue_a_l_etape,
    liste_publiee,
)
from domain.session import ROLES_PUBLIANT, Session
from domain.valeurs import IdentiteEffacee
from projections.tables import statistiques_candidats

COLONNES = {"provisoire": "issue_provisoire", "final": "issue_finale"}
TENTATIVES = 5
LONGUEUR_RECHERCHE = 60  # characters: a name and a first name


def verifier_etape(etape: str) -> str:
    if etape not in ETAPES_PUBLICATION:
        raise RefusMetier(
            f"Étape de publication inconnue : {etape[:20]} (provisoire ou final)", regle="R57", code="ETAPE_INCONNUE"
        )
    return etape


def role_publiant(registre: Registre, principal: Principal, session: str) -> Role:
    """R57: the exam office of the session's académie transmits its lists (a habilitation active now)."""
    habilitation = habilitation_de(registre, principal.acteur)
    instant = maintenant()
    for droit in habilitation.droits if habilitation else []:
        if droit.role in ROLES_PUBLIANT and droit.active(instant) and droit.portee.couvre(session, None):
            return droit.role
    raise NonHabilite(
        f"{principal.acteur} n'est pas habilité à transmettre les listes d'admis de la session {session} "
        "(service des examens ou gestionnaire de son académie)",
        regle="R57",
        code="PUBLICATION_NON_HABILITEE",
    )


def empreinte(liste: ListeResultats) -> str:
    """The hash of what a list says (session, stage, names in order), whatever its format: CSV and PDF of the same
    list share it."""
    contenu = [liste.session, liste.etape, [[a.nom, a.prenom] for a in liste.admis]]
    return hashlib.sha256(json.dumps(contenu, ensure_ascii=False, separators=(",", ":")).encode()).hexdigest()


def enregistrer_publication(registre: Registre, liste: ListeResultats, format: str, principal: Principal,
                            role: Role) -> None:  # fmt: skip
    """`ListePubliée` on the session: which list (hash, count, stage, format) was handed out, by whom, when."""
    correlation = uuid.uuid4()
    acte = Acte(acteur=principal.acteur, role=role, raison=f"Transmission de la liste des admis ({format}, R57)",
                correlation_id=correlation, causation_id=correlation)  # fmt: skip
    for _ in range(TENTATIVES):
        session: Any = registre.charger(ids.session_id(liste.session))
        assert isinstance(session, Session)
        session.publier_liste(etape=liste.etape, empreinte=empreinte(liste), nombre=liste.nombre, format=format,
                              acte=acte)  # fmt: skip
        try:
            registre.enregistrer(session.collect_events())
        except IntegrityError:
            continue
        return
    raise RefusMetier("Conflit répété avec d'autres écritures : réessayer", code="CONFLIT")


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
    candidats = [c for i in sorted(admis) if (c := _a_publier(registre, UUID(i), etape)) is not None]
    return vue_liste(session, etape, liste_publiee(candidats), situation.isoformat() if situation else None)


def _a_publier(registre: Registre, candidat_id: UUID, etape: str) -> CandidatAPublier | None:
    """The candidate as a list may show him; None once his identity is erased (R56, ADR 0023): no name left."""
    candidat: Any = registre.charger(candidat_id)
    assert isinstance(candidat, Candidate)
    if isinstance(candidat.identite, IdentiteEffacee):
        return None
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
