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

from adapters.application.erreurs import LotRefuse, NonAuthentifie, RefusMetier, UrlInvalide

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
    """A refused command prints its reason and exits non-zero; never a traceback."""
    try:
        yield
    except LotRefuse as lot:
        if json:
            imprimer_json(
                {"statut": "refuse", "erreurs": lot.erreurs, "appliquees_jusqu_a_la_ligne": lot.deja_appliquees}
            )
        else:
            quoi = "Commande refusée" if all(e.ligne is None for e in lot.erreurs) else "Lot refusé"
            erreur.print(
                f"[bold red]{quoi}[/] : {len(lot.erreurs)} erreur(s), rien n'a été enregistré"
                + (f" au-delà de la ligne {lot.deja_appliquees}" if lot.deja_appliquees else "")
                + "."
            )
            for e in lot.erreurs[:200]:
                erreur.print(f"  {e}", markup=False, highlight=False)
            if len(lot.erreurs) > 200:
                erreur.print(f"  … et {len(lot.erreurs) - 200} autre(s)")
        raise typer.Exit(1) from None
    except RefusMetier as refus:
        if json:
            imprimer_json({"statut": "refuse", "code": refus.code, "regle": refus.regle, "message": refus.message})
        else:
            erreur.print(f"[bold red]Refusé[/] ({refus.code}) : ", end="")
            erreur.print(str(refus), markup=False, highlight=False)
        raise typer.Exit(1) from None
    except UrlInvalide as e:
        erreur.print(f"[bold red]Base de données[/] : {e}")
        raise typer.Exit(2) from None
    except NonAuthentifie as e:  # no or bad token (ADR 0017): said without echoing it
        if json:
            imprimer_json({"statut": "refuse", "code": e.code, "regle": None, "message": e.message})
        else:
            erreur.print(f"[bold red]Non authentifié[/] ({e.code}) : {e.message}", markup=True, highlight=False)
        raise typer.Exit(2) from None


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
    ) as progres:
        taches: dict[str, Any] = {}

        def avancer(phase: str, fait: int, total: int) -> None:
            if phase not in taches:
                taches[phase] = progres.add_task(libelles.get(phase, phase), total=total)
            progres.update(taches[phase], completed=fait, total=total)

        yield avancer
