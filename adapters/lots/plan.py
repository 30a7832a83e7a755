"""A batch's plan: its lines read in slices and run on in-memory aggregates, their events kept in windows.

A batch is checked whole before anything is written (any bad line or refusal: nothing stored, ADR 0004), but
its events are not all kept: past `FENETRE_EVENEMENTS` planned events, the rest of the batch is still run, to
find every error, and its events are dropped (`Plan.complet` is then false). Once the first window is written,
the next one is planned from the stored state: the lines up to the batch's tracking position (the last line of
its last written transaction) are not even parsed, and the plan stops at the window's end (`arreter`).
Memory is so bounded by one window's events, plus the aggregates the batch touches and its commands' ids.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from adapters.lots.executeur import executer
from adapters.lots.lecture import (
    LIMITE_ERREURS,
    ErreurLigne,
    LigneLue,
    Lot,
    LotRefuse,
    identifiant,
    lignes_brutes,
    lire_ligne,
)
from adapters.stockage.chantier import Chantier
from adapters.stockage.registre import Registre
from domain import ids
from domain.errors import NonHabilite, RefusMetier
from domain.modele import Acte

TRANCHE_LIGNES = 2000  # lines validated, then looked up and planned together (bulk queries)
# Events kept before they are written. Measured on the Aix-Marseille day (bench/results_day.py, RSS column):
# keeping 155,000 fewer planned events lowered the peak by 224 MB (≈ 1.5 KiB each), so a window is ≈ 300 MB; a
# batch larger than one window is planned twice past its first window (checked whole, then window by window).
FENETRE_EVENEMENTS = 200_000

Progression = Callable[[str, int, int], None]


@dataclass
class Transaction:
    derniere_ligne: int
    evenements: list[Any] = field(default_factory=list)
    commandes: list[str] = field(default_factory=list)


@dataclass
class Plan:
    transactions: list[Transaction]
    lignes: int = 0
    deja_appliquees: int = 0
    doublons: int = 0
    erreurs: list[ErreurLigne] = field(default_factory=list)
    erreurs_en_plus: int = 0
    non_habilitees: int = 0  # lines refused by the door's authorisation (ADR 0017)
    types: set[str] = field(default_factory=set)  # kinds of command planned
    empreinte: str = ""  # of the bytes this plan was made from
    gardes: int = 0  # events kept in the transactions
    complet: bool = True  # false: lines past the window were checked, their events dropped
    arrete: bool = False  # the plan stopped at its window's end (the rest of the file only hashed)

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


def _tranches(lot: Lot, depuis: int, plan: Plan) -> Iterator[list[LigneLue]]:
    """Valid lines in slices; bad lines go to the plan's errors. Lines up to ``depuis`` (the batch's tracking
    position) are applied already and not even parsed; once the plan has stopped, the rest is only hashed (the
    file must still be the one checked whole)."""
    if lot.lignes is not None:
        yield from _tranches_lues(lot, depuis, plan)
        return
    tranche: list[LigneLue] = []
    empreinte = hashlib.sha256()
    assert lot.source is not None
    with lot.source.ouvrir() as flux:
        for numero, brut in lignes_brutes(flux, empreinte):
            if numero <= depuis or plan.arrete:
                plan.lignes += 1
                plan.deja_appliquees += numero <= depuis
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
    if tranche and not plan.arrete:
        yield tranche
    plan.empreinte = empreinte.hexdigest()


def _tranches_lues(lot: Lot, depuis: int, plan: Plan) -> Iterator[list[LigneLue]]:
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
        if plan.arrete:
            return
        yield restantes[debut : debut + TRANCHE_LIGNES]


def planifier(
    registre: Registre,
    lot: Lot,
    taille: int,
    progression: Progression | None,
    *,
    fenetre: int = FENETRE_EVENEMENTS,
    arreter: bool = False,
) -> Plan:
    """Run every command not applied yet on in-memory aggregates; collect every error of every line.

    Events are kept until ``fenetre`` of them fill whole transactions. The next line that yields events makes the
    plan incomplete (``Plan.complet`` false): with ``arreter`` the plan stops there, else the rest is checked and
    its events dropped."""
    correlation = ids.lot_correlation_id(lot.empreinte)
    depuis = registre.position_suivie(lot.nom_suivi)
    chantier = Chantier(registre)
    plan = Plan(transactions=[])
    courante = Transaction(depuis)
    pleine = False  # the window is full: what follows is checked, not kept
    vues: set[str] = set()  # ids planned in this run: part of the plan, like its events
    for tranche in _tranches(lot, depuis, plan):
        appliquees = registre.commandes_appliquees(list(dict.fromkeys(ligne.identifiant for ligne in tranche)))
        chantier.precharger([i for ligne in tranche for i in ids.references(ligne.commande)])
        for ligne in tranche:
            if plan.arrete:
                break
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
            plan.types.add(c.type)
            if plan.erreurs:
                continue  # still checking the rules of the next lines, but nothing will be written
            if pleine:  # past the window: planned again, from the stored state, in a later window
                plan.complet = False
                plan.arrete = arreter  # a window plan stops here; the batch's first plan checks on to the end
                continue
            courante.evenements.extend(evenements)
            courante.commandes.append(ligne.identifiant)
            courante.derniere_ligne = ligne.numero
            if len(courante.evenements) >= taille:
                plan.transactions.append(courante)
                plan.gardes += len(courante.evenements)
                courante = Transaction(ligne.numero)
                pleine = plan.gardes >= fenetre
        if progression:
            progression("plan", plan.lignes, 0)
    if courante.commandes and not plan.erreurs:
        plan.transactions.append(courante)
        plan.gardes += len(courante.evenements)
    return plan
