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

import time
from dataclasses import dataclass, field
from pathlib import Path

import structlog
from eventsourcing.persistence import IntegrityError, Tracking

from adapters.lots.lecture import ErreurLigne, LigneLue, Lot, LotRefuse, Source, empreinte_de
from adapters.lots.plan import FENETRE_EVENEMENTS, Plan, Progression, planifier
from adapters.stockage.ramasse_miettes import sans_ramasse_miettes
from adapters.stockage.registre import Registre
from domain import ids
from domain.errors import NonHabilite, RefusMetier

journal = structlog.get_logger("bac.lots")

TENTATIVES_SUR_CONFLIT = 3

__all__ = ["ErreurLigne", "LigneLue", "Lot", "LotRefuse", "Progression", "RapportLot", "appliquer_lot", "lire_lot"]


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


def lire_lot(contenu: bytes | Path, *, acteur: str | None = None, role: str | None = None) -> Lot:
    """The batch to apply: its source checked (a regular file, bounded) and its fingerprint computed.

    Lines are validated while they are planned (`appliquer_lot`), so the file is never held whole."""
    source = Source(contenu=contenu) if isinstance(contenu, bytes) else Source(chemin=contenu)
    defauts = {k: v for k, v in (("acteur", acteur), ("role", role)) if v is not None}
    return Lot(source=source, empreinte=empreinte_de(source), defauts=defauts)


def appliquer_lot(
    registre: Registre,
    lot: Lot,
    *,
    taille_transaction: int | None = None,
    fenetre: int = FENETRE_EVENEMENTS,
    progression: Progression | None = None,
) -> RapportLot:
    with sans_ramasse_miettes():
        return _appliquer(registre, lot, taille_transaction or registre.stockage.taille_transaction, fenetre,
                          progression)  # fmt: skip


def _appliquer(registre: Registre, lot: Lot, taille: int, fenetre: int, progression: Progression | None) -> RapportLot:
    rapport = RapportLot(empreinte=lot.empreinte, correlation_id=str(ids.lot_correlation_id(lot.empreinte)))
    debut = time.perf_counter()
    for tentative in range(TENTATIVES_SUR_CONFLIT):
        plan = _planifier(registre, lot, taille, fenetre, progression, rapport, arreter=False)
        rapport.lignes, rapport.doublons, rapport.types = plan.lignes, plan.doublons, plan.types
        try:
            _ecrire(registre, lot, plan, rapport, progression)
            while not plan.complet:  # checked whole: the next window, planned from what is now stored
                plan = _planifier(registre, lot, taille, fenetre, progression, rapport, arreter=True)
                _ecrire(registre, lot, plan, rapport, progression)
        except IntegrityError:
            # Another writer moved an aggregate or applied one of these commands meanwhile: re-plan the rest.
            rapport.conflits += 1
            journal.warning("lot.conflit", correlation_id=rapport.correlation_id, tentative=tentative + 1)
            continue
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


def _planifier(
    registre: Registre,
    lot: Lot,
    taille: int,
    fenetre: int,
    progression: Progression | None,
    rapport: RapportLot,
    *,
    arreter: bool,
) -> Plan:
    """A plan, or the batch's refusal: every error found, nothing (more) stored."""
    t0 = time.perf_counter()
    plan = planifier(registre, lot, taille, progression, fenetre=fenetre, arreter=arreter)
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
    return plan


def _ecrire(registre: Registre, lot: Lot, plan: Plan, rapport: RapportLot, progression: Progression | None) -> None:
    """The plan's transactions, each with the batch's tracking position and its commands' ids (exactly once)."""
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
        plan.transactions.clear()  # written: the window's events may go
    finally:
        rapport.phases["ecriture"] = rapport.phases.get("ecriture", 0.0) + time.perf_counter() - t0
