"""The public page of the results (R57, ADR 0024): `GET /resultats/{session}`, no authentication.

What it can show is the published list and nothing else: the consenting admitted candidates' names. A search
by name answers "admis" for a name on that list, and the same words for everyone else — ajourné, not yet
deliberated, or not consenting — so the page never tells a failure from a refusal to be published.
Inputs are bounded before use (a session code, a stage, at most 60 characters of name).
"""

# No `from __future__ import annotations`: FastAPI reads the routes' signatures at run time.
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response
from fastapi.responses import HTMLResponse

from adapters.application.documents import Introuvable, RefusMetier
from adapters.application.publication import recherche
from adapters.pages.routeur import SESSION, _cle, _html, page_probleme


def creer_routeur_resultats(service: Callable[..., Any], *, statique: str = "/statique") -> APIRouter:
    routeur = APIRouter()
    Service = Annotated[Any, Depends(service)]

    @routeur.get("/resultats/{session}", response_class=HTMLResponse)
    def resultats(
        session: str,
        registre: Service,
        etape: Annotated[str, Query(max_length=20)] = "provisoire",
        nom: Annotated[str | None, Query(max_length=200)] = None,
    ) -> Response:
        try:
            liste = registre.liste_publique(_cle(session, SESSION, "Session"), etape)
        except (RefusMetier, Introuvable) as erreur:
            return page_probleme(erreur, statique)
        texte = recherche(nom)
        trouves = liste.chercher(texte) if texte else ()
        return _html("resultats.html", titre=f"Résultats {session}", statique=statique, lecteur=None, fil=None,
                     liste=liste, recherche=texte, trouves=trouves, action=f"/resultats/{session}")  # fmt: skip

    return routeur
