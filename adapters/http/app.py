"""The application factory: `creer_app(url)` for `bac serveur`, the tests and any deployment (ADR 0016).

Other rooms add their pages by passing routers: ``creer_app(url, routeurs=(pages.routeur,))``; each router's
handlers take the same dependencies (`adapters.http.dependances.Service`, `Appelant`) and answer with the same
envelope and problem details, so a page door is as thin as this one.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.openapi.utils import get_openapi

from adapters.application.entrees import schema_commandes, schema_habilitations
from adapters.http import donnees_personnelles, ecritures, lectures, problemes
from adapters.http.dependances import Reserve

DESCRIPTION = """Le registre des sessions du baccalauréat, pour les services des rectorats.

Chaque requête présente un jeton (`Authorization: Bearer bac1.…`, émis par `bac init` ou à l'octroi d'une
habilitation). L'acte est enregistré au nom de l'acteur du jeton, avec le rôle que son habilitation lui donne
à cet instant sur la session ou le jury visé. Les refus suivent la RFC 9457 (`application/problem+json`) et
portent le code stable et la règle (R-n du règlement) ; un refus n'enregistre rien."""


def creer_app(url: str | None = None, *, routeurs: Sequence[APIRouter] = (), taille: int | None = None) -> FastAPI:
    """The service on the database at ``url`` (else BAC_DB_URL), ``taille`` workers (else BAC_HTTP_SERVICES, 8)."""
    nombre = taille or int(os.environ.get("BAC_HTTP_SERVICES", "8"))

    @asynccontextmanager
    async def cycle(app: FastAPI) -> AsyncIterator[None]:
        app.state.reserve = Reserve(url, nombre)
        try:
            yield
        finally:
            app.state.reserve.fermer()

    app = FastAPI(
        title="bac-registre", version="0.1.0", description=DESCRIPTION, lifespan=cycle, docs_url="/docs",
        redoc_url=None,
    )  # fmt: skip
    problemes.installer(app)
    for routeur in (ecritures.routeur, lectures.routeur, donnees_personnelles.routeur, *routeurs):
        app.include_router(routeur)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


def _openapi(app: FastAPI) -> dict[str, Any]:
    """FastAPI's document, with the command models (bodies are read raw, to bound them before parsing)."""
    if app.openapi_schema:
        return app.openapi_schema
    document = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
    composants = document.setdefault("components", {}).setdefault("schemas", {})
    for nom, schema in (("Commande", schema_commandes()), *schema_habilitations().items()):
        composants.update(schema.pop("$defs", {}))
        composants[nom] = schema
    app.openapi_schema = document
    return document
