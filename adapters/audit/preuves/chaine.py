"""The hash chain and Merkle leaves of the global log, kept as a pulled projection (ADR 0005, ADR 0008).

Every stored event record — position, originator id, version, topic, stored state bytes — is serialised
canonically (`donnees_feuille`); its leaf hash is RFC 6962's SHA-256(0x00 ‖ data) and its chain hash
SHA-256(previous chain hash ‖ leaf hash ‖ position). Rows and the Merkle frontier are written in the same
SQL transaction as the runner's position, in the database of the log.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from sqlalchemy import Engine, delete, insert, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from adapters.audit.preuves.merkle import Frontiere, hash_feuille
from adapters.stockage.registre import Registre
from projections.runner import ecrire_position, position
from projections.tables import chaine_journal, merkle_frontiere, positions

NOM = "chaine_journal"
ORIGINE = bytes(32)  # the chain hash "before" the first event
TAILLE_PAGE = 10_000


def donnees_feuille(position: int, originator_id: UUID | str, version: int, topic: str, etat: bytes) -> bytes:
    """Canonical bytes of one stored record: fixed-width integers, length-prefixed topic and state."""
    ident = originator_id.bytes if isinstance(originator_id, UUID) else UUID(originator_id).bytes
    sujet = topic.encode("utf-8")
    return b"".join(
        (
            struct.pack(">Q", position),
            ident,
            struct.pack(">Q", version),
            struct.pack(">I", len(sujet)),
            sujet,
            struct.pack(">I", len(etat)),
            bytes(etat),
        )
    )


def feuille_de(notification: Any) -> bytes:
    return hash_feuille(
        donnees_feuille(
            notification.id,
            notification.originator_id,
            notification.originator_version,
            notification.topic,
            notification.state,
        )
    )


def maillon(precedent: bytes, feuille: bytes, position: int) -> bytes:
    return hashlib.sha256(precedent + feuille + struct.pack(">Q", position)).digest()


@dataclass(frozen=True)
class EtatChaine:
    """Where the chain stands: chained leaves, last position, last chain hash, Merkle root."""

    taille: int
    position: int
    chaine: bytes
    frontiere: Frontiere

    @property
    def racine(self) -> bytes:
        return self.frontiere.racine()


def lire_etat(connexion: Connection) -> EtatChaine:
    ligne = connexion.execute(
        select(merkle_frontiere.c.taille, merkle_frontiere.c.noeuds).where(merkle_frontiere.c.nom == NOM)
    ).first()
    frontiere = Frontiere() if ligne is None else Frontiere.depuis_octets(int(ligne[0]), bytes(ligne[1]))
    derniere = connexion.execute(
        select(chaine_journal.c.position, chaine_journal.c.chaine).order_by(chaine_journal.c.position.desc()).limit(1)
    ).first()
    if derniere is None:
        return EtatChaine(frontiere.taille, 0, ORIGINE, frontiere)
    return EtatChaine(frontiere.taille, int(derniere[0]), bytes(derniere[1]), frontiere)


def etat_courant(moteur: Engine) -> EtatChaine:
    with moteur.connect() as connexion:
        return lire_etat(connexion)


def _ecrire_frontiere(connexion: Connection, frontiere: Frontiere) -> None:
    connexion.execute(delete(merkle_frontiere).where(merkle_frontiere.c.nom == NOM))
    connexion.execute(insert(merkle_frontiere).values(nom=NOM, taille=frontiere.taille, noeuds=frontiere.en_octets()))


def rattraper_chaine(registre: Registre, moteur: Engine) -> int:
    """Chain every event stored after the chain's position; returns how many were chained."""
    borne = registre.enregistreur.max_notification_id() or 0
    chaines = 0
    with moteur.connect() as connexion:
        depart = position(connexion, NOM)
    while depart < borne:
        page = registre.enregistreur.select_notifications(
            start=depart, limit=TAILLE_PAGE, stop=borne, inclusive_of_start=False
        )
        fin = page[-1].id if len(page) == TAILLE_PAGE else borne
        try:
            with moteur.begin() as connexion:
                if position(connexion, NOM) != depart:
                    depart = position(connexion, NOM)  # another writer chained meanwhile
                    continue
                etat = lire_etat(connexion)
                precedent, frontiere = etat.chaine, etat.frontiere
                lignes = []
                for n in page:
                    feuille = feuille_de(n)
                    precedent = maillon(precedent, feuille, n.id)
                    lignes.append({"position": n.id, "rang": frontiere.taille, "feuille": feuille, "chaine": precedent})
                    frontiere.ajouter(feuille)
                if lignes:
                    connexion.execute(insert(chaine_journal), lignes)
                _ecrire_frontiere(connexion, frontiere)
                ecrire_position(connexion, NOM, fin)
        except IntegrityError:
            with moteur.connect() as connexion:  # a concurrent runner chained the same page first
                depart = position(connexion, NOM)
            continue
        chaines += len(page)
        depart = fin
    return chaines


def effacer_chaine(moteur: Engine) -> None:
    with moteur.begin() as connexion:
        connexion.execute(delete(chaine_journal))
        connexion.execute(delete(merkle_frontiere).where(merkle_frontiere.c.nom == NOM))
        connexion.execute(delete(positions).where(positions.c.projection == NOM))


def lignes_chaine(moteur: Engine, apres: int = 0, page: int = TAILLE_PAGE) -> Iterator[tuple[int, int, bytes, bytes]]:
    """(position, rang, feuille, chaine) in log order, paged."""
    while True:
        with moteur.connect() as connexion:
            lignes = connexion.execute(
                select(*(chaine_journal.c[nom] for nom in ("position", "rang", "feuille", "chaine")))
                .where(chaine_journal.c.position > apres)
                .order_by(chaine_journal.c.position)
                .limit(page)
            ).all()
        for ligne in lignes:
            yield int(ligne[0]), int(ligne[1]), bytes(ligne[2]), bytes(ligne[3])
        if len(lignes) < page:
            return
        apres = int(lignes[-1][0])


def feuilles(moteur: Engine, taille: int) -> list[bytes]:
    """The first ``taille`` leaf hashes, in tree order (for audit paths)."""
    with moteur.connect() as connexion:
        lignes = connexion.execute(
            select(chaine_journal.c.feuille).where(chaine_journal.c.rang < taille).order_by(chaine_journal.c.rang)
        ).scalars()
        return [bytes(f) for f in lignes]
