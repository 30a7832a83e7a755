"""Who may do what, checked in one place for every door (CLI, HTTP, batches): the application service calls this.

A command's `Acte` is made here from the verified `Principal` and the habilitation that covers the act at
that moment (domain/habilitation.py), never from the body: a body may name an actor or a role only to confirm
them; another actor, or a role the actor does not hold now over the act's scope, is refused (403).
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any, TypeVar

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError
from pydantic import ValidationError

from adapters.application.authentification import JetonNeuf, Principal, emettre
from adapters.lots.erreurs_validation import traduire
from adapters.lots.lot import ErreurLigne, LigneLue, Lot, LotRefuse
from adapters.stockage.chantier import Chantier
from adapters.stockage.registre import Registre
from domain.errors import DejaFait, NonHabilite, RefusMetier
from domain.habilitation import (
    ADMINISTRATEUR_INITIAL,
    ROLES_PAR_COMMANDE,
    AccorderHabilitation,
    Habilitation,
    Portee,
    RetirerHabilitation,
    habilitation_id,
    portee_de_lecture,
    role_pour,
    verifier_autorite,
)

# The doors' reading roles and scope (R26, R36), re-exported: the pages import the application, not the domain.
from domain.habilitation import ROLES_LECTEURS as ROLES_LECTEURS
from domain.habilitation import PorteeLecture as PorteeLecture
from domain.modele import Acte, Role

M = TypeVar("M", AccorderHabilitation, RetirerHabilitation)


def maintenant() -> datetime:
    return datetime.now(tz=UTC)


def habilitation_de(registre: Registre, acteur: str) -> Habilitation | None:
    try:
        agregat = registre.charger(habilitation_id(acteur))
    except AggregateNotFoundError:
        return None
    return agregat if isinstance(agregat, Habilitation) else None


def _confirmer_acteur(commande: Any, principal: Principal) -> None:
    if commande.acteur is not None and commande.acteur != principal.acteur:
        raise NonHabilite(
            f"La commande nomme l'acteur « {commande.acteur} » ; l'acte est fait au nom de l'identifiant présenté, "
            f"{principal.acteur}, et de lui seul",
            regle="R26",
            code="ACTEUR_USURPE",
        )


def role_de(habilitation: Habilitation | None, commande: Any, principal: Principal, instant: datetime) -> Role:
    _confirmer_acteur(commande, principal)
    return role_pour(
        habilitation.droits if habilitation else [],
        commande.type,
        commande.role,
        getattr(commande, "session", None),
        getattr(commande, "jury", None),
        instant,
        acteur=principal.acteur,
    )


def acte_pour(chantier: Chantier, commande: Any, principal: Principal, correlation: uuid.UUID) -> Acte:
    """The act of one command, its role read in the same unit of work as the command's aggregates."""
    habilitation = chantier.trouver(habilitation_id(principal.acteur), Habilitation)
    role = role_de(habilitation, commande, principal, maintenant())
    return Acte(
        acteur=principal.acteur, role=role, raison=commande.raison, correlation_id=correlation,
        causation_id=correlation,
    )  # fmt: skip


def lecteur_de(registre: Registre, principal: Principal) -> PorteeLecture:
    """What the verified caller may read now (the pages and papers, ADR 0021): from his habilitations."""
    habilitation = habilitation_de(registre, principal.acteur)
    return portee_de_lecture(habilitation.droits if habilitation else [], maintenant(), acteur=principal.acteur)


def role_de_saisie(registre: Registre, principal: Principal) -> str:
    """The role a grade sheet's lines are entered under: the first of the principal's active roles that may enter
    grades (each line's scope is checked again with the batch); a clear refusal if he holds none."""
    habilitation = habilitation_de(registre, principal.acteur)
    tenus = {d.role for d in habilitation.actifs(maintenant())} if habilitation else set()
    for role in ROLES_PAR_COMMANDE["saisir_note"]:
        if role in tenus:
            return role
    raise NonHabilite(f"{principal.acteur} ne détient aucune habilitation de saisie des notes", regle="R26")


def habiliter_lot(registre: Registre, lot: Lot, principal: Principal) -> Lot:
    """Every line made the principal's, with the role his habilitations give it now; any line refused
    refuses the batch (every refused line listed), before anything is planned."""
    return _habiliter_lot(registre, lot, principal)


def _habiliter_lot(registre: Registre, lot: Lot, principal: Principal) -> Lot:
    habilitation = habilitation_de(registre, principal.acteur)
    instant = maintenant()
    roles: dict[tuple[Any, ...], Role | NonHabilite] = {}  # a batch has few distinct (command, scope) pairs

    def habiliter(ligne: LigneLue) -> LigneLue:
        c = ligne.commande
        cle = (c.type, c.acteur, c.role, getattr(c, "session", None), getattr(c, "jury", None))
        if cle not in roles:
            try:
                roles[cle] = role_de(habilitation, c, principal, instant)
            except NonHabilite as e:
                roles[cle] = e
        role = roles[cle]
        if isinstance(role, NonHabilite):
            raise role
        if c.acteur == principal.acteur and c.role == role:
            return ligne
        return replace(ligne, commande=c.model_copy(update={"acteur": principal.acteur, "role": role}))

    return replace(lot, habiliter=habiliter)


def _acte_systeme(raison: str) -> Acte:
    correlation = uuid.uuid4()
    return Acte(acteur="bac-init", role="administrateur", raison=raison, correlation_id=correlation)


def fonder(registre: Registre, acteur: str = ADMINISTRATEUR_INITIAL) -> JetonNeuf | None:
    """`bac init`: the first administrator (every académie) and its token, once per registry; None after."""
    if habilitation_de(registre, acteur) is not None:
        return None
    acte = _acte_systeme("Amorçage du registre : premier administrateur (bac init)")
    habilitation = Habilitation(acteur=acteur, acte=acte)
    habilitation.accorder(
        role="administrateur", portee=Portee(), debut=maintenant(), fin=None, raison=acte.raison or "",
        cle_publique=None, acte=acte,
    )  # fmt: skip
    jeton = emettre(acteur)
    habilitation.emettre_jeton(jeton_id=jeton.jeton_id, empreinte=jeton.empreinte, fin=None, acte=acte)
    try:
        registre.enregistrer(habilitation.collect_events())
    except IntegrityError:  # another `bac init` won the race: the registry has its administrator
        return None
    return jeton


def accorder(registre: Registre, demande: AccorderHabilitation, principal: Principal) -> tuple[int, JetonNeuf | None]:
    """R26: a grant by an actor whose own habilitation grants that role over a scope containing this one."""
    chantier = Chantier(registre)
    instant = maintenant()
    donneur = chantier.trouver(habilitation_id(principal.acteur), Habilitation)
    droit = verifier_autorite(
        donneur.droits if donneur else [], demande.role, demande.portee, instant, donneur=principal.acteur
    )
    acte = Acte(acteur=principal.acteur, role=droit.role, raison=demande.raison, correlation_id=uuid.uuid4())
    habilitation = chantier.trouver(habilitation_id(demande.acteur), Habilitation)
    if habilitation is None:
        habilitation = Habilitation(acteur=demande.acteur, acte=acte)
        chantier.ajouter(habilitation)
    numero = habilitation.accorder(
        role=demande.role, portee=demande.portee, debut=demande.debut or instant, fin=demande.fin,
        raison=demande.raison, cle_publique=demande.cle_publique, acte=acte,
    )  # fmt: skip
    jeton = None
    if demande.emettre_jeton:
        jeton = emettre(demande.acteur)
        # The token proves who; what he may do, and until when, is the habilitations' (refused as 403, not 401).
        habilitation.emettre_jeton(jeton_id=jeton.jeton_id, empreinte=jeton.empreinte, fin=None, acte=acte)
    _enregistrer(registre, chantier)
    return numero, jeton


def retirer(registre: Registre, demande: RetirerHabilitation, principal: Principal) -> None:
    """Withdrawn by whoever could have granted it (R26); from now on it covers nothing."""
    chantier = Chantier(registre)
    instant = maintenant()
    habilitation = chantier.trouver(habilitation_id(demande.acteur), Habilitation)
    if habilitation is None:
        raise DejaFait(f"{demande.acteur} ne détient aucune habilitation", code="HABILITATION_INCONNUE")
    droit = habilitation.droit(demande.numero)
    donneur = chantier.trouver(habilitation_id(principal.acteur), Habilitation)
    autorite = verifier_autorite(
        donneur.droits if donneur else [], droit.role, droit.portee, instant, donneur=principal.acteur
    )
    acte = Acte(acteur=principal.acteur, role=autorite.role, raison=demande.raison, correlation_id=uuid.uuid4())
    habilitation.retirer(numero=demande.numero, raison=demande.raison, instant=instant, acte=acte)
    _enregistrer(registre, chantier)


def _enregistrer(registre: Registre, chantier: Chantier) -> None:
    try:
        registre.enregistrer(chantier.recolter())
    except IntegrityError:
        raise RefusMetier("Habilitation modifiée en même temps par un autre acte : réessayer", code="CONFLIT") from None


def cle_du_president(registre: Registre, president: str, session: str, jury: str, instant: datetime) -> str | None:
    """The Ed25519 public key (hex) the president's habilitation registered for this jury at ``instant``."""
    habilitation = habilitation_de(registre, president)
    return habilitation.cle_du_president(session, jury, instant) if habilitation else None


def _valider(modele: type[M], donnees: dict[str, Any]) -> M:
    try:
        return modele.model_validate({k: v for k, v in donnees.items() if v is not None})
    except ValidationError as e:
        raise LotRefuse([ErreurLigne(None, champ, message, regle) for champ, message, regle in traduire(e)]) from None


def accord_depuis(donnees: dict[str, Any]) -> AccorderHabilitation:
    """A grant from a door's plain data, or `LotRefuse` naming every bad field in French."""
    return _valider(AccorderHabilitation, {**donnees, "type": "accorder_habilitation"})


def retrait_depuis(donnees: dict[str, Any]) -> RetirerHabilitation:
    return _valider(RetirerHabilitation, {**donnees, "type": "retirer_habilitation"})
