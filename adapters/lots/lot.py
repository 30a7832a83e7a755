"""Batch files of commands (JSON Lines): validate all, then apply each command exactly once (ADR 0004, 0015).

1. *Lecture* (adapters.lots.lecture): a regular file of bounded size, read as a stream of lines split on
   ``\\n``; each line must be a strict JSON object and a valid command, which gets its identity (its ``id``
   or the sha256 of its canonical JSON).
2. *Plan*: lines are read in slices; the ids of a slice are looked up in bulk, and a command already
   applied (by any file or door) or repeated in this file is skipped; the others run against in-memory
   aggregates. Any bad line or refusal by a rule → every one is reported (up to a bound), nothing stored.
3. *Écriture*: the planned events are appended in bounded transactions; each transaction also records,
   atomically, the ids of the commands it applies (and the file's last line, the pre-0015 position). A
   crash half-way and a re-run, or the same commands in another file, apply each command exactly once. A
   conflict with a concurrent writer re-reads and re-plans against the fresh state.
"""

from __future__ import annotations

import gc
import hashlib
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import structlog
from eventsourcing.persistence import IntegrityError, Tracking

from adapters.lots.executeur import executer
from adapters.lots.lecture import (
    LIMITE_ERREURS,
    ErreurLigne,
    LigneLue,
    LotRefuse,
    Source,
    empreinte_de,
    identifiant,
    lignes_brutes,
    lire_ligne,
)
from adapters.stockage.chantier import Chantier
from adapters.stockage.registre import Registre
from domain import ids
from domain.errors import NonHabilite, RefusMetier
from domain.modele import Acte

journal = structlog.get_logger("bac.lots")

TENTATIVES_SUR_CONFLIT = 3
TRANCHE_LIGNES = 2000  # lines validated, then looked up and planned together (bulk queries)

__all__ = ["ErreurLigne", "LigneLue", "Lot", "LotRefuse", "RapportLot", "appliquer_lot", "lire_lot"]


@dataclass(frozen=True)
class Lot:
    """A batch: a source read as a stream (JSON Lines), or commands already read (a grade sheet, ADR 0018)."""

    empreinte: str
    source: Source | None = None
    defauts: dict[str, str] = field(default_factory=dict)
    lignes: list[LigneLue] | None = None  # commands already validated, when there is no source to read
    erreurs: list[ErreurLigne] = field(default_factory=list)  # and the errors found while reading them
    # The door's authorisation of each line (ADR 0017): the line made the caller's, or a refusal. Called while
    # the batch is streamed, so a refused line refuses the batch before anything is written.
    habiliter: Callable[[LigneLue], LigneLue] | None = None

    @property
    def nom_suivi(self) -> str:
        return f"lot-{self.empreinte[:40]}"


@dataclass
class RapportLot:
    empreinte: str
    correlation_id: str
    lignes: int = 0
    deja_appliquees: int = 0  # commands applied before, by this file or another one
    doublons: int = 0  # commands repeated within this file (applied once)
    types: set[str] = field(default_factory=set)  # kinds of command applied (a deliberation is then sealed)
    appliquees: int = 0
    evenements: int = 0
    transactions: int = 0
    conflits: int = 0
    secondes: float = 0.0
    phases: dict[str, float] = field(default_factory=dict)


Progression = Callable[[str, int, int], None]


@contextmanager
def sans_ramasse_miettes() -> Iterator[None]:
    """Pause the cyclic GC while a batch builds hundreds of thousands of objects that all stay alive.

    Measured: with it on, planning cost per event grows with the batch size (full collections
    re-scan every event already planned); the objects here hold no reference cycles to reclaim.
    """
    actif = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if actif:
            gc.enable()


def lire_lot(contenu: bytes | Path, *, acteur: str | None = None, role: str | None = None) -> Lot:
    """The batch to apply: its source checked (a regular file, bounded) and its fingerprint computed.

    Lines are validated while they are planned (`appliquer_lot`), so the file is never held whole."""
    source = Source(contenu=contenu) if isinstance(contenu, bytes) else Source(chemin=contenu)
    defauts = {k: v for k, v in (("acteur", acteur), ("role", role)) if v is not None}
    return Lot(source=source, empreinte=empreinte_de(source), defauts=defauts)


@dataclass
class _Transaction:
    derniere_ligne: int
    evenements: list[Any] = field(default_factory=list)
    commandes: list[str] = field(default_factory=list)


@dataclass
class _Plan:
    transactions: list[_Transaction]
    lignes: int = 0
    deja_appliquees: int = 0
    doublons: int = 0
    erreurs: list[ErreurLigne] = field(default_factory=list)
    erreurs_en_plus: int = 0
    non_habilitees: int = 0  # lines refused by the door's authorisation (ADR 0017)
    types: set[str] = field(default_factory=set)  # kinds of command planned
    empreinte: str = ""  # of the bytes this plan was made from

    def refuser(self, erreur: ErreurLigne) -> None:
        self.transactions.clear()  # a refused batch writes nothing: its planned events need no memory
        if len(self.erreurs) < LIMITE_ERREURS:
            self.erreurs.append(erreur)
        else:
            self.erreurs_en_plus += 1

    def refus(self) -> LotRefuse:
        erreurs = sorted(self.erreurs, key=lambda e: e.ligne or 0)  # read errors come before a slice is planned
        if self.erreurs_en_plus:
            erreurs.append(
                ErreurLigne(
                    None, "(lot)", f"… et {self.erreurs_en_plus} autre(s) erreur(s) non listée(s)", code="ERREURS"
                )
            )
        return LotRefuse(erreurs)


def _tranches(lot: Lot, depuis: int, plan: _Plan) -> Iterator[list[LigneLue]]:
    """Valid lines in slices; bad lines go to the plan's errors. Lines up to ``depuis`` (the file's
    pre-0015 tracking position) are applied already and not even parsed."""
    if lot.lignes is not None:
        yield from _tranches_lues(lot, depuis, plan)
        return
    tranche: list[LigneLue] = []
    empreinte = hashlib.sha256()
    assert lot.source is not None
    with lot.source.ouvrir() as flux:
        for numero, brut in lignes_brutes(flux, empreinte):
            if numero <= depuis:
                plan.lignes += 1
                plan.deja_appliquees += 1
                continue
            try:
                ligne = lire_ligne(numero, brut, lot.defauts)
            except LotRefuse as refus:
                plan.lignes += 1
                for erreur in refus.erreurs:
                    plan.refuser(erreur)
                continue
            if ligne is None:
                continue
            plan.lignes += 1
            tranche.append(ligne)
            if len(tranche) >= TRANCHE_LIGNES:
                yield tranche
                tranche = []
    if tranche:
        yield tranche
    plan.empreinte = empreinte.hexdigest()


def _tranches_lues(lot: Lot, depuis: int, plan: _Plan) -> Iterator[list[LigneLue]]:
    assert lot.lignes is not None
    for erreur in lot.erreurs:
        plan.lignes += 1
        plan.refuser(erreur)
    plan.empreinte = lot.empreinte
    restantes = []
    for ligne in lot.lignes:
        plan.lignes += 1
        if ligne.numero <= depuis:
            plan.deja_appliquees += 1
        else:
            restantes.append(LigneLue(ligne.numero, ligne.commande, ligne.identifiant or identifiant(ligne.commande)))
    for debut in range(0, len(restantes), TRANCHE_LIGNES):
        yield restantes[debut : debut + TRANCHE_LIGNES]


def _planifier(registre: Registre, lot: Lot, taille: int, progression: Progression | None) -> _Plan:
    """Run every command not applied yet on in-memory aggregates; collect every error of every line."""
    correlation = ids.lot_correlation_id(lot.empreinte)
    depuis = registre.position_suivie(lot.nom_suivi)
    chantier = Chantier(registre)
    plan = _Plan(transactions=[])
    courante = _Transaction(depuis)
    vues: set[str] = set()  # ids planned in this run: part of the plan, like its events
    for tranche in _tranches(lot, depuis, plan):
        appliquees = registre.commandes_appliquees(list(dict.fromkeys(ligne.identifiant for ligne in tranche)))
        chantier.precharger([i for ligne in tranche for i in ids.references(ligne.commande)])
        for ligne in tranche:
            if lot.habiliter is not None:
                try:
                    ligne = lot.habiliter(ligne)
                except RefusMetier as refus:
                    plan.refuser(ErreurLigne(ligne.numero, ligne.commande.type, refus.message, refus.regle, refus.code))
                    plan.non_habilitees += isinstance(refus, NonHabilite)
                    continue
            if ligne.identifiant in appliquees:
                plan.deja_appliquees += 1
                continue
            if ligne.identifiant in vues:
                plan.doublons += 1
                continue
            vues.add(ligne.identifiant)
            c = ligne.commande
            acte = Acte(
                acteur=c.acteur,
                role=c.role,
                raison=c.raison,
                correlation_id=correlation,
                causation_id=ids.commande_id(correlation, ligne.numero),
            )
            try:
                executer(chantier, c, acte)
            except RefusMetier as refus:
                chantier.verifier_refus_sans_effet()
                plan.refuser(ErreurLigne(ligne.numero, c.type, refus.message, refus.regle, refus.code))
                continue
            evenements = chantier.recolter()
            if plan.erreurs:
                continue  # still checking the rules of the next lines, but nothing will be written
            courante.evenements.extend(evenements)
            courante.commandes.append(ligne.identifiant)
            plan.types.add(c.type)
            courante.derniere_ligne = ligne.numero
            if len(courante.evenements) >= taille:
                plan.transactions.append(courante)
                courante = _Transaction(ligne.numero)
        if progression:
            progression("plan", plan.lignes, 0)
    if courante.commandes and not plan.erreurs:
        plan.transactions.append(courante)
    return plan


def appliquer_lot(
    registre: Registre,
    lot: Lot,
    *,
    taille_transaction: int | None = None,
    progression: Progression | None = None,
) -> RapportLot:
    with sans_ramasse_miettes():
        return _appliquer(registre, lot, taille_transaction, progression)


def _appliquer(
    registre: Registre, lot: Lot, taille_transaction: int | None, progression: Progression | None
) -> RapportLot:
    taille = taille_transaction or registre.stockage.taille_transaction
    rapport = RapportLot(empreinte=lot.empreinte, correlation_id=str(ids.lot_correlation_id(lot.empreinte)))
    debut = time.perf_counter()
    for tentative in range(TENTATIVES_SUR_CONFLIT):
        t0 = time.perf_counter()
        plan = _planifier(registre, lot, taille, progression)
        rapport.phases["plan"] = rapport.phases.get("plan", 0.0) + time.perf_counter() - t0
        if plan.erreurs:
            if plan.non_habilitees == len(plan.erreurs) + plan.erreurs_en_plus:  # one act refused: 403 (ADR 0017)
                lignes = " ; ".join(f"ligne {e.ligne} : {e.message}" for e in plan.erreurs[:5])
                plus = f" (et {len(plan.erreurs) - 5} autre(s))" if len(plan.erreurs) > 5 else ""
                raise NonHabilite("Lot refusé, rien n'a été enregistré — " + lignes + plus, regle="R26")
            refus = plan.refus()
            refus.deja_appliquees = rapport.appliquees  # written before a conflict showed the new state
            raise refus
        if plan.empreinte != lot.empreinte:
            raise LotRefuse(
                [ErreurLigne(None, "(fichier)", "le fichier a changé pendant la lecture", code="FICHIER_MODIFIE")]
            )
        rapport.lignes, rapport.doublons, rapport.types = plan.lignes, plan.doublons, plan.types
        t0 = time.perf_counter()
        try:
            for transaction in plan.transactions:
                registre.enregistrer(
                    transaction.evenements,
                    Tracking(lot.nom_suivi, transaction.derniere_ligne),
                    commandes=transaction.commandes,
                )
                rapport.evenements += len(transaction.evenements)
                rapport.appliquees += len(transaction.commandes)
                rapport.transactions += 1
                if progression:
                    progression("ecriture", transaction.derniere_ligne, plan.transactions[-1].derniere_ligne)
        except IntegrityError:
            # Another writer moved an aggregate or applied one of these commands meanwhile: re-plan the rest.
            rapport.conflits += 1
            journal.warning("lot.conflit", correlation_id=rapport.correlation_id, tentative=tentative + 1)
            continue
        finally:
            rapport.phases["ecriture"] = rapport.phases.get("ecriture", 0.0) + time.perf_counter() - t0
        break
    else:
        raise RefusMetier(
            f"Conflits répétés avec d'autres écritures ({TENTATIVES_SUR_CONFLIT} tentatives) : relancer le lot",
            code="CONFLIT",
        )
    rapport.deja_appliquees = rapport.lignes - rapport.appliquees - rapport.doublons
    rapport.secondes = time.perf_counter() - debut
    journal.info(
        "lot.applique",
        correlation_id=rapport.correlation_id,
        lignes=rapport.lignes,
        deja_appliquees=rapport.deja_appliquees,
        doublons=rapport.doublons,
        evenements=rapport.evenements,
        transactions=rapport.transactions,
        conflits=rapport.conflits,
        issue="succes",
    )
    return rapport
