"""The hash chain and Merkle leaves of the global log, kept as a pulled projection (ADR 0005, ADR 0008).

Every stored event record — position, originator id, version, topic, stored state bytes — is serialised
canonically (`donnees_feuille`); its leaf hash is RFC 6962's SHA-256(0x00 ‖ data) and its chain hash
SHA-256(previous chain hash ‖ leaf hash ‖ position). Rows and the Merkle frontier are written in the same
SQL transaction as the runner's position, in the database of the log.

The catch-up only ever appends (ADR 0013): it refuses, naming the position, when the chain it would extend
is not the chain of this log — rows, frontier and position out of step, the last chained event changed or
gone, or no chain at all over a log that carries seals (a chain existed: recomputing it silently would
launder whatever was rewritten). Only the explicit, logged `rechainer` starts a chain over such a log.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from eventsourcing.utils import get_topic
from sqlalchemy import Engine, delete, insert, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from adapters.audit.preuves.merkle import Frontiere, hash_feuille
from adapters.stockage.lecture_journal import page_du_journal
from adapters.stockage.ramasse_miettes import sans_ramasse_miettes
from adapters.stockage.registre import Registre
from domain.errors import JournalAltere
from domain.evenements import ActeScelle, GroupeDelibere
from projections.runner import ecrire_position, position
from projections.tables import chaine_journal, merkle_blocs, merkle_frontiere, positions

NOM = "chaine_journal"
ORIGINE = bytes(32)  # the chain hash "before" the first event
TAILLE_PAGE = 10_000


_ENTETE = struct.Struct(">Q16sQI")  # position, aggregate id, version, topic's length: no padding with ">"
_LONGUEUR = struct.Struct(">I")


def donnees_feuille(position: int, originator_id: UUID | str, version: int, topic: str, etat: bytes) -> bytes:
    """Canonical bytes of one stored record: fixed-width integers, length-prefixed topic and state."""
    sujet = topic.encode("utf-8")
    entete = _ENTETE.pack(position, octets_id(originator_id), version, len(sujet))
    return b"".join((entete, sujet, _LONGUEUR.pack(len(etat)), bytes(etat)))


def octets_id(ident: UUID | str) -> bytes:
    """An aggregate id's 16 bytes; SQLite stores it as text. The library's own spelling there (32 hex digits, as
    `UUID.hex`) and the canonical form (36 characters, hyphens at 8, 13, 18 and 23) are read with `bytes.fromhex`,
    0.46 µs against 2.15 µs for `UUID(…)` (half of a leaf's cost, measured); any other text takes `UUID(…)`, so an
    odd id stored in the log gives the same bytes or the same error as before. 32 characters that `fromhex` reads
    as 16 bytes are 32 hex digits, which `UUID(…)` reads the same."""
    if isinstance(ident, UUID):
        return ident.bytes
    if len(ident) == 32:
        try:
            octets = bytes.fromhex(ident)
        except ValueError:
            octets = b""
        if len(octets) == 16:
            return octets
    elif len(ident) == 36 and ident[8] == ident[13] == ident[18] == ident[23] == "-":
        try:
            octets = bytes.fromhex(ident.replace("-", ""))
        except ValueError:
            octets = b""
        if len(octets) == 16:
            return octets
    return UUID(ident).bytes


def feuille(position: int, originator_id: UUID | str, version: int, topic: str, etat: bytes) -> bytes:
    """The leaf hash of one stored record (RFC 6962's SHA-256(0x00 ‖ data))."""
    return hash_feuille(donnees_feuille(position, originator_id, version, topic, etat))


def feuille_de(notification: Any) -> bytes:
    n = notification
    return feuille(n.id, n.originator_id, n.originator_version, n.topic, n.state)


def feuilles_de(lignes: Iterable[Sequence[Any]]) -> list[bytes]:
    """`feuille` of many (position, id, version, topic, state) rows, by the one definition of a leaf's bytes
    (`donnees_feuille`); inlining it saved 15 % of the hashing only (measured), not worth a second definition."""
    return [hash_feuille(donnees_feuille(*ligne)) for ligne in lignes]


def maillon(precedent: bytes, feuille: bytes, position: int) -> bytes:
    return hashlib.sha256(precedent + feuille + struct.pack(">Q", position)).digest()


def inserer_maillons(curseur: Any, moteur: str, lignes: Sequence[tuple[int, int, bytes, bytes]]) -> None:
    """(position, rang, feuille, chaine) rows on the driver's own cursor: SQLAlchemy's bind processing of two
    bytea per row was half of a catch-up (measured, bench/audit.py)."""
    if moteur == "postgresql":  # one binary COPY: no executemany pipeline (notes/EVENTSOURCING.md pitfall 1)
        with curseur.copy("COPY chaine_journal (position, rang, feuille, chaine) FROM STDIN (FORMAT BINARY)") as copie:
            copie.set_types(["int8", "int8", "bytea", "bytea"])
            for ligne in lignes:
                copie.write_row(ligne)
    else:
        curseur.executemany("INSERT INTO chaine_journal (position, rang, feuille, chaine) VALUES (?, ?, ?, ?)", lignes)


@dataclass(frozen=True)
class EtatChaine:
    """Where the chain stands: chained leaves, last position, last chain hash, Merkle root."""

    taille: int
    position: int
    chaine: bytes
    frontiere: Frontiere
    rang: int = -1  # of the last chained row (-1: no row)
    suivie: int = 0  # the runner's tracked position

    @property
    def racine(self) -> bytes:
        return self.frontiere.racine()


def lire_etat(connexion: Connection) -> EtatChaine:
    """Frontier, last row and tracked position in one statement: one snapshot, even beside a writer."""

    def derniere(colonne: Any) -> Any:
        return select(colonne).order_by(chaine_journal.c.position.desc()).limit(1).scalar_subquery()

    frontiere_ = merkle_frontiere.c
    ligne = connexion.execute(
        select(
            select(frontiere_.taille).where(frontiere_.nom == NOM).scalar_subquery(),
            select(frontiere_.noeuds).where(frontiere_.nom == NOM).scalar_subquery(),
            derniere(chaine_journal.c.position),
            derniere(chaine_journal.c.chaine),
            derniere(chaine_journal.c.rang),
            select(positions.c.position).where(positions.c.projection == NOM).scalar_subquery(),
        )
    ).one()
    taille, noeuds, position_, chaine, rang, suivie = ligne
    frontiere = Frontiere() if taille is None else Frontiere.depuis_octets(int(taille), bytes(noeuds))
    suivie = int(suivie or 0)
    if position_ is None:
        return EtatChaine(frontiere.taille, 0, ORIGINE, frontiere, suivie=suivie)
    return EtatChaine(frontiere.taille, int(position_), bytes(chaine), frontiere, int(rang), suivie)


def etat_courant(moteur: Engine) -> EtatChaine:
    with moteur.connect() as connexion:
        return lire_etat(connexion)


def _ecrire_frontiere(connexion: Connection, frontiere: Frontiere) -> None:
    connexion.execute(delete(merkle_frontiere).where(merkle_frontiere.c.nom == NOM))
    connexion.execute(insert(merkle_frontiere).values(nom=NOM, taille=frontiere.taille, noeuds=frontiere.en_octets()))


SUJETS_SCEAUX = (get_topic(ActeScelle), get_topic(GroupeDelibere))


def premier_sceau(registre: Registre, borne: int) -> int | None:
    """Position of the first seal in the log (an `ActeScellé`, or a `GroupeDélibéré` of the older form that
    carries its seal): the evidence that the log had a chain."""
    depuis = 0
    while depuis < borne:
        page = registre.enregistreur.select_notifications(
            start=depuis, limit=100, stop=borne, topics=SUJETS_SCEAUX, inclusive_of_start=False
        )
        for n in page:
            if n.topic == SUJETS_SCEAUX[0] or getattr(registre.mapper.to_domain_event(n), "sceau", None) is not None:
                return int(n.id)
        if len(page) < 100:
            return None
        depuis = page[-1].id
    return None


def controler_avant_rattrapage(registre: Registre, connexion: Connection, borne: int, depuis_zero: bool) -> None:
    """Refuse, naming the position, any catch-up that would not simply extend this log's own chain."""
    etat = lire_etat(connexion)
    depart = etat.suivie
    if etat.rang < 0 and etat.taille == 0 and depart == 0:
        sceau = None if depuis_zero or borne == 0 else premier_sceau(registre, borne)
        if sceau is not None:
            raise JournalAltere(
                f"La chaîne d'intégrité est absente alors que le journal porte des sceaux (position {sceau}) : "
                "elle a existé et n'est pas recalculée en silence. « bac verifier » dit ce qui tient encore ; "
                "seule « bac rechainer --raison … » la reconstruit, et cela reste inscrit",
                regle="R52",
                code="CHAINE_ABSENTE",
            )
        return
    if etat.rang + 1 != etat.taille or depart != etat.position:
        raise JournalAltere(
            f"Chaîne d'intégrité incohérente après la position {etat.position} (dernier rang {etat.rang}, "
            f"frontière de {etat.taille} feuilles, position suivie {depart}) : rien n'est rechaîné",
            regle="R52",
            code="CHAINE_INCOHERENTE",
        )
    derniere = registre.enregistreur.select_notifications(start=etat.position, limit=1, stop=etat.position)
    if (
        not derniere
        or derniere[0].id != etat.position
        or maillon_de(connexion, etat.position) != feuille_de(derniere[0])
    ):
        raise JournalAltere(
            f"L'événement chaîné en position {etat.position} a changé ou disparu du journal : la chaîne n'est pas "
            "prolongée sur un journal qui n'est plus le sien (« bac verifier »)",
            regle="R52",
            code="CHAINE_DIVERGENTE",
        )


def maillon_de(connexion: Connection, position_: int) -> bytes | None:
    valeur = connexion.execute(select(chaine_journal.c.feuille).where(chaine_journal.c.position == position_)).scalar()
    return None if valeur is None else bytes(valeur)


def rattraper_chaine(registre: Registre, moteur: Engine, *, depuis_zero: bool = False) -> int:
    """Chain every event stored after the chain's position; returns how many were chained.

    ``depuis_zero`` is for `rechainer` only: it lets an empty chain start over a log that carries seals.
    """
    with sans_ramasse_miettes():  # a row object per event, page after page: 9.1 s → 6.8 s for a million (measured)
        return _rattraper(registre, moteur, depuis_zero)


def _rattraper(registre: Registre, moteur: Engine, depuis_zero: bool) -> int:
    borne = registre.enregistreur.max_notification_id() or 0
    chaines = 0
    with moteur.connect() as connexion:
        controler_avant_rattrapage(registre, connexion, borne, depuis_zero)
        depart = position(connexion, NOM)
    while depart < borne:
        page = page_du_journal(registre, depart, borne, TAILLE_PAGE)
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
                    sienne = feuille_de(n)
                    precedent = maillon(precedent, sienne, n.id)
                    lignes.append((n.id, frontiere.taille, sienne, precedent))
                    frontiere.ajouter(sienne)
                if lignes:
                    pilote = connexion.connection.driver_connection
                    assert pilote is not None
                    inserer_maillons(pilote.cursor(), moteur.dialect.name, lignes)
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
        connexion.execute(delete(merkle_blocs))  # the blocks' roots derive from the leaves: gone with them
        connexion.execute(delete(merkle_frontiere).where(merkle_frontiere.c.nom == NOM))
        connexion.execute(delete(positions).where(positions.c.projection == NOM))


def lignes_chaine(
    moteur: Engine, apres: int = 0, page: int = TAILLE_PAGE, jusqua: int | None = None
) -> Iterator[tuple[int, int, bytes, bytes]]:
    """(position, rang, feuille, chaine) at positions in (apres, jusqua], in log order, paged."""
    sql = (
        "SELECT position, rang, feuille, chaine FROM chaine_journal WHERE position > ? AND position <= ? "
        "ORDER BY position LIMIT ?"
    )
    if moteur.dialect.name != "sqlite":
        sql = sql.replace("?", "%s")
    fin = 2**63 - 1 if jusqua is None else jusqua
    while True:
        connexion = moteur.raw_connection()  # the driver's rows: no SQLAlchemy Row per link (bench/audit.py)
        try:
            curseur = connexion.cursor()
            curseur.execute(sql, (apres, fin, page))
            lignes = curseur.fetchall()
        finally:
            connexion.close()
        yield from lignes  # both drivers give (int, int, bytes, bytes) tuples as they are
        if len(lignes) < page:
            return
        apres = int(lignes[-1][0])


def maillon_avant(moteur: Engine, position_: int) -> bytes:
    """The stored link of the last chain row at or before ``position_`` (the origin if none): where the walk of
    a stretch of the log starts (adapters.audit.preuves.troncons)."""
    with moteur.connect() as connexion:
        valeur = connexion.execute(
            select(chaine_journal.c.chaine)
            .where(chaine_journal.c.position <= position_)
            .order_by(chaine_journal.c.position.desc())
            .limit(1)
        ).scalar()
    return ORIGINE if valeur is None else bytes(valeur)


def feuilles(moteur: Engine, taille: int) -> list[bytes]:
    """The first ``taille`` leaf hashes, in tree order (for audit paths)."""
    with moteur.connect() as connexion:
        lignes = connexion.execute(
            select(chaine_journal.c.feuille).where(chaine_journal.c.rang < taille).order_by(chaine_journal.c.rang)
        ).scalars()
        return [bytes(f) for f in lignes]
