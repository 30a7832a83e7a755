"""Batch files of commands (JSON Lines): validate all, then apply each line exactly once.

1. *Lecture*: the file must be UTF-8; every line must be a valid command. Any bad line → every
   bad line is reported with its number, field and rule, and nothing is stored.
2. *Plan*: every command runs against in-memory aggregates (loaded once each). Any refusal by
   a rule → every refused line is reported, and nothing is stored.
3. *Écriture*: the planned events are appended in bounded transactions; each transaction also
   records, atomically, the last line it applied under the batch's content hash (the library's
   tracking table). A re-run resumes after that line, so a crash half-way and a re-run apply
   each line exactly once, and re-applying an applied file changes nothing. A conflict with a
   concurrent writer re-plans the remaining lines against the fresh state (ADR 0004).
"""

from __future__ import annotations

import gc
import hashlib
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import orjson
import structlog
from eventsourcing.persistence import IntegrityError, Tracking
from pydantic import ValidationError

from adapters.lots.erreurs_validation import traduire
from adapters.lots.executeur import executer
from adapters.stockage.chantier import Chantier
from adapters.stockage.registre import Registre
from domain import ids
from domain.commandes import COMMANDE
from domain.errors import RefusMetier
from domain.modele import Acte

journal = structlog.get_logger("bac.lots")

TENTATIVES_SUR_CONFLIT = 3


@dataclass(frozen=True)
class ErreurLigne:
    ligne: int | None  # None: a single command, not a line of a batch
    champ: str
    message: str
    regle: str | None = None
    code: str = "INVALIDE"

    def __str__(self) -> str:
        regle = f" [{self.regle}]" if self.regle else ""
        ou = f"ligne {self.ligne} — " if self.ligne is not None else ""
        return f"{ou}{self.champ} : {self.message}{regle}"


class LotRefuse(Exception):
    def __init__(self, erreurs: list[ErreurLigne], *, deja_appliquees: int = 0) -> None:
        self.erreurs = erreurs
        self.deja_appliquees = deja_appliquees
        super().__init__(f"{len(erreurs)} ligne(s) refusée(s)")


@dataclass(frozen=True)
class LigneLue:
    numero: int
    commande: Any


@dataclass(frozen=True)
class Lot:
    empreinte: str
    lignes: list[LigneLue]
    erreurs: list[ErreurLigne] = field(default_factory=list)  # lines that are not valid commands

    @property
    def nom_suivi(self) -> str:
        return f"lot-{self.empreinte[:40]}"

    @property
    def derniere_ligne(self) -> int:
        return self.lignes[-1].numero if self.lignes else 0


@dataclass
class RapportLot:
    empreinte: str
    correlation_id: str
    lignes: int
    deja_appliquees: int = 0
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


def lire_lot(contenu: bytes, *, acteur: str | None = None, role: str | None = None) -> Lot:
    """Decode and validate every line; bad lines are kept as errors so that the rule check of
    the valid lines can report its refusals too, all in one answer."""
    try:
        texte = contenu.decode("utf-8")
    except UnicodeDecodeError as e:
        ligne = contenu.count(b"\n", 0, e.start) + 1
        raise LotRefuse(
            [
                ErreurLigne(
                    ligne,
                    "(fichier)",
                    f"le fichier n'est pas en UTF-8 (octet invalide à la position {e.start})",
                    code="ENCODAGE",
                )
            ]
        ) from None
    defauts = {k: v for k, v in (("acteur", acteur), ("role", role)) if v is not None}
    erreurs: list[ErreurLigne] = []
    lignes: list[LigneLue] = []
    with sans_ramasse_miettes():
        for numero, brut in enumerate(texte.splitlines(), start=1):
            _lire_ligne(numero, brut, defauts, lignes, erreurs)
    return Lot(empreinte=hashlib.sha256(contenu).hexdigest(), lignes=lignes, erreurs=erreurs)


def _lire_ligne(
    numero: int, brut: str, defauts: dict[str, str], lignes: list[LigneLue], erreurs: list[ErreurLigne]
) -> None:
    if not brut.strip():
        return
    try:
        donnees = orjson.loads(brut)
    except orjson.JSONDecodeError as e:
        erreurs.append(ErreurLigne(numero, "(ligne)", f"JSON mal formé : {e}", code="JSON_INVALIDE"))
        return
    if not isinstance(donnees, dict):
        erreurs.append(
            ErreurLigne(numero, "(ligne)", "un objet JSON est attendu sur chaque ligne", code="JSON_INVALIDE")
        )
        return
    for cle, valeur in defauts.items():
        donnees.setdefault(cle, valeur)
    try:
        lignes.append(LigneLue(numero, COMMANDE.validate_python(donnees)))
    except ValidationError as e:
        erreurs.extend(ErreurLigne(numero, champ, message, regle) for champ, message, regle in traduire(e))


@dataclass
class _Transaction:
    derniere_ligne: int
    evenements: list[Any]


def _planifier(
    registre: Registre, lot: Lot, depuis: int, taille: int, progression: Progression | None
) -> list[_Transaction]:
    """Run every remaining command on in-memory aggregates; collect refusals of all lines."""
    correlation = ids.lot_correlation_id(lot.empreinte)
    chantier = Chantier(registre)
    transactions: list[_Transaction] = []
    courante = _Transaction(depuis, [])
    erreurs: list[ErreurLigne] = []
    restantes = [ligne for ligne in lot.lignes if ligne.numero > depuis]
    chantier.precharger_absences([i for ligne in restantes for i in ids.crees_par(ligne.commande)])
    for rang, ligne in enumerate(restantes, start=1):
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
            erreurs.append(ErreurLigne(ligne.numero, c.type, refus.message, refus.regle, refus.code))
            continue
        courante.evenements.extend(chantier.recolter())
        courante.derniere_ligne = ligne.numero
        if len(courante.evenements) >= taille:
            transactions.append(courante)
            courante = _Transaction(ligne.numero, [])
        if progression and rang % 1000 == 0:
            progression("plan", rang, len(restantes))
    if courante.evenements:
        transactions.append(courante)
    if erreurs:
        raise LotRefuse(erreurs, deja_appliquees=depuis)
    return transactions


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
    rapport = RapportLot(
        empreinte=lot.empreinte, correlation_id=str(ids.lot_correlation_id(lot.empreinte)), lignes=len(lot.lignes)
    )
    debut = time.perf_counter()
    if lot.erreurs:
        refusees = list(lot.erreurs)
        try:
            _planifier(registre, lot, 0, taille, None)
        except LotRefuse as refus:
            refusees.extend(refus.erreurs)
        raise LotRefuse(sorted(refusees, key=lambda e: e.ligne or 0))
    for _tentative in range(TENTATIVES_SUR_CONFLIT):
        depuis = registre.position_suivie(lot.nom_suivi)
        rapport.deja_appliquees = rapport.deja_appliquees or sum(1 for ligne in lot.lignes if ligne.numero <= depuis)
        if depuis >= lot.derniere_ligne:
            break
        t0 = time.perf_counter()
        transactions = _planifier(registre, lot, depuis, taille, progression)
        rapport.phases["plan"] = rapport.phases.get("plan", 0.0) + time.perf_counter() - t0
        t0 = time.perf_counter()
        try:
            for transaction in transactions:
                registre.enregistrer(transaction.evenements, Tracking(lot.nom_suivi, transaction.derniere_ligne))
                rapport.evenements += len(transaction.evenements)
                rapport.transactions += 1
                if progression:
                    progression("ecriture", transaction.derniere_ligne, lot.derniere_ligne)
        except IntegrityError:
            # Another writer moved an aggregate (or applied the same file) meanwhile: re-plan the rest.
            rapport.conflits += 1
            journal.warning("lot.conflit", correlation_id=rapport.correlation_id, tentative=_tentative + 1)
            continue
        finally:
            rapport.phases["ecriture"] = rapport.phases.get("ecriture", 0.0) + time.perf_counter() - t0
        break
    else:
        raise RefusMetier(
            f"Conflits répétés avec d'autres écritures ({TENTATIVES_SUR_CONFLIT} tentatives) : relancer le lot",
            code="CONFLIT",
        )
    rapport.appliquees = rapport.lignes - rapport.deja_appliquees
    rapport.secondes = time.perf_counter() - debut
    journal.info(
        "lot.applique",
        correlation_id=rapport.correlation_id,
        lignes=rapport.lignes,
        deja_appliquees=rapport.deja_appliquees,
        evenements=rapport.evenements,
        transactions=rapport.transactions,
        conflits=rapport.conflits,
        issue="succes",
    )
    return rapport
