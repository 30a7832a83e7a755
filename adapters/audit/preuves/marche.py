"""`bac verifier`'s walk of the log beside its chain, a page at a time (ADR 0008, 0013; issue 14).

Each page of log rows meets the chain rows up to its last position. A page with nothing to report — the chain
holds exactly its positions, at the ranks that follow, each leaf recomputed from the stored bytes equals the
stored one and each link follows from the one before — is taken whole: its leaves hashed in one frame, the
frontier extended in one call. Any other page is walked row by row, which names every damaged position. Both
give the same report; the whole-page way only skips per-row bookkeeping where there is none to do
(tests/test_verification_pages.py walks the same damaged logs both ways, pages of a few rows).
"""

from __future__ import annotations

import hashlib
import struct
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator, Sequence
from typing import Any
from uuid import UUID

from eventsourcing.utils import get_topic

from adapters.audit.preuves.chaine import ORIGINE, EtatChaine, feuilles_de
from adapters.audit.preuves.merkle import Frontiere
from domain.evenements import Delibere

SUJET_DELIBERE = get_topic(Delibere)
Maillon = tuple[int, int, bytes, bytes]  # a chain row: position, rank, leaf, link
_POSITION = struct.Struct(">Q").pack


class Marche:
    """What the walk gathers for the report: counts and findings (in ``rapport``), the positions in tree order,
    the ranks of the seals' events, the decisions' acts, the roots at the sizes a seal or an anchor names."""

    def __init__(
        self,
        rapport: Any,
        etat: EtatChaine,
        chaine: Iterator[Maillon],
        sceaux: Sequence[int],
        attendus: set[int],
        acte_de: Callable[[bytes], tuple[UUID, UUID | None]],
        *,
        par_page: bool = True,
    ) -> None:
        self.rapport, self.etat, self.chaine, self.acte_de, self.par_page = rapport, etat, chaine, acte_de, par_page
        self.sceaux = sorted(sceaux)
        self.attendus, self.tailles = attendus, sorted(attendus)
        self.racines: dict[int, bytes] = {0: Frontiere().racine()}
        self.precedent, self.frontiere = ORIGINE, Frontiere()
        self.positions = array("q")
        self.rang_de: dict[int, int] = {}
        self.decisions: list[tuple[int, UUID, UUID | None]] = []
        self.lignes_lues, self.derniere_lue = 0, 0
        self.stockee: Maillon | None = next(chaine, None)

    def page(self, lignes: Sequence[Any]) -> None:
        """One page of (position, originator id, version, topic, state) rows, in position order."""
        segment: list[Maillon] = []
        fin = lignes[-1][0]
        while self.stockee is not None and self.stockee[0] <= fin:
            segment.append(self.stockee)
            self.stockee = next(self.chaine, None)
        feuilles = feuilles_de(lignes)
        if not (self.par_page and self._page_intacte(lignes, segment, feuilles)):
            self._ligne_a_ligne(lignes, segment, feuilles)

    def reste(self) -> list[Maillon]:
        """The chain rows after the log's last row: a truncated log."""
        return [] if self.stockee is None else [self.stockee, *self.chaine]

    # A page with nothing to report ----------------------------------------------------------

    def _page_intacte(self, lignes: Sequence[Any], segment: list[Maillon], feuilles: list[bytes]) -> bool:
        rang = self.frontiere.taille
        ids = [ligne[0] for ligne in lignes]
        if (
            [m[0] for m in segment] != ids
            or [m[1] for m in segment] != list(range(rang, rang + len(ids)))
            or [m[2] for m in segment] != feuilles
        ):
            return False
        precedent, sha = self.precedent, hashlib.sha256
        for position, _, feuille, chaine in segment:
            if sha(precedent + feuille + _POSITION(position)).digest() != chaine:
                return False
            precedent = chaine
        r = self.rapport
        r.evenements, r.position_max, r.chaines = r.evenements + len(ids), ids[-1], r.chaines + len(ids)
        self.precedent, self.lignes_lues, self.derniere_lue = precedent, self.lignes_lues + len(ids), ids[-1]
        for p in self.sceaux[bisect_left(self.sceaux, ids[0]) : bisect_right(self.sceaux, ids[-1])]:
            self.rang_de[p] = rang + bisect_left(ids, p)
        for ligne in lignes:
            if ligne[3] == SUJET_DELIBERE:
                self._decision(ligne[0], ligne[4])
        self.positions.extend(ids)
        depuis = 0
        for taille in self.tailles[bisect_right(self.tailles, rang) : bisect_right(self.tailles, rang + len(ids))]:
            self.frontiere.etendre(feuilles[depuis : taille - rang])
            self.racines[taille], depuis = self.frontiere.racine(), taille - rang
        self.frontiere.etendre(feuilles[depuis:])
        return True

    # Row by row: every damaged position named -----------------------------------------------

    def _ligne_a_ligne(self, lignes: Sequence[Any], segment: list[Maillon], feuilles: list[bytes]) -> None:
        r, chaine = self.rapport, iter(segment)
        stockee = next(chaine, None)
        for ligne, feuille in zip(lignes, feuilles, strict=True):
            position = ligne[0]
            r.evenements, r.position_max = r.evenements + 1, position
            while stockee is not None and stockee[0] < position:
                r.signaler(stockee[0], "supprime", f"chaîné au rang {stockee[1]}, absent du journal")
                self._maillon(stockee)
                stockee = next(chaine, None)
            if stockee is None or stockee[0] > position:
                if position > self.etat.position:
                    r.non_chaines += 1
                else:
                    r.signaler(position, "insere", "absent de la chaîne")
            else:
                r.chaines += 1
                if stockee[2] != feuille:
                    r.signaler(position, "modifie", "son empreinte ne correspond plus à celle enregistrée à l'écriture")
                self._maillon(stockee, self.frontiere.taille)
                stockee = next(chaine, None)
            if self._scelle(position):
                self.rang_de[position] = self.frontiere.taille
            if ligne[3] == SUJET_DELIBERE:
                self._decision(position, ligne[4])
            self.positions.append(position)
            self.frontiere.ajouter(feuille)
            if self.frontiere.taille in self.attendus:
                self.racines[self.frontiere.taille] = self.frontiere.racine()
        assert stockee is None, "a page's segment ends at its last position"

    def _scelle(self, position: int) -> bool:
        i = bisect_left(self.sceaux, position)
        return i < len(self.sceaux) and self.sceaux[i] == position

    def _maillon(self, stockee: Maillon, rang: int | None = None) -> None:
        """Each stored link must follow from the stored link before it: the chain table itself was not edited."""
        position, rang_stocke, feuille, chaine = stockee
        attendu = hashlib.sha256(self.precedent + feuille + _POSITION(position)).digest()
        if attendu != chaine or (rang is not None and rang != rang_stocke):
            self.rapport.signaler(position, "maillon", "le hachage chaîné ne se recalcule pas")
        self.precedent, self.lignes_lues, self.derniere_lue = chaine, self.lignes_lues + 1, position

    def _decision(self, position: int, etat: bytes) -> None:
        try:
            self.decisions.append((position, *self.acte_de(etat)))
        except (ValueError, KeyError, TypeError):
            self.rapport.signaler(position, "illisible", "décision du jury")
