"""`bac serveur`: the HTTP service (adapters/http) on the same application service as every command here."""

from __future__ import annotations

from typing import Annotated

import typer

from cli.options import OptionDb, groupe

app = groupe()


@app.command("serveur")
def serveur(
    db: OptionDb = None,
    hote: Annotated[str, typer.Option("--hote", help="Adresse d'écoute")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port d'écoute")] = 8000,
    services: Annotated[int, typer.Option("--services", help="Requêtes traitées en parallèle")] = 8,
) -> None:
    """Sert l'API HTTP (OpenAPI sur /openapi.json, documentation sur /docs) ; chaque requête présente un jeton."""
    import uvicorn

    from adapters.http.app import creer_app

    uvicorn.run(creer_app(db, taille=services), host=hote, port=port, log_level="info", access_log=False)
