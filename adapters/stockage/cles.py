"""The candidates' identity keys (ADR 0023): one AES-256-GCM key per candidate, in a table of its own, never in the log.

The log stores an identity only as ``{"chiffre": …, "cle": …, "alg": "A256GCM"}``; the hash chain and the Merkle
leaves cover those bytes, so destroying the key (R56: the identity's retention period is over) erases the person
without changing one byte of the log. A key is written in the same transaction as the first event that uses it,
and deleted in the same transaction as the `IdentitéEffacée` that erases it (each recorder does both, like the
applied command ids of ADR 0015). Reading caches the keys, loaded in one query, so a replay costs no query per event.
"""

from __future__ import annotations

import base64
import binascii
import os
import threading
import time
from collections.abc import Mapping, Sequence
from typing import Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from domain.errors import JournalAltere

TABLE = "cles_identite"
SCHEMA_POSTGRES = "cles"  # its own schema, so a deployment can grant the log without the keys (ADR 0023)
TABLE_POSTGRES = f"{SCHEMA_POSTGRES}.{TABLE}"
CREER_SQLITE = f"CREATE TABLE IF NOT EXISTS {TABLE} (cle_id TEXT PRIMARY KEY, cle BLOB NOT NULL) WITHOUT ROWID"
CREER_POSTGRES = (
    f"CREATE SCHEMA IF NOT EXISTS {SCHEMA_POSTGRES}",
    f"CREATE TABLE IF NOT EXISTS {TABLE_POSTGRES} (cle_id TEXT PRIMARY KEY, cle BYTEA NOT NULL)",
)
ALGORITHME = "A256GCM"
TAILLE_NONCE = 12  # 96 bits, random for each encryption (a key encrypts two fields of one candidate)
DUREE_CACHE_S = 60.0  # another process's erasure is seen at the latest this long after it (ADR 0023, limits)


class CleInvalide(JournalAltere):
    """A key that does not open its identity: the key table or the ciphertext was rewritten (AES-GCM tag)."""

    code = "CLE_INVALIDE"


class SourceCles(Protocol):
    """What the vault asks of its recorder: the stored keys, all of them (``None``) or these."""

    def lire_cles(self, cle_ids: Sequence[str] | None) -> dict[str, bytes]: ...


class Coffre:
    """The keys one registry process knows: committed ones (cached), and the new ones of the write under way."""

    def __init__(self) -> None:
        self.source: SourceCles | None = None
        self._cache: dict[str, bytes | None] = {}  # None: no such key, i.e. erased (a key is written with its event)
        self._nouvelles: dict[str, bytes] = {}
        self._charge_le: float | None = None
        self._verrou = threading.RLock()

    def cle_pour_chiffrer(self, cle_id: str) -> bytes:
        """The candidate's key; a new one (written with this write's events) if it has none yet."""
        with self._verrou:
            cle = self._nouvelles.get(cle_id) or self._cache.get(cle_id)
            if cle is None:
                cle = self._nouvelles[cle_id] = AESGCM.generate_key(bit_length=256)
            return cle

    def cle_pour_lire(self, cle_id: str) -> bytes | None:
        """The stored key, or None once it is destroyed; all keys are loaded in one query, then cached."""
        with self._verrou:
            if self._charge_le is None or time.monotonic() - self._charge_le > DUREE_CACHE_S:
                self._tout_charger()
            if cle_id not in self._cache:  # written since the load (another process), or destroyed
                self._cache[cle_id] = self._lire([cle_id]).get(cle_id)
            return self._cache[cle_id]

    def prendre_nouvelles(self) -> dict[str, bytes]:
        with self._verrou:
            return dict(self._nouvelles)

    def apres_ecriture(self, nouvelles: Mapping[str, bytes], detruites: Sequence[str], *, reussie: bool) -> None:
        """A rolled-back write forgets its new keys (its events were not stored); a committed one caches them."""
        with self._verrou:
            for cle_id in nouvelles:
                self._nouvelles.pop(cle_id, None)
            if reussie:
                self._cache.update(nouvelles)
                self._cache.update(dict.fromkeys(detruites))

    def _tout_charger(self) -> None:
        self._cache = dict(self._lire(None))
        self._charge_le = time.monotonic()

    def _lire(self, cle_ids: Sequence[str] | None) -> dict[str, bytes]:
        return {} if self.source is None else self.source.lire_cles(cle_ids)


def donnees_associees(agregat_id: object, sujet: str) -> bytes:
    """Bound to its event: a ciphertext moved to another candidate's or another event's record does not open."""
    return f"{agregat_id}|{sujet}".encode()


def chiffrer(cle: bytes, clair: bytes, associees: bytes) -> str:
    nonce = os.urandom(TAILLE_NONCE)
    return base64.b64encode(nonce + AESGCM(cle).encrypt(nonce, clair, associees)).decode("ascii")


def dechiffrer(cle: bytes, chiffre: str, associees: bytes, *, cle_id: str) -> bytes:
    try:
        brut = base64.b64decode(chiffre, validate=True)
        return AESGCM(cle).decrypt(brut[:TAILLE_NONCE], brut[TAILLE_NONCE:], associees)
    except (InvalidTag, binascii.Error, ValueError):
        raise CleInvalide(
            f"Clé invalide : la clé d'identité {cle_id} n'ouvre pas l'identité chiffrée de son événement "
            "(table des clés ou journal réécrit)",
            regle="R56",
        ) from None
