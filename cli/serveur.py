"""`bac serveur`: the HTTP service (adapters/http) and the pages (adapters/pages), composed here on one pool of
the same application service as every command."""

from __future__ import annotations

from typing import Annotated

import typer

from cli.options import OptionDb, groupe, ouvrir
from cli.sortie import refus_propres

app = groupe()


@app.command("serveur")
def serveur(
    db: OptionDb = None,
    hote: Annotated[str, typer.Option("--hote", help="Adresse d'écoute")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="Port d'écoute")] = 8000,
    services: Annotated[int, typer.Option("--services", min=1, max=64, help="Requêtes traitées en parallèle")] = 8,
) -> None:
    """Sert l'API HTTP (OpenAPI sur /openapi.json, documentation sur /docs) et les pages (/pages/connexion) ;
    chaque requête présente un jeton. La vérification des documents (/verifier/CODE) est publique."""
    import uvicorn

    from adapters.http.app import creer_app
    from adapters.http.dependances import service
    from adapters.pages.connexion import pages_du_registre

    with refus_propres(json=False):
        # Opened once here, so that a wrong URL or a damaged log is refused now, with its exit code, rather
        # than by the first request after the server said it was listening.
        ouvrir(db).fermer()
    # The API and, on the same pool and the same tokens, the read-only pages (/pages/…) and /verifier/CODE.
    app = creer_app(db, taille=services, routeurs=pages_du_registre(service))
    uvicorn.run(app, host=hote, port=port, log_level="info", access_log=False)
