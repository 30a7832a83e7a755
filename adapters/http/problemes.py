"""Every refusal as RFC 9457 problem details, made only by `adapters.application.reponses.probleme_depuis`.

Anything else (a bug) is logged with its traceback on the server and answered as a bare 500 problem: no
traceback, no exception text, no token ever reaches a client.
"""

from __future__ import annotations

import traceback
from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from adapters.application.erreurs import ErreurLigne, LotRefuse, NonAuthentifie, RefusMetier, UrlInvalide
from adapters.application.reponses import TYPE_PROBLEME, Probleme, probleme_depuis

journal = structlog.get_logger("bac.http")
TYPE = "application/problem+json"


def reponse_probleme(probleme: Probleme) -> JSONResponse:
    entetes = {"WWW-Authenticate": 'Bearer realm="bac-registre"'} if probleme.status == 401 else None
    return JSONResponse(probleme.model_dump(mode="json"), status_code=probleme.status, media_type=TYPE, headers=entetes)


def _interne() -> JSONResponse:
    return JSONResponse(
        {"statut": "refuse", "type": TYPE_PROBLEME + "ERREUR_INTERNE", "title": "Erreur interne", "status": 500,
         "detail": "Erreur interne du registre ; rien n'a été enregistré par cette requête.", "code": "ERREUR_INTERNE",
         "regle": None, "erreurs": [], "appliquees_jusqu_a_la_ligne": None, "sortie": 2},
        status_code=500, media_type=TYPE,
    )  # fmt: skip


async def _connue(_: Request, erreur: Exception) -> JSONResponse:
    probleme = probleme_depuis(erreur)
    if probleme is None:  # pragma: no cover - only our errors are registered here
        return _interne()
    return reponse_probleme(probleme)


async def _validation(_: Request, erreur: Exception) -> JSONResponse:
    """Query and path parameters FastAPI validates (bodies are validated by the domain's own models)."""
    assert isinstance(erreur, RequestValidationError)
    erreurs = [
        ErreurLigne(None, ".".join(str(p) for p in e.get("loc", ())[1:]) or "(requête)", _message(e))
        for e in erreur.errors()
    ]
    probleme = probleme_depuis(LotRefuse(erreurs or [ErreurLigne(None, "(requête)", "requête invalide")]))
    assert probleme is not None
    return reponse_probleme(probleme)


def _message(e: dict[str, Any]) -> str:
    messages = {"missing": "paramètre obligatoire manquant", "int_parsing": "nombre entier attendu"}
    return messages.get(str(e.get("type")), "valeur invalide")


async def _http(_: Request, erreur: Exception) -> JSONResponse:
    assert isinstance(erreur, StarletteHTTPException)
    titres = {404: "Introuvable", 405: "Méthode non permise", 413: "Entrée trop volumineuse"}
    detail = {404: "Aucune ressource à cette adresse", 405: "Méthode non permise sur cette adresse"}
    statut = erreur.status_code
    return JSONResponse(
        {"statut": "refuse", "type": TYPE_PROBLEME + f"HTTP_{statut}", "title": titres.get(statut, "Requête refusée"),
         "status": statut, "detail": detail.get(statut, "Requête refusée"), "code": f"HTTP_{statut}", "regle": None,
         "erreurs": [], "appliquees_jusqu_a_la_ligne": None, "sortie": 2},
        status_code=statut, media_type=TYPE, headers=getattr(erreur, "headers", None),
    )  # fmt: skip


class SansTrace:
    """Outside every handler: a bug becomes a bare 500 problem, logged here with its traceback, never sent."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        commencee = False

        async def envoyer(message: Any) -> None:
            nonlocal commencee
            commencee = commencee or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, envoyer)
        except Exception as erreur:
            journal.error(
                "http.erreur_interne", methode=scope.get("method"), chemin=scope.get("path"),
                erreur=type(erreur).__name__, trace="".join(traceback.format_exception(erreur)),
            )  # fmt: skip  # a plain-text trace: a pretty renderer of locals took seconds, and could show a token
            if not commencee:
                await _interne()(scope, receive, send)


def installer(app: FastAPI) -> None:
    for classe in (LotRefuse, NonAuthentifie, UrlInvalide, RefusMetier):
        app.add_exception_handler(classe, _connue)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_middleware(SansTrace)
