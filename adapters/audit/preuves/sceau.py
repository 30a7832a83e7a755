"""Sealing an act: the Merkle root of the log once the act's own events are written and chained (ADR 0008, 0013).

After a deliberation (`GroupeDélibéré` and its `Délibéré` events) or a session's closing (`SessionClose`) is
stored, the chain is caught up and an `ActeScellé` of its own records the tree head of the log *including*
the act: its size is never below the last position the act's decisions read (issue 13.5). The president's
Ed25519 private key (PEM, PKCS#8, unencrypted or with ``BAC_CLE_PRESIDENT_MOT_DE_PASSE``) is named by
``BAC_CLE_PRESIDENT``; without it the seal is recorded unsigned — and `bac verifier --cle-publique` then
calls it damage (no downgrade).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from uuid import UUID

import structlog
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat, load_pem_private_key
from eventsourcing.persistence import IntegrityError
from eventsourcing.utils import get_topic
from sqlalchemy import Engine

from adapters.audit.preuves.chaine import etat_courant, rattraper_chaine
from adapters.stockage.registre import Registre
from domain.errors import RefusMetier
from domain.evenements import GroupeDelibere, SessionClose
from domain.modele import Acte
from domain.sceau import ActeSource, Sceau, SceauJournal, message_a_signer, message_a_signer_acte, sceau_id

VARIABLE_CLE = "BAC_CLE_PRESIDENT"
SUJETS_ACTES = (get_topic(GroupeDelibere), get_topic(SessionClose))
PAGE = 1000

journal = structlog.get_logger("bac.preuves")


class CleInvalide(RefusMetier):
    code = "CLE_PRESIDENT_INVALIDE"


def charger_cle(chemin: str | Path) -> Ed25519PrivateKey:
    try:
        mot_de_passe = os.environ.get("BAC_CLE_PRESIDENT_MOT_DE_PASSE")
        cle = load_pem_private_key(Path(chemin).read_bytes(), mot_de_passe.encode() if mot_de_passe else None)
    except (OSError, ValueError, TypeError) as e:
        raise CleInvalide(f"Clé du président illisible ({chemin}) : {e}", regle="R26") from None
    if not isinstance(cle, Ed25519PrivateKey):
        raise CleInvalide(f"La clé {chemin} n'est pas une clé Ed25519", regle="R26")
    return cle


def cle_publique_hex(cle: Ed25519PrivateKey) -> str:
    return cle.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex()


def source_de(position: int, e: Any) -> ActeSource | None:
    """What an act's stored event says of it; ``None`` for an act that is sealed in the older form."""
    if isinstance(e, GroupeDelibere):
        if e.sceau is not None:
            return None  # older form: sealed before the act, inside `GroupeDélibéré` (kept as it was)
        return ActeSource(
            objet="deliberation", agregat_id=e.originator_id, version=e.originator_version, position=position,
            session="", groupe=e.groupe, correlation_id=e.acte.correlation_id,
            causation_id=e.acte.causation_id,
        )  # fmt: skip
    if isinstance(e, SessionClose):
        return ActeSource(
            objet="cloture", agregat_id=e.originator_id, version=e.originator_version, position=position,
            session="", correlation_id=e.acte.correlation_id, causation_id=e.acte.causation_id,
        )  # fmt: skip
    return None


def _completer(registre: Registre, source: ActeSource) -> ActeSource:
    """The session and jury codes, which the act's event does not carry (it names its aggregate by id). Both are
    set by the aggregate's first event (`JuryConstitué`, `SessionOuverte`) and never change: its first version is
    read, not a history that holds each of the jury's `GroupeDélibéré`."""
    agregat: Any = registre.repository.get(source.agregat_id, version=1)
    if source.objet == "cloture":
        return source.model_copy(update={"session": agregat.code})
    return source.model_copy(update={"session": agregat.session, "jury": agregat.code})


def actes_a_sceller(registre: Registre, depuis: int, correlation_id: UUID | None) -> list[tuple[ActeSource, Acte]]:
    """The acts stored after ``depuis`` (of this correlation id, when given) that call for a seal of their own."""
    borne = registre.enregistreur.max_notification_id() or 0
    trouves: list[tuple[ActeSource, Acte]] = []
    while depuis < borne:
        page = registre.enregistreur.select_notifications(
            start=depuis, limit=PAGE, stop=borne, topics=SUJETS_ACTES, inclusive_of_start=False
        )
        for n in page:
            e: Any = registre.mapper.to_domain_event(n)
            if correlation_id is not None and e.acte.correlation_id != correlation_id:
                continue  # another writer's act: it seals its own
            source = source_de(n.id, e)
            if source is not None:
                trouves.append((_completer(registre, source), e.acte))
        if len(page) < PAGE:
            break
        depuis = page[-1].id
    return trouves


def tete_signee(source: ActeSource, taille: int, position: int, racine: str) -> SceauJournal:
    """The tree head for ``source``, signed by the president's key when ``BAC_CLE_PRESIDENT`` names one."""
    chemin = os.environ.get(VARIABLE_CLE)
    if not chemin:
        return SceauJournal(taille=taille, position=position, racine=racine)
    cle = charger_cle(chemin)
    message = message_a_signer_acte(source, taille=taille, position=position, racine=racine)
    return SceauJournal(
        taille=taille,
        position=position,
        racine=racine,
        cle_publique=cle_publique_hex(cle),
        signature=cle.sign(message).hex(),
    )


def sceller_actes(registre: Registre, moteur: Engine, *, depuis: int, correlation_id: UUID | None) -> list[Any]:
    """Seal every act stored after ``depuis`` that has no seal yet; returns the `ActeScellé` events written.

    The chain is caught up first, so the seal's tree head includes the act's own events. A seal already
    written (by a concurrent writer, or an earlier run) collides on its derived id and is skipped.
    """
    if moteur is None:
        return []
    actes = actes_a_sceller(registre, depuis, correlation_id)
    if not actes:
        return []
    rattraper_chaine(registre, moteur)
    etat = etat_courant(moteur)
    ecrits: list[Any] = []
    for source, acte in actes:
        if registre.enregistreur.select_events(sceau_id(source.agregat_id, source.version), limit=1):
            continue
        tete = tete_signee(source, etat.taille, etat.position, etat.racine.hex())
        sceau = Sceau.poser(
            source=source, sceau=tete, acte=acte.model_copy(update={"raison": "Sceau de l'acte (R52, ADR 0013)"})
        )
        evenements = sceau.collect_events()
        try:
            registre.enregistrer(evenements)
        except IntegrityError:
            continue  # sealed meanwhile by a concurrent writer
        journal.info(
            "acte.scelle", objet=source.objet, correlation_id=str(source.correlation_id), taille=tete.taille,
            racine=tete.racine, signe=tete.signature is not None,
        )  # fmt: skip
        ecrits.extend(evenements)
    return ecrits


def commandes_qui_scellent(types: Iterable[str]) -> bool:
    """Whether a command or a batch contains an act that is sealed after it is written."""
    return any(t in ("deliberer", "clore_session") for t in types)


def signature_ancienne_valide(sceau: SceauJournal, *, jury_id: UUID, groupe: int, correlation_id: UUID) -> bool:
    """The older form's signature (`GroupeDélibéré.sceau`, message v1)."""
    message = message_a_signer(
        jury_id=jury_id, groupe=groupe, correlation_id=correlation_id, taille=sceau.taille, position=sceau.position,
        racine=sceau.racine,
    )  # fmt: skip
    return signature_valide_sur(sceau, message)


def signature_acte_valide(sceau: SceauJournal, source: ActeSource) -> bool:
    message = message_a_signer_acte(source, taille=sceau.taille, position=sceau.position, racine=sceau.racine)
    return signature_valide_sur(sceau, message)


def signature_valide_sur(sceau: SceauJournal, message: bytes) -> bool:
    if sceau.signature is None or sceau.cle_publique is None:
        return False
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(sceau.cle_publique)).verify(
            bytes.fromhex(sceau.signature), message
        )
    except (InvalidSignature, ValueError):
        return False
    return True


def charger_cle_publique(chemin: Path) -> str:
    """A trusted public key (PEM, Ed25519) as the raw hex recorded in seals; a clear refusal otherwise."""
    from cryptography.hazmat.primitives.serialization import load_pem_public_key

    try:
        with chemin.open("rb") as f:
            contenu = f.read(64 * 1024 + 1)
    except OSError as e:
        raise CleInvalide(f"Clé publique illisible : {chemin} ({e.strerror})", regle="R26, R52") from None
    try:
        if len(contenu) > 64 * 1024:
            raise ValueError("fichier trop volumineux")
        cle = load_pem_public_key(contenu)
    except (ValueError, TypeError):
        raise CleInvalide(
            f"Le fichier {chemin} n'est pas une clé publique PEM (« -----BEGIN PUBLIC KEY----- ») : "
            "donner la clé publique Ed25519 du président",
            regle="R26, R52",
        ) from None
    if not isinstance(cle, Ed25519PublicKey):
        raise CleInvalide(f"La clé {chemin} n'est pas une clé publique Ed25519", regle="R26, R52")
    return cle.public_bytes(Encoding.Raw, PublicFormat.Raw).hex()
