"""How the CLI speaks: rich on a terminal, JSON with --json, refusals without a traceback."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, is_dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

import orjson
import typer
from pydantic import BaseModel
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from adapters.application.erreurs import LotRefuse
from adapters.application.reponses import Probleme, probleme_depuis

console = Console()
erreur = Console(stderr=True)


def _defaut(obj: Any) -> Any:
    if isinstance(obj, BaseModel):
        return obj.model_dump(mode="json")
    if is_dataclass(obj) and not isinstance(obj, type):
        return asdict(obj)
    if isinstance(obj, Decimal | UUID):
        return str(obj)
    if isinstance(obj, datetime | date):
        return obj.isoformat()
    if isinstance(obj, set | frozenset | tuple):
        return list(obj)
    raise TypeError(type(obj).__name__)


def imprimer_json(donnees: Any) -> None:
    sys.stdout.write(
        orjson.dumps(donnees, default=_defaut, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS).decode()
    )
    sys.stdout.write("\n")


@contextmanager
def refus_propres(json: bool) -> Iterator[None]:
    """A refused command prints its reason and exits with its status (1 refused, 2 usage or configuration,
    3 log damaged): the one mapping of adapters.application.reponses, the `Probleme` itself with --json."""
    try:
        yield
    except (typer.Exit, typer.Abort, typer.BadParameter):
        raise
    except Exception as e:
        probleme = probleme_depuis(e)
        if probleme is None:
            raise  # a bug: never dressed up as a refusal
        afficher_probleme(probleme, e, json)
        raise typer.Exit(probleme.sortie) from None


def afficher_probleme(probleme: Probleme, cause: BaseException, json: bool) -> None:
    if json:
        imprimer_json(probleme)
        return
    if isinstance(cause, LotRefuse):
        de_lot = any(e.ligne is not None or e.champ in ("(fichier)", "(lot)") for e in cause.erreurs)
        quoi = "Lot refusé" if de_lot else "Commande refusée"
        erreur.print(
            f"[bold red]{quoi}[/] : {len(cause.erreurs)} erreur(s), rien n'a été enregistré"
            + (
                f" (hors {cause.deja_appliquees} commande(s) écrite(s) avant un conflit)"
                if cause.deja_appliquees
                else ""
            )
            + "."
        )
        for e in cause.erreurs[:200]:
            erreur.print(f"  {e}", markup=False, highlight=False)
        if len(cause.erreurs) > 200:
            erreur.print(f"  … et {len(cause.erreurs) - 200} autre(s)")
        return
    titre = "Base de données" if probleme.code == "URL_INVALIDE" else probleme.title
    erreur.print(f"[bold red]{titre}[/] ({probleme.code}) : ", end="")
    erreur.print(probleme.detail, markup=False, highlight=False)


@contextmanager
def barre(actif: bool) -> Iterator[Callable[[str, int, int], None] | None]:
    """A progress bar on a terminal (long batches); nothing in pipes, CI or --json."""
    if not actif or not console.is_terminal:
        yield None
        return
    libelles = {
        "plan": "Vérification des règles",
        "ecriture": "Écriture du journal",
        "verification": "Vérification du journal",
        "projections": "Reconstruction des vues",
    }
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        auto_refresh=False,  # no refresh thread: `bac verifier` forks its workers from a one-thread process (ADR 0028)
    ) as progres:
        taches: dict[str, Any] = {}

        def avancer(phase: str, fait: int, total: int) -> None:
            if phase not in taches:
                taches[phase] = progres.add_task(libelles.get(phase, phase), total=total or None)
            progres.update(taches[phase], completed=fait, total=total or None, refresh=True)  # 0: total unknown yet

        yield avancer
