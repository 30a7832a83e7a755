"""The `bac` Typer app's shared pieces: its options, the service it opens, how a single command is run.

Every command group (cli/registre.py, cli/deliberation.py, cli/audit.py, cli/statistiques.py, cli/demo.py) builds
its commands on these; cli/main.py only assembles the groups. Doors import the application service only.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from adapters.application.authentification import Principal
from adapters.application.entrees import commande_depuis
from adapters.application.erreurs import NonAuthentifie
from adapters.application.reponses import Succes
from adapters.application.service import ServiceRegistre
from cli.sortie import console, imprimer_json, refus_propres


def groupe(aide: str | None = None) -> typer.Typer:
    """A group of commands, merged into `bac` itself by cli/main.py (no sub-command name)."""
    return typer.Typer(help=aide, no_args_is_help=True, pretty_exceptions_enable=False)


OptionDb = Annotated[
    str | None, typer.Option("--db", help="URL de la base (sinon BAC_DB_URL, sinon sqlite:///bac-registre.db)")
]
OptionSession = Annotated[str, typer.Option("--session", help="Code de session, ex. 2024-aix-marseille")]
OptionNumero = Annotated[str, typer.Option("--numero", help="Numéro de candidat (anonyme, R28)")]
OptionJson = Annotated[bool, typer.Option("--json", help="Sortie JSON pour les machines")]
# Who acts is the holder of the token (BAC_JETON, or the file BAC_JETON_FICHIER names), never an option: --role
# only chooses among the roles the holder's habilitations give him (ADR 0017).
OptionRole = Annotated[
    str | None,
    typer.Option("--role", envvar="BAC_ROLE", help="Un de vos rôles habilités, si vous en avez plusieurs"),
]


OptionJetonFichier = Annotated[
    Path | None,
    typer.Option(
        "--jeton-fichier",
        help="Écrit le jeton émis dans ce fichier neuf, lisible de vous seul, au lieu de l'afficher "
        "(puis BAC_JETON_FICHIER=ce fichier)",
    ),
]


@contextmanager
def fichier_de_jeton(chemin: Path | None) -> Iterator[Callable[[str], None] | None]:
    """A new file, readable by its owner only (0600), created *before* the act: a token is shown once, so it
    must never be issued into a path that cannot take it (an existing file is never overwritten). If the act
    is refused, the empty file is removed."""
    if chemin is None:
        yield None
        return
    try:
        fd = os.open(chemin, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise typer.BadParameter(
            f"{chemin} existe déjà : un jeton n'écrase jamais un fichier", param_hint="--jeton-fichier"
        ) from None
    except OSError as e:
        raise typer.BadParameter(f"{chemin} : {e.strerror}", param_hint="--jeton-fichier") from None
    ecrit = False

    def ecrire(texte: str) -> None:
        nonlocal ecrit
        os.write(fd, texte.encode() + b"\n")
        ecrit = True

    try:
        yield ecrire
    finally:
        os.close(fd)
        if not ecrit:
            chemin.unlink(missing_ok=True)


def ouvrir(db: str | None) -> ServiceRegistre:
    return ServiceRegistre(db)


def jeton() -> str | None:
    """The caller's token: BAC_JETON, or the first line of the file BAC_JETON_FICHIER (kept out of the shell's
    history); never an option, so that it appears in no process list."""
    if os.environ.get("BAC_JETON"):
        return os.environ["BAC_JETON"].strip()
    chemin = os.environ.get("BAC_JETON_FICHIER")
    if chemin:
        try:
            return Path(chemin).read_text(encoding="utf-8").strip()
        except OSError:
            raise NonAuthentifie(f"Fichier de jeton illisible : {chemin}") from None
    return None


def authentifier(service: ServiceRegistre) -> Principal:
    return service.authentifier(jeton())


def executer(
    db: str | None, json: bool, donnees: dict[str, Any], role: str | None, raison: str | None, succes: str
) -> None:
    with refus_propres(json):
        commande = commande_depuis(donnees, role=role, raison=raison)
        with ouvrir(db) as registre:
            evenements = registre.executer(commande, authentifier(registre))
        noms = [type(e).__name__ for e in evenements]
        if json:
            imprimer_json(Succes(resultat={"evenements": noms}))
        else:
            # A deliberation records one event per candidate: count repeats instead of listing them.
            resume = ", ".join(n if noms.count(n) == 1 else f"{n} ×{noms.count(n)}" for n in dict.fromkeys(noms))
            console.print(f"[green]✓[/] {succes} ({resume})" if noms else "[yellow]Déjà appliquée[/] : rien de plus.")
