"""The hash chain written in the transaction of the events it chains (ADR 0025), from the bytes just inserted.

A greffon of the registry (adapters/stockage/ecriture.py): the recorder runs it on its own cursor, under the
log's write lock, after the new rows are in. It extends the chain only when the chain stands exactly at the
last position before the write and its last leaf is still the hash of the row there — the conditions the
pulled catch-up (chaine.py) checks before it extends anything. Otherwise it leaves the new rows unchained:
the catch-up then chains them, or refuses with the reason (a chain out of step, a rewritten row, no chain
over a sealed log). Same leaves, same chain hashes and same Merkle frontier as the catch-up (the rebuild and
attack tests compare them), on SQLite and on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import IntegrityError, StoredEvent

from adapters.audit.preuves.chaine import NOM, ORIGINE, feuille, inserer_maillons, maillon
from adapters.audit.preuves.merkle import Frontiere
from adapters.stockage.ecriture import DialecteSQL, Ecrit

ETAT = """SELECT
  (SELECT taille FROM merkle_frontiere WHERE nom = ?) AS taille,
  (SELECT noeuds FROM merkle_frontiere WHERE nom = ?) AS noeuds,
  (SELECT position FROM projection_positions WHERE projection = ?) AS suivie,
  (SELECT position FROM chaine_journal ORDER BY position DESC LIMIT 1) AS derniere,
  (SELECT rang FROM chaine_journal ORDER BY position DESC LIMIT 1) AS rang,
  (SELECT feuille FROM chaine_journal ORDER BY position DESC LIMIT 1) AS feuille,
  (SELECT chaine FROM chaine_journal ORDER BY position DESC LIMIT 1) AS chaine"""


def chainer_en_ecriture(curseur: Any, dialecte: DialecteSQL, ecrit: Ecrit, stockes: Sequence[StoredEvent]) -> None:
    """Append the leaves and chain hashes of ``stockes`` (at ``ecrit.positions``), the frontier and position."""
    if not stockes:
        return
    etat = _etat_prolongeable(curseur, dialecte, ecrit.precedent)
    if etat is None:
        return
    precedent, frontiere = etat
    lignes: list[tuple[int, int, bytes, bytes]] = []
    for position, s in zip(ecrit.positions, stockes, strict=True):
        sienne = feuille(position, s.originator_id, s.originator_version, s.topic, s.state)
        precedent = maillon(precedent, sienne, position)
        lignes.append((position, frontiere.taille, sienne, precedent))
        frontiere.ajouter(sienne)
    inserer_maillons(curseur, dialecte.nom, lignes)
    curseur.execute(dialecte.sql("DELETE FROM merkle_frontiere WHERE nom = ?"), (NOM,))
    curseur.execute(
        dialecte.sql("INSERT INTO merkle_frontiere (nom, taille, noeuds) VALUES (?, ?, ?)"),
        (NOM, frontiere.taille, frontiere.en_octets()),
    )
    # A compare-and-set, like the read models' runner: should a catch-up have moved the position meanwhile, the
    # whole write is rolled back as a conflict (its writer re-plans) rather than chain anything twice.
    curseur.execute(
        dialecte.sql("UPDATE projection_positions SET position = ? WHERE projection = ? AND position = ?"),
        (ecrit.fin, NOM, ecrit.precedent),
    )
    if curseur.rowcount != 1:
        raise IntegrityError(f"position de la chaîne déplacée pendant l'écriture (attendue {ecrit.precedent})")


def _etat_prolongeable(curseur: Any, dialecte: DialecteSQL, precedent: int) -> tuple[bytes, Frontiere] | None:
    """The last chain hash and the frontier, if the chain ends exactly at ``precedent`` on this log's own row."""
    curseur.execute(dialecte.sql(ETAT), (NOM, NOM, NOM))
    etat = curseur.fetchone()
    taille, suivie, derniere = etat["taille"], etat["suivie"], etat["derniere"]
    if derniere is None:  # no chain yet: only a log that starts now starts one here
        if precedent != 0 or taille not in (None, 0) or suivie not in (None, 0):
            return None
        if suivie is None:
            creer = "INSERT INTO projection_positions (projection, position) VALUES (?, 0)"
            curseur.execute(dialecte.sql(creer), (NOM,))
        return ORIGINE, Frontiere()
    if suivie != precedent or derniere != precedent or taille is None or etat["rang"] + 1 != taille:
        return None
    curseur.execute(
        dialecte.sql(
            f"SELECT originator_id, originator_version, topic, state FROM {dialecte.table_evenements} "
            f"WHERE {dialecte.colonne_position} = ?"
        ),
        (precedent,),
    )
    ligne = curseur.fetchone()
    if ligne is None:
        return None
    attendue = feuille(
        precedent, ligne["originator_id"], ligne["originator_version"], ligne["topic"], bytes(ligne["state"])
    )
    if attendue != bytes(etat["feuille"]):
        return None  # the row the chain ends on was rewritten: the catch-up says so (CHAINE_DIVERGENTE)
    return bytes(etat["chaine"]), Frontiere.depuis_octets(int(taille), bytes(etat["noeuds"]))
