"""`bac verifier`'s walk of one stretch of the log beside its chain, a page at a time (ADR 0008, 0013, 0028).

Each page of log rows meets the chain rows up to its last position. A page with nothing to report — the chain
holds exactly its positions, at the ranks that follow, each leaf recomputed from the stored bytes equals the
stored one and each link follows from the one before — is taken whole: its leaves hashed in one frame, the
frontier extended in one call. Any other page is walked row by row, which names every damaged position. Both
give the same findings; the whole-page way only skips per-row bookkeeping where there is none to do.

A stretch starts at a rank that is a multiple of ``bloc`` (a power of two), so the Merkle tree splits there:
the walk keeps the roots of the complete blocks and the frontier inside the open one, and whoever joins the
stretches (adapters.audit.preuves.troncons) rebuilds any prefix's root from them. The findings go to a
`Constat`, which crosses a process boundary as it is.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from eventsourcing.utils import get_topic

from adapters.audit.preuves.chaine import feuilles_de, maillon
from adapters.audit.preuves.identites import SUJETS as SUJETS_PERSONNELS
from adapters.audit.preuves.merkle import Frontiere
from domain.evenements import Delibere

SUJET_DELIBERE = get_topic(Delibere)
MAX_DEFAUTS = 20  # findings kept for the report; any one makes the log invalid
Maillon = tuple[int, int, bytes, bytes]  # a chain row: position, rank, leaf, link


@dataclass(frozen=True)
class Consigne:
    """What every stretch's walk needs to know of the whole log."""

    position_chainee: int  # the chain's last position: a row after it and absent from it is not yet chained
    sceaux: tuple[int, ...]  # positions of the seals' events, sorted: their ranks are wanted
    tailles: tuple[int, ...]  # sizes a seal or an anchor names, sorted: their frontiers are wanted
    bloc: int  # a power of two: the tree's split between stretches
    page: int
    par_page: bool = True
    identites: bool = False  # each encrypted identity opened with its key as well (adapters.audit.preuves.identites)


@dataclass
class Constat:
    """The findings and the figures of one stretch, in walk order."""

    defauts: list[tuple[int, str, str]] = field(default_factory=list)
    evenements: int = 0
    position_max: int = 0
    chaines: int = 0
    non_chaines: int = 0
    lignes_lues: int = 0
    derniere_lue: int = 0
    positions: array = field(default_factory=lambda: array("q"))  # type: ignore[type-arg]
    rang_de: dict[int, int] = field(default_factory=dict)
    decisions: list[tuple[int, UUID, UUID | None]] = field(default_factory=list)
    blocs: list[bytes] = field(default_factory=list)  # roots of the blocks completed in this stretch
    frontieres: dict[int, list[bytes]] = field(default_factory=dict)  # size → nodes inside its open block
    ouvert: list[bytes] = field(default_factory=list)  # nodes of the block left open at the stretch's end
    reste: list[Maillon] = field(default_factory=list)  # chain rows after the log's end (the last stretch)
    cles_invalides: list[tuple[int, str]] = field(default_factory=list)  # the first MAX_DEFAUTS keys that fail
    effacees: int = 0  # identities erased (R56)

    def signaler(self, position: int, nature: str, detail: str = "") -> None:
        if len(self.defauts) < MAX_DEFAUTS:  # the report keeps no more; the first one already makes it invalid
            self.defauts.append((position, nature, detail))


class Marche:
    """The walk of one stretch, from rank ``rang`` (a multiple of ``consigne.bloc``) and the chain link stored
    just before it."""

    def __init__(
        self,
        consigne: Consigne,
        chaine: Iterator[Maillon],
        acte_de: Callable[[bytes], tuple[UUID, UUID | None]],
        *,
        rang: int,
        precedent: bytes,
        ouvrir: Callable[[Sequence[Any]], tuple[str | None, bool] | None] | None = None,
    ) -> None:
        if rang % consigne.bloc:
            raise ValueError(f"un tronçon commence à un multiple du bloc ({consigne.bloc}), pas au rang {rang}")
        self.consigne, self.chaine, self.acte_de, self.ouvrir = consigne, chaine, acte_de, ouvrir
        self.constat = Constat()
        self.rang, self.precedent, self.frontiere = rang, precedent, Frontiere()
        self.stockee: Maillon | None = next(chaine, None)

    def page(self, lignes: Sequence[Any]) -> None:
        """One page of (position, originator id, version, topic, state) rows, in position order."""
        segment: list[Maillon] = []
        fin = lignes[-1][0]
        while self.stockee is not None and self.stockee[0] <= fin:
            segment.append(self.stockee)
            self.stockee = next(self.chaine, None)
        feuilles = feuilles_de(lignes)
        if not (self.consigne.par_page and self._page_intacte(lignes, segment, feuilles)):
            self._ligne_a_ligne(lignes, segment, feuilles)
        if self.ouvrir is not None:
            self._identites(lignes, self.ouvrir)

    def _identites(self, lignes: Sequence[Any], ouvrir: Callable[[Sequence[Any]], Any]) -> None:
        c = self.constat
        for ligne in lignes:
            if ligne[3] in SUJETS_PERSONNELS and (ouverte := ouvrir(ligne)) is not None:
                erreur, effacee = ouverte
                c.effacees += effacee
                if erreur is not None and len(c.cles_invalides) < MAX_DEFAUTS:
                    c.cles_invalides.append((ligne[0], erreur))

    def finir(self) -> Constat:
        """The stretch walked: the chain rows left after its last row are kept (a truncated log, if last)."""
        self.constat.reste = [] if self.stockee is None else [self.stockee, *self.chaine]
        self.constat.ouvert = list(self.frontiere.noeuds)
        return self.constat

    # A page with nothing to report ----------------------------------------------------------

    def _page_intacte(self, lignes: Sequence[Any], segment: list[Maillon], feuilles: list[bytes]) -> bool:
        rang, ids = self.rang, [ligne[0] for ligne in lignes]
        if (
            [m[0] for m in segment] != ids
            or [m[1] for m in segment] != list(range(rang, rang + len(ids)))
            or [m[2] for m in segment] != feuilles
        ):
            return False
        precedent = self.precedent
        for position, _, feuille, chaine in segment:
            if maillon(precedent, feuille, position) != chaine:
                return False
            precedent = chaine
        c = self.constat
        c.evenements, c.position_max, c.chaines = c.evenements + len(ids), ids[-1], c.chaines + len(ids)
        self.precedent, c.lignes_lues, c.derniere_lue = precedent, c.lignes_lues + len(ids), ids[-1]
        sceaux = self.consigne.sceaux
        for p in sceaux[bisect_left(sceaux, ids[0]) : bisect_right(sceaux, ids[-1])]:
            c.rang_de[p] = rang + bisect_left(ids, p)
        for ligne in lignes:
            if ligne[3] == SUJET_DELIBERE:
                self._decision(ligne[0], ligne[4])
        c.positions.extend(ids)
        self._etendre(feuilles)
        return True

    def _etendre(self, feuilles: list[bytes]) -> None:
        """The frontier grown by a page's leaves, cut at each block's end and at each size wanted."""
        bloc, tailles, fin = self.consigne.bloc, self.consigne.tailles, self.rang + len(feuilles)
        coupes = {t for t in tailles[bisect_right(tailles, self.rang) : bisect_right(tailles, fin)]}
        coupes.update(range((self.rang // bloc + 1) * bloc, fin + 1, bloc))
        depuis = self.rang
        for coupe in sorted(coupes):
            self.frontiere.etendre(feuilles[depuis - self.rang : coupe - self.rang])
            depuis = coupe
            self._apres_feuille(coupe)
        self.frontiere.etendre(feuilles[depuis - self.rang :])
        self.rang = fin

    def _apres_feuille(self, taille: int) -> None:
        """At ``taille`` leaves: a complete block's root is kept and its frontier restarted; then a wanted size's
        frontier inside its block."""
        if taille % self.consigne.bloc == 0:
            self.constat.blocs.append(self.frontiere.racine())
            self.frontiere = Frontiere()
        if self._voulue(taille):
            self.constat.frontieres[taille] = list(self.frontiere.noeuds)

    def _voulue(self, taille: int) -> bool:
        tailles = self.consigne.tailles
        i = bisect_left(tailles, taille)
        return i < len(tailles) and tailles[i] == taille

    # Row by row: every damaged position named -----------------------------------------------

    def _ligne_a_ligne(self, lignes: Sequence[Any], segment: list[Maillon], feuilles: list[bytes]) -> None:
        c, chaine, sceaux = self.constat, iter(segment), self.consigne.sceaux
        stockee = next(chaine, None)
        for ligne, feuille in zip(lignes, feuilles, strict=True):
            position = ligne[0]
            c.evenements, c.position_max = c.evenements + 1, position
            while stockee is not None and stockee[0] < position:
                c.signaler(stockee[0], "supprime", f"chaîné au rang {stockee[1]}, absent du journal")
                self._maillon(stockee)
                stockee = next(chaine, None)
            if stockee is None or stockee[0] > position:
                if position > self.consigne.position_chainee:
                    c.non_chaines += 1
                else:
                    c.signaler(position, "insere", "absent de la chaîne")
            else:
                c.chaines += 1
                if stockee[2] != feuille:
                    c.signaler(position, "modifie", "son empreinte ne correspond plus à celle enregistrée à l'écriture")
                self._maillon(stockee, self.rang)
                stockee = next(chaine, None)
            i = bisect_left(sceaux, position)
            if i < len(sceaux) and sceaux[i] == position:
                c.rang_de[position] = self.rang
            if ligne[3] == SUJET_DELIBERE:
                self._decision(position, ligne[4])
            c.positions.append(position)
            self.frontiere.ajouter(feuille)
            self.rang += 1
            self._apres_feuille(self.rang)
        assert stockee is None, "a page's segment ends at its last position"

    def _maillon(self, stockee: Maillon, rang: int | None = None) -> None:
        """Each stored link must follow from the stored link before it: the chain table itself was not edited."""
        position, rang_stocke, feuille, chaine = stockee
        if maillon(self.precedent, feuille, position) != chaine or (rang is not None and rang != rang_stocke):
            self.constat.signaler(position, "maillon", "le hachage chaîné ne se recalcule pas")
        self.precedent, self.constat.lignes_lues, self.constat.derniere_lue = (
            chaine, self.constat.lignes_lues + 1, position,
        )  # fmt: skip

    def _decision(self, position: int, etat: bytes) -> None:
        try:
            self.constat.decisions.append((position, *self.acte_de(etat)))
        except (ValueError, KeyError, TypeError):
            self.constat.signaler(position, "illisible", "décision du jury")
