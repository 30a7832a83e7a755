"""Audit paths of a large tree without reading all its leaves: the roots of its complete blocks, kept (issue 14).

RFC 6962's PATH(m, D[n]) needs the roots of O(log n) subtrees. Those that are whole aligned blocks of `BLOC`
leaves come from ``merkle_blocs``, computed from the block's stored leaves the first time a proof needs them;
the others lie inside one block (the leaf's own, the last incomplete one) and are hashed from its leaves. A proof
so reads at most two blocks of leaves and the blocks' roots: reading every leaf and hashing the whole tree took
0.95 s a candidate at Aix-Marseille's 672,000 leaves, and grows with the log (15.7 million at the national scale).

The kept roots are derived data, like the read models, and no proof rests on them: each path is checked against
the seal's root (`verifier_inclusion`), and `preuves_de` computes it again from the leaves alone if it does not
verify with them; `bac verifier` compares every kept root with the one its walk computes from the log.
"""

from __future__ import annotations

from sqlalchemy import Engine, select
from sqlalchemy.dialects.postgresql import insert as insert_pg
from sqlalchemy.dialects.sqlite import insert as insert_sqlite

from adapters.audit.preuves.merkle import coupe, hash_noeud, racine
from domain.errors import JournalAltere
from projections.tables import merkle_blocs

BLOC = 2**16  # leaves under one kept root; `bac verifier`'s stretches start on a multiple of it (ADR 0028)


def racines_gardees(moteur: Engine, bloc: int, jusqua: int | None = None) -> dict[int, bytes]:
    """The kept roots of blocks of ``bloc`` leaves (below block ``jusqua`` if given), by block index."""
    requete = select(merkle_blocs.c.bloc, merkle_blocs.c.racine).where(merkle_blocs.c.taille_bloc == bloc)
    if jusqua is not None:
        requete = requete.where(merkle_blocs.c.bloc < jusqua)
    with moteur.connect() as connexion:
        return {int(j): bytes(r) for j, r in connexion.execute(requete)}


class Arbre:
    """The Merkle tree of the first ``taille`` leaves of the chain, read a block at a time."""

    def __init__(self, moteur: Engine, taille: int, *, bloc: int = BLOC, gardees: bool = True) -> None:
        self.moteur, self.taille, self.bloc = moteur, taille, bloc
        self.gardees = racines_gardees(moteur, bloc, taille // bloc) if gardees else {}
        self.nouvelles: dict[int, bytes] = {}  # roots computed here, kept by `garder`
        self._niveaux: dict[int, list[list[bytes]]] = {}  # the blocks a path goes through: leaves, pairs, …
        self._mth: dict[tuple[int, int], bytes] = {}
        self.utilise_gardees = False  # a kept root went into a path (if one fails, recompute without them)

    def chemin(self, m: int) -> list[bytes]:
        """PATH(m, D[taille]) of RFC 6962 §2.1.1, as `merkle.chemin_inclusion` computes it from every leaf."""
        if not 0 <= m < self.taille:
            raise ValueError(f"feuille {m} hors d'un arbre de taille {self.taille}")
        chemin: list[bytes] = []
        debut, fin = 0, self.taille
        while fin - debut > 1:
            k = coupe(fin - debut)
            if m - debut < k:
                chemin.append(self.mth(debut + k, fin))
                fin = debut + k
            else:
                chemin.append(self.mth(debut, debut + k))
                debut += k
        return list(reversed(chemin))

    def mth(self, debut: int, fin: int) -> bytes:
        """MTH(D[debut:fin]): a kept block root, a node of one block's levels, or the RFC's split of the range."""
        cle = (debut, fin)
        if cle not in self._mth:
            j, taille = debut // self.bloc, fin - debut
            if debut % self.bloc == 0 and taille == self.bloc:
                self._mth[cle] = self._racine_du_bloc(j)
            elif fin - 1 < (j + 1) * self.bloc and taille & (taille - 1) == 0 and debut % taille == 0:
                # A perfect subtree inside block j: one node of its levels (a path's siblings in its block).
                self._mth[cle] = self._niveaux_du_bloc(j)[taille.bit_length() - 1][(debut - j * self.bloc) // taille]
            elif fin - 1 < (j + 1) * self.bloc:  # inside the last, incomplete block: the tree's right edge
                self._mth[cle] = racine(self._niveaux_du_bloc(j)[0][debut - j * self.bloc : fin - j * self.bloc])
            else:
                k = coupe(taille)
                self._mth[cle] = hash_noeud(self.mth(debut, debut + k), self.mth(debut + k, fin))
        return self._mth[cle]

    def _racine_du_bloc(self, j: int) -> bytes:
        if j in self.gardees:
            self.utilise_gardees = True
            return self.gardees[j]
        if j not in self.nouvelles:  # its leaves read for its root only: not kept in memory after
            self.nouvelles[j] = self._niveaux[j][-1][0] if j in self._niveaux else racine(self._lire(j))
        return self.nouvelles[j]

    def _niveaux_du_bloc(self, j: int) -> list[list[bytes]]:
        """Block j's leaves, then each level of the perfect subtrees over them (a node where both halves exist):
        ≈ one hash per leaf, once, for every path that goes through the block."""
        if j not in self._niveaux:
            niveaux = [self._lire(j)]
            while len(niveaux[-1]) > 1:
                n = niveaux[-1]
                niveaux.append([hash_noeud(n[i], n[i + 1]) for i in range(0, len(n) - 1, 2)])
            self._niveaux[j] = niveaux
        return self._niveaux[j]

    def _lire(self, j: int) -> list[bytes]:
        """The stored leaves of block j, up to the tree's size (the driver's rows: no SQLAlchemy row per leaf)."""
        debut, fin = j * self.bloc, min((j + 1) * self.bloc, self.taille)
        sql = "SELECT feuille FROM chaine_journal WHERE rang >= ? AND rang < ? ORDER BY rang"
        if self.moteur.dialect.name != "sqlite":
            sql = sql.replace("?", "%s")
        connexion = self.moteur.raw_connection()
        try:
            curseur = connexion.cursor()
            curseur.execute(sql, (debut, fin))
            feuilles = [bytes(f) for (f,) in curseur.fetchall()]
        finally:
            connexion.close()
        if len(feuilles) != fin - debut:  # a chain table cut short under its seals: say so, do not guess
            raise JournalAltere(
                f"La chaîne d'intégrité n'a que {len(feuilles)} des feuilles {debut} à {fin - 1} de l'arbre scellé "
                f"({self.taille} feuilles) : lancer « bac verifier »",
                regle="R52",
            )
        return feuilles

    def garder(self) -> None:
        """Keep the roots computed here (a concurrent proof may have kept the same ones: the same bytes)."""
        if not self.nouvelles:
            return
        inserer = insert_pg if self.moteur.dialect.name == "postgresql" else insert_sqlite
        lignes = [{"taille_bloc": self.bloc, "bloc": j, "racine": r} for j, r in sorted(self.nouvelles.items())]
        with self.moteur.begin() as connexion:
            connexion.execute(inserer(merkle_blocs).on_conflict_do_nothing(), lignes)
        self.gardees.update(self.nouvelles)
        self.nouvelles = {}
