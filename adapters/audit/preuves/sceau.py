"""Sealing a deliberation: the Merkle root of the log just before the jury's act, signed if a key is set.

The president's Ed25519 private key (PEM, PKCS#8, unencrypted or with ``BAC_CLE_PRESIDENT_MOT_DE_PASSE``)
is named by ``BAC_CLE_PRESIDENT``; without it the seal is recorded unsigned (ADR 0008).
"""

from __future__ import annotations

import os
from pathlib import Path
from uuid import UUID

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat, load_pem_private_key

from adapters.audit.preuves.chaine import etat_courant, rattraper_chaine
from adapters.stockage.registre import Registre
from domain.errors import RefusMetier
from domain.sceau import SceauJournal, message_a_signer

VARIABLE_CLE = "BAC_CLE_PRESIDENT"


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


def sceller(registre: Registre, *, jury_id: UUID, groupe: int, correlation_id: UUID) -> SceauJournal | None:
    """The seal of the log as it stands (chain caught up first); ``None`` for a registry without read models."""
    moteur = registre.moteur_sql
    if moteur is None:
        return None
    rattraper_chaine(registre, moteur)
    etat = etat_courant(moteur)
    racine = etat.racine.hex()
    chemin = os.environ.get(VARIABLE_CLE)
    if not chemin:
        return SceauJournal(taille=etat.taille, position=etat.position, racine=racine)
    cle = charger_cle(chemin)
    message = message_a_signer(
        jury_id=jury_id,
        groupe=groupe,
        correlation_id=correlation_id,
        taille=etat.taille,
        position=etat.position,
        racine=racine,
    )
    return SceauJournal(
        taille=etat.taille,
        position=etat.position,
        racine=racine,
        cle_publique=cle_publique_hex(cle),
        signature=cle.sign(message).hex(),
    )


def signature_valide(sceau: SceauJournal, *, jury_id: UUID, groupe: int, correlation_id: UUID) -> bool:
    if sceau.signature is None or sceau.cle_publique is None:
        return False
    message = message_a_signer(
        jury_id=jury_id,
        groupe=groupe,
        correlation_id=correlation_id,
        taille=sceau.taille,
        position=sceau.position,
        racine=sceau.racine,
    )
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(sceau.cle_publique)).verify(
            bytes.fromhex(sceau.signature), message
        )
    except (InvalidSignature, ValueError):
        return False
    return True
